"""What the catalogue shows every viewer alike, kept in Redis (settings.CACHES): the rendered
search results with their facet counts, and each listing's fee schedules. Every entry's key
carries the catalogue's version; any change to a listing, a vendor, a fee schedule or a band
raises the version (signals in apps.py, and `changed()` where a service writes with a queryset
update), so the next request misses and renders afresh. Nothing is ever served stale: an old
version's entries are simply never asked for again and expire after TTL_SECONDS.

The version is raised twice, at the change and again once its transaction commits, so that a
request that read the old rows while the change was uncommitted cannot have stored them under
the new version."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "catalog:version"
TTL_SECONDS = 600
T = TypeVar("T")


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        # A fresh start (or an evicted key) takes a number no earlier version can have had.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        current = cache.get(VERSION_KEY)
    return int(current)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: the next reader starts one
        version()


def changed(**_: Any) -> None:
    """The catalogue changed: raise the version now and again when the transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def cached(name: str, params: str, compute: Callable[[], T]) -> T:
    """compute() once per catalogue version, name and params (e.g. a query string)."""
    digest = hashlib.sha256(params.encode()).hexdigest()[:32]
    key = f"catalog:{name}:{version()}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:  # None is a value too (a listing with no schedule for the year)
        value = compute()
        cache.set(key, value, TTL_SECONDS)
    return value  # type: ignore[no-any-return]


_MISSING = object()
