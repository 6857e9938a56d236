"""The audit store's chains: partitions monthly on the 1st, seals hourly; each started once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from safeguard.audit import tasks
from safeguard.audit.models import AuditSeal

from .helpers import event

UTC = dt.UTC


def test_the_partition_task_runs_on_the_first_of_the_month_after_the_hour():
    before = dt.datetime(2026, 12, 1, 0, 29, tzinfo=UTC)
    at = dt.datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
    day_after = dt.datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    assert tasks.next_month_run_after(before) == at
    assert tasks.next_month_run_after(at) == dt.datetime(2027, 1, 1, 0, 30, tzinfo=UTC)
    assert tasks.next_month_run_after(day_after) == dt.datetime(2027, 1, 1, 0, 30, tzinfo=UTC)


def test_the_seal_task_runs_five_past_every_hour():
    before = dt.datetime(2026, 12, 6, 7, 4, 59, tzinfo=UTC)
    at = dt.datetime(2026, 12, 6, 7, 5, tzinfo=UTC)
    after = dt.datetime(2026, 12, 6, 7, 5, 1, tzinfo=UTC)
    assert tasks.next_hour_run_after(before) == at
    assert tasks.next_hour_run_after(at) == dt.datetime(2026, 12, 6, 8, 5, tzinfo=UTC)
    assert tasks.next_hour_run_after(after) == dt.datetime(2026, 12, 6, 8, 5, tzinfo=UTC)


def test_the_seal_task_seals_and_returns_the_last_hash(db):
    row = event(at=timezone.now() - dt.timedelta(minutes=2))
    result = tasks.seal_audit.enqueue()
    assert result.status == "SUCCESSFUL"
    seal = AuditSeal.objects.get()
    assert result.return_value["last_id"] == row.pk == seal.last_id
    assert result.return_value["last_hash"] == seal.seal_hash


def test_the_partition_task_runs(db):
    result = tasks.keep_audit_partitions.enqueue()
    assert result.status == "SUCCESSFUL" and result.return_value == {"created": []}


def test_each_chain_is_started_once(db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = StringIO()
    for command in ("seal_audit", "keep_audit_partitions"):
        call_command(command, stdout=out)
        call_command(command, stdout=out)
    seal = DBTaskResult.objects.get(task_path=tasks.SEAL_TASK)
    partitions = DBTaskResult.objects.get(task_path=tasks.PARTITIONS_TASK)
    assert seal.run_after == tasks.next_hour_run_after(timezone.now())
    assert partitions.run_after == tasks.next_month_run_after(timezone.now())
    assert seal.args_kwargs["kwargs"] == partitions.args_kwargs["kwargs"] == {"schedule_next": True}
    assert out.getvalue().count("already scheduled") == 2
