from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: which site this is and the current body, if any."""
    body = getattr(request, "tenant", None)
    return {
        "current_body": body,
        "on_public_site": body is None,
        "base_domain": settings.BASE_DOMAIN,
    }
