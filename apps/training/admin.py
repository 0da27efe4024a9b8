from django.contrib import admin

from apps.core.admin_ja import PortalAdmin
from apps.training.models import Programme, Seat, Session, SupportScheme


@admin.register(Programme)
class ProgrammeAdmin(PortalAdmin):
    list_display = ["title", "group", "fiscal_year", "eligible_role", "per_body_cap"]
    list_filter = ["fiscal_year", "kind"]


@admin.register(Session)
class SessionAdmin(PortalAdmin):
    list_display = ["programme", "starts_at", "capacity"]


@admin.register(Seat)
class SeatAdmin(PortalAdmin):
    list_display = ["session", "body", "participant_name", "status", "completed"]
    list_filter = ["status"]


@admin.register(SupportScheme)
class SupportSchemeAdmin(PortalAdmin):
    """The operator stores each scheme's rate per fiscal year (特別交付税措置 0.7, ...)."""

    list_display = ["name", "fiscal_year", "rate"]
