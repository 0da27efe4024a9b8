from django.contrib import admin

from apps.groups.models import Group, Membership, SecretariatStaff


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body"]


class StaffInline(admin.TabularInline):
    model = SecretariatStaff
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "secretariat"]
    list_filter = ["kind"]
    inlines = [MembershipInline, StaffInline]
    autocomplete_fields = ["secretariat"]
