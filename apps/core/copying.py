"""Inserting many rows with PostgreSQL's COPY instead of bulk_create.

bulk_create prepares every value through its field (about 40 µs per invoice of 30 columns) and
psycopg then quotes them into arrays; COPY takes the Python values as they are. The fiscal-year
run writes tens of thousands of invoices and lines, so it uses this; the rows are the same
(same columns, same constraints, same triggers: COPY fires them as INSERT does)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import partial
from typing import Any

from django.db import connection, models
from psycopg import sql
from psycopg.types.json import Jsonb


def copy_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY plain rows into the model's table; `columns` are field names, each row's values in
    their order, already as the database takes them (Jsonb for JSON)."""
    column = {f.name: sql.Identifier(str(f.column)) for f in model._meta.concrete_fields}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(column[n] for n in columns)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):
        dumps = partial(json.dumps, cls=field.encoder) if field.encoder else json.dumps
        return lambda v: None if v is None else Jsonb(v, dumps=dumps)
    if isinstance(field, models.DecimalField):  # rounded to its places as bulk_create does
        return partial(field.get_db_prep_save, connection=connection)
    if field.choices:  # TextChoices members: their value, as CharField.get_prep_value gives
        return lambda v: v.value if isinstance(v, Enum) else v
    return None


def _defaults(model: type[models.Model], fields: Sequence[models.Field]) -> list[Any]:
    """A new row's values for the fields, as the database takes them: the model's defaults,
    auto_now(_add) stamped now."""
    obj = model()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            f.pre_save(obj, add=True)
    row = [getattr(obj, f.attname) for f in fields]
    return [v if (c := _converter(f)) is None else c(v) for f, v in zip(fields, row, strict=True)]


def _table_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], fields: Sequence[models.Field]
) -> list[list[Any]]:
    """Each row (a dict of field attnames, recipient_id rather than recipient) as the values of
    `fields` the database takes: every column the row leaves out takes the model's default, and
    auto_now(_add) columns the time of the call. No model instance is built per row: for the
    run's tens of thousands of invoices, building them cost as much as the rest of saving."""
    template = _defaults(model, fields)
    position = {f.attname: i for i, f in enumerate(fields)}
    converters = {f.attname: c for f in fields if (c := _converter(f)) is not None}
    out = []
    for values in rows:
        row = template.copy()
        for name, value in values.items():
            convert = converters.get(name)
            row[position[name]] = value if convert is None else convert(value)
        out.append(row)
    return out


def copy_insert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert new rows with one COPY, as bulk_create would (the rows as `_table_rows` takes
    them). The ids are taken from the table's sequence first and returned in the rows'
    order."""
    if not rows:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    fields = meta.concrete_fields
    out = _table_rows(model, rows, fields)
    pk_at = fields.index(meta.pk)
    for pk, row in zip(ids, out, strict=True):
        row[pk_at] = pk
    copy_rows(model, [f.name for f in fields], out)
    return ids


def copy_upsert(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    unique_fields: Sequence[str],
    update_fields: Sequence[str],
) -> dict[tuple[Any, ...], int]:
    """bulk_create(update_conflicts=True) through COPY (the rows as `_table_rows` takes them):
    they go into a temporary table, then one INSERT … ON CONFLICT (unique_fields) DO UPDATE
    moves them over. Returns each row's id (new or existing row) by its unique fields'
    values, in their order."""
    if not rows:
        return {}
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    column = {f.name: sql.Identifier(str(f.column)) for f in fields}
    listed = sql.SQL(", ").join(column[f.name] for f in fields)
    unique = sql.SQL(", ").join(column[name] for name in unique_fields)
    table = sql.Identifier(meta.db_table)
    staging = sql.Identifier(f"_copy_{meta.db_table}")
    updates = sql.SQL(", ").join(
        sql.SQL("{} = EXCLUDED.{}").format(column[name], column[name]) for name in update_fields
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own: Composed statements and COPY
        raw.execute(sql.SQL("DROP TABLE IF EXISTS pg_temp.{}").format(staging))
        raw.execute(
            sql.SQL("CREATE TEMPORARY TABLE {} AS SELECT {} FROM {} WITH NO DATA").format(
                staging, listed, table
            )
        )
        with raw.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(staging, listed)) as copy:
            for row in _table_rows(model, rows, fields):
                copy.write_row(row)
        raw.execute(
            sql.SQL(
                "INSERT INTO {table} ({listed}) SELECT {listed} FROM {staging} "
                "ON CONFLICT ({unique}) DO UPDATE SET {updates} RETURNING {pk}, {unique}"
            ).format(
                table=table,
                listed=listed,
                staging=staging,
                unique=unique,
                updates=updates,
                pk=sql.Identifier(str(meta.pk.column)),
            )
        )
        ids = {tuple(key): pk for pk, *key in raw.fetchall()}
        raw.execute(sql.SQL("DROP TABLE pg_temp.{}").format(staging))
    return ids
