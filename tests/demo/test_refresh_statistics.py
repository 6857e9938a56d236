"""The world's statistics are refreshed inside its transaction, without locking the server's shared catalogues."""

import pytest
from django.db import connection

from safeguard.demo import bulk
from safeguard.events.models import Offence

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's planner keeps no statistics to refresh"),
]


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_refreshing_holds_no_lock_on_the_shared_catalogues():
    """A bare ANALYZE locks pg_authid and the other shared catalogues until the world's transaction commits,
    which stops every ANALYZE in every other database of the server meanwhile (another test worker, a benchmark)."""
    bulk.refresh_statistics()
    shared = _one(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE l.pid = pg_backend_pid() AND c.relisshared"
    )
    assert shared == 0


def test_refreshing_lets_the_planner_see_the_rows_written_in_the_transaction():
    Offence.objects.bulk_create(
        Offence(code=f"TEST{i:04d}", description="A fictional offence", statute="A fictional statute")
        for i in range(300)
    )
    bulk.refresh_statistics()
    assert _one("SELECT reltuples FROM pg_class WHERE relname = %s", [Offence._meta.db_table]) >= 300
