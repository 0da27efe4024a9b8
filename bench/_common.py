"""Shared by the benchmarks: a database of their own, a real server, concurrent clients."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "portal_bench"


def use_bench_database(fresh: bool = True) -> str:
    """Point DATABASE_URL at portal_bench (before Django reads the settings); fresh: recreate it
    with the shared (public) schema and the bodies' template schema migrated, and empty the
    cache (Redis database 1).

    The migrated empty database is kept as a template (portal_bench_base_<digest of the
    migrations>), so each fresh start copies it instead of running every migration again; a
    change to any migration makes a new template (and drops the old one)."""
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    url = urlsplit(base_url)._replace(path=f"/{BENCH_DB}").geturl()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    assert settings.DATABASES["default"]["NAME"] == BENCH_DB
    if fresh:
        import psycopg
        from django.core.cache import cache
        from django.core.management import call_command

        from apps.tenants.provisioning import template_schema_migrate

        connections.close_all()  # a benchmark that measures several sizes: close before dropping
        template = f"{BENCH_DB}_base_{_migrations_digest()}"
        admin = urlsplit(url)._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            kept = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if kept.fetchone():
                conn.execute(f"CREATE DATABASE {BENCH_DB} TEMPLATE {template}")
            else:
                conn.execute(f"CREATE DATABASE {BENCH_DB}")
                call_command("migrate_schemas", shared=True, verbosity=0, interactive=False)
                template_schema_migrate()  # the schema each body's is copied from
                connections.close_all()
                old = conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s",
                    [f"{BENCH_DB}_base_%"],
                ).fetchall()
                for (name,) in old:
                    conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                conn.execute(f"CREATE DATABASE {template} TEMPLATE {BENCH_DB}")
        # a new database numbers its rows from 1 again: nothing cached from the last one
        cache.clear()
    return url


def _migrations_digest() -> str:
    """What the template database is made from: every installed app's migrations (names and
    files), shared and per-body alike."""
    import hashlib
    import inspect

    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        digest.update(Path(inspect.getfile(type(loader.disk_migrations[key]))).read_bytes())
    return digest.hexdigest()[:12]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    workers: int = 4, threads: int = 1, app: str = "config.wsgi:application"
) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def measure_page(client, path: str, runs: int = 3) -> tuple[list[float], int, int]:  # type: ignore[no-untyped-def]
    """One page through Django's test client, in-process: a warm-up, then `runs` timed
    requests (the whole body read, streamed or not). Returns the times in seconds, the SQL
    queries of the last request and its size in bytes; a status other than 200 stops."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up
    times: list[float] = []
    queries = size = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        queries, size = len(q), len(body)
    return times, queries, size


def timings(times: list[float]) -> str:
    """ "12 / 10 / 11 ms (median 11 ms)"."""
    each = " / ".join(f"{t * 1000:.0f}" for t in times)
    return f"{each} ms (median {statistics.median(times) * 1000:.0f} ms)"


def start_bare(workers: int = 2) -> tuple[subprocess.Popen, int]:
    """The bare-Django reference (bench/bare/) under the same gunicorn settings."""
    return start_gunicorn(workers=workers, app="bench.bare.wsgi:application")


def wrk_run(
    port: int,
    requests: list[str],
    *,
    expected: int = 200,
    threads: int = 2,
    connections: int = 20,
    seconds: int = 10,
) -> dict[str, float]:
    """`wrk -t2 -c20 -d10s` over `requests` (lines of bench/wrk.lua's file format). Returns
    requests per second, p50 and p95 in milliseconds, and the errors: socket errors plus any
    status other than `expected`."""
    import json
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as fh:
        fh.write("\n".join(requests) + "\n")
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            f"http://127.0.0.1:{port}",
            "--",
            fh.name,
            str(expected),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WRK_THREADS": str(threads)},
    )
    Path(fh.name).unlink()
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "per_second": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "errors": figures["socket_errors"] + figures["unexpected_status"],
        "error_status": figures["unexpected_example"],  # one status other than `expected`
        "requests": figures["requests"],
    }


def errors_text(figures: dict[str, float]) -> str:
    """ "0 errors", or "12 errors (e.g. 409)"."""
    n = figures["errors"]
    return f"{n:.0f} errors (e.g. {figures['error_status']:.0f})" if n else "0 errors"


def request_line(method: str, path: str, headers: dict[str, str], body: str = "") -> str:
    return "\t".join([method, path, body, *(f"{k}: {v}" for k, v in headers.items())])
