from __future__ import annotations

from pathlib import Path

import dj_database_url

from config.settings import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# A fixed key for development and tests only; production.py requires DJANGO_SECRET_KEY.
DEVELOPMENT_SECRET_KEY = "development-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
SECRET_KEY = env.SECRET_KEY or DEVELOPMENT_SECRET_KEY
DEBUG = env.DEBUG
BASE_DOMAIN = env.BASE_DOMAIN
# Hosts that serve the public site (secretariats, vendors, operators, the open catalogue).
PUBLIC_HOSTS = [BASE_DOMAIN, "127.0.0.1", "testserver"]
ALLOWED_HOSTS = env.ALLOWED_HOSTS or [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1", "testserver"]

# Apps whose tables live once, in the public schema: everything two parties share.
# apps.tenants comes before django_tenants so that its migrate/migrate_schemas commands (which
# only visit provisioned schemas) take precedence over django-tenants' own.
SHARED_APPS = [
    "apps.tenants",
    "django_tenants",
    "apps.core",
    "apps.accounts",
    "apps.vendors",
    "apps.groups",
    "apps.catalog",
    "apps.contracts",
    "apps.invoicing",
    "apps.training",
    "apps.surveys",
    "apps.outlook",
    "apps.demo",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.accounts.apps.AxesJapaneseConfig",  # django-axes, named in Japanese
    "csp",
]
# Apps with tables in every body's schema: what one body alone owns (its staff accounts).
# Each table here is multiplied by ~1,800 bodies, so this list stays short.
TENANT_APPS = [
    "apps.accounts",
    "apps.approvals",
]
INSTALLED_APPS = list(SHARED_APPS) + [a for a in TENANT_APPS if a not in SHARED_APPS]

TENANT_MODEL = "tenants.Body"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_body"
# The schema every new body's schema is copied from (see apps/tenants/provisioning.py).
TENANT_TEMPLATE_SCHEMA = "body_template"
MIGRATION_EXECUTOR = "multiprocessing"
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.TENANT_MIGRATION_PROCESSES
TENANT_MULTIPROCESSING_CHUNKS = 50
# SET search_path once per schema switch, not before every query (each SET is a round trip; a
# rollback or savepoint rollback makes django-tenants issue it again).
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "apps.core.middleware.CacheScopeMiddleware",  # cache reads ahead live for one request
    "apps.tenants.middleware.BodyHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # Japanese (the one language), Content-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.core.middleware.ApplicationErrorMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["ENGINE"] = "apps.core.db"  # django-tenants', one SET fewer
# No JIT compilation: the portal's queries are short, and PostgreSQL compiled one whose row
# estimate ran high (a table without statistics yet) for 35 ms to run it in 20.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the session's user read through Redis (apps/accounts/backends.py)
    "apps.accounts.backends.CachedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from Redis (the cache) and written through to PostgreSQL, which keeps them
# when Redis restarts: no session query on each request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from the portal's own static
# files, no inline script (the pages' behaviour is in static/js/), inline style attributes
# allowed (templates set widths of bars), nothing framed, forms post only to the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# django-axes: lock a log-in name out after 5 failures within an hour. The name is qualified
# by the site (body schema or public), so "tanaka" at one body never locks out "tanaka" at another.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "apps.accounts.auth.axes_username"
AXES_LOCKOUT_CALLABLE = "apps.accounts.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "ja"
# Japanese only: the English mode was half translated and is gone (issue #12). The templates
# keep {% translate %}, so a complete catalogue could be added back without touching them.
LANGUAGES = [("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # Japanese for django-axes's admin strings
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

REST_FRAMEWORK = {
    # Token first: a refused or missing credential is a 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.openapi.PortalAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    # The API speaks JSON only (forms are the pages' business).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "自治体共同利用ポータル API",
    "DESCRIPTION": "Shared-services portal for Japanese local governments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Operations are grouped (tagged) and named by the resource after /api/v1/.
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Each choice set is its own enum component (several models have a field named "kind").
    "ENUM_NAME_OVERRIDES": {
        "FeeKindEnum": "apps.catalog.models.FeeKind",
        "ProgrammeKindEnum": "apps.training.models.ProgrammeKind",
        "InvoiceKindEnum": "apps.invoicing.models.InvoiceKind",
        "ReviewKindEnum": "apps.approvals.models.ReviewKind",
        "BodyKindEnum": "apps.tenants.models.BodyKind",
        "GroupKindEnum": "apps.groups.models.GroupKind",
        "ApportionmentKindEnum": "apps.groups.models.ApportionmentKind",
        "ApplicationStatusEnum": "apps.contracts.models.ApplicationStatus",
        "ContractStatusEnum": "apps.contracts.models.ContractStatus",
        "ListingStatusEnum": "apps.catalog.models.ListingStatus",
        "InvoiceStatusEnum": "apps.invoicing.models.InvoiceStatus",
        "PatternEnum": "apps.catalog.models.Pattern",
        "DecisionPatternEnum": "apps.surveys.models.Pattern",
        "TalentKindEnum": "apps.accounts.models.TalentKind",
    },
}

# What is the same for every viewer (the catalogue's results and fee schedules, apps/catalog/
# cache.py) is cached in Redis, in a database of its own beside Celery's.
CACHES = {
    "default": {
        "BACKEND": "apps.core.redis_cache.RedisCache",
        "LOCATION": env.REDIS_CACHE_URL,
        "KEY_PREFIX": "portal",
    }
}

CELERY_BROKER_URL = env.REDIS_URL
CELERY_RESULT_BACKEND = env.REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

EMAIL_BACKEND = env.EMAIL_URL_BACKEND
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "portal.auth": {"handlers": ["console"], "level": "INFO"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Lock-out is per log-in name, not per address: a whole city hall often reaches the portal
# through one NAT address, and locking that address would lock out every member of its staff.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# The population figure quotes, prices and (by default) apportionments use.
DEFAULT_POPULATION_SOURCE = "census-2020"

INVOICE_BURDEN_CHUNK = env.INVOICE_BURDEN_CHUNK
INVOICE_USAGE_CHUNK = env.INVOICE_USAGE_CHUNK
INVOICE_RUN_STALE_SECONDS = env.INVOICE_RUN_STALE_SECONDS
API_TOKEN_TTL_DAYS = env.API_TOKEN_TTL_DAYS
INVOICE_PAYMENT_DAYS = 30  # 支払遅延防止法: pay within 30 days of a proper invoice
# A payment may be dated up to this many days before its invoice was issued (a body that pays
# on the basis of the budget notice, before the formal invoice); never later than today.
PAYMENT_EARLY_DAYS = 30

from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    # 1 April, 00:00 in CELERY_TIMEZONE (Asia/Tokyo): the fiscal year that starts that day.
    "invoice-run-new-fiscal-year": {
        "task": "invoicing.start_fiscal_year",
        "schedule": crontab(minute="0", hour="0", day_of_month="1", month_of_year="4"),
    },
    "surveys-reminders": {
        "task": "surveys.send_reminders",
        "schedule": crontab(minute="0", hour="9"),
    },
    "contracts-close-ended": {
        "task": "contracts.close_ended",
        "schedule": crontab(minute="5", hour="0"),
    },
}
