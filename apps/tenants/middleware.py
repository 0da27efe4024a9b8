from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django_tenants.middleware.main import TenantMainMiddleware

from apps.tenants.cache import body_for_host


class BodyHostMiddleware(TenantMainMiddleware):
    """Selects the schema from the host: a body's domain enters its schema; a public host
    (settings.PUBLIC_HOSTS) serves the public site; any other host is a 404, never a fallback.

    There is no "public" Body row: the public site is not a body. The host's body is read
    through apps/tenants/cache.py."""

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
