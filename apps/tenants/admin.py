from django.contrib import admin

from apps.tenants.models import Body, Domain, PopulationFigure


class PopulationInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "prefecture", "kind", "slug", "provisioned_at"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["code", "name", "kana", "slug"]
    readonly_fields = ["schema_name", "provisioned_at"]
    inlines = [PopulationInline]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    search_fields = ["domain"]
