"""A job's progress, written so that the job's page can show it while the work is still going on.

The job's business changes are one transaction, committed at its end (all or nothing). Progress written
inside that transaction would stay invisible until the end, so on PostgreSQL, when the job runs in the
worker (its connection not already inside a transaction), each progress update is written on a second
connection of its own, in autocommit: one ``UPDATE`` of the job's row (which the job's transaction does
not touch until its end), seen by the page's next poll at once.

SQLite has one writer at a time: a second connection would wait for the job's transaction and the job
would wait for it, so there (the demo) and whenever the job runs inside a caller's transaction (the
immediate backend of the tests, a request) the progress is written on the job's own connection and shows
when the job ends. On SQLite every other writer (a page's audit event, its session) waits for the job's
transaction too, as it waited for the request that did the same work before.

Updates are at most one every ``INTERVAL`` seconds (and always the last), so a poll a second sees each.
"""

from __future__ import annotations

import time

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from .models import Job

INTERVAL = 0.25


def writes_separately() -> bool:
    """Whether progress goes on a connection of its own (PostgreSQL, outside any transaction)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class Progress:
    """``progress(done, total)``: how far the job has got; callable from a service that knows nothing of jobs."""

    interval = INTERVAL

    def __init__(self, job: Job) -> None:
        self.job = job
        self.separate = writes_separately()
        self._own = None
        self._last = 0.0
        self.written: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.interval:
            return
        self._last = now
        self.job.done, self.job.total = done, total
        if self.separate:
            self._write_separately(done, total)
        else:
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total, updated_at=timezone.now())
        self.written.append((done, total))

    def _write_separately(self, done: int, total: int) -> None:
        if self._own is None:
            self._own = connections.create_connection(DEFAULT_DB_ALIAS)
        quote = self._own.ops.quote_name
        table = quote(Job._meta.db_table)
        sql = f"UPDATE {table} SET {quote('done')} = %s, {quote('total')} = %s, {quote('updated_at')} = %s WHERE {quote('id')} = %s"  # noqa: E501, S608 - names from the model, values bound
        with self._own.cursor() as cursor:
            cursor.execute(sql, [done, total, timezone.now(), self.job.pk])

    def close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None
