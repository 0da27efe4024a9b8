"""Apportionment (pure): worked examples, refusals, and properties (hypothesis)."""

from __future__ import annotations

import csv
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.invoicing.domain.apportionment import (
    ApportionmentError,
    Member,
    Method,
    apportion,
    exponent,
    population_weights,
)

PLAIN = Method(doubling_factor=Decimal(2))  # plain population apportionment
BRIEF = Method(doubling_factor=Decimal("1.5"))  # double the population, pay 1.5 times


def amounts(shares) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {s.code: s.amount_yen for s in shares}


def test_plain_population_split_with_one_leftover_yen() -> None:
    # 1000 × 100/600 = 166.67, 333.33, 500 -> floors 999, the yen goes to the largest fraction
    shares = apportion(
        1000, [Member("000001", 100), Member("000002", 200), Member("000003", 300)], PLAIN
    )
    assert amounts(shares) == {"000001": 167, "000002": 333, "000003": 500}
    assert [s.remainder_yen for s in shares] == [1, 0, 0]


def test_ties_go_to_the_smaller_code_whatever_the_input_order() -> None:
    members = [Member("300003", 10), Member("100001", 10), Member("200002", 10)]
    shares = apportion(100, members, BRIEF)
    assert amounts(shares) == {"100001": 34, "200002": 33, "300003": 33}
    assert [s.code for s in shares] == ["100001", "200002", "300003"]


def test_double_the_population_pays_one_and_a_half_times() -> None:
    shares = apportion(2_500_000, [Member("000001", 100_000), Member("000002", 200_000)], BRIEF)
    assert amounts(shares) == {"000001": 1_000_000, "000002": 1_500_000}


def test_equal_part_and_population_part() -> None:
    # a = 0.2: 200 split equally (100 each); b = 0.8: 800 by population 1:3 (200 / 600)
    shares = apportion(
        1000,
        [Member("000001", 100), Member("000002", 300)],
        Method(equal_part=Decimal("0.2"), doubling_factor=Decimal(2)),
    )
    assert amounts(shares) == {"000001": 300, "000002": 700}


def test_months_prorate_both_parts() -> None:
    # m = 1 and 0.5: equal part 600 × (1/1.5, 0.5/1.5); population part the same (equal weights)
    shares = apportion(
        1200,
        [Member("000001", 500, months=12), Member("000002", 500, months=6)],
        Method(equal_part=Decimal("0.5"), doubling_factor=Decimal("1.5")),
    )
    assert amounts(shares) == {"000001": 800, "000002": 400}


def test_fixed_members_pay_exactly_that_and_the_rest_is_split() -> None:
    shares = apportion(
        10_000,
        [Member("000001", 1, fixed_yen=4_000), Member("000002", 100), Member("000003", 100)],
        BRIEF,
    )
    assert amounts(shares) == {"000001": 4_000, "000002": 3_000, "000003": 3_000}
    assert shares[0].fixed


def test_population_zero_is_valid() -> None:
    # 双葉町 had no residents in the 2020 census
    shares = apportion(1000, [Member("075469", 0), Member("232033", 379_981)], BRIEF)
    assert amounts(shares) == {"075469": 0, "232033": 1000}
    with_equal = apportion(
        1000, [Member("075469", 0), Member("232033", 379_981)], Method(equal_part=Decimal("0.1"))
    )
    assert amounts(with_equal) == {"075469": 50, "232033": 950}


def test_usage_method() -> None:
    shares = apportion(
        900, [Member("000001", usage=1), Member("000002", usage=2)], Method(basis="usage")
    )
    assert amounts(shares) == {"000001": 300, "000002": 600}


