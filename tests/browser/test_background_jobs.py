"""Accepting a large allocation batch: the answer comes at once, a real worker (``manage.py db_worker``, started
here against the test database, as in production) does the decisions in the background, the page's progress
bar advances (htmx polling) and the result shows; axe finds nothing serious on the job's page.

On PostgreSQL the bar is seen part of the way. SQLite has one writer: while the job's one transaction is
open every other writer waits, the page's requests too (each writes its session), and the progress is
written with the job's own transaction (jobs.progress), so there the page shows the job when it has ended.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from safeguard.jobs.models import Job
from safeguard.offenders.models import Nominal
from safeguard.workforce.models import AllocationBatch
from tests.jobs.builders import big_batch

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SIZE = 150
PART_WAY = """() => {
  const count = document.querySelector('#job-count');
  const found = /^(\\d+) of (\\d+) decisions$/.exec(count ? count.textContent.trim() : '');
  return found !== null && Number(found[1]) > 0 && Number(found[1]) < Number(found[2]);
}"""


def database_url() -> str:
    """The test database, as DATABASE_URL names it for the worker."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    who = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{who}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(live_server, settings):
    """Starts a db_worker process on the test database (after sign-in, so that its start-up does not slow the
    first pages); the live server queues into the database, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeguard.settings.test",
        "DATABASE_URL": database_url(),
        "SAFEGUARD_TEST_TASKS": "database",
    }
    started = []

    def start() -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.terminate()
        _, errors = process.communicate(timeout=30)
        if process.returncode not in (0, -15):
            pytest.fail(f"The worker ended with {process.returncode}: {errors.decode()[-2000:]}")


def test_accepting_a_large_batch_answers_at_once_and_finishes_in_the_background(page, live_server, world, start_worker):
    batch = big_batch(world, SIZE)
    sign_in(page, live_server, world.users.supervisor)
    page.goto(f"{live_server.url}/workforce/allocation/{batch.pk}/")
    start_worker()
    button = page.get_by_role("button", name=f"Accept all {SIZE} waiting recommendations")
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        button.click()
    assert answered.value.status == 302
    # The answer is in while the worker has the decisions still to make (or has yet to take the job).
    job = Job.objects.get()
    assert job.status in (Job.Status.QUEUED, Job.Status.RUNNING)
    assert job.kind == Job.Kind.ACCEPT_ALL and job.total == SIZE

    page.get_by_role("heading", name="Accepting an allocation batch").wait_for()
    if connection.vendor == "postgresql":
        page.wait_for_function(PART_WAY, timeout=60_000)  # the bar part of the way: "n of 150 decisions"
        bar = page.get_by_role("progressbar")
        assert 0 < int(bar.get_attribute("aria-valuenow")) < SIZE
        assert bar.get_attribute("aria-valuemax") == str(SIZE)
        assert page.locator("#job-status").inner_text() == "Running"
        assert violations(page) == []
    page.get_by_text(f"{SIZE} recommendations accepted.").wait_for(timeout=120_000)
    assert page.locator("#job-count").inner_text() == f"{SIZE} of {SIZE} decisions"
    assert page.locator(".sg-progress__bar--100").count() == 1
    assert violations(page) == []

    page.get_by_role("link", name="Back to the batch").click()
    assert "Decided" in page.locator("#batch-status").inner_text()
    assert AllocationBatch.objects.get(pk=batch.pk).status == AllocationBatch.Status.DECIDED
    nominals = Nominal.objects.filter(pk__in=batch.recommendations.values("nominal_id"))
    assert not nominals.filter(offender_manager__isnull=True).exists()
