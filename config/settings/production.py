"""Production: only flips values of base.py (every variable is read in config/settings/env.py)."""

from django.core.exceptions import ImproperlyConfigured

from config.settings import env
from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DOMAIN

if not env.SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is not set: production will not start "
        "with the development key. Set a long random value, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
SECRET_KEY = env.SECRET_KEY
DEBUG = env.DEBUG

# HTTPS (PORTAL_HTTPS, on unless set to 0): HSTS on the base domain and every body's
# subdomain, plain HTTP redirected, cookies only over HTTPS. The proxy in front sets
# X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.HTTPS
SECURE_HSTS_SECONDS = env.HSTS_SECONDS if env.HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.HTTPS
SECURE_HSTS_PRELOAD = False  # preloading is a decision for the domain's owner, not a default
SESSION_COOKIE_SECURE = env.HTTPS
CSRF_COOKIE_SECURE = env.HTTPS
CSRF_TRUSTED_ORIGINS = [
    f"{scheme}://{host}"
    for scheme in (("https",) if env.HTTPS else ("https", "http"))
    for host in (BASE_DOMAIN, f"*.{BASE_DOMAIN}")
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
