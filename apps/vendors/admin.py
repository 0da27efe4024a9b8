from django.contrib import admin

from apps.core.admin_ja import PortalAdmin
from apps.vendors.models import Vendor, VendorStaff


class StaffInline(admin.TabularInline):
    model = VendorStaff
    extra = 0


@admin.register(Vendor)
class VendorAdmin(PortalAdmin):
    list_display = ["name", "corporate_number", "invoice_registration_number", "contact_email"]
    search_fields = ["name", "corporate_number"]
    inlines = [StaffInline]
