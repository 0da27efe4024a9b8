"""Saving computed invoices idempotently: one invoice per source key and revision. A draft is
refreshed in place, an issued invoice is left alone (unless a credit note cancelled it, when a
new revision is drafted), and nothing is ever created twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from psycopg.types.json import Jsonb

from apps.core.copying import copy_insert, copy_rows
from apps.invoicing.domain.billing import tax_totals
from apps.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus


@dataclass
class LineSpec:
    description: str
    amount_yen: int
    tax_category: str
    detail: dict[str, Any] = field(default_factory=dict)
    burden_share_id: int | None = None


@dataclass
class InvoiceSpec:
    kind: str
    fiscal_year: int
    issuer_key: str
    issuer_name: str
    recipient_id: int
    recipient_name: str
    source_key: str
    lines: list[LineSpec]
    issuer_group_id: int | None = None
    issuer_vendor_id: int | None = None
    issuer_registration_number: str = ""
    contract_id: int | None = None
    population_source: str = ""

    def totals(self) -> tuple[int, int, list[dict[str, object]]]:
        taxes = tax_totals([(line.amount_yen, line.tax_category) for line in self.lines])
        subtotal = sum(t.taxable_yen for t in taxes)
        return subtotal, sum(t.tax_yen for t in taxes), [t.as_json() for t in taxes]

    def fingerprint(self) -> list[tuple[str, int, str]]:
        return [(line.description, line.amount_yen, line.tax_category) for line in self.lines]


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _values(spec: InvoiceSpec, run_id: int | None) -> dict[str, Any]:
    """The invoice's columns that come from its spec: for a new invoice and a refreshed draft
    alike."""
    subtotal, tax, summary = spec.totals()
    return {
        "kind": spec.kind,
        "fiscal_year": spec.fiscal_year,
        "issuer_key": spec.issuer_key,
        "issuer_name": spec.issuer_name,
        "issuer_group_id": spec.issuer_group_id,
        "issuer_vendor_id": spec.issuer_vendor_id,
        "issuer_registration_number": spec.issuer_registration_number,
        "recipient_id": spec.recipient_id,
        "recipient_name": spec.recipient_name,
        "contract_id": spec.contract_id,
        "population_source": spec.population_source,
        "subtotal_yen": subtotal,
        "tax_yen": tax,
        "total_yen": subtotal + tax,
        "tax_summary": summary,
        "run_id": run_id,
    }


_LINE_COLUMNS = (
    "invoice",
    "position",
    "description",
    "amount_yen",
    "tax_category",
    "detail",
    "burden_share",
)


def save_invoices(specs: list[InvoiceSpec], *, run_id: int | None) -> SaveResult:
    result = SaveResult()
    if not specs:
        return result
    credited = Invoice.objects.filter(
        corrects=OuterRef("pk"), kind=InvoiceKind.CREDIT_NOTE, status=InvoiceStatus.ISSUED
    )
    latest: dict[str, Any] = {}
    for invoice in (
        Invoice.objects.filter(source_key__any=[s.source_key for s in specs])
        .annotate(is_credited=Exists(credited))
        .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")))
        .order_by("source_key", "-revision")
    ):
        latest.setdefault(invoice.source_key, invoice)
    new: list[tuple[str, int, InvoiceSpec]] = []  # source key, revision, spec
    refresh: list[tuple[Invoice, InvoiceSpec]] = []
    for spec in specs:
        current = latest.get(spec.source_key)
        if current is None:
            new.append((spec.source_key, 1, spec))
        elif current.status == InvoiceStatus.DRAFT:
            old = [(x.description, x.amount_yen, x.tax_category) for x in current.lines.all()]
            if old == spec.fingerprint() and current.recipient_id == spec.recipient_id:
                result.unchanged += 1
            else:
                refresh.append((current, spec))
        elif current.is_credited:
            new.append((spec.source_key, current.revision + 1, spec))
        else:
            result.unchanged += 1
    # COPY, not bulk_create: a run writes tens of thousands of invoices and lines, and
    # bulk_create spent most of a unit preparing their values (apps/core/copying.py).
    new_ids = copy_insert(
        Invoice,
        [
            {**_values(spec, run_id), "source_key": key, "revision": revision}
            for key, revision, spec in new
        ],
    )
    if refresh:
        InvoiceLine.objects.filter(invoice__in=[i for i, _ in refresh]).delete()
        for draft, spec in refresh:
            for name, value in _values(spec, run_id).items():
                setattr(draft, name, value)
        Invoice.objects.bulk_update(
            [i for i, _ in refresh],
            [
                "issuer_name",
                "issuer_registration_number",
                "recipient",
                "recipient_name",
                "subtotal_yen",
                "tax_yen",
                "total_yen",
                "tax_summary",
                "run",
                "population_source",
            ],
            batch_size=1000,
        )
    copy_rows(
        InvoiceLine,
        _LINE_COLUMNS,
        (
            (
                invoice_id,
                n,
                line.description,
                line.amount_yen,
                line.tax_category,
                Jsonb(line.detail),
                line.burden_share_id,
            )
            for invoice_id, spec in [
                *zip(new_ids, [spec for _, _, spec in new], strict=True),
                *[(draft.pk, spec) for draft, spec in refresh],
            ]
            for n, line in enumerate(spec.lines, start=1)
        ),
    )
    result.created += len(new)
    result.updated += len(refresh)
    return result
