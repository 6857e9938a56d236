"""The monthly background chain: after each month's end, the month-end (and quarter-end) snapshots of every
area's published figures, as a job (``oversight.jobs``; all or nothing, with progress).

Run by a django-tasks worker (``manage.py db_worker``), as the monthly caseload snapshots are
(``workforce.tasks``). Each run enqueues the next one for the 1st of the following month, so one
``manage.py take_snapshots --schedule`` after deployment keeps it going; running that again does not start a
second chain.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from safeguard.jobs import schedule
from safeguard.jobs import services as jobs
from safeguard.jobs.models import Job

from .services import snapshots

RUN_AT = dt.time(2, 0)  # after the caseload snapshots (01:00): the records as they stood at the month's end
TASK_PATH = "safeguard.oversight.tasks.take_figure_snapshots"


def next_run_after(now: dt.datetime) -> dt.datetime:
    """The next run strictly after ``now``: the 1st of a month at RUN_AT (local time)."""
    return schedule.next_monthly(now, RUN_AT)


def pending_monthly_run() -> bool:
    """Whether a monthly run is already queued."""
    return schedule.queued(TASK_PATH)


def start_job(period_end: dt.date) -> Job:
    """Queue the snapshot job for the month ending ``period_end`` (refused, before queueing, if it has not ended)."""
    snapshots.check_ended(period_end, timezone.localdate())
    running = jobs.running(Job.Kind.FIGURE_SNAPSHOTS, period_end=period_end.isoformat())
    if running is not None:
        return running
    return jobs.start_for_system(Job.Kind.FIGURE_SNAPSHOTS, params={"period_end": period_end.isoformat()}, unit="areas")


@task()
def take_figure_snapshots(schedule_next: bool = False) -> str:
    job = start_job(snapshots.month_just_ended(timezone.localdate()))
    if schedule_next:
        take_figure_snapshots.using(run_after=next_run_after(timezone.now())).enqueue(schedule_next=True)
    return job.status
