"""Authentication plumbing: which users may log in at which site, the lock-out key, and the log."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name

from apps.accounts.models import BODY_ROLES, PUBLIC_ROLES
from apps.core.schemas import current_schema
from apps.core.services import audit_record

log = logging.getLogger("portal.auth")


def on_public_site() -> bool:
    return current_schema() == get_public_schema_name()


def role_allowed_here(role: str) -> bool:
    return role in (PUBLIC_ROLES if on_public_site() else BODY_ROLES)


def axes_username(request: Any, credentials: dict[str, Any] | None) -> str:
    """The key django-axes counts failures under: the site's schema and the log-in name."""
    username = ""
    if credentials:
        username = credentials.get("username", "")
    elif request is not None and hasattr(request, "POST"):
        username = request.POST.get("username", "")
    # axes keeps the key in a 255-character column; no real name is longer than 150.
    return f"{current_schema()}:{str(username)[:150]}"


def _client(request: Any) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


# The authentication log: a line in the log stream and an audit row (schema, user id, address)
# per log-in, log-out and failure. django-axes keeps its own attempt records for the lock-out.
@receiver(user_logged_in)
def _log_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    log.info("login schema=%s user_id=%s ip=%s", current_schema(), user.pk, _client(request))
    audit_record(actor=user, action="auth.login", target=None, data={"ip": _client(request)})


@receiver(user_logged_out)
def _log_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    log.info(
        "logout schema=%s user_id=%s ip=%s",
        current_schema(),
        getattr(user, "pk", None),
        _client(request),
    )
    if user is not None:
        audit_record(actor=user, action="auth.logout", target=None, data={"ip": _client(request)})


@receiver(user_login_failed)
def _log_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    # What was typed as a name is anyone's input: cut to the longest real name, quoted, so a
    # 5,000-character or multi-line "name" cannot flood or forge the log.
    username = str(credentials.get("username", ""))[:150]
    log.warning(
        "login failed schema=%s username=%r ip=%s",
        current_schema(),
        username,
        _client(request),
    )
    audit_record(
        actor=None,
        action="auth.login_failed",
        target=None,
        data={"schema": current_schema(), "username": username, "ip": _client(request)},
    )


def lockout_response(request: Any, original_response: Any = None, credentials: Any = None) -> Any:
    """django-axes' answer to a locked-out name: the API's JSON error like every other, or the
    page that says what to do."""
    from django.http import JsonResponse
    from django.shortcuts import render

    message = (
        "ログインの失敗が続いたため、このIDは一時的にロックされています。"
        "1時間後に再度お試しいただくか、管理者に連絡してください。"
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "locked_out", "message": message, "fields": {}}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
