from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from apps.core.filters import BodyCodeFilter, FiscalYearFilter
from apps.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from apps.invoicing.selectors import PAYMENT_STATES, payment_state_q


class InvoiceFilter(django_filters.FilterSet):
    """The invoice list's filters, for the page, the CSV and the API alike."""

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
