from django.contrib import admin

from apps.accounts.models import User
from apps.core.admin_ja import PortalAdmin


@admin.register(User)
class UserAdmin(PortalAdmin):
    """Public-schema users (secretariat, vendor staff, operators). A body's staff live in the
    body's schema and are managed by its local administrator at the body's address."""

    list_display = ["username", "full_name", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    exclude = ["password", "last_login"]