@pytest.mark.parametrize(
    ("total", "members", "method", "code", "field"),
    [
        (100, [], BRIEF, "no_members", "members"),
        (-1, [Member("000001", 1)], BRIEF, "negative_total", "total_yen"),
        (100, [Member("000001", 1, fixed_yen=101)], BRIEF, "fixed_over_total", "members"),
        (100, [Member("000001", 0), Member("000002", 0)], BRIEF, "all_weights_zero", "members"),
        (100, [Member("000001", 1, months=13)], BRIEF, "invalid_months", "members[0].months"),
        (100, [Member("000001", 1, months=0)], BRIEF, "invalid_months", "members[0].months"),
        (
            100,
            [Member("000001", 1)],
            Method(doubling_factor=Decimal(1)),
            "invalid_doubling_factor",
            "doubling_factor",
        ),
        (
            100,
            [Member("000001", 1)],
            Method(equal_part=Decimal("1.1")),
            "invalid_equal_part",
            "equal_part",
        ),
        (100, [Member("000001")], BRIEF, "missing_population", "members[0].population"),
        (
            100,
            [Member("000001", 1), Member("000001", 2)],
            BRIEF,
            "duplicate_member",
            "members[1].code",
        ),
        (100, [Member("000001", 1, fixed_yen=50)], BRIEF, "unallocated_remainder", "members"),
    ],
)
def test_refusals_name_the_field(total, members, method, code, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApportionmentError) as err:
        apportion(total, members, method)
    assert (err.value.code, err.value.field) == (code, field)


def test_all_zero_weights_are_fine_when_everything_is_equal_part() -> None:
    shares = apportion(
        101, [Member("000001", 0), Member("000002", 0)], Method(equal_part=Decimal(1))
    )
    assert amounts(shares) == {"000001": 51, "000002": 50}


def test_chained_weights_match_a_60_digit_direct_computation() -> None:
    rows = list(
        csv.DictReader(
            (Path(__file__).resolve().parents[2] / "data" / "municipalities.csv").open(
                encoding="utf-8"
            )
        )
    )
    populations = [int(r["population_2020"]) for r in rows]
    k = exponent(Decimal("1.5"))
    chained = population_weights(populations, k)
    with localcontext() as ctx:
        ctx.prec = 60
        k60 = Decimal("1.5").ln() / Decimal(2).ln()
        worst = max(
            abs(chained[p] - (k60 * Decimal(p).ln()).exp()) / (k60 * Decimal(p).ln()).exp()
            for p in set(populations)
            if p
        )
    assert worst < Decimal("1e-30")


def test_the_weights_of_a_set_seen_before_are_the_same_and_not_computed_again() -> None:
    from apps.invoicing.domain.apportionment import _chained_weights

    k = exponent(Decimal("1.5"))
    first = population_weights([384_654, 372_479, 59_379], k)
    hits = _chained_weights.cache_info().hits
    # the same set in another order (and with a repeat) is the same chain
    again = population_weights([59_379, 384_654, 372_479, 59_379], k)
    assert again == first
    assert _chained_weights.cache_info().hits == hits + 1
    # another exponent is another chain
    assert population_weights([384_654, 372_479, 59_379], exponent(Decimal(2))) != first


def test_the_same_members_again_look_their_weights_up_once_and_a_new_population_counts() -> None:
    from apps.invoicing.domain.apportionment import _member_weights, clear_weight_caches

    clear_weight_caches()
    members = [Member("232017", 384_654), Member("011002", 1_973_395), Member("014290", 2_998)]
    method = Method(equal_part=Decimal("0.2"))
    first = apportion(10_000_000, members, method)
    assert _member_weights.cache_info().misses == 1
    again = apportion(10_000_000, list(reversed(members)), method)  # code order: the same key
    assert again == first
    assert _member_weights.cache_info().hits == 1
    # a member's population changes: its weight (and every share) follows at once
    moved = apportion(10_000_000, [*members[:2], Member("014290", 5_996)], method)
    assert _member_weights.cache_info().misses == 2
    assert [s.code for s in moved] == ["011002", "014290", "232017"]
    assert moved[0].weight == first[0].weight
    # twice the population, 1.5 times the weight (the doubling factor)
    assert abs(moved[1].weight / first[1].weight - Decimal("1.5")) < Decimal("1e-30")
    assert moved[1].amount_yen > first[1].amount_yen
    assert sum(s.amount_yen for s in moved) == 10_000_000


