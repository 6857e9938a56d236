"""Forum volumes across the local areas of the user's area: MARAC and triage side by side, each chart (with the
SafeLives capacity guides as lines) beside its table, and the figures as CSV and XLSX (counts only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from safeguard.access import gate

from .. import charts
from ..services import forum_volumes as services

NAV = "oversight"


@login_required
def volumes(request):
    v = services.volumes(gate.context_for(request))
    names = [line.name for line in v.lines]
    cases_chart = charts.bar_chart(
        "chart-cases",
        "MARAC cases heard by local area, with the SafeLives guide",
        names,
        ["Cases heard"],
        [[line.marac[2]] for line in v.lines],
        [line.guide_cases for line in v.lines],
        "Expected cases (40 per 10,000 women aged 16+)",
    )
    referrals_chart = charts.bar_chart(
        "chart-referrals",
        "MARAC referrals by local area, with the IDVA capacity guide",
        names,
        ["MARAC referrals"],
        [[line.marac[0]] for line in v.lines],
        [line.guide_referrals for line in v.lines],
        "IDVA capacity (100 referrals per post)",
    )
    triage_chart = charts.bar_chart(
        "chart-triage",
        "Incidents triaged by local area and grade",
        names,
        [label for _, label in services.GRADES],
        [line.grades[:-1] for line in v.lines],
    )
    return render(
        request,
        "oversight/forum_volumes.html",
        {
            "nav": NAV,
            "v": v,
            "cases_chart": cases_chart,
            "referrals_chart": referrals_chart,
            "triage_chart": triage_chart,
            "marac_columns": [label for _, label in services.MARAC_COUNTS],
            "grade_columns": [label for _, label in services.GRADES],
            "outcome_columns": [label for _, label in services.OUTCOMES],
            "guide_source": services.GUIDE_SOURCE,
        },
    )


def _download(request, fmt: str) -> HttpResponse:
    content, content_type, filename = services.export_volumes(gate.context_for(request), fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def volumes_csv(request):
    return _download(request, "csv")


@login_required
def volumes_xlsx(request):
    return _download(request, "xlsx")
