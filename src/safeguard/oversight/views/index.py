"""Oversight: the figures the user may see, counts only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from safeguard.access import gate
from safeguard.audit.models import Operation

from ..access import may_view_area_figures
from ..services import dashboard, forum_volumes, safelives

NAV = "oversight"


@login_required
def index(request):
    annual = may_view_area_figures(request.user).allowed
    pcc = may_view_area_figures(request.user, dashboard.ROLES).allowed
    maracs = safelives.forums_for(request.user)
    volumes = may_view_area_figures(request.user, forum_volumes.ROLES).allowed
    if not (annual or maracs or volumes):
        raise gate.AccessRefused(gate.context_for(request), Operation.VIEW, "oversight.index", None, "no figures")
    return render(
        request,
        "oversight/index.html",
        {"nav": NAV, "annual": annual, "maracs": maracs, "dashboard": pcc, "volumes": volumes},
    )
