"""Check that PostgreSQL and Redis answer where the settings say; if not, say so in one line
with what to do, and exit 1."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from config.settings import env  # noqa: E402

HINTS = {
    "PostgreSQL": "start it (Debian: pg_ctlcluster --skip-systemctl-redirect 15 main start) "
    "or set DATABASE_URL",
    "Redis": "start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379) "
    "or set REDIS_URL",
}


def reachable(url: str, default_port: int) -> tuple[str, int, bool]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    try:
        with socket.create_connection((host, port), timeout=2):
            return host, port, True
    except OSError:
        return host, port, False


def main() -> int:
    failed = False
    for name, url, port in (("PostgreSQL", env.DATABASE_URL, 5432), ("Redis", env.REDIS_URL, 6379)):
        host, port, ok = reachable(url, port)
        if not ok:
            print(f"{name} does not answer at {host}:{port}: {HINTS[name]}.", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
