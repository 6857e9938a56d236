"""Caseload pages: the workforce landing page, a team's caseloads, one officer's.

- ``workforce:index``: links by role to caseloads, training, allocation and
  the monthly pack, with the area's caseload settings.
- ``workforce:caseloads``: a supervisor's team (worst first: who is over, by
  how much and why), with charts and the training gaps beside it; the MAPPA
  coordinator or a chair picks a team of the area (``?team=<id>``); an
  officer is sent to their own figures.
- ``workforce:officer``: one officer's figures with the working, the 12-month
  trend, training, and for probation practitioners the workload model with
  the impact of allocating a proposed case.

The views are thin: the services (``services.caseloads``) pass the gate and
write the audit events. The charts are server-rendered SVG with a title and
description, and the same figures are always in a table beside them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from safeguard.access import gate, policy
from safeguard.audit.models import Operation
from safeguard.rules.working import RuleInputError
from safeguard.rules.workload import DEFAULT_POINT_TABLE
from safeguard.web import lists
from safeguard.web.lists import Column, Filter, ListSpec

from ..forms.caseloads import ProposedCaseForm
from ..models import AreaSettings, Role, Staff
from ..services import caseloads as services
from ..services import pack as pack_services

NAV = "workforce"
WORKFORCE_ROLES = frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR, Role.MAPPA_COORDINATOR, Role.CHAIR, Role.ANALYST})
STAFF_RELATED = ("agency__area", "team__area__parent", "team__agency")


# --- Charts ------------------------------------------------------------------------------------------

LABEL_WIDTH = 200
PLOT_WIDTH = 440
NOTE_WIDTH = 170
BAR_HEIGHT = 22
BAR_GAP = 10
TOP = 34
BOTTOM = 30
LABEL_CHARACTERS = 26


@dataclass(frozen=True)
class ChartItem:
    label: str
    value: Decimal | int | None  # None: no figures (no bar)
    text: str  # the value as shown beside the bar
    flagged: bool
    note: str = ""


@dataclass(frozen=True)
class ChartBar:
    label: str
    text: str
    note: str
    flagged: bool
    missing: bool
    y: float
    text_y: float
    width: float
    text_x: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: float
    tick_y: float
    label_x: int
    limit_x: float
    limit_label: str
    bars: tuple[ChartBar, ...]
    ticks: tuple[tuple[float, str], ...]


def _nice_step(top: float) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most five steps up to ``top``."""
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    items: list[ChartItem],
    limit,
    limit_label: str,
    ceiling: float | None = None,
) -> Chart:
    """Horizontal bars against a limit line: the geometry for templates/workforce/caseloads/_chart.html.

    The scale runs from 0 to a round number above the largest value and the limit (at most ``ceiling``,
    for example 100 for a percentage, when nothing is above it).
    """
    values = [float(i.value) for i in items if i.value is not None]
    top = max([float(limit), *values, 1.0]) * 1.1
    if ceiling is not None and max([float(limit), *values]) <= ceiling:
        top = min(top, ceiling)
    step = _nice_step(top)
    top = math.ceil(top / step) * step
    scale = PLOT_WIDTH / top
    bars = []
    for n, item in enumerate(items):
        y = TOP + n * (BAR_HEIGHT + BAR_GAP)
        width = round(float(item.value or 0) * scale, 1)
        label = item.label if len(item.label) <= LABEL_CHARACTERS else item.label[: LABEL_CHARACTERS - 1] + "…"
        bars.append(
            ChartBar(
                label=label,
                text=item.text,
                note=item.note,
                flagged=item.flagged,
                missing=item.value is None,
                y=y,
                text_y=y + BAR_HEIGHT * 0.7,
                width=width,
                text_x=LABEL_WIDTH + width + 6,
            )
        )
    plot_bottom = TOP + len(items) * (BAR_HEIGHT + BAR_GAP)
    ticks = []
    tick = 0.0
    while tick <= top + 1e-9:
        ticks.append((round(LABEL_WIDTH + tick * scale, 1), _number(tick)))
        tick += step
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        width=LABEL_WIDTH + PLOT_WIDTH + NOTE_WIDTH,
        height=int(plot_bottom + BOTTOM),
        plot_left=LABEL_WIDTH,
        plot_right=LABEL_WIDTH + PLOT_WIDTH,
        plot_bottom=plot_bottom,
        tick_y=plot_bottom + 18,
        label_x=LABEL_WIDTH - 8,
        limit_x=round(LABEL_WIDTH + float(limit) * scale, 1),
        limit_label=limit_label,
        bars=tuple(bars),
        ticks=tuple(ticks),
    )


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _over_by_cases(n: int) -> str:
    return f"over by {n} case{'' if n == 1 else 's'}"


