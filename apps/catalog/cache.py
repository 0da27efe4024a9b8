"""What the catalogue shows every viewer alike, kept in Redis (settings.CACHES): the rendered
search results with their facet counts, the published listings and each listing's fee
schedules. Every entry carries the catalogue's version it was read under (apps/core/cache.py);
any change to a listing, a vendor, a fee schedule or a band raises it (signals in apps.py, and
`changed()` where a service writes with a queryset update), so the next request misses and
reads afresh. Unused entries expire after TTL_SECONDS."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from apps.core.cache import Version

CATALOGUE = Version("catalog")
TTL_SECONDS = 600
T = TypeVar("T")

changed = CATALOGUE.changed


def _key(name: str, params: str) -> str:
    return f"catalog:{name}:{hashlib.sha256(params.encode()).hexdigest()[:32]}"


def cached(name: str, params: str, compute: Callable[[], T]) -> T:
    """compute() once per catalogue version, name and params (e.g. a query string)."""
    return CATALOGUE.cached(_key(name, params), compute, TTL_SECONDS)


def keys(name: str, params: str) -> list[str]:
    """The keys cached(name, params, ...) reads (to read them ahead with others)."""
    return [CATALOGUE.key, _key(name, params)]
