"""Which body a host serves, kept in Redis: every request at a body's address looked up its
domain and body (a query and two models through the ORM, about half of the cheapest request's
time). An entry holds the body with the version it was read under (apps/core/cache.py), and is
read in the same round trip as the current version; any change to a body or a domain raises
the version (signals in apps.py, and `changed()` where a service writes with a queryset
update), so the next request reads the database again. A host that serves no body is never
cached, so a new domain works at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from apps.core.cache import Version

BODIES = Version("tenants")
TTL_SECONDS = 600

changed = BODIES.changed


def body_for_host(hostname: str, load: Callable[[], Any]) -> Any:
    """load() (which raises when no body is served at the host) once per version and host."""
    key = f"tenants:host:{hostname}"
    got = cache.get_many([BODIES.key, key])
    current = BODIES.current(got.get(BODIES.key))
    entry = got.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    body = load()
    cache.set(key, (current, body), TTL_SECONDS)
    return body
