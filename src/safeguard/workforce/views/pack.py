"""The monthly performance pack: a page and its CSV and XLSX downloads.

Aggregates only, never a name: for analysts (the Office of the PCC),
supervisors, the MAPPA coordinator and chairs of the area
(``policy.may_view_workforce_figures``). The services check access and write
one audit event per view (VIEW) or download (EXPORT). The page's download
buttons prepare the file as a background job (``jobs``: its page shows the
progress, then the file); the GET downloads stay for a script.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safeguard.access import gate

from ..services import pack as services

NAV = "workforce"


@login_required
def pack(request):
    data = services.monthly_pack(gate.context_for(request))
    return render(
        request,
        "workforce/pack/pack.html",
        {"nav": NAV, "pack": data, "f": data.figures},
    )


def _download(request, fmt: str) -> HttpResponse:
    content, content_type, filename = services.export_pack(gate.context_for(request), fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def pack_csv(request):
    return _download(request, "csv")


@login_required
def pack_xlsx(request):
    return _download(request, "xlsx")


@login_required
@require_POST
def pack_export(request):
    """Prepare the pack's file (``format``: csv or xlsx) as a background job, and show its progress."""
    job = services.start_export(gate.context_for(request), request.POST.get("format", ""))
    return redirect("jobs:job", pk=job.pk)
