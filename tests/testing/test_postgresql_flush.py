"""The test settings' PostgreSQL backend empties every table between transactional tests, as Django's does, with
DELETE (and TRUNCATE only where a trigger refuses DELETE) instead of one TRUNCATE of every table."""

import pytest
from django.core.management import call_command
from django.db import connection

from safeguard.access import gate
from safeguard.audit.models import AuditEvent, Operation
from safeguard.events.models import Offence

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the backend is PostgreSQL's")


def _flush_statements() -> list[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return connection.ops.sql_flush(None, tables)


@pytest.mark.django_db
def test_only_the_tables_that_refuse_delete_are_truncated():
    statements = _flush_statements()
    truncated = [s for s in statements if s.startswith("TRUNCATE")]
    assert truncated == ['TRUNCATE "audit_auditevent", "audit_auditseal"']
    deleted = {s.removeprefix("DELETE FROM ") for s in statements if s.startswith("DELETE FROM")}
    assert '"offenders_nominal"' in deleted and '"audit_auditevent"' not in deleted


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_every_table_the_audit_store_included():
    Offence.objects.create(code="TESTFLUSH", description="A fictional offence", statute="A fictional statute")
    gate.audit_system(Operation.CREATE, "test", None, "a row for the flush to remove", {})
    assert AuditEvent.objects.exists()

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        left = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            left[table] = cursor.fetchone()[0]
    assert {table: n for table, n in left.items() if n} == {}
