"""Bank reconciliation: a statement's credits matched to open invoices by number, amount and the
payer's kana name, recorded as payments in one transaction; the same statement twice records
nothing twice; a malformed file is refused whole with its line numbers; the rest is assigned or
set aside by hand; no other issuer can see or touch any of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.invoicing.domain.bank_statement import StatementMalformed, parse_statement
from apps.invoicing.models import BankCredit, BankStatement, Invoice, Payment
from apps.invoicing.selectors import receivables
from apps.invoicing.services.documents import (
    invoice_credit,
    invoice_issue,
    invoices_issue_all,
    payment_reverse,
)
from apps.invoicing.services.reconciliation import statement_import
from apps.invoicing.services.run import invoice_run_inline
from tests.clock import FY, TODAY
from tests.contracts.test_contract_path import _json
from tests.invoicing.zengin import Tx, bank_csv, zengin

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "statements"
COUNCIL = "group:{}"


def _issued(billing, portal) -> dict[str, Invoice]:
    """The council's burden invoices issued ten days ago, 豊橋市's then cancelled by a credit
    note and reissued today (the same amount: the cancelled one must never take a payment)."""
    secretariat = billing["secretariat"]
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(
        viewer=secretariat, fiscal_year=FY, kind="burden", issue_date=TODAY - dt.timedelta(10)
    )
    original = Invoice.objects.get(kind="burden", recipient__code="232017", revision=1)
    invoice_credit(viewer=secretariat, invoice_id=original.pk, reason="人口の誤り")
    invoice_run_inline(fiscal_year=FY)
    reissue = Invoice.objects.get(kind="burden", recipient__code="232017", revision=2)
    invoice_issue(viewer=secretariat, invoice_id=reissue.pk, issue_date=TODAY)
    by_code = {
        i.recipient.code: i
        for i in Invoice.objects.filter(kind="burden", status="issued").exclude(pk=original.pk)
        if i.total_yen > 0
    }
    by_code["original"] = original
    return by_code


def _upload(client, issuer: str, content: bytes, name: str = "meisai.txt"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/bank-statements/",
        {"issuer": issuer, "file": SimpleUploadedFile(name, content)},
    )


def test_a_statement_pays_what_it_can_match_and_lists_the_rest(portal, site_client, billing):
    invoices = _issued(billing, portal)
    toyohashi, ichinomiya, aichi = invoices["232017"], invoices["232033"], invoices["230006"]
    assert toyohashi.total_yen == invoices["original"].total_yen  # same amount as the cancelled
    yesterday = TODAY - dt.timedelta(days=1)
    statement = zengin(
        [
            # the amount and 豊橋市's 会計管理者 account: the reissue, not the cancelled one
            Tx(yesterday, toyohashi.total_yen, "ﾄﾖﾊｼｼ ｶｲｹｲｶﾝﾘｼﾔ"),
            # 一宮市 wrote its invoice number and paid part of it
            Tx(yesterday, 1_000_000, "ｲﾁﾉﾐﾔｼ", memo=ichinomiya.number),
            # 愛知県's amount from an unknown payer: for a person to look at
            Tx(yesterday, aichi.total_yen, "ｶ)ﾍﾞﾂﾉｶｲｼﾔ"),
            # nothing owes this much
            Tx(yesterday, 777, "ｱｲﾁｹﾝ"),
            Tx(yesterday, 440, "ﾃｽｳﾘﾖｳ", credit=False),  # a debit: left aside
        ]
    )
    client = site_client(None, "aichi_secretariat")
    issuer = COUNCIL.format(portal.groups["council"].pk)
    response = _upload(client, issuer, statement)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["credits"], body["matched"], body["unmatched"], body["duplicates"]) == (4, 2, 2, 0)
    by_line = {item["line_no"]: item for item in body["items"]}
    assert (by_line[2]["status"], by_line[2]["invoice_number"]) == ("matched", toyohashi.number)
    assert by_line[2]["reason"] == "金額と振込依頼人名が一致"
    assert (by_line[3]["status"], by_line[3]["invoice_number"]) == ("matched", ichinomiya.number)
    assert by_line[3]["reason"] == "請求書番号が一致 (一部入金)"
    assert by_line[4]["reason"] == "金額の一致する請求書はありますが、依頼人名が一致しません。"
    assert by_line[5]["reason"] == "金額の一致する未入金の請求書がありません。"

    for invoice in invoices.values():
        invoice.refresh_from_db()
    assert (toyohashi.paid_yen, ichinomiya.paid_yen, aichi.paid_yen) == (
        toyohashi.total_yen,
        1_000_000,
        0,
    )
    assert invoices["original"].paid_yen == 0
    assert Payment.objects.filter(paid_on=yesterday).count() == 2
    totals = receivables(viewer=billing["secretariat"], fiscal_year=FY)
    assert totals.paid_yen == toyohashi.total_yen + 1_000_000

    # the unmatched list, and the page that shows it
    status, unmatched = _json(
        client, "get", f"/api/v1/bank-credits/?status=unmatched&issuer={issuer}"
    )
    assert status == 200
    assert [r["amount_yen"] for r in unmatched["results"]] == [aichi.total_yen, 777]
    page = client.get("/invoicing/bank/")
    assert page.status_code == 200
    assert "ｶ)ﾍﾞﾂﾉｶｲｼﾔ" in page.content.decode()
    assert aichi.number in page.content.decode()  # offered as the candidate of the same amount


def test_the_same_statement_twice_records_nothing_twice(portal, site_client, billing) -> None:
    invoices = _issued(billing, portal)
    aichi = invoices["230006"]
    txs = [Tx(TODAY, aichi.total_yen, "ｱｲﾁｹﾝ ｶｲｹｲｶﾝﾘｼﾔ")]
    client = site_client(None, "aichi_secretariat")
    issuer = COUNCIL.format(portal.groups["council"].pk)
    assert _upload(client, issuer, zengin(txs)).status_code == 201
    again = _upload(client, issuer, zengin(txs), name="same-again.txt")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "statement_already_imported"
    # the same credit in the bank's CSV export: read, but not recorded a second time
    csv_again = _upload(client, issuer, bank_csv(txs), name="export.csv")
    assert csv_again.status_code == 201
    assert (csv_again.json()["duplicates"], csv_again.json()["matched"]) == (1, 0)
    assert Payment.objects.count() == 1
    assert BankCredit.objects.count() == 1
    aichi.refresh_from_db()
    assert aichi.paid_yen == aichi.total_yen


def test_a_malformed_statement_is_refused_whole_with_line_numbers(portal, site_client, billing):
    _issued(billing, portal)
    client = site_client(None, "aichi_secretariat")
    issuer = COUNCIL.format(portal.groups["council"].pk)
    response = _upload(client, issuer, (SAMPLES / "malformed_zengin.txt").read_bytes())
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "statement_malformed"
    assert body["error"]["fields"]["file"] == [
        "2行目: 取引金額は数字でなければなりません (「00001008943X」)。",
    ]
    short = zengin([Tx(TODAY, 5, "ｱｲﾁｹﾝ")]).split(b"\r\n")
    short[1] = short[1][:150]
    response = _upload(client, issuer, b"\r\n".join(short), name="short.txt")
    assert response.json()["error"]["fields"]["file"][0] == (
        "2行目: レコード長が150バイトです (200バイトのはずです)。"
    )
    assert (BankStatement.objects.count(), BankCredit.objects.count(), Payment.objects.count()) == (
        0,
        0,
        0,
    )


def test_the_shipped_samples_read_as_the_bank_wrote_them() -> None:
    zengin_sample = parse_statement((SAMPLES / "sample_zengin.txt").read_bytes(), format="zengin")
    csv_sample = parse_statement((SAMPLES / "sample.csv").read_bytes(), format="csv")
    for statement in (zengin_sample, csv_sample):
        assert [(c.amount_yen, c.payer_name) for c in statement.credits] == [
            (10_089_434, "ﾄﾖﾊｼｼ ｶｲｹｲｶﾝﾘｼﾔ"),
            (3_958_286, "ｲﾁﾉﾐﾔｼｶｲｹｲｶﾝﾘｼﾔ"),
            (123_456, "ｶ)ｻﾝﾌﾟﾙｼﾖｳｼﾞ"),
        ]
        assert statement.debits == 1
        assert statement.credits[1].memo == "G1-2026-000001"
    assert zengin_sample.account == "0005-150-1-0001234567"
    # the trailer's count is checked against the records (line 6 of the malformed sample)
    broken = (
        (SAMPLES / "malformed_zengin.txt").read_bytes().replace(b"00001008943X", b"000010089434")
    )
    with pytest.raises(StatementMalformed) as err:
        parse_statement(broken, format="zengin")
    assert err.value.fields == {"file": ["6行目: 入金件数が9件とありますが、明細には3件あります。"]}


def test_unmatched_credits_are_assigned_or_set_aside_by_hand(portal, site_client, billing):
    invoices = _issued(billing, portal)
    aichi = invoices["230006"]
    issuer = COUNCIL.format(portal.groups["council"].pk)
    statement = statement_import(
        viewer=billing["secretariat"],
        issuer_key=issuer,
        filename="m.txt",
        content=zengin(
            [Tx(TODAY, aichi.total_yen, "ﾍﾞﾂﾉﾅﾏｴ"), Tx(TODAY, 12, "ﾘｿｸ"), Tx(TODAY, 5, "ﾍﾞﾂ")]
        ),
    )
    big, interest, small = statement.items.order_by("line_no")
    client = site_client(None, "aichi_secretariat")
    # a cancelled invoice cannot take it; the right one can; then nothing more is owed
    invoices["232033"].refresh_from_db()
    status, body = _json(
        client,
        "post",
        f"/api/v1/bank-credits/{big.pk}/assign/",
        {"invoice_number": invoices["original"].number},
    )
    assert (status, body["error"]["code"]) == (409, "invoice_cancelled")
    status, body = _json(
        client, "post", f"/api/v1/bank-credits/{big.pk}/assign/", {"invoice_number": aichi.number}
    )
    assert status == 200, body
    assert (body["status"], body["invoice_number"]) == ("assigned", aichi.number)
    aichi.refresh_from_db()
    assert aichi.paid_yen == aichi.total_yen
    status, body = _json(
        client, "post", f"/api/v1/bank-credits/{small.pk}/assign/", {"invoice_number": aichi.number}
    )
    assert (status, body["error"]["code"]) == (400, "payment_exceeds_outstanding")
    status, body = _json(
        client, "post", f"/api/v1/bank-credits/{interest.pk}/ignore/", {"reason": "利息"}
    )
    assert (status, body["status"], body["reason"]) == (200, "ignored", "利息")
    status, body = _json(
        client, "post", f"/api/v1/bank-credits/{interest.pk}/ignore/", {"reason": "x"}
    )
    assert (status, body["error"]["code"]) == (409, "credit_resolved")
    # a payment from the bank reversed by mistake-correction: its credit is open again
    big.refresh_from_db()
    payment_reverse(
        viewer=billing["secretariat"], invoice_id=aichi.pk, payment_id=big.payment_id, reason="誤り"
    )
    big.refresh_from_db()
    assert (big.status, big.payment_id, big.invoice_id) == ("unmatched", None, None)


def test_another_issuer_sees_and_touches_none_of_it(portal, site_client, billing) -> None:
    invoices = _issued(billing, portal)
    issuer = COUNCIL.format(portal.groups["council"].pk)
    statement = statement_import(
        viewer=billing["secretariat"],
        issuer_key=issuer,
        filename="m.txt",
        content=zengin([Tx(TODAY, 5, "ﾍﾞﾂ")]),
    )
    credit = statement.items.get()
    before = (Payment.objects.count(), BankStatement.objects.count())
    other = site_client(None, "hokkaido_secretariat")
    vendor = site_client(None, "vendor_a")
    body_user = site_client("toyohashi", "toyohashi_admin")
    for client in (other, vendor):
        assert client.get(f"/api/v1/bank-statements/{statement.pk}/").status_code == 404
        assert client.get(f"/invoicing/bank/statements/{statement.pk}/").status_code == 404
        assert _json(client, "get", "/api/v1/bank-credits/")[1]["count"] == 0
        assert (
            _json(
                client,
                "post",
                f"/api/v1/bank-credits/{credit.pk}/assign/",
                {"invoice_number": invoices["230006"].number},
            )[0]
            == 404
        )
        assert (
            _json(client, "post", f"/api/v1/bank-credits/{credit.pk}/ignore/", {"reason": "x"})[0]
            == 404
        )
        assert _upload(client, issuer, zengin([Tx(TODAY, 6, "ﾍﾞﾂ")])).status_code == 404
    # a body's staff: not an issuer (403 on the public API, 404 at the body's address)
    assert site_client(None, "operator").get("/api/v1/bank-credits/").status_code == 403
    assert body_user.get("/api/v1/bank-credits/").status_code == 404
    assert body_user.get("/invoicing/bank/").status_code == 404
    credit.refresh_from_db()
    assert credit.status == "unmatched"
    assert (Payment.objects.count(), BankStatement.objects.count()) == before


def test_the_pages_upload_a_statement_and_explain_a_refusal(portal, site_client, billing):
    invoices = _issued(billing, portal)
    client = site_client(None, "aichi_secretariat")
    issuer = COUNCIL.format(portal.groups["council"].pk)
    bad = client.post(
        "/invoicing/bank/",
        {
            "issuer": issuer,
            "format": "",
            "file": SimpleUploadedFile("bad.txt", (SAMPLES / "malformed_zengin.txt").read_bytes()),
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "2行目: 取引金額は数字でなければなりません" in html
    assert "何も記録していません" in html
    assert BankStatement.objects.count() == 0
    ok = client.post(
        "/invoicing/bank/",
        {
            "issuer": issuer,
            "format": "zengin",
            "file": SimpleUploadedFile(
                "ok.txt", zengin([Tx(TODAY, invoices["230006"].total_yen, "ｱｲﾁｹﾝ")])
            ),
        },
    )
    statement = BankStatement.objects.get()
    assert ok.status_code == 302
    assert ok["Location"] == f"/invoicing/bank/statements/{statement.pk}/"
    page = client.get(ok["Location"]).content.decode()
    assert invoices["230006"].number in page
    assert "自動消込" in page
    # a council the vendor does not act for is not a choice of its form
    refused = site_client(None, "vendor_a").post(
        "/invoicing/bank/",
        {"issuer": issuer, "file": SimpleUploadedFile("x.txt", b"103")},
    )
    assert refused.status_code == 400
    assert BankStatement.objects.count() == 1


def test_the_issuer_profile_page_keeps_what_was_typed(portal, site_client) -> None:
    client = site_client(None, "aichi_secretariat")
    form = {
        "postal_code": "460-8501",
        "address": "名古屋市中区三の丸3-1-2",
        "representative": "会長 愛知県知事",
        "bank_code": "0005",
        "branch_code": "999",
        "account_type": "1",
        "account_number": "1234567",
        "account_holder_kana": "ｱｲﾁｹﾝ",
    }
    refused = client.post("/invoicing/issuer/", form)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "三菱ＵＦＪに支店コード 999 の支店はありません" in html
    assert 'value="名古屋市中区三の丸3-1-2"' in html
    saved = client.post("/invoicing/issuer/", {**form, "branch_code": "150"})
    assert saved.status_code == 302
    page = client.get(saved["Location"]).content.decode()
    assert "三菱ＵＦＪ 名古屋営業部 普通 1234567 アイチケン" in page
    # a body's staff has no such page
    assert site_client("toyohashi", "toyohashi_admin").get("/invoicing/issuer/").status_code == 404
    assert site_client(None, "operator").get("/invoicing/issuer/").status_code == 403
