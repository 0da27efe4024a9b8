"""Issuing invoices (the number, gapless per issuer and fiscal year, is taken under a lock only
at issue), credit notes, and payments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.viewer import Viewer
from apps.core.domain.bounds import fiscal_year_bounds
from apps.core.domain.calendar import next_business_day
from apps.core.errors import ApplicationError, NotFound
from apps.core.schemas import current_schema
from apps.core.services import audit_record
from apps.invoicing.models import (
    BankCredit,
    CreditStatus,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    IssuerProfile,
    IssuerSequence,
    Payment,
)
from apps.invoicing.selectors import invoice_get, invoice_list


def _who(viewer: Viewer) -> str:
    return f"{current_schema()}:{viewer.user.pk}"


def _number(invoice: Invoice, sequence: int) -> str:
    prefix = "G" if invoice.issuer_key.startswith("group:") else "V"
    return f"{prefix}{invoice.issuer_key.split(':')[1]}-{invoice.fiscal_year}-{sequence:06d}"


def _issue_locked(invoices: list[Invoice], *, viewer: Viewer, issue_date: dt.date) -> None:
    """Number and issue drafts of ONE issuer and fiscal year, in order, inside the caller's
    transaction with the issuer's sequence row locked."""
    if not invoices:
        return
    first = invoices[0]
    IssuerSequence.objects.get_or_create(issuer_key=first.issuer_key, fiscal_year=first.fiscal_year)
    sequence = IssuerSequence.objects.select_for_update().get(
        issuer_key=first.issuer_key, fiscal_year=first.fiscal_year
    )
    due = next_business_day(issue_date + dt.timedelta(days=settings.INVOICE_PAYMENT_DAYS))
    profile = IssuerProfile.objects.filter(issuer_key=first.issuer_key).first()
    details = profile.snapshot() if profile else {}
    now = timezone.now()
    for invoice in invoices:
        sequence.last_number += 1
        updated = Invoice.objects.filter(pk=invoice.pk, status=InvoiceStatus.DRAFT).update(
            status=InvoiceStatus.ISSUED,
            sequence=sequence.last_number,
            number=_number(invoice, sequence.last_number),
            issue_date=issue_date,
            due_date=due,
            issuer_details=details,
            issued_at=now,
            issued_by=_who(viewer),
        )
        if updated != 1:
            raise ApplicationError(
                f"{invoice.recipient_name}宛の請求書はすでに発行されています。",
                "invoice_not_draft",
                status=409,
            )
    sequence.save(update_fields=["last_number"])
    audit_record(
        actor=viewer.user,
        action="invoices.issued",
        target=None,
        data={
            "issuer": first.issuer_key,
            "fiscal_year": first.fiscal_year,
            "count": len(invoices),
            "last_number": sequence.last_number,
        },
    )


@transaction.atomic
def invoice_issue(*, viewer: Viewer, invoice_id: int, issue_date: dt.date | None = None) -> Invoice:
    viewer.require_issuer()
    invoice = invoice_get(viewer=viewer, invoice_id=invoice_id)
    if invoice.status != InvoiceStatus.DRAFT:
        raise ApplicationError(
            "この請求書はすでに発行されています。", "invoice_not_draft", status=409
        )
    if not invoice.lines.all():
        raise ApplicationError("明細のない請求書は発行できません。", "invoice_empty")
    _issue_locked([invoice], viewer=viewer, issue_date=issue_date or timezone.localdate())
    return invoice_get(viewer=viewer, invoice_id=invoice_id)


