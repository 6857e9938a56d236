"""The audit table's monthly partitions (PostgreSQL only; SQLite keeps one plain table).

Partitions are named ``audit_auditevent_pYYYY_MM`` and cover one calendar
month in UTC. ``keep_partitions_ahead`` creates the missing ones from this
month to ``AHEAD`` months ahead; a default partition catches anything else,
so an insert never fails. Rows that landed in the default partition for a
month that then gets its partition are moved into it (the default partition
is detached, replaced, its rows inserted through the parent and the detached
copy dropped, in one transaction): the append-only trigger forbids deleting
them, and no row changes (same ids, same values, so the seals still match).
Indexes and the append-only trigger are declared on the parent: every
partition gets them when it is created or attached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction

PARENT = "audit_auditevent"
DEFAULT = "audit_auditevent_default"
AHEAD = 3  # months created ahead of the current one


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def partition_name(month: dt.date) -> str:
    return f"{PARENT}_p{month:%Y_%m}"


def bounds(month: dt.date) -> tuple[str, str]:
    """The partition's range in UTC: from the 1st of the month (inclusive) to the 1st of the next (exclusive)."""
    return f"{month.isoformat()} 00:00:00+00", f"{next_month(month).isoformat()} 00:00:00+00"


@dataclass(frozen=True)
class Partition:
    name: str
    lower: str
    upper: str


def partitioned() -> bool:
    """Whether the audit table is partitioned here (PostgreSQL after migration 0003)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [PARENT])
        return cursor.fetchone()[0] == "p"


def existing() -> list[Partition]:
    """The partitions of the audit table, oldest first (the default partition last)."""
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = %s::regclass
            ORDER BY c.relname = %s, c.relname
            """,
            [PARENT, DEFAULT],
        )
        found = []
        for name, bound in cursor.fetchall():
            if bound == "DEFAULT":
                found.append(Partition(name, "", ""))
            else:
                lower, upper = bound.split("'")[1], bound.split("'")[3]
                found.append(Partition(name, lower, upper))
        return found


def months_wanted(today: dt.date, ahead: int = AHEAD) -> list[dt.date]:
    month = month_start(today)
    wanted = [month]
    for _ in range(ahead):
        month = next_month(month)
        wanted.append(month)
    return wanted


def keep_partitions_ahead(today: dt.date, ahead: int = AHEAD) -> list[str]:
    """Create this month's partition and the next ``ahead`` months' where missing; return the names created."""
    if not partitioned():
        return []
    names = {p.name for p in existing()}
    created = []
    for month in months_wanted(today, ahead):
        if partition_name(month) not in names:
            create_month(month)
            created.append(partition_name(month))
    return created


def create_month(month: dt.date) -> str:
    """Create one month's partition, moving in any rows of that month held by the default partition."""
    name = partition_name(month)
    lower, upper = bounds(month)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE at >= %s AND at < %s)",  # noqa: S608 (constant names)
            [lower, upper],
        )
        stranded = cursor.fetchone()[0]
        if stranded:
            cursor.execute(f"LOCK TABLE {PARENT} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {DEFAULT}")
            cursor.execute(f"ALTER TABLE {DEFAULT} RENAME TO {DEFAULT}_moving")
            cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {PARENT} DEFAULT")
        # DDL takes no bound parameters (server-side binding sends them apart): the bounds written in as literals.
        create = f"CREATE TABLE {name} PARTITION OF {PARENT} FOR VALUES FROM (%s) TO (%s)"
        cursor.execute(connection.ops.compose_sql(create, [lower, upper]))
        if stranded:
            cursor.execute(f"INSERT INTO {PARENT} SELECT * FROM {DEFAULT}_moving")  # noqa: S608 (constant names)
            cursor.execute(f"DROP TABLE {DEFAULT}_moving")
    return name
