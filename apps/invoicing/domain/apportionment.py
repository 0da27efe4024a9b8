"""Splitting a total among members: equal part + weighted population (or usage) part, by months
taken part, with fixed amounts. Pure Python, no Django.

    raw_i = T' × (a × m_i / Σm + b × m_i·w_i / Σ m·w)

a + b = 1 (the equal and the population part), m_i = months/12, w_i = population^k with
k = log2(doubling factor) (or w_i = usage count), T' = T − the fixed amounts. The weights are
binary fixed-point integers (FIXED_BITS fraction bits, far below a yen at any total); given them,
every raw share is an exact fraction N_i / D with one common denominator, computed in integers
over the members sorted by code, so the result never depends on input order. Then ONE rounding
step, ROUNDING_METHOD = largest remainder: every member gets floor(raw_i), and the yen left over
go one each to the largest fractional parts (exact integer remainders), ties to the smaller body
code. The shares add up to T exactly. The weights and raw shares reported are those fractions
rounded to WEIGHT_PRECISION and PRECISION significant digits.

Until issue #15 the same arithmetic ran in Decimal at 34 digits; bench/apportionment.py keeps that
implementation and checks that both give every member the same yen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache, partial
from itertools import repeat
from operator import add, floordiv, itemgetter, mul, sub, truediv
from typing import NamedTuple

from apps.core.domain.errors import DomainError

PRECISION = 34  # the sums and raw shares (decimal128)
WEIGHT_PRECISION = 36  # population^k, see population_weights
FIXED_BITS = 136  # fraction bits of the fixed-point weights (about 41 decimal digits)
_ONE = 1 << FIXED_BITS
_HALF = 1 << (FIXED_BITS - 1)
ROUNDING_METHOD = (
    "最大剰余法 (largest remainder): floor, then +1 yen by largest fraction, ties to smaller code"
)


class ApportionmentError(DomainError):
    """A total or a member the apportionment refuses (the field names the member's input)."""


class Member(NamedTuple):  # a tuple: 1,788 of them are built for each apportionment
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


class Share(NamedTuple):
    code: str
    amount_yen: int
    weight: Decimal
    raw_share: Decimal
    floor_yen: int
    remainder_yen: int  # 0 or 1: the yen the rounding step gave
    months: int
    fixed: bool


@lru_cache(maxsize=64)
def exponent(doubling_factor: Decimal) -> Decimal:
    """k such that doubling the population multiplies the weight by the factor: log2(factor)."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return doubling_factor.ln() / Decimal(2).ln()


def population_weights(populations: list[int], k: Decimal) -> dict[int, Decimal]:
    """population^k for each distinct population, to at least 33 significant digits."""
    return {p: w for p, (_, w) in _chained_weights(tuple(sorted(set(populations))), k).items()}


@lru_cache(maxsize=16)
def _chained_weights(ordered: tuple[int, ...], k: Decimal) -> dict[int, tuple[int, Decimal]]:
    """{population: (fixed-point weight, weight in Decimal)} for ascending populations (kept
    by the cache: callers never change it).

    Decimal's ln and exp of a large number are the costly steps (about 18 µs each). Sorted
    ascending, consecutive populations differ by a ratio close to 1, so the chain
    w(q) = w(p) × exp(k × ln(q / p)) needs only short series, run here in integers with
    FIXED_BITS fraction bits: ln(q/p) = 2·atanh((q−p)/(q+p)), then exp's Taylor series. A
    ratio above 2 (a sparse set) starts the chain again from a direct computation at 60
    digits. Over 1,788 bodies the error stays below 1e-35 relative (tests/invoicing/
    test_apportionment.py checks it against a 60-digit direct computation).

    The same set of populations and exponent always gives the same weights, so they are kept
    for the last few sets (every service of a council usually has the same members, and the
    run and the outlook apportion them one after another): the chain is computed once."""
    if k == k.to_integral_value():  # doubling factor 2, 4, ...: population^k is an integer
        with localcontext() as ctx:
            ctx.prec = WEIGHT_PRECISION
            return {p: ((p ** int(k)) << FIXED_BITS, Decimal(p ** int(k)) + 0) for p in ordered}
    fixed_k = _to_fixed(k)
    out: dict[int, tuple[int, Decimal]] = {}
    previous = 0
    current = 0
    with localcontext() as ctx:
        for population in ordered:
            if population == 0:
                out[0] = (0, Decimal(0))
                continue
            if previous and population <= 2 * previous:
                y = (fixed_k * _ln_ratio(population, previous)) >> FIXED_BITS
                current = (current * _exp_fixed(y) + _HALF) >> FIXED_BITS
            else:
                ctx.prec = 60
                current = _to_fixed((k * Decimal(population).ln()).exp())
            previous = population
            ctx.prec = WEIGHT_PRECISION
            out[population] = (current, Decimal(current) / _ONE_DECIMAL)
    return out


@lru_cache(maxsize=16)
def _member_weights(
    populations: tuple[int, ...], k: Decimal
) -> tuple[tuple[int, ...], tuple[Decimal, ...]]:
    """The fixed-point and the Decimal weight of each member, for populations in the members'
    code order: the same members again (each service of a council, the run after the outlook)
    look their weights up once, not member by member."""
    chain = _chained_weights(tuple(sorted(set(populations))), k)
    weights, shown = zip(*map(chain.__getitem__, populations), strict=True)
    return weights, shown


def clear_weight_caches() -> None:
    """Forget every weight computed so far (the benchmark's cold calls)."""
    _chained_weights.cache_clear()
    _member_weights.cache_clear()


def _to_fixed(value: Decimal) -> int:
    with localcontext() as ctx:
        ctx.prec = 80
        return int((value * _ONE).to_integral_value())  # to the nearest


_ONE_DECIMAL = Decimal(_ONE)


def _ln_ratio(q: int, p: int) -> int:
    """ln(q/p) in fixed point, for p < q <= 2p: 2·atanh(z), z = (q−p)/(q+p) <= 1/3."""
    z = ((q - p) << FIXED_BITS) // (q + p)
    z2 = (z * z) >> FIXED_BITS
    total = term = z
    n = 1
    while True:
        term = (term * z2) >> FIXED_BITS
        n += 2
        step = term // n
        if not step:
            return total << 1
        total += step


def _exp_fixed(y: int) -> int:
    """exp(y) in fixed point, for 0 <= y < 1 (Taylor series)."""
    total = _ONE + y
    term = y
    n = 1
    while True:
        n += 1
        term = ((term * y) >> FIXED_BITS) // n
        if not term:
            return total
        total += term


class _Columns(NamedTuple):
    """The members' fields as columns, in the members' order (one zip over the tuples)."""

    codes: tuple[str, ...]
    populations: tuple[int | None, ...]
    usages: tuple[int | None, ...]
    months: tuple[int, ...]
    fixed: tuple[int | None, ...]


def _validate(total_yen: int, members: list[Member], columns: _Columns, method: Method) -> None:
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
    given = [f for f in columns.fixed if f is not None]
    values = _values(columns, method.basis)
    if not (
        len(set(columns.codes)) == len(columns.codes)
        and min(columns.months) >= 1
        and max(columns.months) <= 12
        and (not given or min(given) >= 0)
        and None not in values
        and (not values or min(values) >= 0)  # type: ignore[type-var, operator]
    ):
        _member_error(members, method.basis)  # finds the first wrong member and says what
    if sum(given) > total_yen:
        raise ApportionmentError(
            f"定額の合計 {sum(given):,}円 が総額 {total_yen:,}円 を超えています。",
            "fixed_over_total",
            "members",
        )


def _values(columns: _Columns, basis: str) -> Sequence[int | None]:
    """The population (or usage) of each member without a fixed amount."""
    values = columns.usages if basis == "usage" else columns.populations
    if columns.fixed.count(None) == len(columns.fixed):
        return values
    return [v for v, f in zip(values, columns.fixed, strict=True) if f is None]


def _member_error(members: list[Member], basis: str) -> None:
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
        value = m.usage if basis == "usage" else m.population
        name = "usage" if basis == "usage" else "population"
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


def apportion(total_yen: int, members: list[Member], method: Method) -> list[Share]:
    """Shares in body-code order, adding up to total_yen exactly."""
    if not members:
        raise ApportionmentError("按分する団体を1つ以上指定してください。", "no_members", "members")
    ordered = sorted(members, key=itemgetter(0))  # by code
    columns = _Columns(*zip(*ordered, strict=True))
    _validate(total_yen, members, columns, method)
    shares: dict[str, Share] = {}
    if columns.fixed.count(None) == len(ordered):  # no fixed amounts: every member is apportioned
        rest = columns
    else:
        fixed = [m for m in ordered if m.fixed_yen is not None]
        shares = {
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
        others = [m for m in ordered if m.fixed_yen is None]
        rest = _Columns(*zip(*others, strict=True)) if others else _Columns((), (), (), (), ())
    remaining = total_yen - sum(s.amount_yen for s in shares.values())
    a = method.equal_part
    b = Decimal(1) - a
    k = exponent(method.doubling_factor) if method.basis == "population" else Decimal(1)
    if not rest.codes:
        if remaining:
            raise ApportionmentError(
                "定額でない団体がないため、残りの額を按分できません。",
                "unallocated_remainder",
                "members",
            )
        return [shares[m.code] for m in ordered]
    weights: Sequence[int]
    shown: Sequence[Decimal]
    if method.basis == "usage":
        weights = rest.usages  # type: ignore[assignment]  # integers (validated): exact
        shown = [Decimal(w) for w in weights]
    else:
        weights, shown = _member_weights(rest.populations, k)  # type: ignore[arg-type]
    months = rest.months
    sum_m = sum(months)
    sum_mw = sum(map(mul, months, weights))
    if b > 0 and sum_mw == 0 and remaining > 0:
        raise ApportionmentError(
            "すべての団体の人口 (または利用件数) が0のため、人口割で按分できません。"
            "均等割の割合を1にするか、人口を確認してください。",
            "all_weights_zero",
            "members",
        )
    # raw_i = T' × m_i × (a_n × Σmw + b_n × w_i × Σm) / (a_d × Σm × Σmw), a = a_n / a_d
    #       = m_i × (E + W × w_i) / D, with E = T' × a_n × Σmw and W = T' × b_n × Σm
    a_n, a_d = a.as_integer_ratio()
    b_n = a_d - a_n
    by_weight = b_n > 0 and sum_mw > 0
    denominator = a_d * sum_m * (sum_mw if by_weight else 1)
    equal = remaining * a_n * (sum_mw if by_weight else 1)
    if by_weight:  # the maps below run in C: this is the hot path of every apportionment
        by_w = map(mul, repeat(remaining * b_n * sum_m), weights)
        numerators = list(map(mul, months, map(add, repeat(equal), by_w)))
    else:
        numerators = list(map(mul, months, repeat(equal)))
    floors = list(map(floordiv, numerators, repeat(denominator)))
    remainders = list(map(sub, numerators, map(mul, floors, repeat(denominator))))
    # Largest remainder: +1 yen to the `left` largest fractional parts, ties to the smaller code
    # (rest is in code order and the sort is stable, so the index breaks ties the same way).
    extras = [0] * len(months)
    for i in sorted(range(len(months)), key=remainders.__getitem__, reverse=True)[
        : remaining - sum(floors)
    ]:
        extras[i] = 1
    with localcontext() as ctx:
        ctx.prec = PRECISION
        raws = list(map(truediv, map(Decimal, numerators), repeat(Decimal(denominator))))
    computed = list(
        map(
            _new_share,
            zip(
                rest.codes,
                map(add, floors, extras),
                shown,
                raws,
                floors,
                extras,
                months,
                repeat(False),
                strict=False,
            ),
        )
    )
    if not shares:  # no fixed amounts: already in code order
        return computed
    shares.update((s.code, s) for s in computed)
    return [shares[m.code] for m in ordered]


_new_share = partial(tuple.__new__, Share)  # a Share from a row, without NamedTuple's keywords
