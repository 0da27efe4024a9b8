"""migrate_schemas limited to the schemas that exist and need it.

- Only real schemas: the public schema, the template schema and the provisioned bodies
  (django-tenants would iterate over every Body row, and most of the 1,788 may have no schema).
- Only stale schemas: one query per 500 schemas reads every schema's django_migrations and the
  executor runs only where a migration on disk is not yet recorded. Loading Django's migration
  machinery for each of 1,788 up-to-date schemas costs about a minute; reading the tables costs a
  second. `--all-schemas` runs the executor everywhere regardless.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.management.commands import SyncCommon
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import get_public_schema_name, schema_exists

from apps.tenants.models import Body

CHUNK = 500


def stale_schemas(schemas: list[str]) -> list[str]:
    """The schemas whose django_migrations lacks a migration that exists on disk."""
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    recorded: dict[str, set[tuple[str, str]]] = {s: set() for s in schemas}
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for start in range(0, len(schemas), CHUNK):
            chunk = schemas[start : start + CHUNK]
            # Schema names are identifiers from our own table, quoted; values are parameters.
            sql = " UNION ALL ".join(
                f"SELECT %s, app, name FROM {q(s)}.django_migrations"  # noqa: S608
                for s in chunk
            )
            cursor.execute(sql, chunk)
            for schema, app, name in cursor.fetchall():
                recorded[schema].add((app, name))
    return [s for s in schemas if not on_disk <= recorded[s]]


class Command(MigrateSchemasCommand):
    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--all-schemas",
            action="store_true",
            help="run the executor on every schema, even up-to-date ones",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("schema_name"):
            super().handle(*args, **options)
            return
        SyncCommon.handle(self, *args, **options)
        self.PUBLIC_SCHEMA_NAME = get_public_schema_name()
        executor = GET_EXECUTOR_FUNCTION(codename=self.executor)(self.args, self.options)
        if self.sync_public:
            executor.run_migrations(tenants=[self.PUBLIC_SCHEMA_NAME])
        if not self.sync_tenant:
            return
        from apps.tenants.provisioning import template_schema_name

        schemas = [template_schema_name()] if schema_exists(template_schema_name()) else []
        schemas += list(
            Body.objects.filter(provisioned_at__isnull=False)
            .order_by("code")
            .values_list("schema_name", flat=True)
        )
        todo = schemas if options["all_schemas"] or options.get("fake") else stale_schemas(schemas)
        if int(options.get("verbosity", 1)) >= 1:
            self.stdout.write(f"{len(todo)} of {len(schemas)} body schemas need migrating")
        if todo:
            executor.run_migrations(tenants=todo)
