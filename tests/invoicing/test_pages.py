"""Invoice pages, API, PDF and CSV: who sees what; the body sees what it owes; sealing."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from decimal import ROUND_FLOOR, Decimal

import pytest
from django.test import Client

from apps.core.domain.wareki import wareki_date
from apps.invoicing.models import Invoice, InvoiceRun, Payment
from apps.invoicing.pdf import font_path
from apps.invoicing.services.documents import invoices_issue_all
from apps.invoicing.services.run import invoice_run_inline
from tests.clock import FY, TODAY
from tests.contracts.test_contract_path import _json

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(portal, billing):  # type: ignore[no-untyped-def]
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    invoices_issue_all(viewer=billing["vendor"], fiscal_year=FY)
    return {i.recipient.code + ":" + i.kind: i for i in Invoice.objects.all()}


def test_each_party_sees_its_own_invoices(portal, site_client, issued) -> None:
    sec = _json(site_client(None, "aichi_secretariat"), "get", "/api/v1/invoices/")[1]
    assert sorted(r["recipient_code"] for r in sec["results"]) == ["230006", "232017", "232033"]
    ven = _json(site_client(None, "vendor_a"), "get", "/api/v1/invoices/")[1]
    assert [(r["recipient_code"], r["kind"]) for r in ven["results"]] == [("232017", "usage")]
    body = _json(site_client("toyohashi", "toyohashi_staff"), "get", "/api/v1/invoices/")[1]
    assert sorted(r["kind"] for r in body["results"]) == ["burden", "usage"]
    assert _json(site_client(None, "vendor_b"), "get", "/api/v1/invoices/")[1]["count"] == 0
    assert (
        _json(site_client(None, "hokkaido_secretariat"), "get", "/api/v1/invoices/")[1]["count"]
        == 0
    )


def test_the_body_sees_what_it_owes_and_by_when(portal, site_client, issued) -> None:
    page = site_client("toyohashi", "toyohashi_staff").get("/invoices/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "495,000円" in html
    assert wareki_date(issued["232017:usage"].due_date) in html  # 令和8年12月28日


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "expected"),
    [
        (("ichinomiya", "ichinomiya_staff"), "get", "/api/v1/invoices/{usage}/", None, 404),
        ((None, "vendor_b"), "get", "/api/v1/invoices/{usage}/", None, 404),
        (
            (None, "vendor_b"),
            "post",
            "/api/v1/invoices/{usage}/payments/",
            {"amount_yen": 1, "paid_on": TODAY.isoformat()},
            404,
        ),
        ((None, "vendor_b"), "post", "/api/v1/invoices/{usage}/credit/", {"reason": "x"}, 404),
        ((None, "hokkaido_secretariat"), "get", "/api/v1/invoices/{burden}/", None, 404),
        (
            (None, "hokkaido_secretariat"),
            "post",
            "/api/v1/invoices/{burden}/payments/",
            {"amount_yen": 1, "paid_on": TODAY.isoformat()},
            404,
        ),
        ((None, "vendor_a"), "get", "/api/v1/invoices/{burden}/", None, 404),
        (
            ("toyohashi", "toyohashi_admin"),
            "post",
            "/api/v1/invoices/{usage}/payments/",
            {"amount_yen": 1, "paid_on": TODAY.isoformat()},
            404,
        ),
        (("toyohashi", "toyohashi_staff"), "get", "/invoices/{burden_other}/", None, 404),
        ((None, "vendor_b"), "get", "/invoices/{usage}/pdf/", None, 404),
        (("ichinomiya", "ichinomiya_staff"), "get", "/invoices/{usage}/pdf/", None, 404),
        ((None, "vendor_a"), "get", "/invoicing/runs/", None, 403),
        ((None, "vendor_a"), "post", f"/api/v1/invoice-runs/{FY}/", None, 403),
        (("toyohashi", "toyohashi_admin"), "post", f"/api/v1/invoice-runs/{FY}/", None, 404),
        # the national run is the operator's; a council's run its own secretariat's
        ((None, "aichi_secretariat"), "post", f"/api/v1/invoice-runs/{FY}/", None, 403),
        ((None, "aichi_secretariat"), "get", f"/api/v1/invoice-runs/{FY}/", None, 403),
        (
            (None, "hokkaido_secretariat"),
            "post",
            f"/api/v1/groups/{{council}}/invoice-runs/{FY}/",
            None,
            404,
        ),
        ((None, "vendor_a"), "post", f"/api/v1/groups/{{council}}/invoice-runs/{FY}/", None, 403),
        ((None, "hokkaido_secretariat"), "get", "/invoicing/runs/?group={council}", None, 404),
    ],
)
def test_other_parties_are_refused_and_nothing_changes(
    portal, site_client, issued, who, method, path, body, expected
) -> None:
    ids = {
        "usage": issued["232017:usage"].pk,
        "burden": issued["232017:burden"].pk,
        "burden_other": issued["232033:burden"].pk,
        "council": portal.groups["council"].pk,
    }
    before = (
        list(Invoice.objects.order_by("pk").values_list("status", "paid_yen")),
        Payment.objects.count(),
        Invoice.objects.count(),
        InvoiceRun.objects.count(),
    )
    client = site_client(*who)
    response = getattr(client, method)(path.format(**ids), body, content_type="application/json")
    assert response.status_code == expected
    after = (
        list(Invoice.objects.order_by("pk").values_list("status", "paid_yen")),
        Payment.objects.count(),
        Invoice.objects.count(),
        InvoiceRun.objects.count(),
    )
    assert after == before


def test_the_body_cannot_see_drafts(portal, site_client, billing) -> None:
    invoice_run_inline(fiscal_year=FY)
    draft = Invoice.objects.get(kind="usage")
    client = site_client("toyohashi", "toyohashi_staff")
    assert client.get(f"/invoices/{draft.pk}/").status_code == 404
    assert _json(client, "get", "/api/v1/invoices/")[1]["count"] == 0


def test_the_pdf_is_japanese_text_not_tofu(portal, site_client, issued) -> None:
    invoice = issued["232017:usage"]
    response = site_client(None, "vendor_a").get(f"/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    # every character of the invoice is in the embedded font (no .notdef boxes)
    from fontTools.ttLib import TTFont

    cmap = TTFont(font_path(), fontNumber=0).getBestCmap()
    text = (
        f"請求書 (適格請求書) {invoice.recipient_name} 御中 登録番号 {invoice.issuer_name}"
        " 消費税 円"
    )
    assert all(ord(ch) in cmap for ch in text if not ch.isspace())
    # and the text comes back out of the PDF as written (pdftotext, Debian's poppler-utils,
    # which .ci/run installs; elsewhere the check is skipped unless CI=true)
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is missing: apt-get install poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    extracted = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        "請求書 (適格請求書)",
        "豊橋市長 様",
        "登録番号: T4180001234567",
        "495,000円",
        "消費税 (10%) 45,000円",
        invoice.number,
    ):
        assert expected in extracted


def test_csv_export_for_accounting(portal, site_client, issued) -> None:
    response = site_client(None, "aichi_secretariat").get(f"/invoices/export.csv?fiscal_year={FY}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff請求書番号,種類,年度,状態")
    rows = list(__import__("csv").reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 4
    assert {r[6] for r in rows[1:]} == {"230006", "232017", "232033"}
    assert sum(int(r[12]) for r in rows[1:]) == 12_000_000


def test_recording_a_payment_through_the_page(portal, site_client, issued) -> None:
    invoice = issued["232033:burden"]
    client = site_client(None, "aichi_secretariat")
    client.post(
        f"/invoices/{invoice.pk}/payments/",
        {"amount_yen": "1,000", "paid_on": TODAY.isoformat(), "note": "一部"},
    )
    invoice.refresh_from_db()
    assert invoice.paid_yen == 1000
    bad = client.post(
        f"/invoices/{invoice.pk}/payments/", {"amount_yen": "-5", "paid_on": TODAY.isoformat()}
    )
    assert bad.status_code == 400
    assert bad.context["payment_form"]["amount_yen"].value() == "-5"
    invoice.refresh_from_db()
    assert invoice.paid_yen == 1000


def test_why_this_amount(portal, site_client, issued) -> None:
    invoice = issued["232033:burden"]
    line = invoice.lines.get()
    page = site_client("ichinomiya", "ichinomiya_staff").get(
        f"/invoices/{invoice.pk}/lines/{line.pk}/why/"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "379,981人" in html
    # words first, in Japanese; the exact figures a click away, rounded to the yen's hundredth
    words = page.context["explain"]
    assert words["equal_pct"] == "20"
    assert words["population_pct"] == "80"
    assert "総経費 12,000,000円のうち 20% (2,400,000円) を参加する3団体で均等に分け" in html
    assert "人口が2倍の団体の負担が1.5倍" in html
    raw = Decimal(line.detail["raw_share"])
    assert f"{raw.quantize(Decimal('0.01'), rounding=ROUND_FLOOR):,}" in html
    assert line.detail["raw_share"] not in html  # no 36-digit decimals
    assert "largest remainder" not in html
    assert "Σ" not in html
    assert len(page.context["chart"].points) == 3
    assert [p.highlight for p in page.context["chart"].points].count(True) == 1
    # another member cannot open 一宮市's invoice
    assert (
        site_client("toyohashi", "toyohashi_staff")
        .get(f"/invoices/{invoice.pk}/lines/{line.pk}/why/")
        .status_code
        == 404
    )


def test_anonymous_visitors_are_sent_to_log_in(portal, issued) -> None:
    response = Client(HTTP_HOST="localhost").get("/invoices/")
    assert response.status_code == 302


def test_the_console_shows_the_run_with_its_problems(portal, site_client, billing) -> None:
    from apps.tenants.models import PopulationFigure

    PopulationFigure.objects.filter(body=portal.bodies["toyohashi"]).delete()
    council = portal.groups["council"]
    invoice_run_inline(fiscal_year=FY, group_id=council.pk)
    page = site_client(None, "aichi_secretariat").get(
        f"/invoicing/runs/?fiscal_year={FY}&group={council.pk}"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="run-bar" style="width:100%"' in html
    assert "請求書を作成できなかった団体" in html
    assert "232017 豊橋市: 電子申請: 「令和2年国勢調査 (速報)」の人口が登録されていないため" in html
    api = _json(
        site_client(None, "aichi_secretariat"),
        "get",
        f"/api/v1/groups/{council.pk}/invoice-runs/{FY}/",
    )
    assert api[0] == 200
    assert (api[1]["status"], api[1]["units_done"], api[1]["units_total"]) == ("finished", 1, 1)


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [
        (2_271_240, ["0円", "100万円", "200万円", "300万円"]),
        (9_000_000, ["0円", "500万円", "1,000万円"]),
        (123_456_789, ["0円", "5,000万円", "1億円", "1.5億円"]),
        (7, ["0円", "2円", "4円", "6円", "8円"]),
    ],
)
def test_chart_ticks_fall_on_round_values(highest: int, ticks: list[str]) -> None:
    from apps.invoicing.charts import share_chart

    chart = share_chart([("1", "a", 1_000, highest), ("2", "b", 100_000, 1)], "1")
    assert [label for _, label in chart.y_ticks] == ticks
