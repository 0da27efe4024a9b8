"""Bank reconciliation (消込): a statement's credits matched to open invoices and recorded as
payments in one transaction; the rest kept for a person to assign or set aside."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.viewer import Viewer
from apps.core.errors import ApplicationError
from apps.core.schemas import current_schema
from apps.core.services import audit_record
from apps.invoicing.domain.bank_statement import Credit, guess_format, parse_statement
from apps.invoicing.domain.matching import OpenInvoice, match_credits, normalize_kana
from apps.invoicing.models import (
    BankCredit,
    BankStatement,
    CreditStatus,
    Invoice,
    Payment,
)
from apps.invoicing.selectors import credit_get, issuer_check, open_invoices
from apps.invoicing.services.documents import payment_record

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _who(viewer: Viewer) -> str:
    return f"{current_schema()}:{viewer.user.pk}"


def _fingerprints(credits: list[Credit]) -> list[str]:
    """The same credit has the same fingerprint in any statement that carries it, fixed-length
    or CSV (day, amount, payer; the n-th identical credit of a day is told apart by n; the
    bank's reference number is not in every export, so it is not part of it)."""
    seen: Counter[tuple] = Counter()
    prints = []
    for c in credits:
        key = (c.booked_on.isoformat(), c.amount_yen, normalize_kana(c.payer_name))
        seen[key] += 1
        text = "|".join(map(str, (*key, seen[key])))
        prints.append(hashlib.sha256(text.encode()).hexdigest())
    return prints


def _open(issuer_key: str) -> list[OpenInvoice]:
    rows = open_invoices(issuer_keys=[issuer_key]).values_list(
        "pk", "number", "total_yen", "paid_yen", "recipient__kana", "recipient_name", "issue_date"
    )
    return [
        OpenInvoice(pk, number, total - paid, normalize_kana(kana), name, issued)
        for pk, number, total, paid, kana, name, issued in rows
        if issued is not None  # an issued invoice always has its day
    ]


@transaction.atomic
def statement_import(
    *, viewer: Viewer, issuer_key: str, filename: str, content: bytes, format: str | None = None
) -> BankStatement:
    """Read the file (refused whole, with line numbers, when malformed), skip credits an
    earlier statement already brought, match the rest, and record the matched ones as
    payments, all in this one transaction."""
    issuer_check(viewer=viewer, issuer_key=issuer_key)
    filename = CONTROL.sub("", filename)[:200] or "statement"
    digest = hashlib.sha256(content).hexdigest()
    earlier = BankStatement.objects.filter(issuer_key=issuer_key, sha256=digest).first()
    if earlier is not None:
        raise ApplicationError(
            f"この明細は{timezone.localtime(earlier.uploaded_at):%Y-%m-%d %H:%M}に取り込み済みです"
            "。同じ入金を二重に記録しないよう、何も記録していません。",
            "statement_already_imported",
            status=409,
        )
    fmt = format or guess_format(content)
    parsed = parse_statement(content, format=fmt)
    prints = _fingerprints(parsed.credits)
    known = set(
        BankCredit.objects.filter(issuer_key=issuer_key, fingerprint__in=prints).values_list(
            "fingerprint", flat=True
        )
    )
    fresh = [(c, fp) for c, fp in zip(parsed.credits, prints, strict=True) if fp not in known]
    today = timezone.localdate()
    matches = match_credits(
        [c for c, _ in fresh],
        _open(issuer_key),
        today=today,
        early_days=settings.PAYMENT_EARLY_DAYS,
    )
    statement = BankStatement.objects.create(
        issuer_key=issuer_key,
        format=fmt,
        filename=filename,
        sha256=digest,
        account=parsed.account,
        period_from=parsed.period_from,
        period_to=parsed.period_to,
        credits=len(parsed.credits),
        duplicates=len(parsed.credits) - len(fresh),
        uploaded_by=_who(viewer),
    )
    # lock the invoices about to be paid; one paid meanwhile from elsewhere makes its credit
    # unmatched rather than an overpayment
    wanted: Counter[int] = Counter()
    for m in matches:
        if m.invoice_id is not None:
            wanted[m.invoice_id] += m.credit.amount_yen
    locked = {
        i.pk: i.total_yen - i.paid_yen
        for i in Invoice.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    }
    who = _who(viewer)
    payments: list[Payment] = []
    rows: list[BankCredit] = []
    for m, (_, fp) in zip(matches, fresh, strict=True):
        c = m.credit
        row = BankCredit(
            statement=statement,
            issuer_key=issuer_key,
            line_no=c.line_no,
            fingerprint=fp,
            booked_on=c.booked_on,
            amount_yen=c.amount_yen,
            payer_name=c.payer_name[:48],
            reference=c.reference[:20],
            memo=c.memo[:60],
            status=CreditStatus.UNMATCHED,
            reason=m.reason,
        )
        if m.invoice_id is not None and locked.get(m.invoice_id, 0) >= wanted[m.invoice_id]:
            row.status = CreditStatus.MATCHED
            row.invoice_id = m.invoice_id
            row.resolved_by = who
            payments.append(
                Payment(
                    invoice_id=m.invoice_id,
                    paid_on=c.booked_on,
                    amount_yen=c.amount_yen,
                    note=f"銀行入金 {c.payer_name} ({filename[:60]} {c.line_no}行目)"[:200],
                    recorded_by=who,
                )
            )
        elif m.invoice_id is not None:
            row.reason = "取込中に別の入金が記録されました。確認して割り当ててください。"
        rows.append(row)
    Payment.objects.bulk_create(payments)
    paid = iter(payments)
    for row in rows:
        if row.status == CreditStatus.MATCHED:
            row.payment = next(paid)
    BankCredit.objects.bulk_create(rows, batch_size=1000)
    paid_by_invoice: Counter[int] = Counter()
    for p in payments:
        paid_by_invoice[p.invoice_id] += p.amount_yen
    for invoice_id, amount in sorted(paid_by_invoice.items()):
        Invoice.objects.filter(pk=invoice_id).update(paid_yen=F("paid_yen") + amount)
    statement.matched = len(payments)
    statement.save(update_fields=["matched"])
    audit_record(
        actor=viewer.user,
        action="bank_statement.imported",
        target=statement,
        data={
            "issuer": issuer_key,
            "credits": statement.credits,
            "duplicates": statement.duplicates,
            "matched": statement.matched,
            "matched_yen": sum(paid_by_invoice.values()),
        },
    )
    return statement


def _unresolved(viewer: Viewer, credit_id: int) -> BankCredit:
    viewer.require_issuer()
    credit = credit_get(viewer=viewer, credit_id=credit_id)
    credit = BankCredit.objects.select_for_update().get(pk=credit.pk)
    if credit.status != CreditStatus.UNMATCHED:
        message = f"この入金はすでに「{credit.get_status_display()}」です。"
        raise ApplicationError(message, "credit_resolved", status=409)
    return credit


@transaction.atomic
def credit_assign(*, viewer: Viewer, credit_id: int, invoice_number: str) -> BankCredit:
    """A person assigns an unmatched credit to one of the issuer's invoices: a payment of the
    credit's amount on its day, with every rule of a payment recorded by hand."""
    credit = _unresolved(viewer, credit_id)
    invoice = Invoice.objects.filter(issuer_key=credit.issuer_key, number=invoice_number).first()
    if invoice is None:
        message = f"請求書番号 {invoice_number} の請求書はこの請求者にありません。"
        raise ApplicationError(message, "invoice_not_found", fields={"invoice_number": [message]})
    payment = payment_record(
        viewer=viewer,
        invoice_id=invoice.pk,
        amount_yen=credit.amount_yen,
        paid_on=credit.booked_on,
        note=f"銀行入金 {credit.payer_name} (手動消込)"[:200],
    )
    credit.status = CreditStatus.ASSIGNED
    credit.invoice = invoice
    credit.payment = payment
    credit.resolved_by = _who(viewer)
    credit.save(update_fields=["status", "invoice", "payment", "resolved_by"])
    return credit


@transaction.atomic
def credit_ignore(*, viewer: Viewer, credit_id: int, reason: str) -> BankCredit:
    """Set aside a credit that pays no invoice (a refund, interest, another matter)."""
    if not reason.strip():
        message = "対象外とする理由を入力してください。"
        raise ApplicationError(message, "reason_required", fields={"reason": [message]})
    credit = _unresolved(viewer, credit_id)
    credit.status = CreditStatus.IGNORED
    credit.reason = reason.strip()[:200]
    credit.resolved_by = _who(viewer)
    credit.save(update_fields=["status", "reason", "resolved_by"])
    audit_record(
        actor=viewer.user, action="bank_credit.ignored", target=credit, data={"reason": reason}
    )
    return credit
