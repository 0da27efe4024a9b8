"""The invoice and contract lists write their rows in Python (the template loop was most of
each page's time): each row says what the template said, from the same rules (the invoice's
outstanding amount and payment state), and every value is escaped."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from apps.accounts.templatetags.humanize_ja import wareki
from apps.accounts.viewer import Viewer
from apps.catalog.models import Listing
from apps.core.domain.wareki import fiscal_year_label, wareki_month
from apps.invoicing.models import Invoice
from apps.invoicing.selectors import (
    PAYMENT_STATES,
    cancelled_expression,
    invoice_list,
    payment_state,
    payment_state_q,
    still_owed_q,
)
from apps.invoicing.services.documents import invoice_credit, invoices_issue_all
from apps.invoicing.services.run import invoice_run_inline
from tests.clock import FY

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>")[-1].split("</tbody>")[0]
    return re.findall(r"<tr>.*?</tr>", body)


def _invoice_row(invoice: Invoice, *, to_body: bool) -> str:
    """The row as the template wrote it, from the Invoice's own properties."""
    href = reverse("invoice-detail", args=[invoice.pk])
    party = invoice.issuer_name if to_body else invoice.recipient_name
    code = "" if to_body else f' <span class="muted">{invoice.recipient.code}</span>'
    outstanding = f"{invoice.outstanding_yen:,}円" if invoice.status == "issued" else ""
    state = payment_state(invoice)
    badge = (
        '<span class="badge">下書き</span>'
        if invoice.status == "draft"
        else f'<span class="badge state-{state}" data-testid="payment-state">'
        f"{PAYMENT_STATES[state]}</span>"
    )
    return (
        f'<tr><td><a href="{href}">{invoice.number or "(下書き)"}</a></td>'
        f"<td>{fiscal_year_label(invoice.fiscal_year)}</td><td>{invoice.get_kind_display()}</td>"
        f'<td><a href="{href}">{party}</a>{code}</td><td class="num">{invoice.total_yen:,}円</td>'
        f'<td class="num">{outstanding}</td><td>{wareki(invoice.due_date)}</td>'
        f"<td>{badge}</td></tr>"
    )


def test_invoice_rows_say_what_the_invoices_say(portal, site_client, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    burden = Invoice.objects.get(kind="burden", recipient__code="232017")
    invoice_credit(viewer=billing["secretariat"], invoice_id=burden.pk, reason="人口の誤り")
    secretariat = Viewer(user=portal.users["aichi_secretariat"], body=None)
    listed = list(invoice_list(viewer=secretariat))  # drafts, issued, the credit note

    page = site_client(None, "aichi_secretariat").get("/invoices/")
    assert page.status_code == 200
    assert _rows(page.content.decode()) == [_invoice_row(i, to_body=False) for i in listed]
    states = {i.number: payment_state(i) for i in listed if i.number}
    assert states[burden.number] == "cancelled"
    assert "credit" in states.values()

    staff = site_client("toyohashi", "toyohashi_staff").get("/invoices/")
    body_staff = Viewer(user=portal.users["toyohashi_staff"], body=burden.recipient)
    mine = list(invoice_list(viewer=body_staff))
    assert len(mine) == 2  # the cancelled burden charge and its credit note; no draft
    assert _rows(staff.content.decode()) == [_invoice_row(i, to_body=True) for i in mine]
    assert [i.outstanding_yen for i in mine] == [0, 0]


def test_contract_rows_say_what_the_contract_says(portal, site_client, billing) -> None:
    contract = billing["contract"]
    Listing.objects.filter(pk=contract.listing_id).update(name="<b>窓口&AI</b>")
    page = site_client(None, "vendor_a").get("/contracts/")
    assert page.status_code == 200
    years = ", ".join(fiscal_year_label(t.fiscal_year) for t in contract.terms.order_by("pk"))
    assert _rows(page.content.decode()) == [
        f"<tr><td>{contract.body.name}</td>"
        f'<td><a href="{reverse("contract-detail", args=[contract.pk])}">'
        "&lt;b&gt;窓口&amp;AI&lt;/b&gt;</a></td>"
        f"<td>{contract.vendor.name}</td><td>{wareki_month(contract.start_month)}</td>"
        f"<td>{years}</td>"
        f'<td><span class="badge" data-testid="contract-status">'
        f"{contract.get_status_display()}</span></td></tr>"
    ]
    # another vendor sees no row, and the empty list says so
    other = site_client(None, "vendor_b").get("/contracts/").content.decode()
    assert _rows(other) == ['<tr><td colspan="6" class="muted">契約はありません。</td></tr>']


def test_still_owed_is_the_three_open_states(portal, billing) -> None:
    """The ageing's one condition picks exactly the overdue, partly paid and unpaid invoices,
    whatever the day: before, on and after the due date, with nothing, part or all paid."""
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    issued = list(Invoice.objects.filter(status="issued").order_by("pk"))
    assert len(issued) == 3
    Invoice.objects.filter(pk=issued[1].pk).update(paid_yen=issued[1].total_yen // 2)
    Invoice.objects.filter(pk=issued[2].pk).update(paid_yen=issued[2].total_yen)
    invoice_credit(viewer=billing["secretariat"], invoice_id=issued[0].pk, reason="誤り")
    due = issued[0].due_date
    seen = set()
    for today in (due - dt.timedelta(days=1), due, due + dt.timedelta(days=1)):
        annotated = Invoice.objects.annotate(is_cancelled=cancelled_expression())
        one = set(annotated.filter(still_owed_q(today)).values_list("pk", flat=True))
        three = set(
            annotated.filter(
                payment_state_q("overdue", today)
                | payment_state_q("partly_paid", today)
                | payment_state_q("unpaid", today)
            ).values_list("pk", flat=True)
        )
        assert one == three
        seen |= one
    assert seen == {issued[1].pk}  # the cancelled one, the paid one and the credit note never
