"""The daily background task: keep every forum's next 8 weeks of meetings scheduled from its cadence.

Run by a django-tasks worker (``manage.py db_worker``), as the daily due-work
task is (``offenders.tasks``). Each run enqueues the next one for the
following morning, so one ``manage.py schedule_forum_meetings`` after
deployment keeps it going; running that again does not start a second chain.
Scheduling is idempotent (``services.schedule``): a day already scheduled,
moved or cancelled is never scheduled twice.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from safeguard.jobs import schedule as jobs_schedule

from .services import schedule

RUN_AT = dt.time(5, 30)  # before the working day and before the due-work task
TASK_PATH = "safeguard.meetings.tasks.keep_meetings_scheduled"


def next_run_after(now: dt.datetime) -> dt.datetime:
    """The next morning run strictly after ``now`` (local time)."""
    return jobs_schedule.next_daily(now, RUN_AT)


def pending_run() -> bool:
    """Whether a run is already queued."""
    return jobs_schedule.queued(TASK_PATH)


@task()
def keep_meetings_scheduled(schedule_next: bool = False, weeks: int = schedule.DEFAULT_WEEKS) -> dict:
    summary = schedule.keep_all_scheduled(timezone.localdate(), weeks)
    if schedule_next:
        keep_meetings_scheduled.using(run_after=next_run_after(timezone.now())).enqueue(schedule_next=True, weeks=weeks)
    return summary
