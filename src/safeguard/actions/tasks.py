"""The actions app's daily background tasks: chasing open actions, and the Category 3 prompt scan.

Run by a django-tasks worker (``manage.py db_worker``), as the due-work task is
(``offenders.tasks``). Each run enqueues the next one for the following
morning, so one ``manage.py chase_actions`` and one ``manage.py category3_scan``
after deployment keep them going; running those again does not start a second
chain. ``--now`` runs either at once, in the calling process.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from safeguard.jobs import schedule

from . import category3, chase

CHASE_AT = dt.time(6, 15)  # after the due-work task (06:00), before the working day
SCAN_AT = dt.time(5, 30)  # before the chase, so a coordinator's prompts are there at sign-in


def next_run_after(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The next run at ``at`` strictly after ``now`` (local time)."""
    return schedule.next_daily(now, at)


@task()
def chase_actions(schedule_next: bool = False) -> dict:
    summary = chase.chase_actions(timezone.localdate())
    if schedule_next:
        chase_actions.using(run_after=next_run_after(timezone.now(), CHASE_AT)).enqueue(schedule_next=True)
    return summary


@task()
def category3_scan(schedule_next: bool = False) -> dict:
    summary = category3.scan(timezone.localdate())
    if schedule_next:
        category3_scan.using(run_after=next_run_after(timezone.now(), SCAN_AT)).enqueue(schedule_next=True)
    return summary
