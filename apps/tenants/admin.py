from django.contrib import admin, messages
from django.db import transaction

from apps.core.admin_ja import PortalAdmin
from apps.tenants.models import Body, Domain, PopulationFigure


class PopulationInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0


@admin.register(Body)
class BodyAdmin(PortalAdmin):
    list_display = ["code", "name", "prefecture", "kind", "slug", "provisioned_at"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["code", "name", "kana", "slug"]
    readonly_fields = ["schema_name", "provisioned_at"]
    inlines = [PopulationInline]
    actions = ["provision"]

    @admin.action(description="選択した団体のスキーマを作成する (バックグラウンド)")
    def provision(self, request, queryset):
        from apps.tenants.tasks import provision_bodies

        codes = list(queryset.filter(provisioned_at__isnull=True).values_list("code", flat=True))
        if not codes:
            self.message_user(request, "選択した団体はすべて作成済みです。", messages.INFO)
            return
        transaction.on_commit(lambda: provision_bodies.delay(codes))
        self.message_user(
            request, f"{len(codes)}団体のスキーマ作成を開始しました。数分で完了します。"
        )


@admin.register(Domain)
class DomainAdmin(PortalAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    search_fields = ["domain"]