def _units_word(settings) -> str:
    return "cases" if settings.default_weights else "weighted units"


def team_charts(data: services.TeamCaseloads) -> list[Chart]:
    s = data.settings
    units = _units_word(s)
    over = [r for r in data.rows if r.measure.over_ratio]
    capped = [r for r in data.rows if r.measure.over_high_risk_cap]
    caseload = bar_chart(
        "chart-caseload",
        f"Caseload per officer ({units}) against the ratio of {s.ratio_cases_per_officer}",
        f"{len(data.rows)} officers; {len(over)} over the ratio of {s.ratio_cases_per_officer}"
        + (": " + ", ".join(f"{r.officer} ({_show(r.measure.weighted_units)})" for r in over) if over else "")
        + ". The table below gives every figure.",
        [
            ChartItem(
                label=str(r.officer),
                value=r.measure.weighted_units,
                text=_show(r.measure.weighted_units),
                flagged=r.measure.over_ratio,
                note=f"over by {_show(r.measure.over_ratio_by)}" if r.measure.over_ratio else "",
            )
            for r in data.rows
        ],
        s.ratio_cases_per_officer,
        f"ratio {s.ratio_cases_per_officer}",
    )
    share = bar_chart(
        "chart-high-risk",
        f"Share of cases at high or very high risk against the cap of {s.high_risk_cap_percent}%",
        f"{len(data.rows)} officers; {len(capped)} over the high-risk cap of {s.high_risk_cap_percent}%"
        + (": " + ", ".join(f"{r.officer} ({r.measure.high_risk_percent}%)" for r in capped) if capped else "")
        + ". The table below gives every figure.",
        [
            ChartItem(
                label=str(r.officer),
                value=r.measure.high_risk_percent,
                text=f"{r.measure.high_risk_percent}%",
                flagged=r.measure.over_high_risk_cap,
                note=_over_by_cases(r.measure.over_high_risk_cap_by) if r.measure.over_high_risk_cap else "",
            )
            for r in data.rows
        ],
        s.high_risk_cap_percent,
        f"cap {s.high_risk_cap_percent}%",
        ceiling=100,
    )
    return [caseload, share]


def trend_chart(data: services.OfficerCaseload) -> Chart:
    s = data.settings
    recorded = [m for m in data.trend if m.recorded]
    return bar_chart(
        "chart-trend",
        f"{_units_word(s).capitalize()} month by month against the ratio of {s.ratio_cases_per_officer}",
        f"{len(recorded)} of {len(data.trend)} months have figures; "
        f"{sum(1 for m in recorded if m.over_ratio)} over the ratio. The table below gives every figure.",
        [
            ChartItem(
                label=f"{m.month:%b %Y}" + (" (now)" if m.live else ""),
                value=m.weighted_units if m.recorded else None,
                text=_show(m.weighted_units) if m.recorded else "no figures",
                flagged=bool(m.over_ratio),
                note="over the ratio" if m.over_ratio else "",
            )
            for m in data.trend
        ],
        s.ratio_cases_per_officer,
        f"ratio {s.ratio_cases_per_officer}",
    )


# --- The team's officers as a list ---------------------------------------------------------------------
# A team's officers are in memory already (their figures are the rules' answers over the whole team, which
# the totals, charts and "who is over" need too), so the table is paged by web/lists.page_of_rows.


def _worst(row: services.OfficerRow) -> tuple:
    """Descending, the services' "worst first" (the rows come in that order, so ties keep it)."""
    m = row.measure
    return (int(m.over_ratio) + int(m.over_high_risk_cap), m.over_ratio_by, m.over_high_risk_cap_by, m.weighted_units)