@transaction.atomic
def invoices_issue_all(
    *, viewer: Viewer, fiscal_year: int, kind: str | None = None, issue_date: dt.date | None = None
) -> int:
    """Issue every draft of the viewer's issuer(s) for a fiscal year, numbered in body-code
    order."""
    viewer.require_issuer()
    first, last = fiscal_year_bounds(timezone.localdate())
    if not first <= fiscal_year <= last:
        raise ApplicationError(
            f"年度は{first}から{last}までで指定してください。",
            "invalid_fiscal_year",
            fields={"fiscal_year": ["out of range"]},
        )
    drafts = list(
        invoice_list(viewer=viewer, fiscal_year=fiscal_year, kind=kind, status=InvoiceStatus.DRAFT)
        .exclude(lines=None)
        .distinct()
        .order_by("issuer_key", "recipient__code", "pk")
    )
    by_issuer: dict[str, list[Invoice]] = {}
    for invoice in drafts:
        by_issuer.setdefault(invoice.issuer_key, []).append(invoice)
    for key in sorted(by_issuer):
        _issue_locked(by_issuer[key], viewer=viewer, issue_date=issue_date or timezone.localdate())
    return len(drafts)


@transaction.atomic
def invoice_credit(*, viewer: Viewer, invoice_id: int, reason: str) -> Invoice:
    """Cancel an issued invoice by a credit note (赤伝) that refers to it and reverses every
    line; the next run drafts a corrected invoice (a new revision)."""
    viewer.require_issuer()
    if not reason.strip():
        raise ApplicationError(
            "訂正の理由を入力してください。", "reason_required", fields={"reason": ["required"]}
        )
    original = invoice_get(viewer=viewer, invoice_id=invoice_id)
    original = Invoice.objects.select_for_update().get(pk=original.pk)
    if original.status != InvoiceStatus.ISSUED or original.kind == InvoiceKind.CREDIT_NOTE:
        raise ApplicationError("発行済みの請求書だけを赤伝で取り消せます。", "invoice_not_issued")
    if Invoice.objects.filter(corrects=original, kind=InvoiceKind.CREDIT_NOTE).exists():
        raise ApplicationError(
            "この請求書はすでに取り消されています。", "invoice_already_credited", status=409
        )
    credit = Invoice.objects.create(
        kind=InvoiceKind.CREDIT_NOTE,
        fiscal_year=original.fiscal_year,
        issuer_group=original.issuer_group,
        issuer_vendor=original.issuer_vendor,
        issuer_key=original.issuer_key,
        issuer_name=original.issuer_name,
        issuer_registration_number=original.issuer_registration_number,
        recipient=original.recipient,
        recipient_name=original.recipient_name,
        contract=original.contract,
        source_key=f"credit:{original.pk}",
        revision=1,
        corrects=original,
        subtotal_yen=-original.subtotal_yen,
        tax_yen=-original.tax_yen,
        total_yen=-original.total_yen,
        tax_summary=[
            {**t, "taxable_yen": -t["taxable_yen"], "tax_yen": -t["tax_yen"]}
            for t in original.tax_summary
        ],
        population_source=original.population_source,
        note=f"請求書 {original.number} の取消: {reason.strip()}",
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=credit,
                position=line.position,
                description=f"取消: {line.description}",
                amount_yen=-line.amount_yen,
                tax_category=line.tax_category,
                detail=line.detail,
            )
            for line in original.lines.order_by("position")
        ]
    )
    _issue_locked([credit], viewer=viewer, issue_date=timezone.localdate())
    audit_record(
        actor=viewer.user,
        action="invoice.credited",
        target=original,
        data={"credit_note": credit.pk, "reason": reason.strip()},
    )
    credit.refresh_from_db()
    return credit


def _check_payment(invoice: Invoice, amount_yen: int, paid_on: dt.date) -> None:
    """Each refusal with its own code and message, naming the field."""
    outstanding = invoice.total_yen - invoice.paid_yen
    refusals: list[tuple[bool, str, str, str]] = [
        (amount_yen < 0, "amount_yen", "payment_negative", "入金額にマイナスは入力できません。"),
        (amount_yen == 0, "amount_yen", "payment_zero", "入金額は1円以上で入力してください。"),
        (
            amount_yen > outstanding,
            "amount_yen",
            "payment_exceeds_outstanding",
            f"未入金額 {outstanding:,}円 を超えています。過入金は記録できません。",
        ),
        (
            paid_on > timezone.localdate(),
            "paid_on",
            "payment_date_in_future",
            "入金日に未来の日付は指定できません。",
        ),
        (
            invoice.issue_date is not None
            and paid_on < invoice.issue_date - dt.timedelta(days=settings.PAYMENT_EARLY_DAYS),
            "paid_on",
            "payment_date_before_issue",
            f"入金日が発行日 ({invoice.issue_date}) より{settings.PAYMENT_EARLY_DAYS}日以上前です。"
            "入金日を確認してください。",
        ),
    ]
    for refused, field, code, message in refusals:
        if refused:
            raise ApplicationError(message, code, fields={field: [message]})


