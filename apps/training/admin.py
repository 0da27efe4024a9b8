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
    """The operator keeps each scheme per fiscal year: who pays, what it covers, the rate, the
    caps per body and the joint-use bonus (特別交付税措置 0.7, ...)."""

    list_display = [
        "name",
        "fiscal_year",
        "payer",
        "purpose",
        "rate",
        "cap_yen",
        "cap_uses",
        "bonus_points",
        "bonus_min_bodies",
    ]
    list_filter = ["fiscal_year", "purpose", "payer"]
