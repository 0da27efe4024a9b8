"""Matching a statement's credits to open invoices (消込). No Django here.

A credit is matched when one of these holds, in this order:
1. the payer wrote an open invoice's number (in the name, 摘要 or EDI field) and the amount is
   no more than what is still owed on it (a partial payment is a payment too);
2. exactly one open invoice is owed by a body whose name in kana begins the payer's name
   (municipalities pay from their 会計管理者 account: ﾄﾖﾊｼｼ ｶｲｹｲｶﾝﾘｼﾔ) and its outstanding
   amount equals the credit.
The credit's day must lie between the invoice's issue day (minus the early-payment tolerance)
and today. Anything else stays unmatched, with the reason, for a person to assign; several
equal candidates are never guessed between. An invoice matched once in a statement is owed
that much less for the next credit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import jaconv

from apps.invoicing.domain.bank_statement import Credit

SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
NOT_NAME = re.compile(r"[\s・.,，、。()（）「」\-ー－/／]")
NUMBER = re.compile(r"([GV])-?(\d{1,9}?)-?(\d{4})-?(\d{6})(?!\d)")


def normalize_kana(text: str) -> str:
    """Half- or full-width, hiragana or katakana, small or large kana: one comparable form
    (full-width large katakana, no spaces or punctuation)."""
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    text = jaconv.hira2kata(text)
    return NOT_NAME.sub("", text.translate(SMALL_KANA))


def invoice_numbers(text: str) -> list[str]:
    """Invoice numbers written in a transfer's text, in the portal's form (G1-2026-000002)."""
    flat = jaconv.z2h(text.upper(), kana=False, ascii=True, digit=True)
    return [f"{m[1]}{m[2]}-{m[3]}-{m[4]}" for m in NUMBER.finditer(flat)]


@dataclass
class OpenInvoice:
    id: int
    number: str
    outstanding_yen: int
    recipient_kana: str  # normalized
    recipient_name: str
    issue_date: dt.date


@dataclass(frozen=True)
class Match:
    credit: Credit
    invoice_id: int | None
    reason: str


def _date_problem(credit: Credit, invoice: OpenInvoice, today: dt.date, early: int) -> str:
    if credit.booked_on > today:
        return "入金日が未来の日付です。"
    if credit.booked_on < invoice.issue_date - dt.timedelta(days=early):
        return f"入金日が請求書 {invoice.number} の発行日より{early}日以上前です。"
    return ""


def match_credits(
    credits: Iterable[Credit],
    invoices: Iterable[OpenInvoice],
    *,
    today: dt.date,
    early_days: int,
) -> list[Match]:
    open_by_number = {i.number: i for i in invoices}
    by_amount: dict[int, list[OpenInvoice]] = {}
    for invoice in open_by_number.values():
        by_amount.setdefault(invoice.outstanding_yen, []).append(invoice)
    matches: list[Match] = []

    def take(credit: Credit, invoice: OpenInvoice, reason: str) -> None:
        problem = _date_problem(credit, invoice, today, early_days)
        if problem:
            matches.append(Match(credit, None, problem))
            return
        by_amount[invoice.outstanding_yen].remove(invoice)
        invoice.outstanding_yen -= credit.amount_yen
        if invoice.outstanding_yen > 0:
            by_amount.setdefault(invoice.outstanding_yen, []).append(invoice)
        matches.append(Match(credit, invoice.id, reason))

    for credit in credits:
        written = [
            open_by_number[n]
            for n in invoice_numbers(f"{credit.payer_name} {credit.memo}")
            if n in open_by_number and open_by_number[n].outstanding_yen > 0
        ]
        if len(written) == 1 and credit.amount_yen <= written[0].outstanding_yen:
            invoice = written[0]
            partial = credit.amount_yen < invoice.outstanding_yen
            why = "請求書番号が一致 (一部入金)" if partial else "請求書番号と金額が一致"
            take(credit, invoice, why)
            continue
        payer = normalize_kana(credit.payer_name)
        named = [
            i
            for i in by_amount.get(credit.amount_yen, [])
            if i.recipient_kana and payer.startswith(i.recipient_kana)
        ]
        if len(named) == 1:
            take(credit, named[0], "金額と振込依頼人名が一致")
        elif len(named) > 1:
            why = f"同じ金額・依頼人の請求書が{len(named)}件あります。選んでください。"
            matches.append(Match(credit, None, why))
        elif written:
            why = "請求書番号はありますが、入金額が未入金額を超えています。"
            matches.append(Match(credit, None, why))
        elif by_amount.get(credit.amount_yen):
            why = "金額の一致する請求書はありますが、依頼人名が一致しません。"
            matches.append(Match(credit, None, why))
        else:
            matches.append(Match(credit, None, "金額の一致する未入金の請求書がありません。"))
    return matches
