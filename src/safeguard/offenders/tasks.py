"""The daily background task: work out every due date again and raise what has fallen due.

Run by a django-tasks worker (``manage.py db_worker``). Each run enqueues the
next one for the following morning, so one ``manage.py schedule_daily_work``
after deployment keeps it going; running that command again does not start a
second chain.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from safeguard.jobs import schedule

from . import due_notices

RUN_AT = dt.time(6, 0)  # before the working day, so "my work" shows the day's items at sign-in


def next_run_after(now: dt.datetime) -> dt.datetime:
    """The next morning run strictly after ``now`` (local time)."""
    return schedule.next_daily(now, RUN_AT)


@task()
def raise_due_work(schedule_next: bool = False) -> dict:
    summary = due_notices.raise_due_work(timezone.localdate())
    if schedule_next:
        raise_due_work.using(run_after=next_run_after(timezone.now())).enqueue(schedule_next=True)
    return summary
