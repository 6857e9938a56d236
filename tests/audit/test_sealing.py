"""Seals over closed batches of audit rows, chained; verify_audit finds the first batch that no longer matches."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from safeguard.audit import sealing
from safeguard.audit.models import AuditImmutable, AuditSeal

from .helpers import event, on_postgresql, tamper

NO_WAIT = dt.timedelta(0)


def _seal(batch_rows: int = 3, margin: dt.timedelta = NO_WAIT) -> sealing.SealSummary:
    return sealing.seal_closed_batches(margin=margin, batch_rows=batch_rows, wait=dt.timedelta(seconds=5))


def _verify_command() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_closed_rows_are_sealed_in_id_order_batches_each_chained_to_the_last(db):
    rows = [event(record_id=n) for n in range(8)]
    summary = _seal(batch_rows=3)
    seals = list(AuditSeal.objects.order_by("number"))
    assert (summary.seals, summary.rows, summary.last_id) == (3, 8, rows[-1].pk)
    assert [(s.number, s.row_count) for s in seals] == [(1, 3), (2, 3), (3, 2)]
    assert [s.after_id for s in seals] == [0, rows[2].pk, rows[5].pk]
    assert [s.last_id for s in seals] == [rows[2].pk, rows[5].pk, rows[7].pk]
    assert seals[0].previous_hash == sealing.GENESIS
    assert [s.previous_hash for s in seals[1:]] == [s.seal_hash for s in seals[:-1]]
    assert summary.last_hash == seals[-1].seal_hash
    assert "All 3 seals match (8 audit rows" in _verify_command()


def test_a_second_run_seals_only_the_new_rows_and_continues_the_chain(db):
    event()
    _seal()
    first = AuditSeal.objects.get()
    assert _seal().seals == 0
    newer = event()
    _seal()
    second = AuditSeal.objects.get(number=2)
    assert (second.after_id, second.last_id, second.row_count) == (first.last_id, newer.pk, 1)
    assert second.previous_hash == first.seal_hash


def test_rows_younger_than_the_margin_wait_for_a_later_run(db):
    now = timezone.now()
    older = event(at=now - dt.timedelta(minutes=1, seconds=5))
    event(at=now + dt.timedelta(minutes=5))  # a row newer than the margin: the horizon stops below it
    summary = _seal(margin=dt.timedelta(minutes=1))
    assert summary.last_id == older.pk
    assert sealing.verify().unsealed_rows == 1


def test_nothing_to_seal_writes_no_seal(db):
    assert _seal().seals == 0
    assert not AuditSeal.objects.exists()
    assert "No seals to check. 0 audit rows" in _verify_command()


def test_verify_audit_names_the_batch_of_a_row_changed_by_hand(db):
    rows = [event(record_id=n) for n in range(9)]
    _seal(batch_rows=3)
    tamper("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["curiosity", rows[4].pk])
    result = sealing.verify()
    assert result.mismatch.number == 2 and result.seals_checked == 1
    assert result.mismatch.problem == "a row was changed (same number of rows, different contents)"
    with pytest.raises(CommandError) as raised:
        _verify_command()
    assert raised.value.returncode == 1
    assert f"Seal 2 (audit ids {rows[3].pk:,} to {rows[5].pk:,}" in str(raised.value)


def test_verify_audit_names_the_batch_of_a_deleted_row(db):
    rows = [event(record_id=n) for n in range(9)]
    _seal(batch_rows=3)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[8].pk])
    result = sealing.verify()
    assert result.mismatch.number == 3
    assert result.mismatch.problem == "3 rows when sealed, 2 now (rows removed or added)"


def test_verify_audit_finds_a_rewritten_seal(db):
    for n in range(4):
        event(record_id=n)
    _seal(batch_rows=2)
    with connection.cursor() as cursor:
        if on_postgresql():
            cursor.execute("ALTER TABLE audit_auditseal DISABLE TRIGGER audit_auditseal_append_only")
        cursor.execute("UPDATE audit_auditseal SET row_count = row_count + 1 WHERE number = 1")
    assert sealing.verify().mismatch.number == 1
    assert "the seal itself was altered" in sealing.verify().mismatch.problem


def test_verify_from_a_later_seal_trusts_the_ones_before(db):
    rows = [event(record_id=n) for n in range(6)]
    _seal(batch_rows=2)
    tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["x", rows[0].pk])
    assert sealing.verify(from_number=2).ok
    assert sealing.verify(from_number=1).mismatch.number == 1


def test_seals_cannot_be_changed_or_removed(db):
    event()
    _seal()
    seal = AuditSeal.objects.get()
    with pytest.raises(AuditImmutable):
        seal.save()
    with pytest.raises(AuditImmutable):
        AuditSeal.objects.all().delete()
    if on_postgresql():
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditseal SET row_count = 0")


def test_the_seal_audit_command_seals_now(db):
    event()
    out = StringIO()
    call_command("seal_audit", "--now", stdout=out)
    assert "1 seals written over 1 rows" in out.getvalue()
