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
    model, then each of `related` (select_related, one level, in that order)."""

    sql: str | None  # None: a queryset empty by construction (.none(), a role that sees none)
    params: tuple[Any, ...]
    using: str
    layout: tuple[tuple[type[Model], tuple[str, ...], str | None], ...]

    @classmethod
    def of(cls, rows: QuerySet[Any], related: Sequence[str] = ()) -> CompiledRows:
        compiler = rows.query.get_compiler(using=rows.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return cls(None, (), rows.db, ())
        layout: list[tuple[type[Model], tuple[str, ...], str | None]] = [
            (rows.model, _columns(rows.model), None)
        ]
        for name in related:
            model = rows.model._meta.get_field(name).related_model
            layout.append((model, _columns(model), name))  # type: ignore[arg-type]
        if len(compiler.select) != sum(len(columns) for _, columns, _ in layout):
            raise ValueError(f"the query selects other columns than {related!r} give: {sql}")
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


def _columns(model: type[Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)
