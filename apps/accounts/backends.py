"""The logged-in user of a session, kept in Redis (settings.CACHES).

Every request of a logged-in session loaded its user from PostgreSQL: a query through the ORM
that cost about a fifth of the catalogue page, and the page's only query. The entry holds the
user (or None: no such user, or not active) with the version it was read under
(apps/core/cache.py): each user has a version of their own, in their own schema, raised by any
save or delete of the user (signals in apps.py). A changed role, a deactivated account or a new
password (which ends the user's other sessions) is read on the very next request.

Users are only changed through `save()` (the services); a queryset `update()` of users would
need `user_changed()` beside it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend

from apps.core.cache import Version
from apps.core.schemas import current_schema

TTL_SECONDS = 600


BACKEND = "apps.accounts.backends.CachedModelBackend"


def _version(user_id: Any) -> Version:
    return Version(f"accounts:user:{current_schema()}:{user_id}")


def _entry_key(user_id: Any) -> str:
    return f"accounts:user:{current_schema()}:{user_id}"


def user_changed(sender: Any = None, instance: Any = None, **_: Any) -> None:
    """A user was saved or deleted (post_save and post_delete, in the user's schema)."""
    if instance is not None and instance.pk is not None:
        _version(instance.pk).changed()


def user_cache_keys(request: Any) -> list[str]:
    """The cache keys the session's user is read from, found in the session (itself read
    ahead with the host): for a view to read them ahead with its own keys, in one round
    trip (apps/core/redis_cache.py). None for a session without a user of this backend."""
    session = getattr(request, "session", None)
    if session is None:
        return []
    user_id = session.get(SESSION_KEY)
    if user_id is None or session.get(BACKEND_SESSION_KEY) != BACKEND:
        return []
    user_id = get_user_model()._meta.pk.to_python(user_id)  # as django.contrib.auth does
    return [_version(user_id).key, _entry_key(user_id)]


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, with the session's user read through the cache."""

    def get_user(self, user_id: Any) -> Any:
        return _version(user_id).cached(
            _entry_key(user_id),
            lambda: super(CachedModelBackend, self).get_user(user_id),
            TTL_SECONDS,
        )
