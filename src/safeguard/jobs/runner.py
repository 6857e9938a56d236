"""Running a job: what each kind does, all or nothing, and how it ends.

Each kind names the function that does its work (``RUNNERS``): ``work(ctx, job, progress) -> Finished``,
called with the starter's access context (so the gate decides and audits as for them, with the purpose
they worked under) inside one transaction. The job's end (done, with what it did) is written in that same
transaction, so the business changes and "done" commit together; a failure rolls every change back and
the job says why, in plain words and with no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from safeguard.access import gate
from safeguard.access.errors import VersionConflict

from .models import Job
from .progress import Progress

RUNNERS = {
    Job.Kind.ACCEPT_ALL: "safeguard.workforce.jobs.accept_all",
    Job.Kind.MONTHLY_PACK: "safeguard.workforce.jobs.monthly_pack",
    Job.Kind.CATEGORY3_SCAN: "safeguard.actions.jobs.category3_scan",
    Job.Kind.FIGURE_SNAPSHOTS: "safeguard.oversight.jobs.take_snapshots",
}

NOTHING_CHANGED = "Nothing was changed."
REFUSED = "You may no longer do this."
CHANGED_SINCE = (
    "The records were changed by someone else after the job was started: look at them again, then start it again."
)
GONE = "What the job works on is no longer there."
UNEXPECTED = (
    "The job stopped on an unexpected error. The service's administrators can find it in the worker's task "
    "results (job {token})."
)


@dataclass
class Finished:
    """What a job did: a sentence, counts and ids, where to go next, and a file of counts only if any."""

    message: str
    result: dict = field(default_factory=dict)
    result_url: str = ""
    result_label: str = ""
    output: bytes | None = None
    output_name: str = ""
    output_type: str = ""


class JobFailed(Exception):
    """A failure the job explains itself, in plain words (no personal data)."""


def _started(job: Job) -> None:
    job.status, job.started_at = Job.Status.RUNNING, timezone.now()
    Job.objects.filter(pk=job.pk).update(status=job.status, started_at=job.started_at, updated_at=job.started_at)


def _done(job: Job, finished: Finished) -> None:
    job.status, job.finished_at = Job.Status.DONE, timezone.now()
    job.done = job.total = max(job.total, job.done)
    for name in ("message", "result", "result_url", "result_label", "output", "output_name", "output_type"):
        setattr(job, name, getattr(finished, name))
    job.save()


def _failed(job: Job, reason: str) -> None:
    now = timezone.now()
    job.status, job.finished_at, job.failure = Job.Status.FAILED, now, f"{reason} {NOTHING_CHANGED}"[:500]
    Job.objects.filter(pk=job.pk).update(status=job.status, finished_at=now, failure=job.failure, updated_at=now)


def plain_reason(error: Exception, job: Job) -> str:
    """Why the job failed, for its starter: the service's own words where it gave them."""
    if isinstance(error, JobFailed):
        return str(error)
    if isinstance(error, gate.AccessRefused):
        return REFUSED
    if isinstance(error, VersionConflict):
        return CHANGED_SINCE
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, Http404 | ObjectDoesNotExist):
        return GONE
    return UNEXPECTED.format(token=job.token)


def run(job_id: int) -> str:
    """Run one job (once: a job that has started already is left alone). Returns its status."""
    job = Job.objects.select_related("started_by").get(pk=job_id)
    if job.status != Job.Status.QUEUED:
        return job.status
    work = import_string(RUNNERS[job.kind])
    ctx = gate.AccessContext(user=job.started_by, purpose=job.purpose, request_id=job.token.hex)
    _started(job)
    progress = Progress(job)
    try:
        with transaction.atomic():
            finished = work(ctx, job, progress)
            _done(job, finished)
    except Exception as error:
        if isinstance(error, gate.AccessRefused):
            gate.record_refusal(error)
        reason = plain_reason(error, job)
        _failed(job, reason)
        if reason == UNEXPECTED.format(token=job.token):
            raise  # the task backend keeps the traceback (in the database, not in a log)
    finally:
        progress.close()
    return job.status
