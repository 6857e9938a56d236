"""The SafeLives MARAC data return: a page for a MARAC and quarter, and the return as CSV and XLSX.

The MARAC's coordinator sees exact counts and a row per meeting (the return SafeLives asks for); an analyst
sees the quarter's totals with small numbers suppressed. Each view and download is audited against the forum.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation

from ..services import safelives as services

NAV = "oversight"
QUARTERS_SHOWN = 8


def _quarters() -> list[tuple[int, int]]:
    year, quarter = services.last_quarter(timezone.localdate())
    out = []
    for _ in range(QUARTERS_SHOWN):
        out.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out


def _chosen_quarter(request) -> tuple[int, int]:
    quarters = _quarters()
    asked = request.GET.get("quarter", "")
    for year, quarter in quarters:
        if asked == f"{year}-{quarter}":
            return year, quarter
    return quarters[0]


@login_required
def safelives(request):
    ctx = gate.context_for(request)
    forums = services.forums_for(request.user)
    if not forums:
        raise gate.AccessRefused(ctx, Operation.VIEW, services.RECORD_TYPE, None, "no MARAC return to see")
    asked = request.GET.get("forum", "")
    forum_id = asked if asked.isdigit() else forums[0].pk
    year, quarter = _chosen_quarter(request)
    data = services.safelives_return(ctx, forum_id, year, quarter)
    return render(
        request,
        "oversight/safelives.html",
        {
            "nav": NAV,
            "r": data,
            "forums": forums,
            "quarters": _quarters(),
            "count_columns": services.COUNT_COLUMNS,
            "victim_columns": services.VICTIM_COLUMNS,
            "ethnic_groups": services.ETHNIC_GROUPS,
            "national_period": services.NATIONAL_PERIOD,
            "headers": data.headers,
            "today": timezone.localdate(),
            "file_rows": services.file_rows(data),
        },
    )


def _download(request, forum: int, year: int, quarter: int, fmt: str) -> HttpResponse:
    if quarter not in (1, 2, 3, 4):
        raise gate.AccessRefused(gate.context_for(request), Operation.EXPORT, services.RECORD_TYPE, forum, "no quarter")
    content, content_type, filename = services.export_return(gate.context_for(request), forum, year, quarter, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def safelives_csv(request, forum: int, year: int, quarter: int):
    return _download(request, forum, year, quarter, "csv")


@login_required
def safelives_xlsx(request, forum: int, year: int, quarter: int):
    return _download(request, forum, year, quarter, "xlsx")
