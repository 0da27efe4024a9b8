"""Support schemes applied to costs: the rate, the joint-use bonus and the yearly caps, each
against a hand computation (rounded down once per cost)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django_tenants.utils import schema_context

from apps.accounts.models import AdviserEngagement
from apps.training.domain.support import Cost, Ledger, Scheme, award
from apps.training.models import SupportScheme
from apps.training.services import covered_parts
from tests.clock import FY, fy_month

USAGE = Scheme(
    "共通化B利用料補助",
    "usage_fees",
    Decimal("0.5"),
    categories=("ai_ocr", "chatbot"),
    bonus_points=Decimal("0.1"),
    bonus_min_bodies=3,
)


def test_the_joint_use_bonus_adds_its_points_from_the_named_number_of_bodies() -> None:
    awards = award(
        [
            Cost("alone", "usage_fees", 1_000_001, "ai_ocr", joint_bodies=2),
            Cost("shared", "usage_fees", 1_000_001, "ai_ocr", joint_bodies=3),
            Cost("other category", "usage_fees", 1_000_001, "madoguchi_dx", joint_bodies=9),
        ],
        [USAGE],
    )
    # 1,000,001 × 0.5 = 500,000.5 → 500,000; × 0.6 = 600,000.6 → 600,000
    assert [(a.key, a.rate, a.bonus, a.covered_yen, a.net_yen) for a in awards] == [
        ("alone", Decimal("0.5"), False, 500_000, 500_001),
        ("shared", Decimal("0.6"), True, 600_000, 400_001),
        ("other category", Decimal(0), False, 0, 1_000_001),
    ]
    assert awards[2].scheme == ""


def test_the_rate_with_its_bonus_never_exceeds_the_whole_cost() -> None:
    generous = Scheme(
        "全額", "usage_fees", Decimal("0.95"), bonus_points=Decimal("0.1"), bonus_min_bodies=2
    )
    (only,) = award([Cost("x", "usage_fees", 333, joint_bodies=5)], [generous])
    assert (only.rate, only.covered_yen, only.net_yen) == (Decimal(1), 333, 0)


def test_a_yen_cap_is_shared_by_the_years_costs_in_order() -> None:
    experts = Scheme("特別交付税措置", "experts", Decimal("0.7"), cap_yen=700_000)
    awards = award(
        [
            Cost("first", "experts", 600_000),
            Cost("second", "experts", 600_000),
            Cost("third", "experts", 100_000),
        ],
        [experts],
    )
    # 420,000 then 420,000 cut to the 280,000 left, then nothing left
    assert [(a.covered_yen, a.net_yen, a.capped) for a in awards] == [
        (420_000, 180_000, False),
        (280_000, 320_000, True),
        (0, 100_000, True),
    ]


def test_a_cap_on_uses_counts_the_costs_it_covered() -> None:
    exams = Scheme("ITパスポート受験料補助", "reskilling", Decimal("0.5"), cap_uses=2)
    ledger = Ledger()
    ledger.of("ITパスポート受験料補助").uses = 1  # one exam already claimed this year
    awards = award(
        [Cost("a", "reskilling", 7_501), Cost("b", "reskilling", 7_501)], [exams], ledger
    )
    assert [(a.covered_yen, a.net_yen, a.capped) for a in awards] == [
        (3_750, 3_751, False),
        (0, 7_501, True),
    ]
    assert (ledger.of("ITパスポート受験料補助").uses, ledger.of("ITパスポート受験料補助").yen) == (
        2,
        3_750,
    )


@pytest.mark.django_db
def test_an_outside_experts_cap_runs_over_the_bodys_engagements_of_the_year(portal) -> None:
    SupportScheme.objects.update_or_create(
        name="特別交付税措置",
        fiscal_year=FY,
        defaults={"rate": Decimal("0.7"), "purpose": "experts", "cap_yen": 1_000_000},
    )
    with schema_context(portal.bodies["ichinomiya"].schema_name):
        for month, cost in ((5, 1_000_000), (7, 1_000_000)):
            AdviserEngagement.objects.create(
                role="CIO補佐監",
                adviser_name="外部 人材",
                starts_on=fy_month(month),
                ends_on=fy_month(3),
                cost_yen=cost,
            )
        engagements = list(AdviserEngagement.objects.order_by("-starts_on"))
        parts = covered_parts(engagements)
        # in start order: 700,000, then the 300,000 left of the 1,000,000 cap
        assert parts == [(Decimal("0.7000"), 300_000), (Decimal("0.7000"), 700_000)]
    with schema_context(portal.bodies["toyohashi"].schema_name):
        # another body's cap is its own
        e = AdviserEngagement(
            cost_yen=1_000_000, starts_on=fy_month(5), scheme_name="特別交付税措置"
        )
        assert covered_parts([e]) == [(Decimal("0.7000"), 700_000)]


@pytest.mark.django_db
def test_a_rate_outside_0_and_1_is_refused_by_the_database(portal) -> None:
    with pytest.raises(IntegrityError):
        SupportScheme.objects.create(name="誤り", fiscal_year=FY, rate=Decimal("1.5"))


@pytest.mark.django_db
def test_the_admin_form_refuses_unknown_categories_and_a_bonus_without_its_condition(
    portal,
) -> None:
    from django.core.exceptions import ValidationError

    bad = SupportScheme(
        name="補助",
        fiscal_year=FY,
        rate=Decimal("0.5"),
        purpose="usage_fees",
        categories=["no_such_category"],
        bonus_points=Decimal("0.1"),
    )
    with pytest.raises(ValidationError) as refused:
        bad.full_clean()
    assert set(refused.value.message_dict) == {"categories", "bonus_min_bodies"}
    SupportScheme(
        name="補助",
        fiscal_year=FY,
        rate=Decimal("0.5"),
        purpose="usage_fees",
        categories=["ai_ocr"],
        bonus_points=Decimal("0.1"),
        bonus_min_bodies=3,
    ).full_clean()
