from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.accounts.navigation import menu_html


def lazy_menu(request: HttpRequest) -> SimpleLazyObject:
    """Built only when a template shows it (the API and the error pages never do)."""
    return SimpleLazyObject(lambda: menu_html(request))


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: which site this is and the current body, if any."""
    body = getattr(request, "tenant", None)
    return {
        "menu": lazy_menu(request),
        "current_body": body,
        "on_public_site": body is None,
        "base_domain": settings.BASE_DOMAIN,
    }
