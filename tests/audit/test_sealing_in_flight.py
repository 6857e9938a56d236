"""Sealing never closes a batch that a transaction still running could add a row to (PostgreSQL).

A transaction takes an id for its audit row, then a later one commits a row
with a higher id: until the first commits or rolls back, the range below the
second row is not closed. The seal waits, seals nothing new, and catches up
once the first has finished, so the late row is inside a seal and verifies.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from safeguard.audit import sealing
from safeguard.audit.models import AuditEvent, AuditSeal

from .helpers import event, on_postgresql

pytestmark = pytest.mark.skipif(not on_postgresql(), reason="SQLite serialises writers: nothing is ever in flight")

INSERT = """
INSERT INTO audit_auditevent (at, actor_username, operation, record_type, purpose, outcome, reason, request_id, detail)
VALUES (now() - interval '5 minutes', 'late', 'view', 'people.person', 'offender_management', 'allowed', '', '', '{}')
RETURNING id
"""


def _other_connection():
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or None,
    )


def _seal() -> sealing.SealSummary:
    return sealing.seal_closed_batches(margin=dt.timedelta(0), wait=dt.timedelta(seconds=1))


def test_a_transaction_still_running_holds_back_the_seal_until_it_ends(transactional_db):
    sealed_before = event()
    assert _seal().seals == 1
    with _other_connection() as slow:
        late_id = slow.execute(INSERT).fetchone()[0]  # an id taken, not yet committed
        later = event()
        assert later.pk > late_id
        held = _seal()
        assert held.blocked and held.seals == 0
        slow.commit()
    caught_up = _seal()
    assert not caught_up.blocked and caught_up.last_id == later.pk
    last = AuditSeal.objects.order_by("-number").first()
    assert (last.after_id, last.row_count) == (sealed_before.pk, 2)
    assert sealing.verify().ok
    assert AuditEvent.objects.filter(pk=late_id).exists()


def test_a_rolled_back_insert_leaves_a_gap_inside_a_seal(transactional_db):
    with _other_connection() as failed:
        gap = failed.execute(INSERT).fetchone()[0]
        after = event()
        failed.rollback()
    _seal()
    seal = AuditSeal.objects.get()
    assert seal.after_id < gap < seal.last_id == after.pk
    assert sealing.verify().ok
