"""Many rows at once, for the daily scans (tens of thousands of people and prompts in one run).

- ``filter_in``: a query narrowed to many ids. On PostgreSQL the ids go as one array parameter
  (``column = ANY(%s)``): one statement, and no ten-thousand-placeholder query for Django and psycopg to
  build. SQLite has no arrays and a limit on variables, so there the ids go in chunks of ``IN (...)``.
- ``insert_many``: new rows written by COPY on PostgreSQL (with ids drawn from the table's own sequence
  first, so the caller knows them), by ``bulk_create`` elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db import connection
from django.db.models import JSONField, Model, QuerySet

SQLITE_CHUNK = 900
BATCH = 2_000


def filter_in(queryset: QuerySet, field: str, ids: Sequence[int]) -> Iterator[QuerySet]:
    """The queryset narrowed to rows whose ``field`` (a column of its own model) is one of ``ids``, as one or
    more querysets to run in turn."""
    if not ids:
        return
    if connection.vendor == "postgresql":
        model = queryset.model
        column = model._meta.get_field(field).column
        target = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(column)}"
        yield queryset.extra(where=[f"{target} = ANY(%s)"], params=[list(ids)])  # noqa: S610 (names from model meta)
        return
    for start in range(0, len(ids), SQLITE_CHUNK):
        yield queryset.filter(**{f"{field}__in": ids[start : start + SQLITE_CHUNK]})


def insert_many(objs: list[Model]) -> None:
    """Save new model instances of one model in bulk; each gets its id. No save() or signals run (as bulk_create)."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    from psycopg.types.json import Jsonb

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(objs)]
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        fields = model._meta.concrete_fields
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        raw = cursor.cursor  # psycopg 3's cursor under Django's wrapper
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                row = []
                for f in fields:
                    value = getattr(obj, f.attname)
                    row.append(Jsonb(value) if isinstance(f, JSONField) and value is not None else value)
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