def _capacity(row: services.OfficerRow):
    capacity = row.workload.capacity if row.workload is not None else None
    return capacity.capacity_percent if capacity is not None else None


OVER_FILTERS = {
    "": ("All", lambda r: True),
    "over": ("Over the ratio or the cap", lambda r: r.measure.over),
    "over-ratio": ("Over the ratio", lambda r: r.measure.over_ratio),
    "over-cap": ("Over the high-risk cap", lambda r: r.measure.over_high_risk_cap),
    "within": ("Within both", lambda r: not r.measure.over),
}
TRAINING_FILTERS = {
    "": ("All", lambda r: True),
    "untrained": ("Holding Level 2/3 nominals without the training", lambda r: r.untrained_with_level_2_3),
    "gaps": ("With training gaps", lambda r: bool(r.competence.gaps)),
    "may-not-hold": ("May not hold Level 2/3", lambda r: not r.competence.may_hold_level_2_3),
}


def _narrowed(table: dict):
    return lambda rows, value: [r for r in rows if table[value][1](r)]


def _grade_filter(rows: list[services.OfficerRow]) -> Filter:
    """The team's ranks and grades as recorded (choices from the rows themselves: nothing wider)."""
    grades = sorted({r.officer.rank_or_grade for r in rows if r.officer.rank_or_grade})
    return Filter(
        "grade",
        "Rank or grade",
        (("", "All"), *((g, g) for g in grades)),
        lambda shown, value: [r for r in shown if not value or r.officer.rank_or_grade == value],
    )


OFFICER_COLUMNS = (
    Column("officer", "Officer", row_key=lambda r: (r.officer.last_name.lower(), r.officer.first_name.lower())),
    Column("caseload", "Caseload", row_key=_worst, first=lists.DESCENDING),
    Column(
        "high-risk", "High or very high risk", row_key=lambda r: r.measure.high_risk_percent, first=lists.DESCENDING
    ),
    Column("places", "Community (Approved Premises) / custody"),
    Column("level-2-3", "Level 2/3", row_key=lambda r: r.level_2_3_cases, first=lists.DESCENDING, numeric=True),
    Column("training", "Training", row_key=lambda r: (r.competence.may_hold_level_2_3, -len(r.competence.gaps))),
)
PAGE_SIZE = lists.PAGE_SIZE
CAPACITY_COLUMN = Column("capacity", "Probation capacity", row_key=_capacity, first=lists.DESCENDING)


def officers_list(data: services.TeamCaseloads, params) -> tuple[lists.ListPage, lists.FilterPanel]:
    """The team's officers, worst first unless sorted otherwise, filtered by what a supervisor works by."""
    filters = (
        Filter("over", "Ratio and cap", tuple((k, v[0]) for k, v in OVER_FILTERS.items()), _narrowed(OVER_FILTERS)),
        Filter(
            "training", "Training", tuple((k, v[0]) for k, v in TRAINING_FILTERS.items()), _narrowed(TRAINING_FILTERS)
        ),
        _grade_filter(data.rows),
    )
    columns = OFFICER_COLUMNS + ((CAPACITY_COLUMN,) if data.has_probation else ())
    spec = ListSpec(
        noun="officers",
        columns=columns,
        default_sort="caseload",
        default_direction=lists.DESCENDING,
        filters=filters,
        page_size=PAGE_SIZE,
    )
    return lists.page_of_rows(spec, data.rows, params), lists.filter_panel(filters, params, "Filter the officers")


# --- Pages -------------------------------------------------------------------------------------------


