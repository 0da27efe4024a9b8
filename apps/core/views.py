"""Small helpers shared by the HTML views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from apps.core.domain.errors import DomainError
from apps.core.errors import ApplicationError

T = TypeVar("T")


def attempt(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    success: str,
    form: forms.BaseForm | None = None,
) -> T | None:
    """Run a service call from a page. On success flash `success`; on a domain refusal put its
    message on the form (field errors on their fields) or flash it, and return None. Nothing is
    written on refusal: services are atomic. A 404 or 403 (a row the viewer may not see, an
    action the role may not take) is raised on to the error page with its status."""
    try:
        result = action()
    except (ApplicationError, DomainError) as exc:
        if getattr(exc, "status", 400) in (403, 404):
            raise  # not a refusal to explain on the page: the error page, with its status
        if form is not None:
            for field, errors in exc.fields.items():
                if field in form.fields:
                    for error in errors:
                        form.add_error(field, error)
            form.add_error(None, exc.message)
        else:
            messages.error(request, exc.message)  # the code is for clients, not for people
        return None
    if success:  # "" when the caller words the result itself
        messages.success(request, success)
    return result


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str,
) -> T | None:
    """A page's POST: the form first (bounds, types), then one service call with its cleaned
    data through `attempt`. None when either refuses; the form then carries every message."""
    if not form.is_valid():
        return None
    return attempt(request, lambda: action(form.cleaned_data), success=success, form=form)


def page_number(request: HttpRequest) -> int:
    """The page asked for, or 1 when it is not a sensible page number."""
    from apps.core.forms import PageForm

    form = PageForm(request.GET)
    return (form.cleaned_data.get("page") if form.is_valid() else None) or 1


# --- error pages (settings: handler400/403/404/500 in the URLconfs) ---------------------------

_ERRORS = {
    400: ("bad_request", "リクエストの内容を読み取れませんでした。入力をやり直してください。"),
    403: ("forbidden", "この操作の権限がありません。"),
    404: ("not_found", "ページが見つかりません。アドレスを確認してください。"),
    500: ("server_error", "サーバーで問題が起きました。時間をおいてもう一度お試しください。"),
}


def error_response(request: HttpRequest, status: int) -> HttpResponse:
    """An API path gets the JSON error body every API error has; a page gets the error page."""
    from django.http import JsonResponse
    from django.shortcuts import render

    code, message = _ERRORS[status]
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": code, "message": message, "fields": {}}},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    error = ApplicationError(message, code, status=status)
    if status == 500:  # the layout may be what failed: a page with no template logic
        from django.template import loader

        html = loader.get_template("500.html").render({"error": error})
        return HttpResponse(html, status=500)
    return render(request, "error.html", {"error": error}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500)


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on their own: the portal's icon."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)
