"""Starting a job: the starter's own record, through the gate, queued for the worker."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation

from .models import Job


def start(
    ctx: gate.AccessContext, kind: str, *, params: dict, unit: str, total: int = 0, back: tuple[str, str] = ("", "")
) -> Job:
    """Record the job as the starter's and queue it. With the database backend the worker takes it once the
    caller's transaction commits; with the immediate backend (the tests) it has run when this returns.
    ``back`` is (address, label) of the page to go back to, until the job names its result."""
    from .tasks import run_job

    user = ctx.user
    job = Job(
        kind=kind,
        started_by=user,
        team_id=user.team_id,
        area_id=user.mappa_area_id,
        purpose=ctx.purpose,
        params=params,
        unit=unit,
        total=total,
        result_url=back[0],
        result_label=back[1],
    )
    allowed = gate.check(ctx, Operation.CREATE, job)
    job.save()
    gate.audit_allowed(ctx, Operation.CREATE, job, allowed.reason, {"kind": kind})
    run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def start_for_system(kind: str, *, params: dict, unit: str, total: int = 0) -> Job:
    """Queue a job of scheduled background work: started by the system member of staff (who cannot sign in,
    so the gate allows it no record and its work is audited through ``gate.audit_system``), for a system
    purpose. Nobody follows it from a page: its row (progress, how it ended) and the worker's results show it."""
    from .tasks import run_job

    ctx = gate.system_context()
    job = Job.objects.create(kind=kind, started_by=ctx.user, purpose=ctx.purpose, params=params, unit=unit, total=total)
    gate.audit_system(Operation.CREATE, gate.record_type_of(job), job.pk, "scheduled background work", {"kind": kind})
    run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


# A job not heard from for this long is taken as stopped (its worker was stopped part of the way: its transaction
# was rolled back, so it changed nothing) and no longer keeps the same work from being started again. Not a rule
# of any guidance: the longest job measured (946 decisions, nationally) takes under a minute.
STOPPED_AFTER = dt.timedelta(hours=1)


def running(kind: str, **params) -> Job | None:
    """A job of this kind on these params still waiting or running (so that it is not started twice)."""
    jobs = Job.objects.filter(
        kind=kind,
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        updated_at__gte=timezone.now() - STOPPED_AFTER,
    )
    for name, value in params.items():
        jobs = jobs.filter(**{f"params__{name}": value})
    return jobs.first()
