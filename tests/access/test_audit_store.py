import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from safeguard.access.gate import AccessContext
from safeguard.access.gate import _write_event as write_event  # the store itself, as the gate writes it
from safeguard.audit.models import AuditEvent, AuditImmutable


@pytest.fixture
def event(world):
    return write_event(AccessContext(world.users.om, "offender_management"), "view", "people.person", 1, "allowed")


def test_an_audit_event_cannot_be_changed_or_removed_through_the_orm(event):
    event.purpose = "something else"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="x")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_update_and_delete_for_any_role(event):
    for sql in (
        "UPDATE audit_auditevent SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, purpose="offender_management").exists()


def test_deleting_a_user_does_not_touch_their_audit_events(world):
    analyst = world.users.analyst
    event = write_event(AccessContext(analyst, "supervision"), "view", "people.person", 1, "refused")
    analyst.delete()
    event.refresh_from_db()
    assert event.actor_username == "analyst" and event.actor_id is not None
