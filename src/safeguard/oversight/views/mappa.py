"""The MAPPA annual report tables of the user's area: a page, and its CSV and XLSX (counts only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.access import gate

from ..services import mappa_annual as services

NAV = "oversight"
YEARS_SHOWN = 5


def _year(request) -> int:
    latest = services.latest_year(timezone.localdate())
    asked = request.GET.get("year", "")
    if asked.isdigit() and latest - YEARS_SHOWN < int(asked) <= latest:
        return int(asked)
    return latest


@login_required
def annual(request):
    year = _year(request)
    data = services.annual_tables(gate.context_for(request), year)
    latest = services.latest_year(timezone.localdate())
    return render(
        request,
        "oversight/mappa_annual.html",
        {
            "nav": NAV,
            "a": data,
            "years": list(range(latest, latest - YEARS_SHOWN, -1)),
            "levels": services.LEVELS,
            "category_rows": list(
                zip(data.category_labels, data.by_category_level.cells, data.by_category_level.row_totals, strict=True)
            ),
            "l23_rows": list(
                zip(data.category_labels, data.level_2_3_table.cells, data.level_2_3_table.row_totals, strict=True)
            ),
        },
    )


def _download(request, year: int, fmt: str) -> HttpResponse:
    content, content_type, filename = services.export_annual(gate.context_for(request), year, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def annual_csv(request, year: int):
    return _download(request, year, "csv")


@login_required
def annual_xlsx(request, year: int):
    return _download(request, year, "xlsx")
