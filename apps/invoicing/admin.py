from django.contrib import admin

from apps.core.admin_ja import PortalAdmin
from apps.invoicing.models import Invoice, InvoiceLine, InvoiceRun, Payment


class LineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Invoice)
class InvoiceAdmin(PortalAdmin):
    """Read-only: invoices change only through the services (and never once issued)."""

    list_display = [
        "number",
        "kind",
        "fiscal_year",
        "issuer_name",
        "recipient",
        "total_yen",
        "paid_yen",
        "status",
    ]
    list_filter = ["kind", "status", "fiscal_year"]
    search_fields = ["number", "recipient__name", "recipient__code", "issuer_name"]
    inlines = [LineInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(InvoiceRun)
class InvoiceRunAdmin(PortalAdmin):
    list_display = [
        "fiscal_year",
        "status",
        "attempt",
        "units_done",
        "units_total",
        "invoices_created",
        "finished_at",
    ]


@admin.register(Payment)
class PaymentAdmin(PortalAdmin):
    list_display = ["invoice", "paid_on", "amount_yen", "recorded_by"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