# --- properties ------------------------------------------------------------------------------

codes = st.integers(min_value=10000, max_value=99999).map(lambda n: f"{n}0")
member_lists = st.lists(
    st.tuples(
        codes,
        st.integers(min_value=0, max_value=15_000_000),
        st.integers(min_value=1, max_value=12),
    ),
    min_size=1,
    max_size=40,
    unique_by=lambda t: t[0],
).filter(lambda ms: any(p for _, p, _ in ms))
totals = st.integers(min_value=0, max_value=10**12)
equal_parts = st.sampled_from([Decimal(0), Decimal("0.06"), Decimal("0.2"), Decimal("0.5")])
factors = st.sampled_from([Decimal("1.5"), Decimal(2), Decimal("1.2")])


@settings(max_examples=200, deadline=None)
@given(totals, member_lists, equal_parts, factors, st.randoms())
def test_the_sum_is_exact_and_order_does_not_matter(total, raw, a, f, rnd) -> None:  # type: ignore[no-untyped-def]
    members = [Member(c, p, months=m) for c, p, m in raw]
    method = Method(equal_part=a, doubling_factor=f)
    shares = apportion(total, members, method)
    assert sum(s.amount_yen for s in shares) == total
    assert all(s.amount_yen >= 0 for s in shares)
    assert all(abs(Decimal(s.amount_yen) - s.raw_share) < 1 for s in shares)
    shuffled = members[:]
    rnd.shuffle(shuffled)
    assert apportion(total, shuffled, method) == shares


@settings(max_examples=200, deadline=None)
@given(totals, member_lists, equal_parts)
def test_more_population_never_pays_less(total, raw, a) -> None:  # type: ignore[no-untyped-def]
    members = [Member(c, p) for c, p, _ in raw]  # full year each
    shares = {s.code: s for s in apportion(total, members, Method(equal_part=a))}
    by_population = sorted(((m, shares[m.code]) for m in members), key=lambda x: x[0].population)
    for (m1, s1), (m2, s2) in zip(by_population, by_population[1:], strict=False):
        if m2.population > m1.population:
            assert s2.amount_yen >= s1.amount_yen


@settings(max_examples=200, deadline=None)
@given(totals, st.integers(min_value=1, max_value=7_000_000), member_lists)
def test_twice_the_population_pays_one_and_a_half_times(total, population, others) -> None:  # type: ignore[no-untyped-def]
    members = [Member("000010", population), Member("000020", population * 2)]
    members += [Member(c, p) for c, p, _ in others if c not in {"000010", "000020"}]
    shares = {s.code: s for s in apportion(total, members, BRIEF)}
    single, double = shares["000010"], shares["000020"]
    assert abs(double.raw_share - Decimal("1.5") * single.raw_share) < Decimal("1e-15")
    assert abs(Decimal(double.amount_yen) - Decimal("1.5") * single.raw_share) < 1


@settings(max_examples=300, deadline=None)
@given(totals, member_lists, equal_parts, factors)
def test_the_same_yen_as_the_decimal_implementation_before_issue_15(total, raw, a, f) -> None:  # type: ignore[no-untyped-def]
    """Integers instead of 34-digit Decimal change no member's yen (bench/apportionment.py
    checks the same on all 1,788 bodies)."""
    from bench import apportionment_reference as before

    shares = apportion(total, [Member(c, p, months=m) for c, p, m in raw], Method(a, f))
    reference = before.apportion(
        total, [before.Member(c, p, months=m) for c, p, m in raw], before.Method(a, f)
    )
    assert [(s.code, s.amount_yen) for s in shares] == [(s.code, s.amount_yen) for s in reference]
    assert all(
        abs(s.raw_share - r.raw_share) < Decimal("1e-20")
        for s, r in zip(shares, reference, strict=True)
    )
