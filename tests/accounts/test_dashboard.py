"""Each role's home lists what waits for it, with the figure and a link to the list that holds
it: the body's administrator approvals and what the body owes, staff their own applications and
seats, the vendor applications to answer and what is unpaid, the secretariat its runs and
receivables."""

from __future__ import annotations

import pytest

from apps.invoicing.models import Invoice
from apps.invoicing.services.documents import invoices_issue_all
from apps.invoicing.services.run import invoice_run_inline
from tests.clock import FY
from tests.contracts.test_contract_path import _apply
from tests.invoicing.conftest import make_billing_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing(portal):  # type: ignore[no-untyped-def]
    return make_billing_data(portal)


def _tasks(client) -> dict[str, tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    page = client.get("/")
    assert page.status_code == 200
    return {t.label: (t.value, t.href, t.urgent) for t in page.context["tasks"]}


def test_each_home_lists_what_waits_with_its_figures(portal, site_client, billing) -> None:
    council = portal.groups["council"]
    invoice_run_inline(fiscal_year=FY, group_id=council.pk)
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    invoices_issue_all(viewer=billing["vendor"], fiscal_year=FY)
    staff = site_client("ichinomiya", "ichinomiya_staff")
    status, _ = _apply(staff, billing["listing"].pk)
    assert status == 201

    admin = _tasks(site_client("ichinomiya", "ichinomiya_admin"))
    owed = Invoice.objects.get(kind="burden", recipient__code="232033").total_yen
    assert admin["承認を待っている申込"] == ("1件", "/applications/?status=submitted", True)
    assert admin["承認を待っている研修申込"] == ("0件", "/training/seats/", False)
    assert admin["未払い・未入金の合計"] == (f"{owed:,}円", "/invoices/", False)
    assert admin["支払期限を過ぎた請求書"] == ("0件", "/invoices/?payment=overdue", False)

    mine = _tasks(staff)
    assert mine["進行中のわたしの申込"][0] == "1件"
    assert mine["わたしの研修 (申込中・確定)"][0] == "0件"
    assert "承認を待っている申込" not in mine  # not the staff's to approve

    vendor = _tasks(site_client(None, "vendor_a"))
    usage = Invoice.objects.get(kind="usage").total_yen
    assert vendor["回答を待っている申込"][0] == "0件"  # the body has not approved it yet
    assert vendor["未払い・未入金の合計"][0] == f"{usage:,}円"

    secretariat = _tasks(site_client(None, "aichi_secretariat"))
    run = next(k for k in secretariat if k.startswith(f"{council.name}: "))
    assert secretariat[run][0] == "完了"
    burden = sum(i.total_yen for i in Invoice.objects.filter(kind="burden"))
    assert secretariat["未払い・未入金の合計"][0] == f"{burden:,}円"
    assert secretariat["未照合の入金"] == ("0件", "/invoicing/bank/", False)

    # every task's link opens for the person it is shown to
    for who, tasks in (
        (site_client("ichinomiya", "ichinomiya_admin"), admin),
        (site_client(None, "vendor_a"), vendor),
        (site_client(None, "aichi_secretariat"), secretariat),
    ):
        for _value, href, _urgent in tasks.values():
            assert who.get(href).status_code == 200, href
