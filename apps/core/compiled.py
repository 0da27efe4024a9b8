"""Queries whose SQL the ORM builds once per process and key; later requests only run it.

On the hottest short queries, building the SQL through the ORM (filters, subqueries, joins,
compiling) cost several times running it: the token check of every API request, a training
application's session lock, the invoice page's fingerprint. Each is still written once, as a
queryset, where its rule lives; `once(key, make)` keeps what was built for the key, which must
name everything the queryset depends on (the viewer's role, body and user, the row's id). A
different key builds again; the cache is bounded (emptied when full) and lives in the process,
so new code is never served old SQL."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet

T = TypeVar("T")
LIMIT = 4_000  # entries of a few kB each
_BUILT: dict[Hashable, Any] = {}


def once(key: Hashable, make: Callable[[], T]) -> T:
    """make() for this key, built once in the process (key: everything make() reads)."""
    try:
        return _BUILT[key]  # type: ignore[no-any-return]
    except KeyError:
        pass
    if len(_BUILT) >= LIMIT:
        _BUILT.clear()
    made = _BUILT[key] = make()
    return made


@dataclass(frozen=True)
class CompiledRows:
    """A queryset's SQL and parameters, and which columns make which model: the queryset's
    model, then each model it selects with select_related (forward relations, one level), as
    the ORM's compiler laid them out."""

    sql: str | None  # None: a queryset empty by construction (.none(), a role that sees none)
    params: tuple[Any, ...]
    using: str
    layout: tuple[tuple[type[Model], tuple[str, ...], str | None], ...]

    @classmethod
    def of(cls, rows: QuerySet[Any]) -> CompiledRows:
        compiler = rows.query.get_compiler(using=rows.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return cls(None, (), rows.db, ())
        main = compiler.klass_info or {}
        parts = [(main, None)] + [(k, k["field"].name) for k in main.get("related_klass_infos", [])]
        layout, place = [], 0
        for info, name in parts:
            if name and (info["reverse"] or info.get("related_klass_infos")):
                raise ValueError(f"only forward relations, one level deep: {sql}")
            columns = [compiler.select[i][0].target.attname for i in info["select_fields"]]
            if info["select_fields"] != list(range(place, place + len(columns))):
                raise ValueError(f"the columns are not one model after another: {sql}")
            layout.append((info["model"], tuple(columns), name))
            place += len(columns)
        if place != len(compiler.select):  # an annotation, extra or values() column
            raise ValueError(f"the query selects columns of no model: {sql}")
        return cls(sql, tuple(params), rows.db, tuple(layout))

    def first(self, params: Sequence[Any] | None = None) -> Any:
        """The first row as its model, with the related ones set on it (None: no row).
        params: others than those it was built with (the same number, in the same places)."""
        if self.sql is None:
            return None
        if params is not None and len(params) != len(self.params):
            raise ValueError("a compiled query takes the parameters it was built with")
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.params if params is None else params)
            row = cursor.fetchone()
        if row is None:
            return None
        start, found = 0, []
        for model, columns, _name in self.layout:
            end = start + len(columns)
            found.append(model.from_db(self.using, list(columns), row[start:end]))
            start = end
        for obj, (_model, _columns, name) in zip(found[1:], self.layout[1:], strict=True):
            setattr(found[0], name, obj)  # type: ignore[arg-type]
        return found[0]
