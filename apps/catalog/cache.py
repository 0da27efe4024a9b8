"""What the catalogue shows every viewer alike, kept in Redis (settings.CACHES): the rendered
search results with their facet counts, and each listing's fee schedules. Every entry's key
carries the catalogue's version (apps/core/cache.py); any change to a listing, a vendor, a fee
schedule or a band raises it (signals in apps.py, and `changed()` where a service writes with a
queryset update), so the next request misses and renders afresh. Old entries expire after
TTL_SECONDS."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from apps.core.cache import Version

CATALOGUE = Version("catalog")
TTL_SECONDS = 600
T = TypeVar("T")

changed = CATALOGUE.changed


def cached(name: str, params: str, compute: Callable[[], T]) -> T:
    """compute() once per catalogue version, name and params (e.g. a query string)."""
    digest = hashlib.sha256(params.encode()).hexdigest()[:32]
    key = f"catalog:{name}:{CATALOGUE.current()}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:  # None is a value too (a listing with no schedule for the year)
        value = compute()
        cache.set(key, value, TTL_SECONDS)
    return value  # type: ignore[no-any-return]


_MISSING = object()
