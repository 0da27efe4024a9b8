"""The official 請求書: the issuer's details (edited by the secretariat for its council and by
the vendor for itself, checked against the 全銀協 bank list) frozen into an invoice when it is
issued; 和暦 dates; the due date moved past weekends and holidays; every field of a burden
invoice and of a qualified invoice in the PDF's text; a long invoice continues on page two."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.db import IntegrityError, transaction

from apps.core.domain.calendar import next_business_day
from apps.core.domain.wareki import fiscal_year_label, wareki_date
from apps.invoicing.models import Invoice, InvoiceLine
from apps.invoicing.services.documents import invoice_issue, invoices_issue_all
from apps.invoicing.services.run import invoice_run_inline
from tests.clock import FY, TODAY
from tests.contracts.test_contract_path import _json

pytestmark = pytest.mark.django_db

COUNCIL_PROFILE = {
    "postal_code": "4608501",
    "address": "愛知県名古屋市中区三の丸三丁目1番2号",
    "representative": "会長 一宮市長 中野 正康",
    "contact": "事務局 052-954-0000",
    "bank_code": "0005",  # 三菱ＵＦＪ
    "branch_code": "150",
    "account_type": "1",
    "account_number": "1234567",
    "account_holder_kana": "ｱｲﾁﾃﾞﾝｼｼﾞﾁﾀｲｷﾖｳｷﾞｶｲ",
}


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext (Debian's poppler-utils, which .ci/run installs) reads
    it; skipped where it is missing, unless in CI."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is missing: apt-get install poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def _put_profile(client, issuer: str, **changes: str):  # type: ignore[no-untyped-def]
    return _json(
        client, "put", "/api/v1/issuers/profile/", {"issuer": issuer, **COUNCIL_PROFILE, **changes}
    )


def test_bank_details_are_checked_against_the_zengin_list(portal, site_client) -> None:
    client = site_client(None, "aichi_secretariat")
    issuer = f"group:{portal.groups['council'].pk}"
    for changes, code, field in (
        ({"bank_code": "0003"}, "unknown_bank", "bank_code"),
        ({"branch_code": "998"}, "unknown_branch", "branch_code"),
        ({"account_holder_kana": "愛知協議会"}, "invalid_account_holder", "account_holder_kana"),
    ):
        status, body = _put_profile(client, issuer, **changes)
        assert (status, body["error"]["code"], list(body["error"]["fields"])) == (
            400,
            code,
            [field],
        )
    status, body = _put_profile(client, issuer, postal_code="46085")
    assert (status, list(body["error"]["fields"])) == (400, ["postal_code"])
    status, body = _put_profile(client, issuer, account_number="42")
    assert status == 200, body
    assert (body["bank_name"], body["branch_name"], body["account_number"]) == (
        "三菱ＵＦＪ",
        "名古屋営業部",
        "0000042",
    )
    assert body["postal_code"] == "460-8501"
    assert body["account_holder_kana"] == "アイチデンシジチタイキヨウギカイ"
    # another council's secretariat, a vendor for the council, a body: refused, nothing saved
    other = site_client(None, "hokkaido_secretariat")
    assert _put_profile(other, issuer)[0] == 404
    assert _put_profile(site_client(None, "vendor_a"), issuer)[0] == 404
    assert _put_profile(site_client("toyohashi", "toyohashi_admin"), issuer)[0] == 404
    status, mine = _json(other, "get", "/api/v1/issuers/")
    assert [i["profile"] for i in mine] == [None]


def test_issued_invoices_keep_the_details_they_were_issued_with(portal, site_client, billing):
    client = site_client(None, "aichi_secretariat")
    issuer = f"group:{portal.groups['council'].pk}"
    assert _put_profile(client, issuer)[0] == 200
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    invoice = Invoice.objects.get(kind="burden", recipient__code="232017")
    assert invoice.issuer_details["bank"]["number"] == "1234567"
    assert _put_profile(client, issuer, account_number="7654321")[0] == 200
    invoice.refresh_from_db()
    assert invoice.issuer_details["bank"]["number"] == "1234567"
    # and the database itself refuses to change them
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(issuer_details={})


def test_the_due_date_moves_past_weekends_and_holidays(portal, billing) -> None:
    # an issue day within the last two months whose 30th day after falls on a Saturday
    issued_on = next(
        TODAY - dt.timedelta(days=n)
        for n in range(1, 60)
        if (TODAY - dt.timedelta(days=n) + dt.timedelta(days=30)).weekday() == 5
    )
    invoice_run_inline(fiscal_year=FY)
    invoice = Invoice.objects.filter(kind="burden").first()
    assert invoice is not None
    invoice_issue(viewer=billing["secretariat"], invoice_id=invoice.pk, issue_date=issued_on)
    invoice.refresh_from_db()
    saturday = issued_on + dt.timedelta(days=30)
    assert invoice.due_date == next_business_day(saturday)
    assert invoice.due_date.weekday() < 5
    assert invoice.due_date >= saturday + dt.timedelta(days=2)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-11-27", "2026-11-27"),  # a Friday
        ("2026-11-28", "2026-11-30"),  # Saturday -> Monday
        ("2026-11-23", "2026-11-24"),  # 勤労感謝の日 (Monday)
        ("2026-12-31", "2027-01-04"),  # the banks' year-end closing, 元日, then Monday
        ("2027-05-03", "2027-05-06"),  # 憲法記念日, みどりの日, こどもの日
        ("2026-09-21", "2026-09-24"),  # 敬老の日, 国民の休日, 秋分の日 (Mon-Wed)
    ],
)
def test_next_business_day_follows_the_national_holidays(day: str, expected: str) -> None:
    assert next_business_day(dt.date.fromisoformat(day)) == dt.date.fromisoformat(expected)


def _issue_with_profiles(portal, site_client, billing):  # type: ignore[no-untyped-def]
    assert (
        _put_profile(
            site_client(None, "aichi_secretariat"), f"group:{portal.groups['council'].pk}"
        )[0]
        == 200
    )
    vendor_profile = {
        **COUNCIL_PROFILE,
        "address": "東京都千代田区霞が関一丁目1番1号",
        "representative": "代表取締役 山田 太郎",
        "bank_code": "0001",
        "branch_code": "001",
        "account_type": "2",
        "account_holder_kana": "ﾍﾞﾝﾀﾞｰｴｲ(ｶ",
    }
    status, body = _json(
        site_client(None, "vendor_a"),
        "put",
        "/api/v1/issuers/profile/",
        {"issuer": f"vendor:{portal.vendors['a'].pk}", **vendor_profile},
    )
    assert status == 200, body
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    invoices_issue_all(viewer=billing["vendor"], fiscal_year=FY)


def test_a_burden_invoice_carries_every_field_officials_check(portal, site_client, billing):
    _issue_with_profiles(portal, site_client, billing)
    invoice = Invoice.objects.get(kind="burden", recipient__code="232017")
    response = site_client(None, "aichi_secretariat").get(f"/invoices/{invoice.pk}/pdf/")
    text = pdf_text(response.content)
    for expected in (
        "負担金請求書",
        invoice.number,
        "豊橋市長 様",
        f"発行日: {wareki_date(invoice.issue_date, western=True)}",
        f"支払期日: {wareki_date(invoice.due_date, western=True)}",
        "請求者: テスト電子自治体協議会",
        "〒460-8501 愛知県名古屋市中区三の丸三丁目1番2号",
        "代表者: 会長 一宮市長 中野 正康",
        f"対象年度: {fiscal_year_label(FY)} ({FY}年度)",
        f"ご請求金額 {invoice.total_yen:,}円 (不課税)",
        f"不課税 {invoice.total_yen:,}円",
        f"合計 (不課税) {invoice.total_yen:,}円",
        "お振込先",
        "三菱ＵＦＪ (0005) 名古屋営業部 (150) 普通 1234567",
        "口座名義: アイチデンシジチタイキヨウギカイ",
        "令和2年国勢調査 (速報)、令和2年10月1日現在",
        "1 / 1 ページ",
    ):
        assert expected in " ".join(text.split()), expected
    assert "census-2020" not in text
    assert "税込" not in text


def test_a_qualified_invoice_carries_rates_tax_and_registration(portal, site_client, billing):
    _issue_with_profiles(portal, site_client, billing)
    invoice = Invoice.objects.get(kind="usage", recipient__code="232017")
    text = " ".join(
        pdf_text(site_client(None, "vendor_a").get(f"/invoices/{invoice.pk}/pdf/").content).split()
    )
    tax = invoice.tax_summary[0]
    for expected in (
        "請求書 (適格請求書)",
        "豊橋市長 様",
        "請求者: ベンダーA株式会社",
        "登録番号: T4180001234567",
        "代表者: 代表取締役 山田 太郎",
        f"10%対象 {tax['taxable_yen']:,}円 消費税 (10%) {tax['tax_yen']:,}円",
        f"合計 (税込) {invoice.total_yen:,}円",
        "みずほ (0001) 東京営業部 (001) 当座 1234567",
        "口座名義: ベンダーエイ(カ",
    ):
        assert expected in text, expected


def test_a_sixty_line_invoice_continues_on_page_two(portal, site_client, billing) -> None:
    _issue_with_profiles(portal, site_client, billing)
    invoice = Invoice.objects.create(
        kind="usage",
        fiscal_year=FY,
        issuer_vendor=portal.vendors["a"],
        issuer_key=f"vendor:{portal.vendors['a'].pk}",
        issuer_name="ベンダーA株式会社",
        issuer_registration_number="T4180001234567",
        recipient=portal.bodies["toyohashi"],
        recipient_name="豊橋市",
        source_key="test:sixty-lines",
        subtotal_yen=60 * 1_000,
        tax_yen=6_000,
        total_yen=66_000,
        tax_summary=[
            {"category": "standard_10", "rate": "0.10", "taxable_yen": 60_000, "tax_yen": 6_000}
        ],
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=n,
            description=f"明細{n:02d} 利用料",
            amount_yen=1_000,
            tax_category="standard_10",
        )
        for n in range(1, 61)
    )
    invoice_issue(viewer=billing["vendor"], invoice_id=invoice.pk)
    invoice.refresh_from_db()
    pdf = site_client(None, "vendor_a").get(f"/invoices/{invoice.pk}/pdf/").content
    pages = [" ".join(p.split()) for p in pdf_text(pdf).split("\f") if p.strip()]
    count = len(pages)
    assert count >= 2
    second = pages[1]
    assert f"請求書 (適格請求書) {invoice.number} の続き — 豊橋市長 様" in second
    assert second.count("内容 税区分 金額") == 1  # the table's head again
    assert f"2 / {count} ページ" in second
    assert "明細01 利用料" in pages[0]
    assert "明細01 利用料" not in second
    assert all(f"明細{n:02d} 利用料" in " ".join(pages) for n in range(1, 61))
    assert f"1 / {count} ページ" in pages[0]
    assert "合計 (税込) 66,000円" in pages[-1]
    assert "の続き" not in pages[0]
