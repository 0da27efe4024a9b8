from django.contrib import admin

from apps.contracts.models import Application, Contract, ContractTerm
from apps.core.admin_ja import PortalAdmin


class TermInline(admin.TabularInline):
    model = ContractTerm
    extra = 0


@admin.register(Application)
class ApplicationAdmin(PortalAdmin):
    list_display = ["body", "listing", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["body__name", "body__code", "listing__name"]


@admin.register(Contract)
class ContractAdmin(PortalAdmin):
    list_display = ["body", "listing", "vendor", "status", "start_month", "ends_on"]
    list_filter = ["status"]
    search_fields = ["body__name", "body__code", "listing__name"]
    inlines = [TermInline]
