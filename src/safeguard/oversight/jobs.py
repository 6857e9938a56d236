"""The month-end snapshots as a background job (run by ``jobs.runner``, all or nothing): every MAPPA area's
snapshot of its published figures for a month that has ended (and, at a quarter's end, the quarter's), with
progress by area. Queued by the monthly chain (``oversight.tasks``) or by ``manage.py take_snapshots``, as the
system member of staff; each area's snapshots are audited as the system's work (``gate.audit_system``)."""

from __future__ import annotations

import datetime as dt

from safeguard.access import gate
from safeguard.jobs.models import Job
from safeguard.jobs.runner import Finished, JobFailed

from .services import snapshots


def take_snapshots(ctx: gate.AccessContext, job: Job, progress) -> Finished:
    period_end = dt.date.fromisoformat(job.params["period_end"])
    try:
        summary = snapshots.take_all(period_end, job_id=job.pk, progress=progress, ctx=ctx)
    except snapshots.SnapshotRefused as refused:
        raise JobFailed(str(refused)) from None
    message = (
        f"Snapshots to {period_end:%d %B %Y}: {summary['written']} written and {summary['skipped']} already kept, "
        f"over {summary['areas']} areas."
    )
    return Finished(message=message, result=summary)
