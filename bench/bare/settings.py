"""Settings of the bare reference: the same database and connection lifetime as the portal
(config/settings/base.py), nothing else. Its two views are in bench/bare/views.py."""

from __future__ import annotations

import dj_database_url

from config.settings import env

SECRET_KEY = "bench-bare-reference-not-a-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.bare.views"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60)}
