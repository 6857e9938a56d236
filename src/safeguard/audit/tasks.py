"""The audit store's background tasks: monthly partitions ahead, hourly seals.

Run by a django-tasks worker (``manage.py db_worker``), as the due-work task
is (``offenders.tasks``). Each run enqueues the next, so one
``manage.py keep_audit_partitions`` and one ``manage.py seal_audit`` after
deployment keep them going; running those again does not start a second
chain. ``--now`` runs either at once, in the calling process.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from safeguard.jobs import schedule

from . import partitions, sealing

PARTITIONS_AT = dt.time(0, 30)  # on the 1st: three months ahead always exist, so any day would do
SEAL_MINUTE = 5  # five past every hour
PARTITIONS_TASK = "safeguard.audit.tasks.keep_audit_partitions"
SEAL_TASK = "safeguard.audit.tasks.seal_audit"

log = logging.getLogger("safeguard.audit")


def next_month_run_after(now: dt.datetime) -> dt.datetime:
    """The next run strictly after ``now``: the 1st of a month at PARTITIONS_AT (UTC, as the partitions are)."""
    return schedule.next_monthly(now, PARTITIONS_AT, dt.UTC)


def next_hour_run_after(now: dt.datetime) -> dt.datetime:
    """The next run strictly after ``now`` at SEAL_MINUTE past the hour."""
    candidate = now.replace(minute=SEAL_MINUTE, second=0, microsecond=0)
    if candidate <= now:
        candidate += dt.timedelta(hours=1)
    return candidate


@task()
def keep_audit_partitions(schedule_next: bool = False) -> dict:
    created = partitions.keep_partitions_ahead(timezone.now().astimezone(dt.UTC).date())
    if schedule_next:
        keep_audit_partitions.using(run_after=next_month_run_after(timezone.now())).enqueue(schedule_next=True)
    return {"created": created}


@task()
def seal_audit(schedule_next: bool = False) -> dict:
    summary = sealing.seal_closed_batches()
    # The latest seal's hash is not personal data: logged, it is a copy kept outside the database.
    log.info(
        "audit seals: %s new, %s rows, up to id %s, last hash %s",
        summary.seals,
        summary.rows,
        summary.last_id,
        summary.last_hash,
    )
    if schedule_next:
        seal_audit.using(run_after=next_hour_run_after(timezone.now())).enqueue(schedule_next=True)
    return {
        "seals": summary.seals,
        "rows": summary.rows,
        "last_id": summary.last_id,
        "last_hash": summary.last_hash,
        "blocked": summary.blocked,
        "skipped": summary.skipped,
    }
