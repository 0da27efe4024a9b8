from django.contrib import admin

from apps.core.admin_ja import PortalAdmin
from apps.groups.models import (
    Group,
    JointService,
    JointServiceYear,
    Membership,
    Participation,
    SecretariatStaff,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body"]


class StaffInline(admin.TabularInline):
    model = SecretariatStaff
    extra = 0


@admin.register(Group)
class GroupAdmin(PortalAdmin):
    list_display = ["name", "kind", "secretariat"]
    list_filter = ["kind"]
    inlines = [MembershipInline, StaffInline]
    autocomplete_fields = ["secretariat"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["body"]


@admin.register(JointServiceYear)
class JointServiceYearAdmin(PortalAdmin):
    list_display = ["service", "fiscal_year", "total_cost_yen", "method"]
    inlines = [ParticipationInline]


@admin.register(JointService)
class JointServiceAdmin(PortalAdmin):
    list_display = ["name", "group"]
