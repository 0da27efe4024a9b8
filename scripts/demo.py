"""`make demo`: the portal as it runs in production, on one machine.

PostgreSQL and Redis come from scripts/services.py (the machine's when they answer, else
embedded ones with their data in .data/). The first run creates the database, migrates every
schema and loads the Aichi demo; later runs find it there and serve within seconds (the
migrations run again only when a migration file changed). Then gunicorn serves with DEBUG off
(static files through WhiteNoise, Japanese error pages, *.localhost allowed), beside a Celery
worker and Celery beat. Ctrl-C or SIGTERM stops all of them and the embedded servers this run
started; any of them dying stops the rest and says which, with its log.

`make dev` (python scripts/demo.py --dev) serves with Django's runserver instead (DEBUG on).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import services  # noqa: E402

PORT = os.environ.get("PORTAL_PORT", "8000")
STATE = services.DATA / "demo-state.json"


def create_database_if_missing(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", flush=True)


def demo_loaded(url: str) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT to_regclass('public.tenants_body')").fetchone()
        if row is None or row[0] is None:
            return False
        count = conn.execute("SELECT count(*) FROM tenants_body WHERE provisioned_at IS NOT NULL")
        return bool(count.fetchone()[0])  # type: ignore[index]


def migrations_fingerprint() -> str:
    names = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("apps/*/migrations/*.py"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, env=env)


def prepare(env: dict[str, str], database_url: str) -> None:
    """Create, migrate and load only what is not there yet."""
    create_database_if_missing(database_url)
    state = json.loads(STATE.read_text()) if STATE.exists() else {}
    fingerprint = migrations_fingerprint()
    loaded = demo_loaded(database_url)
    if loaded and state.get(database_url) == fingerprint:
        print("the demo data is already in the database: starting", flush=True)
        manage("load_demo", "--port", PORT, "--print-only", env=env)
        return
    started = time.monotonic()
    manage("migrate_schemas", "--shared", "-v", "0", env=env)
    manage("load_demo", "--port", PORT, env=env)
    manage("migrate_schemas", "--tenant", "-v", "0", env=env)
    services.DATA.mkdir(exist_ok=True)
    state[database_url] = fingerprint
    STATE.write_text(json.dumps(state))
    print(f"database ready in {time.monotonic() - started:.0f} s", flush=True)


def spawn(name: str, args: list[str], env: dict[str, str]) -> tuple[str, subprocess.Popen]:  # type: ignore[type-arg]
    return name, subprocess.Popen(args, cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    dev = "--dev" in argv
    try:
        found = services.ensure()
    except services.ServiceError as exc:
        services.say(str(exc))
        return 1
    env = {**os.environ}
    if not dev:
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY=services.secret_key(),
            DJANGO_DEBUG="0",
            PORTAL_HTTPS="0",  # plain http on localhost; production sits behind HTTPS
        )
    else:
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        env.setdefault("DJANGO_DEBUG", "1")
    children: list[tuple[str, subprocess.Popen]] = []  # type: ignore[type-arg]
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    parent = os.getppid()
    code = 0
    try:
        prepare(env, found.database_url)
        if not dev:
            manage("collectstatic", "--noinput", "-v", "0", env=env)
        services.DATA.mkdir(exist_ok=True)
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        worker = [*celery, "worker", "--loglevel=WARNING", "--concurrency=2"]
        children.append(spawn("Celery worker", worker, env))
        children.append(
            spawn(
                "Celery beat",
                [
                    *celery,
                    "beat",
                    "--loglevel=WARNING",
                    "--schedule",
                    str(services.DATA / "celerybeat-schedule"),
                ],
                env,
            )
        )
        if dev:
            web = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"]
        else:
            web = [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ]
        children.append(spawn("web server", web, env))
        how = "runserver, DEBUG on" if dev else "gunicorn, DEBUG off"
        print(
            f"\nServing on http://localhost:{PORT}/ ({how}) with a Celery worker and beat"
            " — Ctrl-C stops everything.\n",
            flush=True,
        )
        while not stopping:
            time.sleep(0.5)
            if stopping:  # Ctrl-C or SIGTERM: the children got it too, and stop on their own
                break
            for name, proc in children:
                if proc.poll() is not None:
                    print(
                        f"\n{name} stopped (exit {proc.returncode}): stopping the demo.",
                        file=sys.stderr,
                        flush=True,
                    )
                    stopping, code = True, 1
            crash = services.crashed()
            if crash:
                print(f"\n{crash}: stopping the demo.", file=sys.stderr, flush=True)
                stopping, code = True, 1
            if os.getppid() != parent:  # make was killed on its own: do not outlive it
                stopping = True
    except subprocess.CalledProcessError as exc:
        print(f"{' '.join(exc.cmd[1:3])} failed (exit {exc.returncode})", file=sys.stderr)
        code = 1
    finally:
        for _, proc in children:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _, proc in children:
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        stopped = services.stop(found.started)
        if stopped:
            services.say(f"stopped the embedded {' and '.join(stopped)}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
