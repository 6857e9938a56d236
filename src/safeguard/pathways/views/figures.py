"""Take-up and outcome figures of the user's area: counts only, small numbers suppressed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from safeguard.access import gate
from safeguard.access.policy import may_view_workforce_figures
from safeguard.audit.models import Operation

from ..services.figures import area_figures, tables


@login_required
def figures(request):
    user = request.user
    decision = may_view_workforce_figures(user, user.mappa_area_id)
    if not decision:
        raise Http404
    found = area_figures(user.mappa_area_id)
    gate.audit_aggregate(
        gate.context_for(request), Operation.VIEW, "pathways.figures", user.mappa_area_id, decision.reason
    )
    return render(request, "pathways/figures.html", {"pf": found, "pt": tables(found)})
