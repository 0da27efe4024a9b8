"""Provisioning bodies' schemas by copying a template schema.

Running Django's migrations once per body costs about a second each (the migration graph is
loaded and every operation replayed), which is half an hour for 1,788 bodies. Instead the
template schema (settings.TENANT_TEMPLATE_SCHEMA) is migrated normally, once, and each new
body's schema is a structural copy of it made from the catalogue: the same tables, columns,
defaults, identity columns, constraints and indexes under the same names (later migrations that
drop a constraint by name still find it), plus the template's django_migrations rows. All the
DDL of one body is sent in one round trip; bodies go in batches, one transaction per batch, each
body's schema, domain and provisioned_at committed together, so a crash leaves no half-made body.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_exists

from apps.core.services import audit_record
from apps.tenants import cache as tenants_cache
from apps.tenants.models import Body, Domain

BATCH_SIZE = 50


@dataclass(frozen=True)
class SchemaBlueprint:
    """The template schema's structure as SQL with the placeholder schema name {schema}."""

    statements: tuple[str, ...]

    def sql_for(self, schema: str) -> str:
        quoted = connection.ops.quote_name(schema)
        return ";\n".join(s.replace("{schema}", quoted) for s in self.statements) + ";"


@dataclass(frozen=True)
class ProvisionResult:
    provisioned: list[str]
    already: int
    seconds: float


def template_schema_name() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def template_schema_migrate(verbosity: int = 0) -> None:
    """Create the template schema if missing and apply every tenant migration to it."""
    name = template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {connection.ops.quote_name(name)}")
    call_command(
        "migrate_schemas",
        schema_name=name,
        tenant=True,
        interactive=False,
        verbosity=verbosity,
        executor="standard",
    )


def schema_blueprint(template: str | None = None) -> SchemaBlueprint:
    template = template or template_schema_name()
    q = connection.ops.quote_name
    src = q(template)
    statements: list[str] = ["CREATE SCHEMA {schema}"]
    with connection.cursor() as cursor:
        # With only pg_catalog on the path, the catalogue prints every name schema-qualified.
        cursor.execute("SET LOCAL search_path = pg_catalog")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY c.relname",
            [template],
        )
        tables = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT c.relname, a.attname FROM pg_attrdef d "
            "JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
            "WHERE n.nspname = %s AND pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%%'",
            [template],
        )
        serials = cursor.fetchall()
        if serials:
            raise RuntimeError(f"serial columns cannot be copied, use identity: {serials}")
        # Constraints: primary keys, uniques, checks, exclusions first, foreign keys last.
        cursor.execute(
            "SELECT c.relname, con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con "
            "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND con.contype IN ('p', 'u', 'c', 'x', 'f') "
            "ORDER BY con.contype = 'f', c.relname, con.conname",
            [template],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid) "
            "ORDER BY 1",
            [template],
        )
        indexes = [r[0] for r in cursor.fetchall()]
        cursor.execute("SET LOCAL search_path = DEFAULT")
    qualified = f"{src}."
    for table in tables:
        statements.append(
            f"CREATE TABLE {{schema}}.{q(table)} (LIKE {src}.{q(table)} "
            "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED)"
        )
    for table, name, definition in constraints:
        definition = definition.replace(qualified, "{schema}.").replace(f"{template}.", "{schema}.")
        statements.append(
            f"ALTER TABLE {{schema}}.{q(table)} ADD CONSTRAINT {q(name)} {definition}"
        )
    for index in indexes:
        statements.append(
            index.replace(f" ON {qualified}", " ON {schema}.").replace(
                f" ON {template}.", " ON {schema}."
            )
        )
    statements.append(
        "INSERT INTO {schema}.django_migrations (app, name, applied) "  # noqa: S608 (quoted names)
        f"SELECT app, name, applied FROM {src}.django_migrations ORDER BY id"
    )
    return SchemaBlueprint(tuple(statements))


def body_provision(
    *,
    bodies: Iterable[Body],
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ProvisionResult:
    """Create the schema and domain of every given body that has none yet. Idempotent."""
    started = time.perf_counter()
    template_schema_migrate()
    blueprint = schema_blueprint()
    bodies = list(bodies)
    todo = [b for b in bodies if b.provisioned_at is None]
    already = len(bodies) - len(todo)
    done: list[str] = []
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        with transaction.atomic():
            # Lock the rows and skip any body another process provisioned meanwhile.
            fresh = list(
                Body.objects.select_for_update()
                .filter(pk__in=[b.pk for b in batch], provisioned_at__isnull=True)
                .order_by("code")
            )
            already += len(batch) - len(fresh)
            now = timezone.now()
            with connection.cursor() as cursor:
                for body in fresh:
                    if schema_exists(body.schema_name):
                        raise RuntimeError(
                            f"schema {body.schema_name} exists but body {body.code} is not "
                            "marked provisioned; inspect it and drop it before provisioning"
                        )
                    cursor.execute(blueprint.sql_for(body.schema_name))
            Domain.objects.bulk_create(
                [Domain(domain=domain_for(body), tenant=body, is_primary=True) for body in fresh]
            )
            Body.objects.filter(pk__in=[b.pk for b in fresh]).update(provisioned_at=now)
            tenants_cache.changed()  # a queryset update sends no signal
            for body in fresh:
                body.provisioned_at = now
            done.extend(b.code for b in fresh)
        if progress:
            progress(min(start + batch_size, len(todo)), len(todo))
    if done:
        audit_record(
            actor=None,
            action="bodies.provisioned",
            target=None,
            data={"count": len(done), "codes": done[:100]},
        )
    return ProvisionResult(done, already, time.perf_counter() - started)


def domain_for(body: Body) -> str:
    return f"{body.slug}.{settings.BASE_DOMAIN}"
