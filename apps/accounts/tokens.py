"""API tokens: issue, authenticate, list, revoke. A key is 40 random hex characters; only its
sha256 digest is stored, in the user's own schema (a token issued at one body's site does not
exist at another's)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import authentication, exceptions

from apps.accounts.models import ApiToken, User
from apps.accounts.viewer import Viewer
from apps.core.compiled import CompiledRows, once
from apps.core.errors import NotFound
from apps.core.services import audit_record

LAST_USED_EVERY = dt.timedelta(minutes=5)  # how often a token's last use is written down


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the user; returns the row and the key (shown once, never stored)."""
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        digest=_digest(key),
        prefix=key[:8],
        name=name,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    audit_record(actor=user, action="api_token.issued", target=token, data={"prefix": key[:8]})
    return token, key


def issue_keys(users: list[User], name: str = "") -> list[str]:
    """Tokens for many users in one insert (benchmarks and bulk set-up); returns their keys."""
    keys = [secrets.token_hex(20) for _ in users]
    expires = timezone.now() + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=u, digest=_digest(k), prefix=k[:8], name=name, expires_at=expires)
            for u, k in zip(users, keys, strict=True)
        ]
    )
    return keys


def api_token_list(*, viewer: Viewer) -> QuerySet[ApiToken]:
    """The viewer's own tokens that still work (not revoked, not expired)."""
    if not viewer.user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(
        user_id=viewer.user.pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-pk")


@transaction.atomic
def api_token_revoke(*, viewer: Viewer, token_id: int) -> ApiToken:
    token = api_token_list(viewer=viewer).filter(pk=token_id).first()
    if token is None:
        raise NotFound("このトークンは見つからないか、すでに失効しています。", "token_not_found")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=viewer.user, action="api_token.revoked", target=token, data={})
    return token


def api_tokens_revoke_all(*, user: Any) -> int:
    """At log-out: every token of the user stops working."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


_DIGEST_SLOT = "digest"  # the one parameter of the compiled token query


def _live_token_query() -> CompiledRows:
    query = CompiledRows.of(
        ApiToken.objects.select_related("user").filter(
            digest=_DIGEST_SLOT, revoked_at__isnull=True
        )[:1]
    )
    if query.params != (_DIGEST_SLOT,):
        raise RuntimeError(f"unexpected parameters of the token query: {query.params!r}")
    return query


def _live_token(digest: str) -> ApiToken | None:
    """The token that is not revoked with this digest, in the current schema, with its user:
    `select_related("user").filter(...)`, built once (apps/core/compiled.py) and run with
    each request's digest (building it was a third of a token request's authentication)."""
    token: ApiToken | None = once("accounts:live-token", _live_token_query).first([digest])
    return token


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with an ApiToken of the current schema that is neither
    expired nor revoked."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        now = timezone.now()
        token = _live_token(_digest(key))
        if token is None:
            raise exceptions.AuthenticationFailed("トークンが正しくないか、失効しています。")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                "トークンの有効期限が切れています。新しいトークンを発行してください。"
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("このアカウントは無効です。")
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
