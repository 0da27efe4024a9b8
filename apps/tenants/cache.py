"""Which body a host serves, and a body's population, kept in Redis: every request at a body's
address looked up its domain and body (a query and two models through the ORM, about half of
the cheapest request's time), and every quote its population. An entry holds the value with
the version it was read under (apps/core/cache.py), and is read in the same round trip as the
current version; any change to a body, a domain or a population figure raises the version
(signals in apps.py, and `changed()` where a service writes in bulk), so the next request
reads the database again. A host that serves no body is never cached, so a new domain works at
once."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from apps.core.cache import Version

BODIES = Version("tenants")
TTL_SECONDS = 600
T = TypeVar("T")

changed = BODIES.changed


def cached(name: str, params: str, compute: Callable[[], T], check: Hashable = None) -> T:
    """compute() once per version, name and params (and `check`: Version.cached)."""
    return BODIES.cached(_key(name, params), compute, TTL_SECONDS, check)


def keys(name: str, params: str) -> list[str]:
    """The keys cached(name, params, ...) reads (to read them ahead with others)."""
    return [BODIES.key, _key(name, params)]


def _key(name: str, params: str) -> str:
    return f"tenants:{name}:{params}"


def body_for_host(hostname: str, load: Callable[[], Any]) -> Any:
    """load() (which raises when no body is served at the host) once per version and host."""
    return cached("host", hostname, load)
