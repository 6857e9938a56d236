"""Raising work that has fallen due: the daily task's use case, also callable by hand."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q

from . import due_dates, relevant_notification
from .models import DueNotice, Nominal

# Which date of a nominal raises which notice.
DUE_FIELDS = {
    DueNotice.Kind.NOTIFICATION: "notification_due",
    DueNotice.Kind.MAPPA_REVIEW: "mappa_review_due",
    DueNotice.Kind.LEVEL_SET: "level_set_by",
    DueNotice.Kind.RETENTION_REVIEW: "person__retention_review_due",
}


def raise_due_work(today: dt.date) -> dict:
    """Recompute every due date, raise a notice for each date now due or past, resolve notices no longer due.

    Idempotent: a notice is raised once per nominal, kind and due date.
    """
    recomputed = due_dates.recompute_all(today)
    raised = resolved = 0
    active = Nominal.objects.filter(status=Nominal.Status.ACTIVE)
    for kind, field in DUE_FIELDS.items():
        with transaction.atomic():
            due = active.filter(**{f"{field}__lte": today}).values_list("pk", field)
            existing = set(DueNotice.objects.filter(kind=kind, resolved_on=None).values_list("nominal_id", "due_on"))
            new = [
                DueNotice(nominal_id=pk, kind=kind, due_on=due_on, raised_on=today)
                for pk, due_on in due.iterator(chunk_size=5_000)
                if (pk, due_on) not in existing
            ]
            DueNotice.objects.bulk_create(new, batch_size=5_000, ignore_conflicts=True)
            raised += len(new)
            # A notice whose date has moved (the notification made, the review held) or whose nominal closed.
            still_due = Q(**{f"nominal__{field}": F("due_on")}, nominal__status=Nominal.Status.ACTIVE)
            resolved += (
                DueNotice.objects.filter(kind=kind, resolved_on=None).exclude(still_due).update(resolved_on=today)
            )
    tasks = relevant_notification.raise_data_tasks(today)
    return {"recomputed": recomputed, "raised": raised, "resolved": resolved, **tasks}


def pending_daily_run() -> bool:
    """Whether a daily run is already queued (database backend only; other backends keep no queue)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return False
    return DBTaskResult.objects.filter(task_path="safeguard.offenders.tasks.raise_due_work", status="READY").exists()
