from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.http import Http404, HttpRequest
from django_tenants.middleware.main import TenantMainMiddleware

from apps.core.cache import read_ahead
from apps.tenants.cache import body_for_host, keys

# cached_db sessions live in the cache under this prefix and the session key
_SESSION_PREFIX = getattr(
    import_module(settings.SESSION_ENGINE).SessionStore, "cache_key_prefix", None
)


def _session_keys(request: HttpRequest) -> list[str]:
    """The session's cache key, when the cookie holds something like a session key."""
    value = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if _SESSION_PREFIX is None or not (8 <= len(value) <= 64 and value.isalnum()):
        return []
    return [f"{_SESSION_PREFIX}{value}"]


class BodyHostMiddleware(TenantMainMiddleware):
    """Selects the schema from the host: a body's domain enters its schema; a public host
    (settings.PUBLIC_HOSTS) serves the public site; any other host is a 404, never a fallback.

    There is no "public" Body row: the public site is not a body. The host's body is read
    through apps/tenants/cache.py, in one round trip with the session (read ahead)."""

    def process_request(self, request: HttpRequest) -> None:
        hostname = self.hostname_from_request(request)
        public = hostname in settings.PUBLIC_HOSTS
        read_ahead([*([] if public else keys("host", hostname)), *_session_keys(request)])
        super().process_request(request)

    def get_tenant(self, domain_model, hostname):  # type: ignore[no-untyped-def]
        # A public host is never a body's domain: no query to find that out.
        if hostname in settings.PUBLIC_HOSTS:
            raise domain_model.DoesNotExist
        return body_for_host(
            hostname, lambda: super(BodyHostMiddleware, self).get_tenant(domain_model, hostname)
        )

    def no_tenant_found(self, request: HttpRequest, hostname: str) -> None:
        if hostname in settings.PUBLIC_HOSTS:
            # No request.tenant on the public site (django-tenants' admin templates read its
            # absence as "public"); code reads getattr(request, "tenant", None).
            self.setup_url_routing(request=request, force_public=True)
            return
        raise Http404(f"No body is served at {hostname}")
