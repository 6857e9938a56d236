"""The monthly performance pack: a page and its CSV and XLSX downloads.

Aggregates only, never a name: for analysts (the Office of the PCC),
supervisors, the MAPPA coordinator and chairs of the area
(``policy.may_view_workforce_figures``). The services check access and write
one audit event per view (VIEW) or download (EXPORT).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

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
