"""Relationship-data quality: the area's figures (counts only) and the user's own list of DA incidents whose
victim-suspect relationship is not recorded, each with a link that opens the add-relationship page ready."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from safeguard.access import gate

from ..services import relationships as services

NAV = "oversight"


@login_required
def quality(request):
    data = services.quality(gate.context_for(request))
    lines = [
        (b, list(zip(b.labels, b.table.cells, b.table.row_totals, b.percents, strict=True))) for b in data.breakdowns
    ]
    return render(request, "oversight/relationships.html", {"nav": NAV, "q": data, "lines": lines})


@login_required
def missing(request):
    page, changeable = services.missing_for(gate.context_for(request), request.GET.get("page"))
    return render(
        request,
        "oversight/relationships_missing.html",
        {"nav": NAV, "page": page, "changeable": changeable},
    )
