"""The Category 3 scan started from a page (``actions:category3``), as a background job (run by ``jobs.runner``).

The scan is the nightly one (``actions.tasks.category3_scan``), over every domestic-abuse perpetrator of
every area, and it acts as the nightly run does: as the system member of staff, raising each prompt for the
area's MAPPA coordinators and the nominal's offender managers. The job records who asked for it (its
starter, audited when it was started).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.jobs.models import Job
from safeguard.jobs.runner import Finished

from . import category3


def category3_scan(ctx: gate.AccessContext, job: Job, progress) -> Finished:
    summary = category3.scan(timezone.localdate(), ctx=gate.system_context(), progress=progress)
    message = (
        f"{summary['prompts_raised']} prompts raised, {summary['prompts_refreshed']} refreshed and "
        f"{summary['closed_as_managed']} closed as now managed, over {summary['perpetrators_with_facts']} "
        "perpetrators."
    )
    return Finished(message=message, result=summary, result_url=reverse("web:home"), result_label="Go to my work")
