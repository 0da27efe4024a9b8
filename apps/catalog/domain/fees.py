"""Usage fees of a listing for one body and one fiscal year. Pure arithmetic, no Django.

Exact first (Decimal at 40 significant digits), then one named rounding step per amount:
YEN_ROUNDING, 円未満切り捨て (round down to the whole yen), for the annual fee after any
discount and for the consumption tax of the quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal, localcontext
from functools import lru_cache

from apps.core.domain.errors import DomainError
from apps.core.domain.money import yen

PRECISION = 40
TAX_RATES = {
    "standard_10": Decimal("0.10"),
    "reduced_8": Decimal("0.08"),
    "exempt": Decimal("0"),  # 非課税
    "outside": Decimal("0"),  # 不課税
}


class FeeError(DomainError):
    """A fee schedule or a quote the rules refuse."""


@dataclass(frozen=True)
class Band:
    lower: int  # inclusive
    upper: int | None  # exclusive; None is "and above"
    annual_fee_yen: int

    def label(self) -> str:
        if self.upper is None:
            return f"{self.lower:,}人以上"
        if self.lower == 0:
            return f"{self.upper:,}人未満"
        return f"{self.lower:,}人以上{self.upper:,}人未満"


@dataclass(frozen=True)
class Schedule:
    kind: str  # "bands" or "weighted"
    bands: tuple[Band, ...] = ()
    base_fee_yen: int = 0
    reference_population: int = 0
    doubling_factor: Decimal = Decimal("1.5")
    initial_fee_yen: int = 0
    tax_category: str = "standard_10"
    joint_discount_percent: Decimal | None = None
    joint_discount_min_bodies: int | None = None


# The schedule's terms other than its bands: the names the FeeSchedule model's columns, the
# forms and the API's fields take too (one list, here).
SCHEDULE_TERMS: tuple[str, ...] = tuple(f.name for f in fields(Schedule) if f.name != "bands")


@dataclass(frozen=True)
class Quote:
    population: int
    annual_exact: Decimal
    annual_yen: int
    discount_applied: bool
    initial_fee_yen: int
    tax_rate: Decimal
    tax_yen: int
    total_yen: int
    steps: list[str] = field(default_factory=list)


def validate_bands(bands: list[Band]) -> tuple[Band, ...]:
    """Bands must start at 0, follow each other without gap or overlap, and end open."""
    if not bands:
        raise FeeError("人口区分を1つ以上入力してください。", "fee_bands_empty", "bands")
    ordered = sorted(bands, key=lambda b: b.lower)
    if ordered[0].lower != 0:
        raise FeeError("最初の人口区分は0人から始めてください。", "fee_bands_gap", "bands")
    for i, band in enumerate(ordered):
        if band.annual_fee_yen < 0:
            raise FeeError("年額は0円以上にしてください。", "fee_negative", "bands")
        if band.upper is not None and band.upper <= band.lower:
            raise FeeError(
                f"区分「{band.lower:,}人〜」の上限が下限以下です。",
                "fee_bands_empty_range",
                "bands",
            )
        if i + 1 < len(ordered):
            nxt = ordered[i + 1]
            if band.upper is None or nxt.lower < band.upper:
                raise FeeError(
                    f"人口区分「{band.label()}」と「{nxt.label()}」が重なっています。",
                    "fee_bands_overlap",
                    "bands",
                )
            if nxt.lower > band.upper:
                raise FeeError(
                    f"{band.upper:,}人から{nxt.lower:,}人までの区分がありません。",
                    "fee_bands_gap",
                    "bands",
                )
    if ordered[-1].upper is not None:
        raise FeeError(
            f"{ordered[-1].upper:,}人以上の区分がありません。最後の区分は上限なしにしてください。",
            "fee_bands_gap",
            "bands",
        )
    return tuple(ordered)


def validate_schedule(s: Schedule) -> Schedule:
    if s.kind == "bands":
        validate_bands(list(s.bands))
    elif s.kind == "weighted":
        if s.base_fee_yen < 0:
            raise FeeError("基準額は0円以上にしてください。", "fee_negative", "base_fee_yen")
        if s.reference_population <= 0:
            raise FeeError(
                "基準人口は1人以上にしてください。",
                "invalid_reference_population",
                "reference_population",
            )
        if s.doubling_factor <= 1:
            raise FeeError(
                "人口が2倍のときの倍率は1より大きくしてください (例: 1.5)。",
                "invalid_doubling_factor",
                "doubling_factor",
            )
    else:
        raise FeeError(
            "料金の形式は人口区分か重み付き人口を選んでください。", "invalid_fee_kind", "kind"
        )
    if s.initial_fee_yen < 0:
        raise FeeError("初期費用は0円以上にしてください。", "fee_negative", "initial_fee_yen")
    if s.tax_category not in TAX_RATES:
        raise FeeError("税区分が正しくありません。", "invalid_tax_category", "tax_category")
    if (s.joint_discount_percent is None) != (s.joint_discount_min_bodies is None):
        raise FeeError(
            "共同利用割引は割引率と団体数の両方を入力してください。",
            "invalid_joint_discount",
            "joint_discount_percent",
        )
    if s.joint_discount_percent is not None:
        if not Decimal(0) < s.joint_discount_percent < Decimal(100):
            raise FeeError(
                "割引率は0より大きく100未満にしてください。",
                "invalid_joint_discount",
                "joint_discount_percent",
            )
        if (s.joint_discount_min_bodies or 0) < 2:
            raise FeeError(
                "共同利用割引の団体数は2以上にしてください。",
                "invalid_joint_discount",
                "joint_discount_min_bodies",
            )
    return s


def band_for(bands: tuple[Band, ...], population: int) -> Band:
    for band in bands:
        if band.lower <= population and (band.upper is None or population < band.upper):
            return band
    raise FeeError("人口に当てはまる区分がありません。", "no_fee_band")


@lru_cache(maxsize=64)  # a few factors in use, and Decimal's ln is the costly step of a quote
def weighted_exponent(doubling_factor: Decimal) -> Decimal:
    """k with 2**k == factor: the fee grows as population**k (factor 1.5 -> k = 0.58496...)."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return doubling_factor.ln() / Decimal(2).ln()


