"""The PCC dashboard of the user's area: trends, each chart beside its table, and the figures as CSV and XLSX
(counts only, small numbers suppressed)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from safeguard.access import gate
from safeguard.pathways.services import figures as pathway_figures

from .. import charts
from ..services import dashboard as services

NAV = "oversight"


@login_required
def dashboard(request):
    data = services.dashboard(gate.context_for(request))
    shown = [
        (series, charts.bar_chart(f"chart-{i}", series.title, series.periods, series.columns, series.rows))
        for i, series in enumerate(data.series)
    ]
    pf = pathway_figures.area_figures(data.area.pk)  # programmes, release, IOM: their own section
    context = {"nav": NAV, "d": data, "shown": shown, "pf": pf, "pt": pathway_figures.tables(pf)}
    return render(request, "oversight/dashboard.html", context)


def _download(request, fmt: str) -> HttpResponse:
    content, content_type, filename = services.export_dashboard(gate.context_for(request), fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def dashboard_csv(request):
    return _download(request, "csv")


@login_required
def dashboard_xlsx(request):
    return _download(request, "xlsx")
