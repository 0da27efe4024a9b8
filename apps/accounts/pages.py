"""Page helpers that need to know who is asking (the Viewer lives in this app)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.accounts.viewer import viewer_from_request
from apps.core.views import attempt


def post_action(
    service: Callable[..., Any],
    *,
    success: str,
    redirect_to: str,
    id_name: str,
    back_with_id: bool = True,
) -> Callable[..., HttpResponse]:
    """A page action with nothing to fill in (publish, accept, renew, cancel...): a view for
    its own URL, POST only and logged in, that calls `service(viewer=..., <id_name>=id)`
    through attempt() and goes back to the page `redirect_to` names (with the id, unless
    back_with_id is False)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, **kwargs: int) -> HttpResponse:
        viewer = viewer_from_request(request)
        object_id = kwargs[id_name]
        attempt(request, lambda: service(viewer=viewer, **{id_name: object_id}), success=success)
        return redirect(redirect_to, object_id) if back_with_id else redirect(redirect_to)

    view.__name__ = f"{getattr(service, '__name__', 'action')}_view"
    view.__doc__ = service.__doc__
    return view
