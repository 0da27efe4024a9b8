"""`make demo`: create the database if missing, migrate every schema, load the Aichi demo, start
a Celery worker and serve the portal on http://localhost:8000 until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
PORT = os.environ.get("PORTAL_PORT", "8000")


def create_database_if_missing(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def main() -> int:
    from scripts.check_services import main as check_services

    if check_services() != 0:
        return 1
    from config.settings import env

    create_database_if_missing(env.DATABASE_URL)
    manage("migrate_schemas", "--shared", "-v", "0")
    manage("load_demo", "--port", PORT)
    manage("migrate_schemas", "--tenant", "-v", "0")
    (ROOT / "var").mkdir(exist_ok=True)
    # The worker also runs the beat schedule (-B): fine on one machine; docker/ runs beat apart.
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            "-B",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
        cwd=ROOT,
    )
    print(
        f"\nCelery worker started (pid {worker.pid}). Serving on http://localhost:{PORT}/ "
        "— Ctrl-C stops both.\n",
        flush=True,
    )
    try:
        subprocess.run(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            cwd=ROOT,
            check=False,
        )
    except KeyboardInterrupt:
        pass
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
