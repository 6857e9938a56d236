"""Audit rows for the audit store's tests, written through the model as the gate writes them."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from safeguard.audit.models import AuditEvent


def event(at: dt.datetime | None = None, **values) -> AuditEvent:
    fields = {
        "actor_id": 7,
        "actor_username": "om",
        "actor_agency_id": 3,
        "operation": "view",
        "record_type": "people.person",
        "record_id": 11,
        "purpose": "offender_management",
        "outcome": "allowed",
        "reason": "allocated offender manager",
        "request_id": "0" * 32,
        "client_address": "192.0.2.10",
        "detail": {"page": "person"},
    }
    fields.update(values)
    return AuditEvent.objects.create(at=at or timezone.now() - dt.timedelta(minutes=5), **fields)


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def tamper(sql: str, params: list) -> None:
    """Change audit rows by hand, as a superuser could: lift the append-only trigger, run the SQL, put it back."""
    with connection.cursor() as cursor:
        if on_postgresql():
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        cursor.execute(sql, params)
        assert cursor.rowcount == 1
        if on_postgresql():
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")
