"""Fast inserts for the synthetic world: tuples straight into tables.

A national world is millions of rows; building a model instance and calling
save() for each would take hours. Rows here are plain tuples in the order of
the columns named, with ids chosen by the generator, written by COPY on
PostgreSQL and by executemany on SQLite. No simple_history rows are written:
generated data has no history, and the history tables would double the load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model

BATCH = 20_000


def next_id(model: type[Model]) -> int:
    """The first free id of a table, so generated ids never collide with rows already there."""
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def columns_of(model: type[Model], names: Sequence[str]) -> list[str]:
    """Database column names for field names (``person`` -> ``person_id``), checked against the model."""
    return [model._meta.get_field(name).column for name in names]


def _sqlite_value(value):
    # Django keeps aware datetimes in SQLite as naive UTC text; match it.
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _with_defaults(model: type[Model], fields: Sequence[str], rows: Iterable[tuple]):
    """Fill the model's plain defaults (a record's ``version`` = 1, say) for fields the generator leaves out."""
    missing = [
        f
        for f in model._meta.concrete_fields
        if f.name not in fields
        and f.attname not in fields
        and not f.primary_key
        and f.has_default()
        and not callable(f.default)
    ]
    if not missing:
        return fields, rows
    extra = tuple(f.default for f in missing)
    return (*fields, *(f.name for f in missing)), (row + extra for row in rows)


def insert(model: type[Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Write rows (tuples in the order of ``fields``) into the model's table; returns the count."""
    fields, rows = _with_defaults(model, fields, rows)
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns_of(model, fields))
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 (names from model meta)
        batch = []
        for row in rows:
            batch.append(tuple(_sqlite_value(v) for v in row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def reset_sequences(models: Iterable[type[Model]]) -> None:
    """After explicit ids, move each PostgreSQL sequence past the highest id (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def refresh_statistics() -> None:
    """Let the database's planner see the rows just written. The world is written in one transaction, which
    autovacuum cannot see into: without this, every query after the bulk insert is planned for empty tables (on
    PostgreSQL at national size the month-end snapshot's relationship count ran for over 20 minutes instead of
    seconds). ANALYZE inside the transaction samples the transaction's own rows; SQLite's planner needs none.

    Only this schema's tables that hold rows are analysed:
    - never a bare ``ANALYZE``: that also analyses the server's shared catalogues (``pg_authid``, ...), whose lock
      is then held until this transaction ends and stops every ANALYZE in every other database meanwhile (two
      test workers building worlds waited on each other for minutes; a benchmark world being built stopped a
      test run);
    - never a table still empty: ANALYZE would record it as empty, and the planner believes that over the table's
      real size until the next ANALYZE, so a table filled later in the same transaction (the referrals, meetings
      and agenda items that the forums are built with) is planned as one row: the SafeLives figures' join of
      2,000 agenda items took 23 s instead of milliseconds. A table never analysed is planned from its size on disk.
    Call it again after a later stage has filled more tables."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = current_schema() AND pg_relation_size(c.oid) > 0 "
            "ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            cursor.execute("ANALYZE " + ", ".join(tables))