@transaction.atomic
def payment_record(
    *, viewer: Viewer, invoice_id: int, amount_yen: int, paid_on: dt.date, note: str = ""
) -> Payment:
    """Record a full or partial payment of an issued invoice (never more than is owed)."""
    viewer.require_issuer()
    invoice = invoice_get(viewer=viewer, invoice_id=invoice_id)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.ISSUED:
        raise ApplicationError("入金は発行済みの請求書にだけ記録できます。", "invoice_not_issued")
    if invoice.kind == InvoiceKind.CREDIT_NOTE or invoice.total_yen <= 0:
        raise ApplicationError(
            "赤伝 (返還請求書) には入金を記録できません。", "credit_note_not_payable"
        )
    if Invoice.objects.filter(corrects=invoice, kind=InvoiceKind.CREDIT_NOTE).exists():
        raise ApplicationError(
            "この請求書は赤伝で取り消されています。入金は再発行された請求書に記録してください。",
            "invoice_cancelled",
            status=409,
        )
    _check_payment(invoice, amount_yen, paid_on)
    payment = Payment.objects.create(
        invoice=invoice, paid_on=paid_on, amount_yen=amount_yen, note=note, recorded_by=_who(viewer)
    )
    Invoice.objects.filter(pk=invoice.pk).update(paid_yen=F("paid_yen") + amount_yen)
    audit_record(
        actor=viewer.user,
        action="payment.recorded",
        target=invoice,
        data={"amount_yen": amount_yen, "paid_on": paid_on.isoformat()},
    )
    return payment


@transaction.atomic
def payment_reverse(*, viewer: Viewer, invoice_id: int, payment_id: int, reason: str) -> Payment:
    """Correct a payment recorded by mistake: an entry with the opposite amount, dated today,
    with the reason, that points at it. The payment itself is never edited or deleted; the
    invoice's paid total and state follow."""
    viewer.require_issuer()
    invoice = invoice_get(viewer=viewer, invoice_id=invoice_id)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    original = Payment.objects.select_for_update().filter(pk=payment_id, invoice=invoice).first()
    if original is None:
        raise NotFound("この入金は見つかりません。", "payment_not_found")
    if not reason.strip():
        message = "訂正の理由を入力してください。"
        raise ApplicationError(message, "reason_required", fields={"reason": [message]})
    if original.reverses_id is not None:
        raise ApplicationError("訂正の記録はそれ自体を取り消せません。", "payment_is_a_reversal")
    if Payment.objects.filter(reverses=original).exists():
        raise ApplicationError(
            "この入金はすでに取り消されています。", "payment_already_reversed", status=409
        )
    reversal = Payment.objects.create(
        invoice=invoice,
        paid_on=timezone.localdate(),
        amount_yen=-original.amount_yen,
        reverses=original,
        reason=reason.strip(),
        recorded_by=_who(viewer),
    )
    Invoice.objects.filter(pk=invoice.pk).update(paid_yen=F("paid_yen") - original.amount_yen)
    # a payment that came from a bank credit: the credit is open again, to assign rightly
    BankCredit.objects.filter(payment=original).update(
        status=CreditStatus.UNMATCHED,
        invoice=None,
        payment=None,
        reason="入金の記録が取り消されたため、未照合に戻しました。",
    )
    audit_record(
        actor=viewer.user,
        action="payment.reversed",
        target=invoice,
        data={"payment": original.pk, "amount_yen": original.amount_yen, "reason": reason},
    )
    return reversal
