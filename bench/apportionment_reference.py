"""THE REFERENCE for bench/apportionment.py: apps/invoicing/domain/apportionment.py as it was
before issue #15 (commit fed00e4), kept verbatim so the benchmark can time it beside today's code
and check that both give the same shares. Not used by the portal.

Splitting a total among members: equal part + weighted population (or usage) part, by months
taken part, with fixed amounts. Pure Python, no Django.

    raw_i = T' × (a × m_i / Σm + b × m_i·w_i / Σ m·w)

a + b = 1 (the equal and the population part), m_i = months/12, w_i = population^k with
k = log2(doubling factor) (or w_i = usage count), T' = T − the fixed amounts. Computed in Decimal
at PRECISION significant digits over the members sorted by code, so the result never depends on
input order. Then ONE rounding step, ROUNDING_METHOD = largest remainder: every member gets
floor(raw_i), and the yen left over go one each to the largest fractional parts, ties to the
smaller body code. The shares add up to T exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext
from functools import lru_cache

from apps.core.domain.errors import DomainError  # noqa: I001

PRECISION = 34  # the sums and raw shares (decimal128)
WEIGHT_PRECISION = 36  # population^k, see population_weights
ROUNDING_METHOD = (
    "最大剰余法 (largest remainder): floor, then +1 yen by largest fraction, ties to smaller code"
)


class ApportionmentError(DomainError):
    """A total or a member the apportionment refuses (the field names the member's input)."""


@dataclass(frozen=True)
class Member:
    code: str
    population: int | None = None
    usage: int | None = None
    months: int = 12
    fixed_yen: int | None = None


@dataclass(frozen=True)
class Method:
    equal_part: Decimal = Decimal(0)
    doubling_factor: Decimal = Decimal("1.5")
    basis: str = "population"  # or "usage"


@dataclass(frozen=True)
class Share:
    code: str
    amount_yen: int
    weight: Decimal
    raw_share: Decimal
    floor_yen: int
    remainder_yen: int  # 0 or 1: the yen the rounding step gave
    months: int
    fixed: bool


def exponent(doubling_factor: Decimal) -> Decimal:
    """k such that doubling the population multiplies the weight by the factor: log2(factor)."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return doubling_factor.ln() / Decimal(2).ln()


def population_weights(populations: list[int], k: Decimal) -> dict[int, Decimal]:
    """population^k for each distinct population, to at least 33 significant digits.

    Decimal's ln of a large integer is the costly step (about 18 µs each). Sorted ascending,
    consecutive populations differ by a ratio close to 1, whose ln and exp are several times
    cheaper: w(p_next) = w(p) × exp(k × ln(p_next / p)). Computed at WEIGHT_PRECISION = 36
    digits, the chain's accumulated error stays below 1e-33 relative over 1,788 bodies
    (tests/invoicing/test_apportionment.py checks it against a 60-digit direct computation).

    The same set of populations and exponent always gives the same weights, so they are kept
    for the last few sets (every service of a council usually has the same members, and the
    run and the outlook apportion them one after another): the chain is computed once."""
    return dict(_chained_weights(tuple(sorted(set(populations))), k))


@lru_cache(maxsize=16)
def _chained_weights(ordered: tuple[int, ...], k: Decimal) -> tuple[tuple[int, Decimal], ...]:
    weights: list[tuple[int, Decimal]] = []
    previous: int | None = None
    current = Decimal(0)
    with localcontext() as ctx:
        ctx.prec = WEIGHT_PRECISION
        for population in ordered:
            if population == 0:
                weights.append((0, Decimal(0)))
                continue
            if previous is None:
                current = (k * Decimal(population).ln()).exp()
            else:
                current = current * (k * (Decimal(population) / Decimal(previous)).ln()).exp()
            weights.append((population, current))
            previous = population
    return tuple(weights)


def _validate(total_yen: int, members: list[Member], method: Method) -> None:
    if not members:
        raise ApportionmentError("按分する団体を1つ以上指定してください。", "no_members", "members")
    if total_yen < 0:
        raise ApportionmentError("総額は0円以上にしてください。", "negative_total", "total_yen")
    if not Decimal(0) <= method.equal_part <= Decimal(1):
        raise ApportionmentError(
            "均等割の割合は0から1の間にしてください。", "invalid_equal_part", "equal_part"
        )
    if method.basis not in ("population", "usage"):
        raise ApportionmentError("按分の基準は人口か利用件数です。", "invalid_basis", "members")
    if method.basis == "population" and method.doubling_factor <= 1:
        raise ApportionmentError(
            "人口が2倍のときの倍率は1より大きくしてください (例: 1.5)。",
            "invalid_doubling_factor",
            "doubling_factor",
        )
    seen: set[str] = set()
    for i, m in enumerate(members):
        if m.code in seen:
            raise ApportionmentError(
                f"団体コード {m.code} が2回あります。", "duplicate_member", f"members[{i}].code"
            )
        seen.add(m.code)
        if not 1 <= m.months <= 12:
            raise ApportionmentError(
                f"{m.code}: 月数は1〜12にしてください。", "invalid_months", f"members[{i}].months"
            )
        if m.fixed_yen is not None:
            if m.fixed_yen < 0:
                raise ApportionmentError(
                    f"{m.code}: 定額は0円以上にしてください。",
                    "invalid_fixed_yen",
                    f"members[{i}].fixed_yen",
                )
            continue
        value = m.usage if method.basis == "usage" else m.population
        name = "usage" if method.basis == "usage" else "population"
        if value is None:
            raise ApportionmentError(
                f"{m.code}: {'利用件数' if name == 'usage' else '人口'}を指定してください。",
                f"missing_{name}",
                f"members[{i}].{name}",
            )
        if value < 0:
            raise ApportionmentError(
                f"{m.code}: {'利用件数' if name == 'usage' else '人口'}は0以上にしてください。",
                f"invalid_{name}",
                f"members[{i}].{name}",
            )
    fixed_total = sum(m.fixed_yen or 0 for m in members)
    if fixed_total > total_yen:
        raise ApportionmentError(
            f"定額の合計 {fixed_total:,}円 が総額 {total_yen:,}円 を超えています。",
            "fixed_over_total",
            "members",
        )


def apportion(total_yen: int, members: list[Member], method: Method) -> list[Share]:
    """Shares in body-code order, adding up to total_yen exactly."""
    _validate(total_yen, members, method)
    ordered = sorted(members, key=lambda m: m.code)
    fixed = [m for m in ordered if m.fixed_yen is not None]
    rest = [m for m in ordered if m.fixed_yen is None]
    remaining = total_yen - sum(m.fixed_yen or 0 for m in fixed)
    a = method.equal_part
    b = Decimal(1) - a
    k = exponent(method.doubling_factor) if method.basis == "population" else Decimal(1)
    shares: dict[str, Share] = {
        m.code: Share(
            m.code,
            m.fixed_yen or 0,
            Decimal(m.fixed_yen or 0),
            Decimal(m.fixed_yen or 0),
            m.fixed_yen or 0,
            0,
            m.months,
            True,
        )
        for m in fixed
    }
    if not rest:
        if remaining:
            raise ApportionmentError(
                "定額でない団体がないため、残りの額を按分できません。",
                "unallocated_remainder",
                "members",
            )
        return [shares[m.code] for m in ordered]
    with localcontext() as ctx:
        ctx.prec = PRECISION
        months = {m.code: Decimal(m.months) / Decimal(12) for m in rest}
        if method.basis == "usage":
            weights = {m.code: Decimal(m.usage or 0) for m in rest}
        else:
            by_population = population_weights([m.population or 0 for m in rest], k)
            weights = {m.code: by_population[m.population or 0] for m in rest}
        sum_m = sum(months.values(), Decimal(0))
        sum_mw = sum((months[c] * weights[c] for c in months), Decimal(0))
        if b > 0 and sum_mw == 0 and remaining > 0:
            raise ApportionmentError(
                "すべての団体の人口 (または利用件数) が0のため、人口割で按分できません。"
                "均等割の割合を1にするか、人口を確認してください。",
                "all_weights_zero",
                "members",
            )
        total = Decimal(remaining)
        raw: dict[str, Decimal] = {}
        for m in rest:
            part = a * months[m.code] / sum_m
            if b > 0 and sum_mw > 0:
                part += b * months[m.code] * weights[m.code] / sum_mw
            raw[m.code] = total * part
    floors = {c: int(r.to_integral_value(rounding=ROUND_FLOOR)) for c, r in raw.items()}
    left = remaining - sum(floors.values())
    # Largest remainder: +1 yen to the `left` largest fractional parts, ties to the smaller code.
    order = sorted(raw, key=lambda c: (-(raw[c] - floors[c]), c))
    bonus = set(order[:left])
    for m in rest:
        extra = 1 if m.code in bonus else 0
        shares[m.code] = Share(
            m.code,
            floors[m.code] + extra,
            weights[m.code],
            raw[m.code],
            floors[m.code],
            extra,
            m.months,
            False,
        )
    return [shares[m.code] for m in ordered]
