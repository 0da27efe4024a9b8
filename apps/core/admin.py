from django.contrib import admin

from apps.core.admin_ja import PortalAdmin
from apps.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(PortalAdmin):
    list_display = ["at", "action", "target_type", "target_id", "schema", "actor_id"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
