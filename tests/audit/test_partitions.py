"""The audit table by month on PostgreSQL: partitions ahead, a default, the trigger and indexes on every one."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from safeguard.audit import partitions, sealing
from safeguard.audit.models import AuditEvent

from .helpers import event, on_postgresql

UTC = dt.UTC
postgresql_only = pytest.mark.skipif(not on_postgresql(), reason="partitions exist on PostgreSQL only")


def _partition_of(row: AuditEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [row.pk])
        return cursor.fetchone()[0]


def _indexes(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexdef", [table])
        return sorted(row[0].split(" USING ")[1] for row in cursor.fetchall())


@pytest.mark.skipif(on_postgresql(), reason="SQLite keeps a plain table")
def test_sqlite_keeps_a_plain_table(db):
    assert not partitions.partitioned()
    assert partitions.keep_partitions_ahead(dt.date(2031, 1, 15)) == []
    out = StringIO()
    call_command("keep_audit_partitions", "--now", stdout=out)
    assert "not partitioned" in out.getvalue()


@postgresql_only
def test_this_month_and_three_ahead_exist_and_a_default(db):
    names = [p.name for p in partitions.existing()]
    today = dt.datetime.now(UTC).date()
    assert [partitions.partition_name(m) for m in partitions.months_wanted(today)] == [
        n for n in names if n != partitions.DEFAULT
    ][-4:]
    assert names[-1] == partitions.DEFAULT
    assert partitions.keep_partitions_ahead(today) == []


@postgresql_only
def test_the_monthly_job_creates_the_months_ahead_where_rows_then_land(db):
    created = partitions.keep_partitions_ahead(dt.date(2031, 1, 15))
    assert created == [f"audit_auditevent_p2031_{m:02}" for m in (1, 2, 3, 4)]
    on_the_first = event(at=dt.datetime(2031, 2, 1, 0, 0, tzinfo=UTC))
    last_moment = event(at=dt.datetime(2031, 1, 31, 23, 59, 59, 999999, tzinfo=UTC))
    assert _partition_of(on_the_first) == "audit_auditevent_p2031_02"
    assert _partition_of(last_moment) == "audit_auditevent_p2031_01"
    assert partitions.keep_partitions_ahead(dt.date(2031, 1, 15)) == []


@postgresql_only
def test_a_new_partition_carries_the_indexes(db):
    partitions.create_month(dt.date(2031, 6, 1))
    assert _indexes("audit_auditevent_p2031_06") == [
        "brin (at)",
        "btree (actor_id, at) INCLUDE (operation, record_type, record_id, purpose, outcome)",
        "btree (id, at)",
        "btree (record_type, record_id, at)",
    ]


@postgresql_only
def test_a_new_partition_refuses_update_and_delete(db):
    partitions.create_month(dt.date(2031, 6, 1))
    row = event(at=dt.datetime(2031, 6, 10, tzinfo=UTC))
    assert _partition_of(row) == "audit_auditevent_p2031_06"
    for sql in (
        "UPDATE audit_auditevent SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
        "UPDATE audit_auditevent_p2031_06 SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent_p2031_06 WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert AuditEvent.objects.filter(pk=row.pk, purpose="offender_management").exists()


@postgresql_only
def test_a_row_with_no_month_partition_lands_in_the_default_and_is_moved_when_its_month_is_created(db):
    stray = event(at=dt.datetime(2040, 5, 3, tzinfo=UTC))
    assert _partition_of(stray) == partitions.DEFAULT
    sealing.seal_closed_batches(margin=dt.timedelta(0), wait=dt.timedelta(seconds=5))
    partitions.create_month(dt.date(2040, 5, 1))
    assert _partition_of(stray) == "audit_auditevent_p2040_05"
    assert AuditEvent.objects.get(pk=stray.pk).at == stray.at
    assert sealing.verify().ok
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [stray.pk])


@postgresql_only
def test_who_looked_at_a_record_reads_across_partitions(db):
    partitions.create_month(dt.date(2031, 6, 1))
    old = event(record_id=42, at=dt.datetime(2031, 6, 10, tzinfo=UTC))
    new = event(record_id=42)
    event(record_id=43)
    seen = AuditEvent.objects.filter(record_type="people.person", record_id=42).order_by("-at")
    assert list(seen) == [old, new]  # 2031 is later than now
