"""A version number in Redis (settings.CACHES) for data that many requests read alike and that
rarely changes. An entry cached from that data holds the version it was read under (`cached`);
a change raises the version, so the next request finds the entry old, reads afresh and stores
it again under the new version. Nothing is served stale; unused entries expire.

The version is raised twice, at the change and again once its transaction commits, so that a
request that read the old rows while the change was uncommitted cannot have stored them under
the new version. A lost version key restarts at time.time_ns(), never at a number used before.

Where no signal can be relied on (a list of money rows that services change by conditional
queryset updates), `fingerprint` reads a version of the rows themselves from PostgreSQL (or,
for the contract lists, triggers keep a version row: apps/contracts/models.ListVersion)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

T = TypeVar("T")


ROW_VERSION = (
    "hashtextextended({t}.id::text || ':' || {t}.xmin::text || {t}.ctid::text, 0)::numeric"
)


def fingerprint_query(rows: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The query (SQL and parameters) of fingerprint(): the count and the sum of the row
    versions of `rows` (a queryset). A row's version is a 64-bit hash of its id, xmin (the
    transaction that last wrote it: PostgreSQL's row version, as Npgsql uses it for optimistic
    concurrency) and ctid (where that version lies, new on every UPDATE, even a second one in
    the same transaction). Equal fingerprints mean no row of the set was added, changed or
    removed, however it was written (queryset updates, raw SQL, another process), and no write
    pays for it. None: a set that is empty by construction (a role that sees none)."""
    table = connection.ops.quote_name(rows.model._meta.db_table)
    version = RawSQL(ROW_VERSION.format(t=table), ())  # noqa: S611 (no input)
    scope = rows.order_by().annotate(row_version=version).values("row_version")
    try:
        sql, params = scope.query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"SELECT count(*), sum(s.row_version) FROM ({sql}) s", tuple(params)  # noqa: S608


def fingerprint(query: tuple[str, tuple[Any, ...]] | None) -> str:
    """Run a fingerprint_query (built once, it may be run again and again)."""
    if query is None:
        return "none"
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return ":".join(map(str, cursor.fetchone()))


def read_ahead(keys: Iterable[str]) -> None:
    """Read these keys in one round trip for the rest of the request (apps/core/
    redis_cache.py; nothing with another cache backend or outside a request)."""
    ahead = getattr(cache, "read_ahead", None)
    if ahead is not None:
        ahead(keys)


class Version:
    def __init__(self, name: str) -> None:
        self.key = f"{name}:version"

    def current(self, known: Any = None) -> int:
        """The version (`known`: its value already read with other keys, or None)."""
        if known is None:
            known = cache.get(self.key)
        if known is None:
            # A fresh start (or an evicted key) takes a number no earlier version can have had.
            cache.add(self.key, time.time_ns(), timeout=None)
            known = cache.get(self.key)
        return int(known)

    def _bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # no version yet: the next reader starts one
            self.current()

    def changed(self, **_: Any) -> None:
        """The data changed: raise the version now and again when the transaction commits.
        Takes a signal's arguments, so it can be connected to post_save and post_delete."""
        self._bump()
        transaction.on_commit(self._bump)

    def cached(self, key: str, compute: Callable[[], T], timeout: int, check: Hashable = None) -> T:
        """compute() once per version (and `check`): the entry holds the value with the
        version it was computed under, and is read in the same round trip as the current
        version. `check` is a version of the caller's own, read elsewhere (the rows a list
        shows): kept beside the value instead of in the key, it lets the key be known, and
        read ahead, before the check is. None is a value too; an exception from compute() is
        not kept."""
        got = cache.get_many([self.key, key])
        current = (self.current(got.get(self.key)), check)
        entry = got.get(key)
        if entry is not None and entry[0] == current:
            return entry[1]  # type: ignore[no-any-return]
        value = compute()
        cache.set(key, (current, value), timeout)
        return value