def annual_exact(s: Schedule, population: int) -> tuple[Decimal, list[str]]:
    if population < 0:
        raise FeeError("人口が負の値です。", "invalid_population")
    if s.kind == "bands":
        band = band_for(s.bands, population)
        return Decimal(band.annual_fee_yen), [
            f"人口 {population:,}人 は区分「{band.label()}」: 年額 {band.annual_fee_yen:,}円"
        ]
    with localcontext() as ctx:
        ctx.prec = PRECISION
        k = weighted_exponent(s.doubling_factor)
        if population == 0:
            exact = Decimal(0)
        else:
            ratio = Decimal(population) / Decimal(s.reference_population)
            exact = Decimal(s.base_fee_yen) * (k * ratio.ln()).exp()
        steps = [
            f"基準額 {s.base_fee_yen:,}円 (基準人口 {s.reference_population:,}人)、"
            f"人口2倍で {s.doubling_factor}倍 → 指数 k = log2({s.doubling_factor}) = {k:.6f}",
            f"{s.base_fee_yen:,} × ({population:,} ÷ {s.reference_population:,})^{k:.6f} "
            f"= {exact:.4f}円",
        ]
        return exact, steps


def quote(s: Schedule, population: int, bodies_using: int = 1) -> Quote:
    """The fee for one body for one full fiscal year, with each step written out.
    `bodies_using` counts the bodies of the same group that use the listing, this one included."""
    exact, steps = annual_exact(s, population)
    pct, min_bodies = s.joint_discount_percent, s.joint_discount_min_bodies
    discount = pct is not None and min_bodies is not None and bodies_using >= min_bodies
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if pct is not None and discount:
            exact = exact * (Decimal(100) - pct) / Decimal(100)
            steps.append(
                f"共同利用割引 {pct}% (同じグループの利用 {bodies_using}団体 ≥ {min_bodies}団体)"
                f" → {exact:.4f}円"
            )
        elif pct is not None:
            steps.append(
                f"共同利用割引 {pct}% は {min_bodies}団体以上で適用 (現在 {bodies_using}団体)"
                " → 適用なし"
            )
        annual = yen(exact)
        steps.append(f"年額 {annual:,}円 (円未満切り捨て)")
        rate = TAX_RATES[s.tax_category]
        taxable = annual + s.initial_fee_yen
        tax = yen(Decimal(taxable) * rate)
    if s.initial_fee_yen:
        steps.append(f"初期費用 {s.initial_fee_yen:,}円")
    steps.append(f"消費税 {taxable:,}円 × {rate * 100:.0f}% = {tax:,}円 (円未満切り捨て)")
    total = taxable + tax
    steps.append(f"合計 {total:,}円")
    return Quote(population, exact, annual, discount, s.initial_fee_yen, rate, tax, total, steps)
