"""Reads for invoices, scoped to the viewer: a secretariat sees its councils' burden invoices, a
vendor its own usage invoices, a body the issued invoices addressed to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.viewer import Viewer
from apps.core.cache import fingerprint, fingerprint_query
from apps.core.compiled import once
from apps.core.db import shared_tables
from apps.core.errors import NotFound, PermissionDenied
from apps.groups.models import Group, GroupKind
from apps.invoicing.models import (
    BankCredit,
    BankStatement,
    BurdenShare,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceRun,
    InvoiceStatus,
    IssuerProfile,
)
from apps.vendors.models import Vendor

PAYMENT_STATES = {
    "unpaid": "未入金",
    "partly_paid": "一部入金",
    "paid": "入金済み",
    "overdue": "支払期限超過",
    "cancelled": "取消済み (赤伝)",
    "credit": "赤伝",
}


def cancelled_expression() -> Exists:
    """Whether an invoice has been cancelled by a credit note (赤伝) that refers to it."""
    return Exists(Invoice.objects.filter(corrects=OuterRef("pk"), kind=InvoiceKind.CREDIT_NOTE))


def _payable_and_owed(today: dt.date) -> tuple[Q, Q, Q]:
    """payable (issued, no credit note, not cancelled), owed (payable with something left to
    pay) and not yet due."""
    payable = Q(status=InvoiceStatus.ISSUED) & ~Q(kind=InvoiceKind.CREDIT_NOTE)
    payable &= Q(is_cancelled=False)
    owed = payable & Q(total_yen__gt=0) & Q(paid_yen__lt=F("total_yen"))
    not_due = Q(due_date__gte=today) | Q(due_date__isnull=True)
    return payable, owed, not_due


def payment_conditions(today: dt.date) -> dict[str, Q]:
    """The one definition of the payment states of an issued invoice: paid (nothing left to
    pay, credit notes included), overdue (past the due date and not fully paid), partly paid,
    unpaid. Filters use it as it is, lists as an annotation, a single invoice through
    Q.check, so the three can never disagree."""
    issued = Q(status=InvoiceStatus.ISSUED)
    credit_note = Q(kind=InvoiceKind.CREDIT_NOTE)
    payable, owed, not_due = _payable_and_owed(today)
    return {
        "cancelled": issued & ~credit_note & Q(is_cancelled=True),
        "credit": issued & credit_note,
        "paid": payable & ~Q(paid_yen__lt=F("total_yen")),
        "overdue": owed & Q(due_date__lt=today),
        "partly_paid": owed & Q(paid_yen__gt=0) & not_due,
        "unpaid": owed & Q(paid_yen=0) & not_due,
    }


def still_owed_q(today: dt.date) -> Q:
    """Overdue, partly paid or unpaid (the ageing's invoices) as one condition, a third the
    size of the three states joined by OR: past due, or not due and paid nothing or part."""
    _payable, owed, not_due = _payable_and_owed(today)
    return owed & (Q(due_date__lt=today) | (Q(paid_yen__gte=0) & not_due))


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
    """unpaid / partly_paid / paid / overdue / cancelled / credit ("" for a draft) of one
    invoice, by the same conditions: the annotation when it came from invoice_list, else one
    query."""
    if today is None and hasattr(invoice, "payment_state_now"):
        return str(invoice.payment_state_now)
    return str(
        Invoice.objects.filter(pk=invoice.pk)
        .annotate(is_cancelled=cancelled_expression())
        .annotate(state=payment_state_expression(today))
        .values_list("state", flat=True)
        .get()
    )


def _issuer_scope(viewer: Viewer) -> Q | None:
    if viewer.is_secretariat:
        groups = Group.objects.filter(staff__user_id=viewer.user.pk).values("pk")
        return Q(issuer_group__in=groups)
    if viewer.is_vendor:
        return Q(issuer_vendor__staff__user_id=viewer.user.pk)
    if viewer.is_operator:
        return Q()
    return None


def _seen_by(
    viewer: Viewer, *, fiscal_year: int | None = None, status: str | None = None
) -> QuerySet[Invoice]:
    """The invoices the viewer may see, with nothing joined or computed (the totals and the
    ageing start here: building the list's annotations for them cost more than their SQL)."""
    scope = _issuer_scope(viewer)
    if viewer.is_body_user:
        qs = Invoice.objects.filter(recipient=viewer.body, status=InvoiceStatus.ISSUED)
    elif scope is not None:
        qs = Invoice.objects.filter(scope)
    else:
        return Invoice.objects.none()
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    if status:
        qs = qs.filter(status=status)
    return qs


def invoice_list(
    *,
    viewer: Viewer,
    fiscal_year: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    payment: str | None = None,
    recipient_code: str | None = None,
) -> QuerySet[Invoice]:
    qs = (
        _seen_by(viewer, fiscal_year=fiscal_year, status=status)
        .select_related("recipient", "issuer_group", "issuer_vendor")
        .annotate(is_cancelled=cancelled_expression())
        .annotate(payment_state_now=payment_state_expression())
    )
    if kind:
        qs = qs.filter(kind=kind)
    if recipient_code:
        qs = qs.filter(recipient__code=recipient_code)
    if payment:
        qs = qs.filter(payment_state_q(payment))
    return qs.order_by("-fiscal_year", "issuer_key", "status", "sequence", "recipient__code")


INVOICE_ROW_FIELDS = (
    "pk",
    "number",
    "fiscal_year",
    "kind",
    "status",
    "issuer_name",
    "recipient_name",
    "recipient__code",
    "total_yen",
    "paid_yen",
    "due_date",
    "is_cancelled",
    "payment_state_now",
)


def invoice_rows(invoices: QuerySet[Invoice]) -> QuerySet[Any, dict[str, Any]]:
    """The invoice list's rows as plain values (invoices: an invoice_list, filtered): only
    what a row shows, no models. Building an invoice, its body, council and vendor for each
    row was most of the list's time."""
    return invoices.values(*INVOICE_ROW_FIELDS)


def no_invoices() -> QuerySet[Invoice]:
    """An empty list: the invoice filter's form, checked before any invoice is read."""
    return Invoice.objects.none()


def invoices_fingerprint(*, viewer: Viewer) -> str:
    """A value that changes whenever any invoice the viewer may see is added, changed or
    removed (apps/core/cache.fingerprint). Invoices, councils' staff and vendors' staff live in
    the public schema alone, so a body's page sends no SET for it."""
    # built once per viewer (apps/core/compiled.py): _seen_by reads the role, the site's body
    # and the user alone, and building it through the ORM was a tenth of the invoice page
    body = viewer.body.pk if viewer.body else None
    query = once(
        ("invoicing:fingerprint", viewer.system, viewer.role, body, viewer.user.pk),
        lambda: fingerprint_query(_seen_by(viewer)),
    )
    with shared_tables():
        return fingerprint(query)


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


@dataclass(frozen=True)
class Receivables:
    """What the viewer's invoices add up to: issued − credited − paid = outstanding."""

    issued_yen: int
    credited_yen: int
    paid_yen: int

    @property
    def outstanding_yen(self) -> int:
        return self.issued_yen - self.credited_yen - self.paid_yen


def receivables(*, viewer: Viewer, fiscal_year: int | None = None) -> Receivables:
    qs = _seen_by(viewer, fiscal_year=fiscal_year, status=InvoiceStatus.ISSUED)
    credit = Q(kind=InvoiceKind.CREDIT_NOTE)
    totals = qs.order_by().aggregate(
        issued=Coalesce(Sum("total_yen", filter=~credit), 0),
        credited=Coalesce(Sum("total_yen", filter=credit), 0),
        paid=Coalesce(Sum("paid_yen", filter=~credit), 0),
    )
    return Receivables(
        issued_yen=int(totals["issued"]),
        credited_yen=-int(totals["credited"]),
        paid_yen=int(totals["paid"]),
    )


AGEING_BUCKETS = (
    ("not_due", "期日前", None, 0),
    ("d1_30", "1〜30日超過", 1, 30),
    ("d31_60", "31〜60日超過", 31, 60),
    ("d61_90", "61〜90日超過", 61, 90),
    ("d91_", "90日超過", 91, None),
)


def ageing(
    *, viewer: Viewer, by: str = "recipient", today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Outstanding amounts of the viewer's payable invoices by how long they are overdue, one
    row per body (by="recipient") or per issuer (by="issuer"), in one query."""
    today = today or timezone.localdate()
    key = "recipient__code" if by == "recipient" else "issuer_key"
    name = "recipient_name" if by == "recipient" else "issuer_name"
    qs = (
        _seen_by(viewer, status=InvoiceStatus.ISSUED)
        .annotate(is_cancelled=cancelled_expression())
        .filter(still_owed_q(today))
    )
    owed = F("total_yen") - F("paid_yen")
    sums = {}
    for bucket, _label, low, high in AGEING_BUCKETS:
        if low is None:
            condition = Q(due_date__gte=today) | Q(due_date__isnull=True)
        else:
            condition = Q(due_date__lte=today - dt.timedelta(days=low))
            if high is not None:
                condition &= Q(due_date__gte=today - dt.timedelta(days=high))
        sums[bucket] = Coalesce(Sum(owed, filter=condition), 0)
    rows = qs.order_by().values(key, name).annotate(total=Sum(owed), **sums).order_by(key)
    return [
        {
            "key": r[key],
            "name": r[name],
            "total": int(r["total"]),
            **{b: int(r[b]) for b, *_ in AGEING_BUCKETS},
        }
        for r in rows
    ]


# --- issuers, their profiles, bank statements -------------------------------------------------


def issuer_choices(*, viewer: Viewer) -> list[tuple[str, str]]:
    """The issuers the viewer acts for: (key, name), "group:3" for each council the
    secretariat staffs, "vendor:7" for the vendor's own."""
    if viewer.is_secretariat:
        groups = Group.objects.filter(staff__user_id=viewer.user.pk).order_by("pk")
        return [(f"group:{g.pk}", g.name) for g in groups]
    if viewer.is_vendor:
        vendors = Vendor.objects.filter(staff__user_id=viewer.user.pk).order_by("pk")
        return [(f"vendor:{v.pk}", v.name) for v in vendors]
    return []


def issuer_check(*, viewer: Viewer, issuer_key: str) -> str:
    """The issuer's name, when the viewer acts for it; else 404 (403 for a role that issues
    nothing)."""
    viewer.require_issuer()
    name = dict(issuer_choices(viewer=viewer)).get(issuer_key)
    if name is None:
        raise NotFound("この請求者は見つからないか、担当していません。", "issuer_not_found")
    return name


def issuer_profile_get(*, viewer: Viewer, issuer_key: str) -> IssuerProfile | None:
    issuer_check(viewer=viewer, issuer_key=issuer_key)
    return IssuerProfile.objects.filter(issuer_key=issuer_key).first()


def issuer_has_profile(*, issuer_key: str) -> bool:
    return IssuerProfile.objects.filter(issuer_key=issuer_key).exists()


def statement_list(*, viewer: Viewer, issuer_key: str | None = None) -> QuerySet[BankStatement]:
    keys = [k for k, _ in issuer_choices(viewer=viewer)]
    if issuer_key is not None:
        keys = [k for k in keys if k == issuer_key]
    return BankStatement.objects.filter(issuer_key__in=keys).order_by("-uploaded_at", "-pk")


def statement_get(*, viewer: Viewer, statement_id: int) -> BankStatement:
    statement = statement_list(viewer=viewer).filter(pk=statement_id).first()
    if statement is None:
        raise NotFound("この明細は見つからないか、閲覧の権限がありません。", "statement_not_found")
    return statement


def credit_list(
    *, viewer: Viewer, issuer_key: str | None = None, status: str | None = None
) -> QuerySet[BankCredit]:
    keys = [k for k, _ in issuer_choices(viewer=viewer)]
    if issuer_key is not None:
        keys = [k for k in keys if k == issuer_key]
    qs = BankCredit.objects.filter(issuer_key__in=keys).select_related("statement", "invoice")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("booked_on", "statement_id", "line_no")


def credit_get(*, viewer: Viewer, credit_id: int) -> BankCredit:
    credit = credit_list(viewer=viewer).filter(pk=credit_id).first()
    if credit is None:
        raise NotFound("この入金明細は見つからないか、閲覧の権限がありません。", "credit_not_found")
    return credit


def open_invoices(*, issuer_keys: Iterable[str]) -> QuerySet[Invoice]:
    """Issuers' invoices that can still be paid: issued, not a credit note, not cancelled,
    something left to pay."""
    return (
        Invoice.objects.filter(issuer_key__in=list(issuer_keys), status=InvoiceStatus.ISSUED)
        .exclude(kind=InvoiceKind.CREDIT_NOTE)
        .annotate(is_cancelled=cancelled_expression())
        .filter(is_cancelled=False, total_yen__gt=F("paid_yen"))
    )


def credit_candidates(*, credits: Iterable[BankCredit], limit: int = 5) -> dict[int, list[Any]]:
    """For each credit of a page, the open invoices a person would look at first: those of
    its issuer owing exactly its amount, earliest due first. One query for the whole page."""
    credits = list(credits)
    wanted = {(c.issuer_key, c.amount_yen) for c in credits}
    if not wanted:
        return {}
    pairs = Q()
    for issuer_key, amount in wanted:
        pairs |= Q(issuer_key=issuer_key, owed=amount)
    invoices = (
        open_invoices(issuer_keys={k for k, _ in wanted})
        .annotate(owed=F("total_yen") - F("paid_yen"))
        .filter(pairs)
        .order_by("due_date", "pk")
    )
    by_pair: dict[tuple[str, int], list[Any]] = {}
    for invoice in invoices:
        by_pair.setdefault((invoice.issuer_key, invoice.owed), []).append(invoice)
    return {c.pk: by_pair.get((c.issuer_key, c.amount_yen), [])[:limit] for c in credits}
