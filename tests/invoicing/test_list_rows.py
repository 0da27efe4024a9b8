"""The invoice and contract lists write their rows in Python (the template loop was most of
each page's time): each row says what the template said, from the same rules (the invoice's
outstanding amount and payment state), and every value is escaped."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.backends import CSRF_SLOT
from apps.accounts.models import User
from apps.accounts.templatetags.humanize_ja import wareki
from apps.accounts.viewer import Viewer
from apps.catalog.models import Listing
from apps.contracts.models import Contract, ContractTerm, ListVersion
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
from apps.vendors.models import Vendor
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


def _outstanding(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get("/invoices/").content.decode()
    return html.split('data-testid="outstanding"><strong>')[1].split("</strong>")[0]


def test_the_kept_listing_never_shows_an_old_invoice(portal, site_client, billing) -> None:
    """The listing is kept in Redis under the fingerprint of the viewer's invoices: each kind
    of write, signals or not, shows on the next request; nothing changed costs no row query."""
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    burden = Invoice.objects.get(kind="burden", recipient__code="232017")
    client = site_client("toyohashi", "toyohashi_admin")
    assert _outstanding(client) == f"{burden.total_yen:,}円"

    with schema_context("ichinomiya"):  # the connection's path is another body's
        User.objects.exists()
    with CaptureQueriesContext(connection) as kept:
        assert _outstanding(client) == f"{burden.total_yen:,}円"
    assert [q["sql"][:10] for q in kept] == ["SELECT cou"]  # the fingerprint only, no SET

    # a queryset update sends no signal, twice in one transaction
    Invoice.objects.filter(pk=burden.pk).update(paid_yen=1_000)
    assert _outstanding(client) == f"{burden.total_yen - 1_000:,}円"
    Invoice.objects.filter(pk=burden.pk).update(paid_yen=2_000)
    assert _outstanding(client) == f"{burden.total_yen - 2_000:,}円"
    # a credit note: a new row of the same body
    invoice_credit(viewer=billing["secretariat"], invoice_id=burden.pk, reason="誤り")
    assert _outstanding(client) == "-2,000円"  # issued − credited − paid: 2,000 to pay back
    # another body's invoices are another fingerprint, and another body's page
    other = site_client("ichinomiya", "ichinomiya_admin")
    mine = Invoice.objects.get(kind="burden", recipient__code="232033")
    assert _outstanding(other) == f"{mine.total_yen:,}円"


def test_the_kept_listing_moves_with_the_day(portal, site_client, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    burden = Invoice.objects.get(kind="burden", recipient__code="232017")
    client = site_client("toyohashi", "toyohashi_admin")
    due = dt.datetime.combine(burden.due_date, dt.time(12), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(due, tick=False):
        assert 'data-testid="payment-state">未入金<' in client.get("/invoices/").content.decode()
    with time_machine.travel(due + dt.timedelta(days=1), tick=False):
        assert (
            'data-testid="payment-state">支払期限超過<' in client.get("/invoices/").content.decode()
        )


@pytest.mark.parametrize(
    ("site", "user", "path", "field", "good", "label"),
    [
        ("toyohashi", "toyohashi_admin", "/invoices/", "payment", "overdue", "入金状況"),
        (None, "vendor_a", "/contracts/", "status", "active", "状態"),
    ],
)
def test_a_bad_filter_is_never_kept_and_a_kept_list_needs_no_form(
    portal, site_client, billing, monkeypatch, site, user, path, field, good, label
) -> None:  # type: ignore[no-untyped-def]
    """The filters are kept with the list, for queries that passed them only (their checks
    depend on the query and the day alone), so a kept list builds no filter form; a refused
    query is refused every time, with the error summary."""
    from apps.contracts import views as contract_views
    from apps.invoicing import views as invoice_views

    views, name, kept = {
        "/invoices/": (invoice_views, "InvoiceFilter", "invoice-page"),
        "/contracts/": (contract_views, "ContractFilter", "contract-page"),
    }[path]
    client = site_client(site, user)
    for _ in range(2):
        response = client.get(path, {field: "someday"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "入力内容を確認してください" in html
        assert f"{label}: 正しく選択してください。 someday は候補にありません。" in html
    assert _kept(kept) == []

    built = []
    real = getattr(views, name)
    monkeypatch.setattr(
        views, name, lambda data, **kwargs: built.append(data) or real(data, **kwargs)
    )
    for _ in range(2):
        response = client.get(path, {field: good})
        assert response.status_code == 200
        assert f'<option value="{good}" selected>' in response.content.decode()
    assert len(built) == 1  # the second request was served from what was kept
    assert len(_kept(kept)) == 1


def _kept(name: str) -> list[str]:
    from django.core.cache import cache

    client = cache._cache.get_client()  # type: ignore[attr-defined]
    return [k.decode() for k in client.keys(f"*:tenants:{name}:*")]


def _contract_cells(client) -> list[str]:  # type: ignore[no-untyped-def]
    html = client.get("/contracts/").content.decode()
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>.*?</td>", _rows(html)[0])]


def test_the_kept_contract_list_never_shows_an_old_row(portal, site_client, billing) -> None:
    """Kept in Redis under the version of what its rows show: a contract's status, a new
    term, a service's or vendor's new name, a body's new name each show on the next request,
    however they were written; nothing changed costs one query."""
    contract = billing["contract"]
    vendor = site_client(None, "vendor_a")
    cells = _contract_cells(vendor)
    assert cells[1:3] == [contract.listing.name, contract.vendor.name]

    with CaptureQueriesContext(connection) as kept:
        assert _contract_cells(vendor) == cells
    assert [q["sql"][:10] for q in kept if not q["sql"].startswith("SET ")] == [
        "SELECT 've"
    ]  # the list's version only

    Contract.objects.filter(pk=contract.pk).update(status="ended")  # no signal
    assert _contract_cells(vendor)[5] == "終了"
    term = contract.terms.order_by("pk").first()
    ContractTerm.objects.filter(pk=term.pk).update(fiscal_year=term.fiscal_year + 1)
    assert _contract_cells(vendor)[4] == fiscal_year_label(term.fiscal_year + 1)
    Listing.objects.filter(pk=contract.listing_id).update(name="新しい名前")
    assert _contract_cells(vendor)[1] == "新しい名前"
    Vendor.objects.filter(pk=contract.vendor_id).update(name="新社名株式会社")
    assert _contract_cells(vendor)[2] == "新社名株式会社"
    body = contract.body
    body.name = "新豊橋市"
    body.save()  # the bodies' version
    assert _contract_cells(vendor)[0] == "新豊橋市"
    # the body sees the same contract in its own list
    assert _contract_cells(site_client("toyohashi", "toyohashi_staff"))[0] == "新豊橋市"


def _versions() -> dict[str, int]:
    return dict(ListVersion.objects.values_list("scope", "version"))


def test_the_triggers_version_every_write_and_only_its_scopes(portal, site_client, billing) -> None:
    """Triggers in PostgreSQL set the version of each list a write touches, however the write
    was made (raw SQL included) and twice in one transaction; nothing else's list moves, a
    save that renames nothing moves none, and two vendors never share a kept list."""
    contract = billing["contract"]
    mine = (f"vendor:{contract.vendor_id}", f"body:{contract.body_id}")
    other = site_client(None, "vendor_b")
    assert "契約はありません。" in other.get("/contracts/").content.decode()
    vendor = site_client(None, "vendor_a")
    assert len(_rows(vendor.get("/contracts/").content.decode())) == 1

    def moved(write) -> set[str]:  # type: ignore[no-untyped-def]
        before = _versions()
        write()
        after = _versions()
        return {scope for scope in after if after[scope] != before.get(scope)}

    def raw(sql: str, *params: object):  # type: ignore[no-untyped-def]
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

        return run

    term = contract.terms.get()
    assert moved(raw("UPDATE contracts_contract SET plan = 'x' WHERE id = %s", contract.pk)) == {
        *mine
    }
    assert moved(
        raw(
            "INSERT INTO contracts_contractterm (contract_id, fiscal_year, fee_schedule_id)"
            " VALUES (%s, %s, %s)",
            contract.pk,
            FY + 1,
            term.fee_schedule_id,
        )
    ) == {*mine}
    assert len(_contract_cells(vendor)[4].split(", ")) == 2  # the new term shows at once
    assert moved(
        raw(
            "DELETE FROM contracts_contractterm WHERE contract_id = %s AND fiscal_year = %s",
            contract.pk,
            FY + 1,
        )
    ) == {*mine}
    assert _contract_cells(vendor)[4] == fiscal_year_label(FY)
    listing = Listing.objects.get(pk=contract.listing_id)
    assert moved(listing.save) == set()  # saved, not renamed
    assert moved(lambda: Vendor.objects.filter(pk=contract.vendor_id).update(address="x")) == set()
    assert moved(lambda: Listing.objects.filter(pk=listing.pk).update(name="改名後")) == {*mine}

    def twice() -> None:
        with transaction.atomic():
            Contract.objects.filter(pk=contract.pk).update(status="ending")
            Contract.objects.filter(pk=contract.pk).update(status="ended")

    assert moved(twice) == {*mine}
    assert _contract_cells(vendor)[5] == "終了"
    assert (
        "契約はありません。" in other.get("/contracts/").content.decode()
    )  # never vendor A's list
    assert moved(lambda: ContractTerm.objects.filter(contract=contract).delete()) == {*mine}
    assert moved(lambda: Contract.objects.filter(pk=contract.pk).delete()) == {*mine}
    assert "契約はありません。" in vendor.get("/contracts/").content.decode()


@pytest.mark.parametrize(
    ("site", "user", "path"),
    [("toyohashi", "toyohashi_staff", "/invoices/"), (None, "vendor_a", "/contracts/")],
)
def test_a_kept_list_takes_two_round_trips_to_redis(
    portal, site_client, billing, commands, site, user, path
) -> None:  # type: ignore[no-untyped-def]
    """The kept list's entry is named by the viewer and the query, so it is read ahead with
    the session's user; its rows' version is checked inside the entry."""
    client = site_client(site, user)
    first = _rows(client.get(path).content.decode())
    commands.clear()
    again = client.get(path)
    assert again.status_code == 200
    assert _rows(again.content.decode()) == first
    assert commands == ["MGET", "MGET"]  # the host and the session; the user and the list


def _token(html: str) -> str:
    return html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_a_kept_page_is_each_sessions_and_shows_the_viewers_news(
    portal, site_client, billing
) -> None:  # type: ignore[no-untyped-def]
    """The whole invoice page is kept for the viewer: another session of the same user is
    served it with its own CSRF token, which its own POST passes; a message to show renders
    the page afresh, once; a new name of the viewer shows in the layout on the next request."""
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    admin = portal.users["toyohashi_admin"]
    one, two = (Client(HTTP_HOST=portal.host("toyohashi"), enforce_csrf_checks=True) for _ in "12")
    with schema_context("toyohashi"):
        one.force_login(admin)
        two.force_login(admin)
    first = one.get("/invoices/").content.decode()
    with CaptureQueriesContext(connection) as kept:
        second = two.get("/invoices/").content.decode()
    assert [q["sql"][:10] for q in kept if not q["sql"].startswith("SET ")] == ["SELECT cou"]
    assert "\x00" not in second
    assert _rows(second) == _rows(first)
    token = _token(second)
    assert token not in (_token(first), CSRF_SLOT)
    logout = reverse("accounts:logout")
    assert two.post(logout, {"csrfmiddlewaretoken": _token(first)}).status_code == 403
    assert two.post(logout, {"csrfmiddlewaretoken": token}).status_code == 302

    secretariat = site_client(None, "aichi_secretariat")
    secretariat.get("/invoices/")  # kept
    invoice_run_inline(fiscal_year=FY + 1)
    done = secretariat.post("/invoices/issue-all/", {"fiscal_year": FY + 1}, follow=True)
    assert "件を発行しました。" in done.content.decode()
    assert "件を発行しました。" not in secretariat.get("/invoices/").content.decode()

    with schema_context("toyohashi"):
        admin.full_name = "豊橋 新名"
        admin.save()
    assert "豊橋 新名" in one.get("/invoices/").content.decode()

    vendor = site_client(None, "vendor_a")  # the contract page is kept the same way
    assert _rows(vendor.get("/contracts/").content.decode())
    user = portal.users["vendor_a"]
    user.full_name = "ベンダー 新名"
    user.save()
    page = vendor.get("/contracts/").content.decode()
    assert "ベンダー 新名" in page
    assert _token(page) != CSRF_SLOT
