from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from apps.core.filters import BodyCodeFilter, FiscalYearFilter, StaticFilterSet
from apps.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from apps.invoicing.selectors import PAYMENT_STATES, payment_state_q


class InvoiceFilter(StaticFilterSet):
    """The invoice list's filters, for the page, the CSV and the API alike (the fiscal year's
    bounds follow today's date when the value is validated, so the form class is kept)."""

    fiscal_year = FiscalYearFilter(label="年度")
    status = django_filters.ChoiceFilter(label="状態", choices=InvoiceStatus.choices)
    kind = django_filters.ChoiceFilter(label="種類", choices=InvoiceKind.choices)
    payment = django_filters.ChoiceFilter(
        label="入金状況", choices=list(PAYMENT_STATES.items()), method="filter_payment"
    )
    recipient = BodyCodeFilter(field_name="recipient__code", label="宛先の団体コード")

    class Meta:
        model = Invoice
        fields: list[str] = []

    def filter_payment(self, queryset: QuerySet[Invoice], name: str, value: str) -> QuerySet:
        return queryset.filter(payment_state_q(value))
