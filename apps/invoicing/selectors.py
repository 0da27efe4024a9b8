"""Reads for invoices, scoped to the viewer: a secretariat sees its councils' burden invoices, a
vendor its own usage invoices, a body the issued invoices addressed to it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from apps.accounts.viewer import Viewer
from apps.core.errors import NotFound, PermissionDenied
from apps.groups.models import Group, GroupKind
from apps.invoicing.models import BurdenShare, Invoice, InvoiceLine, InvoiceRun, InvoiceStatus

PAYMENT_STATES = {
    "unpaid": "未入金",
    "partly_paid": "一部入金",
    "paid": "入金済み",
    "overdue": "支払期限超過",
}


def payment_conditions(today: dt.date) -> dict[str, Q]:
    """The one definition of the payment states of an issued invoice: paid (nothing left to
    pay, credit notes included), overdue (past the due date and not fully paid), partly paid,
    unpaid. Filters use it as it is, lists as an annotation, a single invoice through
    Q.check, so the three can never disagree."""
    issued = Q(status=InvoiceStatus.ISSUED)
    owed = issued & Q(total_yen__gt=0) & Q(paid_yen__lt=F("total_yen"))
    not_due = Q(due_date__gte=today) | Q(due_date__isnull=True)
    return {
        "paid": issued & ~Q(paid_yen__lt=F("total_yen")),
        "overdue": owed & Q(due_date__lt=today),
        "partly_paid": owed & Q(paid_yen__gt=0) & not_due,
        "unpaid": owed & Q(paid_yen=0) & not_due,
    }


def payment_state_q(state: str, today: dt.date | None = None) -> Q:
    return payment_conditions(today or timezone.localdate())[state]


def payment_state_expression(today: dt.date | None = None) -> Case:
    """The state as a column ("" for drafts), for lists and exports."""
    conditions = payment_conditions(today or timezone.localdate())
    return Case(
        *(When(q, then=Value(state)) for state, q in conditions.items()),
        default=Value(""),
        output_field=CharField(),
    )


def payment_state(invoice: Invoice, today: dt.date | None = None) -> str:
    """unpaid / partly_paid / paid / overdue ("" for a draft) of one invoice, by the same
    conditions (the annotation when the invoice came from invoice_list, today)."""
    if today is None and hasattr(invoice, "payment_state_now"):
        return str(invoice.payment_state_now)
    values = {
        "status": invoice.status,
        "total_yen": invoice.total_yen,
        "paid_yen": invoice.paid_yen,
        "due_date": invoice.due_date,
    }
    for state, condition in payment_conditions(today or timezone.localdate()).items():
        if condition.check(values):
            return state
    return ""


def _issuer_scope(viewer: Viewer) -> Q | None:
    if viewer.is_secretariat:
        groups = Group.objects.filter(staff__user_id=viewer.user.pk).values("pk")
        return Q(issuer_group__in=groups)
    if viewer.is_vendor:
        return Q(issuer_vendor__staff__user_id=viewer.user.pk)
    if viewer.is_operator:
        return Q()
    return None


def invoice_list(
    *,
    viewer: Viewer,
    fiscal_year: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    payment: str | None = None,
    recipient_code: str | None = None,
) -> QuerySet[Invoice]:
    qs = Invoice.objects.select_related("recipient", "issuer_group", "issuer_vendor")
    scope = _issuer_scope(viewer)
    if viewer.is_body_user:
        qs = qs.filter(recipient=viewer.body, status=InvoiceStatus.ISSUED)
    elif scope is not None:
        qs = qs.filter(scope)
    else:
        return qs.none()
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if recipient_code:
        qs = qs.filter(recipient__code=recipient_code)
    if payment:
        qs = qs.filter(payment_state_q(payment))
    qs = qs.annotate(payment_state_now=payment_state_expression())
    return qs.order_by("-fiscal_year", "issuer_key", "status", "sequence", "recipient__code")


def invoice_get(*, viewer: Viewer, invoice_id: int) -> Invoice:
    invoice = (
        invoice_list(viewer=viewer)
        .filter(pk=invoice_id)
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")), "payments"
        )
        .first()
    )
    if invoice is None:
        raise NotFound("この請求書は見つからないか、閲覧の権限がありません。", "invoice_not_found")
    return invoice


def line_get(*, viewer: Viewer, invoice_id: int, line_id: int) -> InvoiceLine:
    invoice = invoice_get(viewer=viewer, invoice_id=invoice_id)
    line = next((x for x in invoice.lines.all() if x.pk == line_id), None)
    if line is None:
        raise NotFound("この明細は見つかりません。", "line_not_found")
    return line


def service_year_shares(*, viewer: Viewer, service_year_id: int) -> QuerySet[BurdenShare]:
    """Every member's share of a joint service year: for the council's secretariat (and the
    operator), and for a body that takes part that year (members see the whole table, as in
    their general assembly papers); nobody else."""
    qs = BurdenShare.objects.filter(service_year_id=service_year_id)
    if viewer.is_body_user:
        if not qs.filter(body=viewer.body).exists():
            return qs.none()
    elif viewer.is_secretariat:
        qs = qs.filter(service_year__service__group__staff__user_id=viewer.user.pk)
    elif not viewer.is_operator:
        return qs.none()
    return qs.select_related("body").order_by("body__code")


def run_scope(fiscal_year: int, group_id: int | None) -> Q:
    """The run of a fiscal year: one council's, or the national one (no group)."""
    if group_id is None:
        return Q(fiscal_year=fiscal_year, group__isnull=True)
    return Q(fiscal_year=fiscal_year, group_id=group_id)


def run_groups(*, viewer: Viewer) -> QuerySet[Group]:
    """The councils whose runs the viewer may start and see: the secretariat's own; every
    council for the operator."""
    qs = Group.objects.filter(kind=GroupKind.COUNCIL).order_by("pk")
    if viewer.is_operator:
        return qs
    if viewer.is_secretariat:
        return qs.filter(staff__user_id=viewer.user.pk)
    return qs.none()


def run_scope_check(*, viewer: Viewer, group_id: int | None) -> None:
    """The national run (group None) belongs to the operator (and beat); a council's run to
    its secretariat. Anyone else: 403 (or 404 for a council the viewer does not staff)."""
    if group_id is None:
        if not viewer.is_operator:
            raise PermissionDenied(
                "全国の一括処理は運営者だけが開始できます。協議会を選んで実行してください。",
                "national_run_operator_only",
            )
        return
    viewer.require_secretariat_or_operator()
    if not run_groups(viewer=viewer).filter(pk=group_id).exists():
        raise NotFound("この協議会は見つからないか、担当していません。", "group_not_found")


def run_get(*, viewer: Viewer, fiscal_year: int, group_id: int | None = None) -> InvoiceRun | None:
    run_scope_check(viewer=viewer, group_id=group_id)
    return InvoiceRun.objects.filter(run_scope(fiscal_year, group_id)).first()
