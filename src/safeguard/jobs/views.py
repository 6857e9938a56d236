"""A background job's page: its progress bar (polled by htmx until the job ends), then what it did.

The page itself is audited as a view of the job; the polls of its progress are checked by the gate and
not audited (the job holds counts only, and a poll a second would fill the audit store). A finished job
answers its poll with HTTP 286, which tells htmx to stop polling.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.web import pages

from .models import Job

STOP_POLLING = 286  # htmx: "stop polling"

JOBS = Job.objects.select_related("started_by")


@login_required
def job(request, pk: int):
    record = pages.gated(request, JOBS, pk)
    return render(request, "jobs/job.html", {"job": record, "nav": _nav(record)})


@login_required
def progress(request, pk: int):
    record = pages.gated(request, JOBS, pk, audited=False)
    response = render(request, "jobs/_progress.html", {"job": record})
    if record.finished:
        response.status_code = STOP_POLLING
    return response


@login_required
def download(request, pk: int):
    record = pages.gated(request, JOBS, pk, Operation.EXPORT, {"file": "the job's result"})
    if record.output is None or record.status != Job.Status.DONE:
        raise gate.AccessRefused(gate.context_for(request), Operation.EXPORT, "jobs.job", pk, "no file to download")
    response = HttpResponse(bytes(record.output), content_type=record.output_type)
    response["Content-Disposition"] = f'attachment; filename="{record.output_name}"'
    return response


def _nav(record: Job) -> str:
    return "actions" if record.kind == Job.Kind.CATEGORY3_SCAN else "workforce"
