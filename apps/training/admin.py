from django.contrib import admin

from apps.training.models import Programme, Seat, Session, SupportScheme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "fiscal_year", "eligible_role", "per_body_cap"]
    list_filter = ["fiscal_year", "kind"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["programme", "starts_at", "capacity"]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["session", "body", "participant_name", "status", "completed"]
    list_filter = ["status"]


@admin.register(SupportScheme)
class SupportSchemeAdmin(admin.ModelAdmin):
    """The operator stores each scheme's rate per fiscal year (特別交付税措置 0.7, ...)."""

    list_display = ["name", "fiscal_year", "rate"]
