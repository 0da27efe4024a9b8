from django.contrib import admin

from apps.catalog.models import FeeBand, FeeSchedule, Listing
from apps.core.admin_ja import PortalAdmin


@admin.register(Listing)
class ListingAdmin(PortalAdmin):
    list_display = ["name", "vendor", "category", "pattern", "status"]
    list_filter = ["status", "category", "pattern"]
    search_fields = ["name", "vendor__name"]
    readonly_fields = ["search_text"]


class BandInline(admin.TabularInline):
    model = FeeBand
    extra = 0


@admin.register(FeeSchedule)
class FeeScheduleAdmin(PortalAdmin):
    """Read-only: a published schedule is frozen; vendors change fees by a new version."""

    list_display = ["listing", "fiscal_year", "version", "kind", "status"]
    list_filter = ["fiscal_year", "status", "kind"]
    inlines = [BandInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
