"""The logged-in user of a session, kept in Redis (settings.CACHES).

Every request of a logged-in session loaded its user from PostgreSQL: a query through the ORM
that cost about a fifth of the catalogue page, and the page's only query. The entry holds the
user (or None: no such user, or not active) with the version it was read under
(apps/core/cache.py): each user has a version of their own, in their own schema, raised by any
save or delete of the user (signals in apps.py). A changed role, a deactivated account or a new
password (which ends the user's other sessions) is read on the very next request.

Users are only changed through `save()` (the services); a queryset `update()` of users would
need `user_changed()` beside it.

The pages kept whole for one viewer (the contract and invoice lists: `reads_kept_ahead`,
`kept_page`) are named from the same session fields, so that their entries are read in the
user's round trip."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token

from apps.core.cache import Version, read_ahead
from apps.core.schemas import current_schema
from apps.tenants import cache as tenants_cache

TTL_SECONDS = 600
V = TypeVar("V", bound=Callable[..., Any])


BACKEND = "apps.accounts.backends.CachedModelBackend"


def _version(user_id: Any) -> Version:
    return Version(f"accounts:user:{current_schema()}:{user_id}")


def _entry_key(user_id: Any) -> str:
    return f"accounts:user:{current_schema()}:{user_id}"


def user_changed(sender: Any = None, instance: Any = None, **_: Any) -> None:
    """A user was saved or deleted (post_save and post_delete, in the user's schema)."""
    if instance is not None and instance.pk is not None:
        _version(instance.pk).changed()


def _session_user_id(request: Any) -> Any:
    """The session's user id, for a user of this backend (else None)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    user_id = session.get(SESSION_KEY)
    if user_id is None or session.get(BACKEND_SESSION_KEY) != BACKEND:
        return None
    return get_user_model()._meta.pk.to_python(user_id)  # as django.contrib.auth does


def user_cache_keys(request: Any) -> list[str]:
    """The cache keys the session's user is read from, found in the session (itself read
    ahead with the host): for a view to read them ahead with its own keys, in one round
    trip (apps/core/redis_cache.py). None for a session without a user of this backend."""
    user_id = _session_user_id(request)
    return [] if user_id is None else [_version(user_id).key, _entry_key(user_id)]


def _viewer_query(request: Any) -> str:
    """Names what one viewer sees for one query, from the session before the user is read:
    the schema, the user and the query string, hashed."""
    user_id = _session_user_id(request)
    if user_id is None:
        user_id = request.user.pk  # anonymous, or a user of another backend
    named = f"{current_schema()}:{user_id}|{request.GET.urlencode()}"
    return hashlib.sha256(named.encode()).hexdigest()


def reads_kept_ahead(name: str) -> Callable[[V], V]:
    """A view decorator, put outside login_required: the session's user and the view's page
    kept by kept_page(request, name, ...) are read in one round trip, before anything reads
    the user."""

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            read_ahead(
                [*user_cache_keys(request), *tenants_cache.keys(name, _viewer_query(request))]
            )
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


# Stands for the request's CSRF token in a kept page. PostgreSQL text holds no NUL, so nothing
# a page shows from the database can contain it.
CSRF_SLOT = "\x00csrf\x00"


def kept_page(
    request: Any, name: str, check: Callable[[], Hashable], render_page: Callable[[str], str]
) -> HttpResponse:
    """A whole page kept in Redis for one viewer and query (read ahead with the user by
    reads_kept_ahead): render_page(csrf_token) gives its HTML. Kept under the bodies' version
    (apps/tenants/cache.py), check() (a version of the rows it shows, read from PostgreSQL)
    and the viewer's own version, so that a new name or role shows in the layout and the menu
    at once; the CSRF token, which is the session's and not the viewer's, is put in on every
    request. A request with messages to show renders afresh (showing them uses them up)."""
    if len(get_messages(request)):
        return HttpResponse(render_page(get_token(request)))
    html = tenants_cache.cached(
        name,
        _viewer_query(request),
        lambda: render_page(CSRF_SLOT),
        (check(), _version(request.user.pk).current()),
    )
    return HttpResponse(html.replace(CSRF_SLOT, get_token(request)))


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, with the session's user read through the cache."""

    def get_user(self, user_id: Any) -> Any:
        return _version(user_id).cached(
            _entry_key(user_id),
            lambda: super(CachedModelBackend, self).get_user(user_id),
            TTL_SECONDS,
        )
