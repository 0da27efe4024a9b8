"""Fee arithmetic (pure): band edges, a zero population, the weighted formula, discount, tax."""

from decimal import Decimal

import pytest

from apps.catalog.domain.fees import Band, FeeError, Schedule, quote, validate_bands

BANDS = (
    Band(0, 10_000, 120_000),
    Band(10_000, 50_000, 360_000),
    Band(50_000, 200_000, 900_000),
    Band(200_000, None, 1_800_000),
)
BANDED = Schedule(kind="bands", bands=BANDS)


@pytest.mark.parametrize(
    ("population", "annual"),
    [
        (0, 120_000),
        (9_999, 120_000),
        (10_000, 360_000),
        (49_999, 360_000),
        (50_000, 900_000),
        (199_999, 900_000),
        (200_000, 1_800_000),
        (7_546_192, 1_800_000),
    ],
)
def test_band_edges_lower_inclusive_upper_exclusive(population: int, annual: int) -> None:
    q = quote(BANDED, population)
    assert q.annual_yen == annual
    assert q.tax_yen == annual // 10
    assert q.total_yen == annual + annual // 10


def test_a_body_with_population_zero_gets_the_first_band_or_zero_weighted_fee() -> None:
    assert quote(BANDED, 0).annual_yen == 120_000  # 双葉町 (2020) still pays the smallest band
    weighted = Schedule(kind="weighted", base_fee_yen=1_000_000, reference_population=100_000)
    q = quote(weighted, 0)
    assert (q.annual_yen, q.tax_yen, q.total_yen) == (0, 0, 0)


def test_weighted_fee_doubles_by_the_factor() -> None:
    s = Schedule(
        kind="weighted",
        base_fee_yen=1_000_000,
        reference_population=100_000,
        doubling_factor=Decimal("1.5"),
    )
    assert quote(s, 100_000).annual_yen == 1_000_000
    assert quote(s, 200_000).annual_yen == 1_500_000
    assert quote(s, 400_000).annual_yen == 2_250_000
    assert quote(s, 50_000).annual_yen == 666_666  # 1,000,000 / 1.5 = 666,666.67 -> rounded down
    # 一宮市 (379,981): 1,000,000 × 3.79981^log2(1.5) = 2,183,428.4253... (checked with mpmath
    # at 40 digits: 2183428.425303835320296911023753898006493)
    q = quote(s, 379_981)
    assert q.annual_exact.quantize(Decimal("0.000001")) == Decimal("2183428.425304")
    assert q.annual_yen == 2_183_428
    assert q.tax_yen == 218_342


def test_factor_two_is_plain_proportional() -> None:
    s = Schedule(
        kind="weighted",
        base_fee_yen=100_000,
        reference_population=10_000,
        doubling_factor=Decimal("2"),
    )
    assert quote(s, 12_345).annual_yen == 123_450


def test_joint_discount_applies_from_n_bodies_and_rounds_once() -> None:
    s = Schedule(
        kind="bands",
        bands=BANDS,
        joint_discount_percent=Decimal("12.5"),
        joint_discount_min_bodies=3,
        initial_fee_yen=50_000,
    )
    without = quote(s, 30_000, bodies_using=2)
    assert (without.annual_yen, without.discount_applied) == (360_000, False)
    with_discount = quote(s, 30_000, bodies_using=3)
    assert (with_discount.annual_yen, with_discount.discount_applied) == (315_000, True)
    # tax on annual + initial fee, rounded down once: (315,000 + 50,000) × 10%
    assert with_discount.tax_yen == 36_500
    assert with_discount.total_yen == 315_000 + 50_000 + 36_500
    assert with_discount.steps[-1] == "合計 401,500円"


@pytest.mark.parametrize(
    ("bands", "code"),
    [
        ([Band(0, 10_000, 1), Band(9_000, None, 2)], "fee_bands_overlap"),
        ([Band(0, 10_000, 1), Band(11_000, None, 2)], "fee_bands_gap"),
        ([Band(1, None, 1)], "fee_bands_gap"),
        ([Band(0, 10_000, 1)], "fee_bands_gap"),
        ([Band(0, None, 1), Band(10, None, 2)], "fee_bands_overlap"),
        ([], "fee_bands_empty"),
    ],
)
def test_bad_bands_are_refused_with_a_code(bands: list[Band], code: str) -> None:
    with pytest.raises(FeeError) as err:
        validate_bands(bands)
    assert err.value.code == code
