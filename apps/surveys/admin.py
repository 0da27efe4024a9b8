"""The operator reads surveys, options, decisions and calls here; every change goes through
the services (the secretariat's console and the API), so the admin is read-only."""

from typing import Any

from django.contrib import admin

from apps.core.admin_ja import PortalAdmin
from apps.surveys.models import Decision, SavingsOption, ServiceCall, Survey


class ReadOnly(PortalAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Survey)
class SurveyAdmin(ReadOnly):
    list_display = ("title", "group", "audience_kind", "deadline", "audience_count")
    search_fields = ("title", "area")


@admin.register(SavingsOption)
class SavingsOptionAdmin(ReadOnly):
    list_display = ("label", "survey", "total_cost_yen")


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ("survey", "pattern", "go", "outcome", "decided_at")


@admin.register(ServiceCall)
class ServiceCallAdmin(ReadOnly):
    list_display = ("title", "area", "interested_bodies", "published_at")
