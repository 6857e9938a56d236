"""MATAC outcomes of the user's area: cohort summaries (counts only) and, for those the gate allows, each
perpetrator taken on with their RFG score, records before and after adoption and the tactics used."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from safeguard.access import gate

from ..services import matac_outcomes as services

NAV = "oversight"


@login_required
def outcomes(request):
    data = services.matac_outcomes(gate.context_for(request))
    return render(
        request,
        "oversight/matac_outcomes.html",
        {
            "nav": NAV,
            "m": data,
            "columns": [label for _, label in services.SUMMARY_COUNTS],
            "tactic_columns": [label for _, label in services.TACTIC_COUNTS],
        },
    )
