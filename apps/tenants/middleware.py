from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django_tenants.middleware.main import TenantMainMiddleware


class BodyHostMiddleware(TenantMainMiddleware):
    """Selects the schema from the host: a body's domain enters its schema; a public host
    (settings.PUBLIC_HOSTS) serves the public site; any other host is a 404, never a fallback.

    There is no "public" Body row: the public site is not a body."""

    def no_tenant_found(self, request: HttpRequest, hostname: str) -> None:
        if hostname in settings.PUBLIC_HOSTS:
            # No request.tenant on the public site (django-tenants' admin templates read its
            # absence as "public"); code reads getattr(request, "tenant", None).
            self.setup_url_routing(request=request, force_public=True)
            return
        raise Http404(f"No body is served at {hostname}")