def _links(user: Staff) -> list[dict]:
    """What each of the user's roles may open from here (each page still asks the gate)."""
    roles = set(user.roles or [])
    links: list[dict] = []

    def add(title: str, url: str, description: str) -> None:
        if all(link["url"] != url for link in links):
            links.append({"title": title, "url": url, "description": description})

    if Role.SUPERVISOR in roles and user.team_id:
        add(
            "Your team's caseloads",
            reverse("workforce:caseloads"),
            "Who is over the ratio or the high-risk cap, by how much and why, with the training gaps.",
        )
        add("Your team's training", reverse("workforce:training"), "Courses, waiting lists and buddies.")
        add("Allocation", reverse("workforce:allocation"), "Recommend offender managers for new nominals.")
    if roles & {Role.MAPPA_COORDINATOR, Role.CHAIR}:
        add(
            "Caseloads by team",
            reverse("workforce:caseloads"),
            "The area's teams against the ratio and the high-risk cap; open a team for its officers.",
        )
        add("Training and competence", reverse("workforce:training"), "Who may hold Level 2/3 nominals and chair.")
    if Role.MAPPA_COORDINATOR in roles:
        add("Allocation", reverse("workforce:allocation"), "Recommend offender managers for new nominals.")
    if Role.OFFENDER_MANAGER in roles:
        add(
            "Your caseload",
            reverse("workforce:officer", kwargs={"pk": user.pk}),
            "Your cases against the area's ratio and high-risk cap, with the working and the trend.",
        )
        add("Your training", reverse("workforce:training-officer", kwargs={"pk": user.pk}), "Your courses.")
    if roles & policy.AGGREGATE_ROLES:
        add(
            "Monthly performance pack",
            reverse("workforce:pack"),
            "Caseloads, high-risk shares, training gaps and waiting lists as counts only, with downloads.",
        )
    return links


@login_required
def index(request):
    """Workforce: where each role starts. Shows no one's record, so nothing is audited."""
    user = request.user
    if not set(user.roles or []) & WORKFORCE_ROLES:
        raise Http404
    area = AreaSettings.for_area(user.mappa_area_id) if user.agency_id else None
    context = {"nav": NAV, "links": _links(user), "area_settings": area}
    if area is not None:
        context["caseload_settings"] = area.caseload_settings()
        context["placeholder_table"] = area.point_table().to_dict() == DEFAULT_POINT_TABLE.to_dict()
        context["grade_targets"] = area.probation_grade_targets or {}
    return render(request, "workforce/caseloads/index.html", context)


def _team_id(request) -> int | None:
    raw = request.GET.get("team")
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


@login_required
def caseloads(request):
    user = request.user
    ctx = gate.context_for(request)
    team_id = _team_id(request)
    if not services.may_open_caseloads(user):
        if user.has_role(Role.OFFENDER_MANAGER) and team_id is None:
            return redirect("workforce:officer", pk=user.pk)
        raise gate.AccessRefused(ctx, Operation.VIEW, Staff._meta.label_lower, None, "no team caseloads")
    own_team = user.has_role(Role.SUPERVISOR) and user.team_id
    if team_id is None and not own_team:
        overview = pack_services.area_overview(ctx)
        return render(
            request,
            "workforce/caseloads/area.html",
            {"nav": NAV, "overview": overview, "teams": services.caseload_teams(user)},
        )
    data = services.team_caseloads(ctx, team_id)
    officers, filters = officers_list(data, request.GET)
    return render(
        request,
        "workforce/caseloads/team.html",
        {
            "nav": NAV,
            "data": data,
            "charts": team_charts(data),
            "units": _units_word(data.settings),
            "list": officers,
            "filters": filters,
        },
    )


@login_required
def officer(request, pk: int):
    member = get_object_or_404(Staff.objects.select_related(*STAFF_RELATED), pk=pk)
    ctx = gate.context_for(request)
    posted = request.method == "POST"
    data = services.officer_caseload(ctx, member, page="impact of allocation" if posted else "caseload")
    capacity = data.workload.capacity if data.workload is not None else None
    proposing = posted and capacity is not None and capacity.available_points > 0  # else no form is shown
    form = ProposedCaseForm(request.POST if proposing else None)
    impact = None
    if proposing and form.is_valid():
        try:
            impact = services.allocation_impact(
                data.workload, data.area, form.cleaned_data["tier"], form.cleaned_data["case_type"]
            )
        except RuleInputError as exc:
            form.add_rule_error(exc)
    return render(
        request,
        "workforce/caseloads/officer.html",
        {
            "nav": NAV,
            "data": data,
            "form": form,
            "impact": impact,
            "chart": trend_chart(data),
            "units": _units_word(data.settings),
            "own": member.pk == request.user.pk,
            "team_page": member.team_id
            if member.team_id in {t.pk for t in services.caseload_teams(request.user)}
            else None,
        },
    )
