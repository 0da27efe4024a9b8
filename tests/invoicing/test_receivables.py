"""Receivables that add up after a credit note and a reissue (豊橋市's sequence): the cancelled
invoice and the credit note are never payable nor in the unpaid or overdue lists; issued −
credited − paid = outstanding, on the page, in the CSV and by age."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from apps.core.errors import ApplicationError
from apps.invoicing.models import Invoice, Payment
from apps.invoicing.selectors import ageing, invoice_list, receivables
from apps.invoicing.services.documents import (
    invoice_credit,
    invoice_issue,
    invoices_issue_all,
    payment_record,
)
from apps.invoicing.services.run import invoice_run_inline
from tests.clock import FY, TODAY
from tests.contracts.test_contract_path import _json

pytestmark = pytest.mark.django_db


def test_a_credited_and_reissued_invoice_counts_once(portal, site_client, billing) -> None:
    secretariat = billing["secretariat"]
    invoice_run_inline(fiscal_year=FY)
    issued_on = TODAY - dt.timedelta(days=45)  # due 30 days later: 15 days overdue today
    invoices_issue_all(viewer=secretariat, fiscal_year=FY, issue_date=issued_on)
    original = Invoice.objects.get(kind="burden", recipient__code="232017", revision=1)
    # 豊橋市's invoice is reversed by a credit note and the next run drafts revision 2
    credit = invoice_credit(viewer=secretariat, invoice_id=original.pk, reason="人口の誤り")
    invoice_run_inline(fiscal_year=FY)
    reissued = Invoice.objects.get(kind="burden", recipient__code="232017", revision=2)
    invoice_issue(viewer=secretariat, invoice_id=reissued.pk, issue_date=TODAY)
    reissued.refresh_from_db()
    # a partial payment of the reissued one; none can be recorded on the cancelled one
    payment_record(viewer=secretariat, invoice_id=reissued.pk, amount_yen=1_000, paid_on=TODAY)
    for target, code in ((original, "invoice_cancelled"), (credit, "credit_note_not_payable")):
        with pytest.raises(ApplicationError) as err:
            payment_record(viewer=secretariat, invoice_id=target.pk, amount_yen=1, paid_on=TODAY)
        assert err.value.code == code
    assert Payment.objects.count() == 1

    others = {
        i.recipient.code: i.total_yen
        for i in Invoice.objects.filter(kind="burden", revision=1).exclude(pk=original.pk)
    }
    # by hand: issued = the three first invoices + the reissue; credited = the reversed one
    issued = sum(others.values()) + original.total_yen + reissued.total_yen
    expected_outstanding = sum(others.values()) + reissued.total_yen - 1_000
    totals = receivables(viewer=secretariat, fiscal_year=FY)
    assert (totals.issued_yen, totals.credited_yen, totals.paid_yen) == (
        issued,
        original.total_yen,
        1_000,
    )
    assert totals.outstanding_yen == expected_outstanding

    states = {i.pk: i.payment_state_now for i in invoice_list(viewer=secretariat, fiscal_year=FY)}
    assert (states[original.pk], states[credit.pk], states[reissued.pk]) == (
        "cancelled",
        "credit",
        "partly_paid",
    )
    unpaid = invoice_list(viewer=secretariat, payment="overdue") | invoice_list(
        viewer=secretariat, payment="unpaid"
    )
    assert original.pk not in {i.pk for i in unpaid}
    assert credit.pk not in {i.pk for i in unpaid}

    # by age: the two other members 15 days overdue, 豊橋市's reissue not yet due
    rows = {r["key"]: r for r in ageing(viewer=secretariat, by="recipient")}
    assert rows["232017"]["not_due"] == reissued.total_yen - 1_000
    assert rows["232017"]["d1_30"] == 0
    for code, total in others.items():
        assert rows[code]["d1_30"] == total
    assert sum(r["total"] for r in rows.values()) == expected_outstanding

    # the page, the CSV and the API say the same
    page = site_client(None, "aichi_secretariat").get(f"/invoices/?fiscal_year={FY}")
    assert (
        f'data-testid="outstanding"><strong>{expected_outstanding:,}円</strong>'
        in page.content.decode()
    )
    text = b"".join(
        site_client(None, "aichi_secretariat")
        .get(f"/invoices/export.csv?fiscal_year={FY}")
        .streaming_content
    ).decode()
    rows_csv = {r[0]: r for r in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert (rows_csv[original.number][14], rows_csv[original.number][15]) == (
        "0",
        "取消済み (赤伝)",
    )
    assert rows_csv[credit.number][14] == "0"
    assert rows_csv[reissued.number][14] == str(reissued.total_yen - 1_000)
    api = _json(site_client(None, "aichi_secretariat"), "get", f"/api/v1/invoices/{original.pk}/")
    assert (api[1]["payment_state"], api[1]["outstanding_yen"]) == ("cancelled", 0)


@pytest.mark.parametrize(
    ("amount", "paid_on", "code", "field"),
    [
        (-1, 0, "payment_negative", "amount_yen"),
        (0, 0, "payment_zero", "amount_yen"),
        (10**9, 0, "payment_exceeds_outstanding", "amount_yen"),
        (1, 1, "payment_date_in_future", "paid_on"),
        (1, -60, "payment_date_before_issue", "paid_on"),
    ],
)
def test_each_refused_payment_has_its_own_code(
    portal, site_client, billing, amount, paid_on, code, field
) -> None:
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    invoice = Invoice.objects.get(kind="burden", recipient__code="232033")
    status, body = _json(
        site_client(None, "aichi_secretariat"),
        "post",
        f"/api/v1/invoices/{invoice.pk}/payments/",
        {"amount_yen": amount, "paid_on": (TODAY + dt.timedelta(days=paid_on)).isoformat()},
    )
    assert (status, body["error"]["code"], list(body["error"]["fields"])) == (400, code, [field])
    assert Payment.objects.count() == 0
    invoice.refresh_from_db()
    assert invoice.paid_yen == 0


def test_a_wrong_payment_is_reversed_never_edited(portal, site_client, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    invoice = Invoice.objects.get(kind="burden", recipient__code="232033")
    client = site_client(None, "aichi_secretariat")
    url = f"/api/v1/invoices/{invoice.pk}/payments/"
    _, wrong = _json(client, "post", url, {"amount_yen": 5_000, "paid_on": TODAY.isoformat()})
    invoice.refresh_from_db()
    assert invoice.paid_yen == 5_000
    # the reason is required; another council's secretariat cannot see the payment
    code, error = _json(client, "post", f"{url}{wrong['id']}/reverse/", {"reason": ""})
    assert code == 400
    other = site_client(None, "hokkaido_secretariat")
    assert _json(other, "post", f"{url}{wrong['id']}/reverse/", {"reason": "x"})[0] == 404
    code, reversal = _json(client, "post", f"{url}{wrong['id']}/reverse/", {"reason": "二重入力"})
    assert code == 201
    assert (reversal["amount_yen"], reversal["reverses_id"], reversal["reason"]) == (
        -5_000,
        wrong["id"],
        "二重入力",
    )
    invoice.refresh_from_db()
    assert invoice.paid_yen == 0
    original = Payment.objects.get(pk=wrong["id"])
    assert (original.amount_yen, original.paid_on) == (5_000, TODAY)  # untouched
    # neither the payment again nor the reversal itself can be reversed
    code, error = _json(client, "post", f"{url}{wrong['id']}/reverse/", {"reason": "again"})
    assert (code, error["error"]["code"]) == (409, "payment_already_reversed")
    code, error = _json(client, "post", f"{url}{reversal['id']}/reverse/", {"reason": "again"})
    assert (code, error["error"]["code"]) == (400, "payment_is_a_reversal")
    assert Payment.objects.count() == 2
    # the page offers the correction with a confirmation, and records it the same way
    right = payment_record(
        viewer=billing["secretariat"], invoice_id=invoice.pk, amount_yen=1_000, paid_on=TODAY
    )
    page = client.get(f"/invoices/{invoice.pk}/")
    assert f"/invoices/{invoice.pk}/payments/{right.pk}/reverse/" in page.content.decode()
    client.post(f"/invoices/{invoice.pk}/payments/{right.pk}/reverse/", {"reason": "誤入金"})
    invoice.refresh_from_db()
    assert invoice.paid_yen == 0
