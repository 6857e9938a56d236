"""When a recurring background task runs next, and whether its next run is already queued.

Each recurring task (the daily due work, the chasing of actions, the forums' meetings, the monthly snapshots)
enqueues its own next run when it ends; these are the times they pick, in local time, and the check that keeps a
second ``--schedule`` from starting a second chain.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def next_daily(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The next ``at`` (local time) strictly after ``now``."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def next_monthly(now: dt.datetime, at: dt.time, zone: dt.tzinfo | None = None) -> dt.datetime:
    """The next 1st of a month at ``at`` strictly after ``now``, in local time or in ``zone`` (the audit
    partitions' months are UTC's)."""
    zone = zone or timezone.get_current_timezone()
    local = timezone.localtime(now, zone)
    first = local.date().replace(day=1)
    candidate = timezone.make_aware(dt.datetime.combine(first, at), zone)
    if candidate <= local:
        following = (first + dt.timedelta(days=32)).replace(day=1)
        candidate = timezone.make_aware(dt.datetime.combine(following, at), zone)
    return candidate


def queued(task_path: str) -> bool:
    """Whether a run of the task is already queued (database backend only; other backends keep no queue)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return False
    return DBTaskResult.objects.filter(task_path=task_path, status="READY").exists()
