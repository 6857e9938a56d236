"""The monthly background task: snapshot every officer's caseload for the month just ended.

Run by a django-tasks worker (``manage.py db_worker``), as the daily due-work
task is (``offenders.tasks``). Each run enqueues the next one for the 1st of
the following month, so one ``manage.py take_caseload_snapshots --schedule``
after deployment keeps it going; running that again does not start a second
chain. The caseload trend reads these snapshots; this month is always worked
out live.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from safeguard.jobs import schedule

from .figures import previous_month
from .services import caseloads

RUN_AT = dt.time(1, 0)  # the first hour of the 1st: the nominals as they stood at the end of the month
TASK_PATH = "safeguard.workforce.tasks.take_caseload_snapshots"


def month_just_ended(today: dt.date) -> dt.date:
    """The first day of the month before ``today``'s."""
    return previous_month(today)


def next_run_after(now: dt.datetime) -> dt.datetime:
    """The next run strictly after ``now``: the 1st of a month at RUN_AT (local time)."""
    return schedule.next_monthly(now, RUN_AT)


def pending_monthly_run() -> bool:
    """Whether a monthly run is already queued."""
    return schedule.queued(TASK_PATH)


@task()
def take_caseload_snapshots(schedule_next: bool = False) -> dict:
    summary = caseloads.take_snapshots(month_just_ended(timezone.localdate()))
    if schedule_next:
        take_caseload_snapshots.using(run_after=next_run_after(timezone.now())).enqueue(schedule_next=True)
    return summary
