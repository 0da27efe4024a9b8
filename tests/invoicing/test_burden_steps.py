"""The burden unit's three steps on their own: plan (read), compute (no writes), persist."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.invoicing.models import BurdenShare, Invoice, InvoiceRun
from apps.invoicing.services.run import burden_compute, burden_persist, burden_plan
from apps.tenants.models import PopulationFigure
from tests.clock import FY

pytestmark = pytest.mark.django_db


def _plan(portal):  # type: ignore[no-untyped-def]
    bodies = [portal.bodies[s] for s in ("aichi-pref", "ichinomiya", "toyohashi")]
    return burden_plan(FY, portal.groups["council"].pk, [b.pk for b in bodies])


def test_the_plan_reads_the_council_in_a_fixed_number_of_queries(portal, billing) -> None:
    with CaptureQueriesContext(connection) as one:
        burden_plan(FY, portal.groups["council"].pk, [portal.bodies["ichinomiya"].pk])
    with CaptureQueriesContext(connection) as queries:
        plan = _plan(portal)
    assert [y.service.name for y in plan.years] == ["電子申請"]
    assert sorted(p.code for p in plan.parts_by_year[plan.years[0].pk]) == [
        "230006",
        "232017",
        "232033",
    ]
    assert plan.frozen == set()
    assert len(queries) == len(one)  # the same for one member of the chunk or three


def test_compute_writes_nothing_and_the_shares_add_up(portal, billing) -> None:
    plan = _plan(portal)
    computed = burden_compute(plan)
    assert (Invoice.objects.count(), BurdenShare.objects.count()) == (0, 0)
    assert computed.problems == []
    assert sum(line.amount_yen for lines in computed.lines.values() for line in lines) == (
        12_000_000
    )
    assert len(computed.shares) == 3


def test_compute_reports_only_the_member_without_a_population(portal, billing) -> None:
    PopulationFigure.objects.filter(body=portal.bodies["toyohashi"]).delete()
    computed = burden_compute(_plan(portal))
    assert [p["body"] for p in computed.problems] == ["232017"]
    assert computed.problems[0]["reason"].startswith("電子申請: 「令和2年国勢調査 (速報)」の人口が")
    assert dict(computed.lines) == {}


def test_persist_stores_one_invoice_per_member_and_the_shares(portal, billing) -> None:
    plan = _plan(portal)
    run = InvoiceRun.objects.create(fiscal_year=FY)
    saved = burden_persist(run, plan, burden_compute(plan))
    assert (saved.created, saved.updated, saved.unchanged) == (3, 0, 0)
    assert Invoice.objects.filter(kind="burden").count() == 3
    assert BurdenShare.objects.count() == 3


def test_the_pdf_explains_a_burden_line_in_one_sentence() -> None:
    from apps.invoicing.pdf import apportionment_note

    detail = {
        "method": "population",
        "equal_part": "0.2000",
        "doubling_factor": "1.5000",
        "population": 379_981,
        "population_source": "census-2020",
        "population_reference_date": "2020-10-01",
        "total_cost_yen": 12_000_000,
        "members": 3,
        "months": 6,
    }
    # every internal code has its human label, dates are 和暦, rates are percentages
    assert apportionment_note(detail) == (
        "按分: 総経費 12,000,000円 を 3団体で均等割 20% ／ 人口割 80% "
        "(人口が2倍なら負担は1.5倍)。"
        "人口 379,981人 (令和2年国勢調査 (速報)、令和2年10月1日現在)、6か月分。"
    )
    usage = {**detail, "method": "usage", "population": None, "usage_count": 12}
    assert apportionment_note(usage).endswith("3団体で利用件数割。利用件数 12件、6か月分。")
