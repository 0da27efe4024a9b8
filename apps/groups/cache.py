"""Which groups a body is a current member of, kept in Redis (settings.CACHES): every quote
counts the joint-use discount over the body's groups, and memberships change a few times a
year. An entry holds the group ids with the version they were read under (apps/core/cache.py);
any save or delete of a membership raises it (signals in apps.py; a group deleted deletes its
memberships one by one, signals and all), so the next quote reads the database again."""

from __future__ import annotations

from collections.abc import Callable

from apps.core.cache import Version

MEMBERSHIPS = Version("groups")
TTL_SECONDS = 600

changed = MEMBERSHIPS.changed


def body_groups(body_id: int, load: Callable[[], frozenset[int]]) -> frozenset[int]:
    """load() (the body's current groups) once per version and body."""
    return MEMBERSHIPS.cached(_key(body_id), load, TTL_SECONDS)


def body_groups_keys(body_id: int) -> list[str]:
    """The keys body_groups reads (to read them ahead with others)."""
    return [MEMBERSHIPS.key, _key(body_id)]


def _key(body_id: int) -> str:
    return f"groups:of:{body_id}"
