"""Run the Category 3 scan now: a MAPPA coordinator's page, beside the nightly run.

The scan runs every night (``manage.py category3_scan`` starts the chain); a coordinator who has just seen a
batch of incidents recorded need not wait for the morning. The scan is a background job (``jobs``): the
answer is its page, with its progress, at once.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.jobs.models import Job

from .. import services


@login_required
def category3(request):
    ctx = gate.context_for(request)
    services.may_run_category3_scan(ctx)
    if request.method == "POST":
        job = services.start_category3_scan(ctx)
        return redirect("jobs:job", pk=job.pk)
    under_way = services.category3_scan_under_way()
    recent = list(gate.scoped(request.user, Job.objects.filter(kind=Job.Kind.CATEGORY3_SCAN))[:5])
    gate.audit_list(ctx, Operation.VIEW, Job, [job.pk for job in recent], {"page": "the Category 3 scan"})
    return render(
        request,
        "actions/category3.html",
        {"under_way": under_way, "recent": recent, "nav": "home"},
    )
