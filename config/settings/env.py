"""Every environment variable the portal reads, read here once, each with a default that works on
a developer machine (local PostgreSQL and Redis on their standard ports, trust auth)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit


def _read(name: str, default: str) -> str:
    """NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def _bool(name: str, default: bool) -> bool:
    return _read(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DATABASE_URL = _read("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
REDIS_URL = _read("REDIS_URL", "redis://127.0.0.1:6379/0")
# The cache (apps/catalog/cache.py): the same Redis as REDIS_URL, database 1, unless set.
REDIS_CACHE_URL = _read("REDIS_CACHE_URL", urlsplit(REDIS_URL)._replace(path="/1").geturl())
# No default secret: the development and test settings use a fixed one of their own; production
# refuses to start without DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE).
SECRET_KEY = _read("DJANGO_SECRET_KEY", "")
# Off unless asked (DJANGO_DEBUG=1): a debug page lists every URL and setting.
DEBUG = _bool("DJANGO_DEBUG", False)
# Production serves over HTTPS: HSTS, redirect to https and secure cookies. Set PORTAL_HTTPS=0
# only behind something that is not HTTPS at all (never on the internet).
HTTPS = _bool("PORTAL_HTTPS", True)
HSTS_SECONDS = int(_read("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
# The base domain every body's site lives under: <slug>.<BASE_DOMAIN>.
BASE_DOMAIN = _read("PORTAL_BASE_DOMAIN", "localhost")
ALLOWED_HOSTS = [h for h in _read("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
EMAIL_URL_BACKEND = _read("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = _read("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")
# API tokens stop working this many days after they are issued.
API_TOKEN_TTL_DAYS = int(_read("API_TOKEN_TTL_DAYS", "30"))
TENANT_MIGRATION_PROCESSES = int(_read("TENANT_MIGRATION_PROCESSES", "2"))
# Invoice run: members per burden unit, contracts per usage unit, and how long without progress
# before a new start takes over an earlier attempt (a worker may have died).
INVOICE_BURDEN_CHUNK = int(_read("INVOICE_BURDEN_CHUNK", "1000"))
INVOICE_USAGE_CHUNK = int(_read("INVOICE_USAGE_CHUNK", "500"))
INVOICE_RUN_STALE_SECONDS = int(_read("INVOICE_RUN_STALE_SECONDS", "60"))
