"""Provisioning figures, printed (not asserted). Runs against its own database, portal_bench,
which it drops and recreates.

    .venv/bin/python -m bench.provisioning [--executor multiprocessing|standard] [--skip-migrate]

Prints:
  - one body's schema through Django's migrations (the path the template avoids);
  - one body's schema copied from the template;
  - all 1,788 bodies copied from the template;
  - migrate_schemas with nothing to apply across every schema, with the chosen executor.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--executor", default="multiprocessing")
    parser.add_argument(
        "--skip-migrate",
        action="store_true",
        help="skip the slow run of the executor over every schema",
    )
    args = parser.parse_args()

    # Set before anything reads the settings (config.settings.env reads it once, at import).
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    url = urlsplit(base_url)._replace(path="/portal_bench").geturl()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    import psycopg

    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS portal_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE portal_bench")

    import django

    django.setup()
    from django.conf import settings

    assert settings.DATABASES["default"]["NAME"] == "portal_bench"
    from django.core.management import call_command
    from django.db import connection

    from apps.tenants.domain.reference import parse_reference_csv
    from apps.tenants.models import Body
    from apps.tenants.provisioning import (
        body_provision,
        schema_blueprint,
        template_schema_migrate,
    )
    from apps.tenants.services import body_import_reference

    call_command("migrate_schemas", shared=True, verbosity=0, interactive=False)
    with (ROOT / "data" / "municipalities.csv").open(encoding="utf-8") as fh:
        t = time.perf_counter()
        body_import_reference(records=parse_reference_csv(fh))
        print(f"import 1,788 bodies with 3,576 census figures: {time.perf_counter() - t:.2f} s")

    # One schema through Django's own migrations.
    with connection.cursor() as c:
        c.execute("CREATE SCHEMA bench_migrated")
    t = time.perf_counter()
    call_command(
        "migrate_schemas",
        schema_name="bench_migrated",
        tenant=True,
        verbosity=0,
        interactive=False,
        executor="standard",
    )
    print(f"one body's schema by running its migrations: {1000 * (time.perf_counter() - t):.0f} ms")
    with connection.cursor() as c:
        c.execute("DROP SCHEMA bench_migrated CASCADE")

    template_schema_migrate()
    blueprint = schema_blueprint()
    print(f"template blueprint: {len(blueprint.statements)} statements per body")
    t = time.perf_counter()
    one = body_provision(bodies=[Body.objects.get(code="232033")])
    print(
        f"one body's schema copied from the template, with its domain, including the check "
        f"that the template is migrated: {1000 * (time.perf_counter() - t):.0f} ms"
    )
    assert one.provisioned == ["232033"]

    bodies = list(Body.objects.order_by("code"))
    t = time.perf_counter()
    result = body_provision(bodies=bodies)
    total = time.perf_counter() - t
    print(
        f"provision all remaining {len(result.provisioned)} bodies: {total:.1f} s "
        f"({1000 * total / max(1, len(result.provisioned)):.1f} ms per body)"
    )
    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname IN "
            "(SELECT schema_name FROM tenants_body WHERE provisioned_at IS NOT NULL)"
        )
        print(f"schemas present: {c.fetchone()[0]}")

    connection.close()
    runs = [("", "only the stale schemas, found by reading django_migrations")]
    if not args.skip_migrate:
        runs.append(("--all-schemas", f"every schema through the {args.executor} executor"))
    for flag, label in runs:
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "migrate_schemas",
                "--tenant",
                "-v",
                "0",
                f"--executor={args.executor}",
                *([flag] if flag else []),
            ],
            cwd=ROOT,
            check=True,
            env={**os.environ},
        )
        print(
            f"migrate_schemas --tenant, nothing to apply, {len(bodies) + 1} schemas, {label}: "
            f"{time.perf_counter() - t:.1f} s"
        )


if __name__ == "__main__":
    main()
