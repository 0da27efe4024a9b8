"""The fiscal-year run in-process (the same unit code the worker runs), issuing, credit notes,
payments and the immutability of issued invoices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from apps.core.domain.calendar import next_business_day
from apps.core.domain.fiscal import fiscal_year_label
from apps.core.errors import ApplicationError
from apps.invoicing.models import BurdenShare, Invoice, InvoiceLine, IssuerSequence
from apps.invoicing.selectors import payment_state
from apps.invoicing.services.documents import (
    invoice_credit,
    invoice_issue,
    invoices_issue_all,
    payment_record,
)
from apps.invoicing.services.run import invoice_run_inline
from tests.clock import FY, TODAY

pytestmark = pytest.mark.django_db


def test_the_run_makes_burden_and_usage_drafts(portal, billing) -> None:
    run = invoice_run_inline(fiscal_year=FY)
    assert (run.status, run.invoices_created, run.problems) == ("finished", 4, [])
    burden = {i.recipient.code: i for i in Invoice.objects.filter(kind="burden")}
    assert sorted(burden) == ["230006", "232017", "232033"]
    # the three shares add up to the budget exactly
    assert sum(i.total_yen for i in burden.values()) == 12_000_000
    line = burden["232033"].lines.get()
    assert line.tax_category == "outside"
    assert line.detail["months"] == 6  # joined in October: October to March
    assert line.detail["population"] == 379_981
    assert line.detail["population_source"] == "census-2020"
    assert line.description == f"電子申請 負担金 {fiscal_year_label(FY)} (6か月分)"
    assert BurdenShare.objects.count() == 3
    usage = Invoice.objects.get(kind="usage")
    # 豊橋市 372,134 -> the 1,200,000 band; December to March = 4 months -> 400,000; + initial
    # fee 50,000; tax 10% once on 450,000
    assert [(x.description, x.amount_yen) for x in usage.lines.all()] == [
        (f"AI-OCR 利用料 {fiscal_year_label(FY)} (標準) (4か月分・月割)", 400_000),
        ("AI-OCR 初期費用", 50_000),
    ]
    assert (usage.subtotal_yen, usage.tax_yen, usage.total_yen) == (450_000, 45_000, 495_000)
    assert usage.tax_summary == [
        {"category": "standard_10", "rate": "0.10", "taxable_yen": 450_000, "tax_yen": 45_000}
    ]
    assert usage.issuer_registration_number == "T4180001234567"
    assert usage.status == "draft"
    assert usage.number == ""


def test_running_again_creates_nothing_twice(portal, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    second = invoice_run_inline(fiscal_year=FY)
    assert (second.invoices_created, second.invoices_updated, second.invoices_unchanged) == (
        0,
        0,
        4,
    )
    assert Invoice.objects.count() == 4
    assert InvoiceLine.objects.count() == 5


def test_a_changed_budget_regenerates_drafts_but_never_an_issued_invoice(portal, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    pref = Invoice.objects.get(kind="burden", recipient__code="230006")
    invoice_issue(viewer=billing["secretariat"], invoice_id=pref.pk, issue_date=TODAY)
    before = Invoice.objects.get(pk=pref.pk).total_yen
    year = billing["year"]
    year.total_cost_yen = 13_000_000
    year.save()
    run = invoice_run_inline(fiscal_year=FY)
    assert (run.invoices_updated, run.invoices_unchanged) == (2, 2)
    assert Invoice.objects.get(pk=pref.pk).total_yen == before  # issued: untouched
    assert Invoice.objects.filter(kind="burden").count() == 3


def test_issuing_numbers_are_gapless_per_issuer_and_year(portal, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    count = invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    assert count == 3
    issued = list(Invoice.objects.filter(kind="burden").order_by("sequence"))
    assert [i.number for i in issued] == [
        f"G{portal.groups['council'].pk}-{FY}-00000{n}" for n in (1, 2, 3)
    ]
    assert [i.recipient.code for i in issued] == ["230006", "232017", "232033"]
    # 30 days after issue, moved to the next bank business day when that is a holiday
    assert all(
        i.due_date == next_business_day(i.issue_date + dt.timedelta(days=30)) for i in issued
    )
    # the vendor's numbering is its own
    usage = Invoice.objects.get(kind="usage")
    invoice_issue(viewer=billing["vendor"], invoice_id=usage.pk)
    usage.refresh_from_db()
    assert usage.number == f"V{portal.vendors['a'].pk}-{FY}-000001"
    assert (
        IssuerSequence.objects.get(
            issuer_key=f"group:{portal.groups['council'].pk}", fiscal_year=FY
        ).last_number
        == 3
    )


def test_a_failed_issue_leaves_no_gap(portal, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    first = Invoice.objects.filter(kind="burden").order_by("recipient__code")[0]
    invoice_issue(viewer=billing["secretariat"], invoice_id=first.pk)
    with pytest.raises(ApplicationError) as err:
        invoice_issue(viewer=billing["secretariat"], invoice_id=first.pk)
    assert err.value.code == "invoice_not_draft"
    second = Invoice.objects.filter(kind="burden", status="draft").order_by("recipient__code")[0]
    invoice_issue(viewer=billing["secretariat"], invoice_id=second.pk)
    second.refresh_from_db()
    assert second.sequence == 2


def test_the_database_refuses_to_change_an_issued_invoice(portal, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    invoice = Invoice.objects.get(kind="usage")
    invoice_issue(viewer=billing["vendor"], invoice_id=invoice.pk)
    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(total_yen=1)
    with pytest.raises(IntegrityError, match="lines of an issued invoice"), transaction.atomic():
        InvoiceLine.objects.filter(invoice=invoice).update(amount_yen=1)
    with pytest.raises(IntegrityError, match="issued invoice"), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).delete()
    assert Invoice.objects.get(pk=invoice.pk).total_yen == 495_000


def test_a_credit_note_reverses_an_issued_invoice_and_the_next_run_drafts_a_revision(
    portal, billing
) -> None:
    invoice_run_inline(fiscal_year=FY)
    original = Invoice.objects.get(kind="usage")
    invoice_issue(viewer=billing["vendor"], invoice_id=original.pk)
    credit = invoice_credit(viewer=billing["vendor"], invoice_id=original.pk, reason="単価誤り")
    assert (credit.kind, credit.total_yen, credit.tax_yen, credit.corrects_id) == (
        "credit_note",
        -495_000,
        -45_000,
        original.pk,
    )
    assert credit.number == f"V{portal.vendors['a'].pk}-{FY}-000002"
    with pytest.raises(ApplicationError) as err:
        invoice_credit(viewer=billing["vendor"], invoice_id=original.pk, reason="again")
    assert err.value.code == "invoice_already_credited"
    run = invoice_run_inline(fiscal_year=FY)
    assert run.invoices_created == 1
    revision = Invoice.objects.get(source_key=original.source_key, revision=2)
    assert (revision.status, revision.total_yen) == ("draft", 495_000)


def test_payments_full_partial_overdue(portal, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    invoice = Invoice.objects.get(kind="usage")
    issued_on = TODAY - dt.timedelta(days=60)
    invoice_issue(viewer=billing["vendor"], invoice_id=invoice.pk, issue_date=issued_on)
    invoice.refresh_from_db()
    assert payment_state(invoice, today=issued_on + dt.timedelta(days=9)) == "unpaid"
    assert payment_state(invoice, today=issued_on + dt.timedelta(days=31)) == "overdue"
    payment_record(
        viewer=billing["vendor"],
        invoice_id=invoice.pk,
        amount_yen=95_000,
        paid_on=issued_on + dt.timedelta(days=19),
    )
    invoice.refresh_from_db()
    assert invoice.paid_yen == 95_000
    assert payment_state(invoice, today=issued_on + dt.timedelta(days=20)) == "partly_paid"
    with pytest.raises(ApplicationError) as err:
        payment_record(
            viewer=billing["vendor"],
            invoice_id=invoice.pk,
            amount_yen=400_001,
            paid_on=issued_on + dt.timedelta(days=20),
        )
    assert err.value.code == "payment_exceeds_outstanding"
    payment_record(
        viewer=billing["vendor"],
        invoice_id=invoice.pk,
        amount_yen=400_000,
        paid_on=issued_on + dt.timedelta(days=24),
    )
    invoice.refresh_from_db()
    assert payment_state(invoice, today=issued_on + dt.timedelta(days=91)) == "paid"


def test_a_body_without_a_population_figure_is_reported_not_invoiced(portal, billing) -> None:
    from apps.tenants.models import PopulationFigure

    PopulationFigure.objects.filter(body=portal.bodies["toyohashi"]).delete()
    run = invoice_run_inline(fiscal_year=FY)
    reasons = {(p["body"], p["reason"][:4]) for p in run.problems}
    assert ("232017", "電子申請") in reasons  # the council service could not be apportioned
    assert ("232017", "AI-O") in reasons  # nor the usage fee priced
    assert Invoice.objects.count() == 0
