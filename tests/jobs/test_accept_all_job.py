"""Accepting an allocation batch as a background job: the answer is the job's page, the work is one
transaction (a failure part of the way changes nothing and says why), and the progress is told as it goes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.jobs import progress as progress_module
from safeguard.jobs import runner
from safeguard.jobs.models import Job
from safeguard.jobs.services import STOPPED_AFTER
from safeguard.offenders.models import Nominal
from safeguard.workforce.models import AllocationBatch, AllocationRecommendation
from safeguard.workforce.services import allocation
from tests.jobs.builders import big_batch, queued_job

SIZE = 12


def _allocated(batch) -> int:
    return Nominal.objects.filter(
        pk__in=batch.recommendations.values("nominal_id"), offender_manager__isnull=False
    ).count()


def test_accept_all_answers_with_the_job_page_and_the_job_does_the_batch(world, sign_in):
    batch = big_batch(world, SIZE)
    client = sign_in(world.users.supervisor)
    response = client.post(reverse("workforce:batch-accept-all", kwargs={"pk": batch.pk}), {"version": batch.version})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:job", kwargs={"pk": job.pk})
    # The tests' immediate backend has run the job by now; the worker runs it after the answer.
    assert job.status == Job.Status.DONE and (job.done, job.total) == (SIZE, SIZE)
    assert job.kind == Job.Kind.ACCEPT_ALL and job.started_by == world.users.supervisor
    assert job.result == {"batch": batch.pk, "accepted": SIZE, "refused": []}
    batch.refresh_from_db()
    assert batch.status == AllocationBatch.Status.DECIDED and _allocated(batch) == SIZE
    page = client.get(response.url).content.decode()
    assert f"{SIZE} of {SIZE} decisions" in page and 'role="progressbar"' in page
    assert f'aria-valuenow="{SIZE}"' in page and "sg-progress__bar--100" in page
    assert f"{SIZE} recommendations accepted." in page and "Back to the batch" in page
    assert 'hx-trigger="every 1s"' not in page  # a finished job is not polled
    events = AuditEvent.objects.filter(actor_id=world.users.supervisor.pk, outcome=Outcome.ALLOWED)
    assert events.filter(record_type="jobs.job", record_id=job.pk, operation=Operation.CREATE).exists()
    assert events.filter(record_type="jobs.job", record_id=job.pk, operation=Operation.VIEW).exists()
    # Each decision is audited as the supervisor, with the purpose they worked under.
    changes = events.filter(record_type="workforce.allocationrecommendation", operation=Operation.CHANGE)
    assert changes.count() == SIZE and set(changes.values_list("request_id", flat=True)) == {job.token.hex}


def test_the_progress_poll_stops_htmx_once_the_job_has_ended(world, sign_in):
    batch = big_batch(world, 3)
    job = queued_job(world, batch)
    client = sign_in(world.users.supervisor)
    url = reverse("jobs:progress", kwargs={"pk": job.pk})
    waiting = client.get(url)
    assert waiting.status_code == 200 and "Waiting to start" in waiting.content.decode()
    page = client.get(reverse("jobs:job", kwargs={"pk": job.pk})).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page and 'aria-live="polite"' in page
    runner.run(job.pk)
    ended = client.get(url)
    assert ended.status_code == 286 and "3 of 3 decisions" in ended.content.decode()
    # Polls are checked, not audited: only the page's first load is.
    views = AuditEvent.objects.filter(record_type="jobs.job", record_id=job.pk, operation=Operation.VIEW)
    assert views.count() == 1


def test_a_failure_part_of_the_way_changes_nothing_and_says_why(world, sign_in, monkeypatch):
    batch = big_batch(world, SIZE)
    real = allocation._decide
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == SIZE // 2:
            raise RuntimeError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(allocation, "_decide", failing)
    client = sign_in(world.users.supervisor)
    version = batch.version
    response = client.post(reverse("workforce:batch-accept-all", kwargs={"pk": batch.pk}), {"version": version})
    job = Job.objects.get()
    assert len(calls) == SIZE // 2  # it failed part of the way through
    assert job.status == Job.Status.FAILED
    assert job.failure.startswith("The job stopped on an unexpected error") and job.failure.endswith(
        "Nothing was changed."
    )
    assert "database went away" not in job.failure  # the error's own words stay with the worker
    assert _allocated(batch) == 0
    assert not batch.recommendations.exclude(decision=AllocationRecommendation.Decision.PENDING).exists()
    batch.refresh_from_db()
    assert batch.version == version and batch.status != AllocationBatch.Status.DECIDED
    page = client.get(response.url).content.decode()
    assert "Failed" in page and "Why it failed" in page and "Nothing was changed." in page


def test_a_batch_changed_since_the_job_was_queued_fails_saying_so(world):
    batch = big_batch(world, 3)
    job = queued_job(world, batch, version=batch.version + 1)
    assert runner.run(job.pk) == Job.Status.FAILED
    job.refresh_from_db()
    assert job.failure == f"{runner.CHANGED_SINCE} {runner.NOTHING_CHANGED}"
    assert _allocated(batch) == 0


def test_a_starter_who_may_no_longer_allocate_is_refused_and_audited(world):
    batch = big_batch(world, 3)
    job = queued_job(world, batch, user=world.users.om)  # an offender manager may not allocate
    assert runner.run(job.pk) == Job.Status.FAILED
    job.refresh_from_db()
    assert job.failure == f"{runner.REFUSED} {runner.NOTHING_CHANGED}"
    assert AuditEvent.objects.filter(
        actor_id=world.users.om.pk, outcome=Outcome.REFUSED, record_type="workforce.allocationbatch"
    ).exists()
    assert _allocated(batch) == 0


def test_what_the_rules_refuse_is_listed_on_the_batch_page(world, sign_in):
    batch = big_batch(world, 3)
    first = batch.recommendations.order_by("pk").first()
    Nominal.objects.filter(pk=first.nominal_id).update(status=Nominal.Status.CLOSED)
    client = sign_in(world.users.supervisor)
    client.post(reverse("workforce:batch-accept-all", kwargs={"pk": batch.pk}), {"version": batch.version})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.result["accepted"] == 2
    assert job.message == "2 recommendations accepted. 1 was not: the batch page says why."
    assert job.result_url == reverse("workforce:batch", kwargs={"pk": batch.pk}) + f"?job={job.pk}"
    page = client.get(job.result_url).content.decode()
    assert "1 recommendation could not be applied" in page and "no longer active" in page


def test_accept_all_is_not_started_twice(world, sign_in):
    batch = big_batch(world, 3)
    queued_job(world, batch)
    client = sign_in(world.users.supervisor)
    response = client.post(reverse("workforce:batch-accept-all", kwargs={"pk": batch.pk}), {"version": batch.version})
    assert response.status_code == 200
    assert "Accepting this batch has started already" in response.content.decode()
    assert Job.objects.count() == 1


def test_progress_is_told_as_the_decisions_are_made(world, monkeypatch):
    monkeypatch.setattr(progress_module.Progress, "interval", 0)
    batch = big_batch(world, 5)
    seen = []
    real = progress_module.Progress.__call__

    def watch(self, done, total):
        real(self, done, total)
        seen.append((done, total))

    monkeypatch.setattr(progress_module.Progress, "__call__", watch)
    runner.run(queued_job(world, batch).pk)
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_by_others_while_the_job_is_still_in_its_transaction(world, monkeypatch):
    """As in the worker: the job runs outside any transaction of its caller. On PostgreSQL a second
    connection sees the progress while the decisions are not yet committed; SQLite has one writer, so
    there the progress shows when the job ends (jobs.progress)."""
    monkeypatch.setattr(progress_module.Progress, "interval", 0)
    batch = big_batch(world, 6)
    job = queued_job(world, batch)
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []
    real = progress_module.Progress.__call__

    def look_from_outside(self, done, total):
        real(self, done, total)
        if done == 4:
            seen.append(_as_seen_by(other, job.pk, batch))

    monkeypatch.setattr(progress_module.Progress, "__call__", look_from_outside)
    try:
        assert runner.run(job.pk) == Job.Status.DONE
    finally:
        other.close()
    ((done, status, allocated),) = seen
    assert allocated == 0 and status == Job.Status.RUNNING  # the decisions were not committed yet
    assert done == (4 if connection.vendor == "postgresql" else 0)
    assert _allocated(batch) == 6


def _as_seen_by(other, job_pk: int, batch) -> tuple[int, str, int]:
    quote = other.ops.quote_name
    nominal_ids = list(batch.recommendations.values_list("nominal_id", flat=True))
    with other.cursor() as cursor:
        table = quote(Job._meta.db_table)
        cursor.execute(f"SELECT {quote('done')}, {quote('status')} FROM {table} WHERE id = %s", [job_pk])
        done, status = cursor.fetchone()
        marks = ", ".join(["%s"] * len(nominal_ids))
        cursor.execute(
            f"SELECT COUNT(*) FROM {quote(Nominal._meta.db_table)} "
            f"WHERE id IN ({marks}) AND offender_manager_id IS NOT NULL",
            nominal_ids,
        )
        (allocated,) = cursor.fetchone()
    return done, status, allocated


def test_a_job_not_heard_from_for_an_hour_no_longer_blocks_the_batch(world, sign_in):
    batch = big_batch(world, 3)
    stopped = queued_job(world, batch)
    long_ago = timezone.now() - STOPPED_AFTER - dt.timedelta(minutes=1)
    Job.objects.filter(pk=stopped.pk).update(status=Job.Status.RUNNING, updated_at=long_ago)
    client = sign_in(world.users.supervisor)
    response = client.post(reverse("workforce:batch-accept-all", kwargs={"pk": batch.pk}), {"version": batch.version})
    assert response.status_code == 302
    assert Job.objects.exclude(pk=stopped.pk).get().status == Job.Status.DONE
    assert _allocated(batch) == 3
