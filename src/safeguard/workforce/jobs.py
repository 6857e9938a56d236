"""The workforce's background jobs (run by ``jobs.runner``): accepting an allocation batch, the monthly pack."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from safeguard.access import gate
from safeguard.jobs.models import Job
from safeguard.jobs.runner import Finished

from .services import allocation
from .services import pack as packs


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def accept_all(ctx: gate.AccessContext, job: Job, progress) -> Finished:
    """Accept every waiting recommendation of the batch, as the starter, against the version they saw."""
    batch = allocation.batch_unchecked(job.params["batch"])
    done = allocation.accept_all(ctx, batch, expected_version=job.params["version"], progress=progress)
    refused = [{"rec": rec.pk, "why": list(why)} for rec, why in done.refused]
    message = f"{_plural(len(done.accepted), 'recommendation', 'recommendations')} accepted."
    url = reverse("workforce:batch", kwargs={"pk": batch.pk})
    if refused:
        message += f" {_plural(len(refused), 'was', 'were')} not: the batch page says why."
        url += f"?job={job.pk}"
    return Finished(
        message=message,
        result={"batch": batch.pk, "accepted": len(done.accepted), "refused": refused},
        result_url=url,
        result_label="Back to the batch",
    )


def monthly_pack(ctx: gate.AccessContext, job: Job, progress) -> Finished:
    """The area's monthly pack as a file of counts (CSV or XLSX), kept with the job for its starter."""
    fmt, on = job.params["format"], dt.date.fromisoformat(job.params["on"])
    content, content_type, name = packs.export_pack(ctx, fmt, on, progress=progress)
    return Finished(
        message=f"The monthly pack for {on:%B %Y} is ready to download ({fmt.upper()}).",
        result={"format": fmt, "bytes": len(content)},
        result_url=reverse("workforce:pack"),
        result_label="Back to the monthly pack",
        output=content,
        output_name=name,
        output_type=content_type,
    )
