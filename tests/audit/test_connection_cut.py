"""A connection cut between a business write and its audit write: neither persists.

The cut is real: on PostgreSQL another connection terminates the request's
own backend (``pg_terminate_backend``) at the moment the audit row is about
to be inserted, after the record has been written in the same transaction;
on SQLite the connection itself is closed there. Nothing of the database is
mocked.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.signals import pre_save
from django.db.utils import DatabaseError

from safeguard.access.gate import AccessContext
from safeguard.audit.models import AuditEvent
from safeguard.people import services
from safeguard.people.models import Alias

from .helpers import on_postgresql

SURNAME = "Cutwell"


def _terminate_this_connection_from_another() -> None:
    if not on_postgresql():
        connection.connection.close()
        return
    import psycopg

    settings = connection.settings_dict
    pid = connection.connection.info.backend_pid
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        terminated = other.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone()[0]
    assert terminated, "the backend did not end"


@pytest.fixture
def cut_before_the_audit_insert():
    seen = []

    def cut(sender, instance, **kwargs):
        if instance.record_type == "people.alias":
            # The business write has happened, in this transaction, on this connection:
            seen.append(Alias.objects.filter(family_name=SURNAME).count())
            _terminate_this_connection_from_another()

    pre_save.connect(cut, sender=AuditEvent, dispatch_uid="cut_before_the_audit_insert")
    yield seen
    pre_save.disconnect(sender=AuditEvent, dispatch_uid="cut_before_the_audit_insert")


def _add_alias(world) -> None:
    ctx = AccessContext(world.users.om, "offender_management")
    services.add_alias(ctx, Alias(person=world.people.offender, family_name=SURNAME))


def test_without_a_cut_the_record_and_its_audit_row_are_both_kept(transactional_db, world):
    _add_alias(world)
    alias = Alias.objects.get(family_name=SURNAME)
    assert AuditEvent.objects.filter(record_type="people.alias", record_id=alias.pk, operation="create").exists()


def test_a_cut_between_the_record_and_its_audit_row_keeps_neither(transactional_db, world, cut_before_the_audit_insert):
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(DatabaseError):
        _add_alias(world)
    assert cut_before_the_audit_insert == [1]  # the record had been written when the connection was cut
    connection.close()
    assert not Alias.objects.filter(family_name=SURNAME).exists()
    assert AuditEvent.objects.count() == audit_rows
