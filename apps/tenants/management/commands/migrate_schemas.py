"""migrate_schemas limited to the schemas that exist: the public schema, the template schema and
the provisioned bodies. (django-tenants would iterate over every Body row, and most of the 1,788
bodies may have no schema yet.)"""

from __future__ import annotations

from typing import Any

from django_tenants.management.commands import SyncCommon
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import get_public_schema_name, schema_exists

from apps.tenants.models import Body


class Command(MigrateSchemasCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("schema_name"):
            super().handle(*args, **options)
            return
        SyncCommon.handle(self, *args, **options)
        self.PUBLIC_SCHEMA_NAME = get_public_schema_name()
        executor = GET_EXECUTOR_FUNCTION(codename=self.executor)(self.args, self.options)
        if self.sync_public:
            executor.run_migrations(tenants=[self.PUBLIC_SCHEMA_NAME])
        if self.sync_tenant:
            from apps.tenants.provisioning import template_schema_name

            schemas = [template_schema_name()] if schema_exists(template_schema_name()) else []
            schemas += list(
                Body.objects.filter(provisioned_at__isnull=False)
                .order_by("code")
                .values_list("schema_name", flat=True)
            )
            if schemas:
                executor.run_migrations(tenants=schemas)
