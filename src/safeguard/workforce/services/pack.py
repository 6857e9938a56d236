"""The monthly performance pack: a MAPPA area's workforce figures, as aggregates only, never a name.

For supervisors, the MAPPA coordinator, chairs and the Office of the Police
and Crime Commissioner (analysts): caseloads, high-risk shares, community
against custody, training gaps, waiting lists and buddies, by team and for the
area, and the caseload figures month by month from the snapshots
(``CaseloadSnapshot``). Access is ``policy.may_view_workforce_figures``; each
view and each download writes one audit event (VIEW or EXPORT) against the
area, record type ``workforce.pack``.

Decisions Safeguard had to make (the sources are silent):

- **Small numbers.** The counts are of staff (offender managers) and of
  their caseloads, not of offenders or victims, and the guidance says nothing
  about suppressing small counts of staff. No suppression is applied and the
  page and the files say so. A team of one officer therefore shows that
  officer's figures: the pack is for the people who supervise them. The
  pack's programme, release and IOM figures (``pathways.services.figures``)
  count offenders, not staff: each is suppressed with the area's threshold.
- **Training gaps** count officers without a counting completion of each
  course the seed's training table gives every offender manager (MOSOVO,
  ARMS, ViSOR, digital investigation), plus those who may not hold Level 2/3
  nominals under the area's settings, those who hold Level 2/3 nominals
  without that training (inspection Recommendation 18), and those who need a
  buddy (no counting MOSOVO) with and without one.
- **Waiting lists** count open entries (waiting, offered, booked) of every
  member of staff of the group, not only offender managers; the longest wait
  is in days from joining the list to the day of the figures.
- **Month by month** counts only officers holding at least one case, as the
  snapshots do (``services.caseloads.take_snapshots``), so this month's live
  row is comparable with the months before it; the table of this month counts
  every offender manager, with or without cases.
- Training and waiting lists are as they stand today: only caseloads are
  snapshotted, so their past months are not shown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings as django_settings
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate, policy
from safeguard.audit.models import Operation
from safeguard.offenders.models import Nominal
from safeguard.rules.competence import ARMS, COURSES, DIGITAL_INVESTIGATION, MOSOVO, VISOR
from safeguard.rules.workload import CaseloadMeasure, CaseloadSettings, caseload_measure

from ..competence import competences
from ..figures import case_facts_by_officer, level_2_3_cases, months_ending, officers_among
from ..models import Area, AreaSettings, Buddy, CaseloadSnapshot, Staff, Team, WaitingListEntry

PACK_RECORD_TYPE = "workforce.pack"
FIGURES_RECORD_TYPE = "workforce.figures"
OFFICER_COURSES = (MOSOVO, ARMS, VISOR, DIGITAL_INVESTIGATION)  # seed training table: every offender manager
NO_TEAM = "No team"
SMALL_NUMBERS_NOTE = (
    "Counts are of staff (offender managers) and their caseloads, not of offenders. The guidance says nothing "
    "about suppressing small counts of staff, so no suppression is applied: a small team's figures describe "
    "its few officers."
)
ONE_PLACE = Decimal("0.1")


def course_label(code: str) -> str:
    """A course's short name for a column heading: "MOSOVO", "ARMS", "ViSOR", "Digital investigation"."""
    return COURSES[code].split(" (")[0]


def _average(total: int, count: int) -> Decimal:
    if not count:
        return Decimal("0.0")
    return (Decimal(total) / Decimal(count)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal:
    return _average(part * 100, whole)


# --- Month by month --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    """A group's caseloads in one month (officers holding at least one case); ``recorded`` false: no figures."""

    month: dt.date
    live: bool
    recorded: bool
    officers: int = 0
    cases: int = 0
    largest: int = 0
    over_ratio: int = 0
    over_high_risk_cap: int = 0
    high_risk_cases: int = 0
    community_cases: int = 0
    custody_cases: int = 0
    approved_premises_cases: int = 0
    level_2_3_cases: int = 0

    @property
    def average_cases(self) -> Decimal:
        return _average(self.cases, self.officers)

    @property
    def high_risk_percent(self) -> Decimal:
        return _percent(self.high_risk_cases, self.cases)


LivePair = tuple[CaseloadMeasure, int]  # an officer's measure and their Level 2/3 cases


def live_month(month: dt.date, live: Iterable[LivePair]) -> MonthFigures:
    """This month from the officers' live measures, counting only those holding at least one case."""
    held = [(m, l23) for m, l23 in live if m.cases]
    return MonthFigures(
        month=month,
        live=True,
        recorded=True,
        officers=len(held),
        cases=sum(m.cases for m, _ in held),
        largest=max((m.cases for m, _ in held), default=0),
        over_ratio=sum(1 for m, _ in held if m.over_ratio),
        over_high_risk_cap=sum(1 for m, _ in held if m.over_high_risk_cap),
        high_risk_cases=sum(m.high_risk_cases for m, _ in held),
        community_cases=sum(m.community_cases for m, _ in held),
        custody_cases=sum(m.custody_cases for m, _ in held),
        approved_premises_cases=sum(m.approved_premises_cases for m, _ in held),
        level_2_3_cases=sum(l23 for _, l23 in held),
    )


# Each annotation is named total_<field> (an annotation may not share a field's name).
SNAPSHOT_SUMS = {
    "officers": Count("id"),
    "cases": Sum("cases"),
    "largest": Max("cases"),
    "over_ratio": Count("id", filter=Q(over_ratio=True)),
    "over_high_risk_cap": Count("id", filter=Q(over_high_risk_cap=True)),
    "high_risk_cases": Sum("high_risk_cases"),
    "community_cases": Sum("community_cases"),
    "custody_cases": Sum("custody_cases"),
    "approved_premises_cases": Sum("approved_premises_cases"),
    "level_2_3_cases": Sum("level_2_3_cases"),
}


def _snapshot_rows(months: list[dt.date], by: tuple[str, ...], **filters) -> list[dict]:
    return list(
        # cases > 0: a snapshot of an officer holding nothing (the demo's history writes them) is not counted.
        CaseloadSnapshot.objects.filter(month__gte=months[0], month__lt=months[-1], cases__gt=0, **filters)
        .order_by()
        .values("month", *by)
        .annotate(**{f"total_{name}": aggregate for name, aggregate in SNAPSHOT_SUMS.items()})
    )


def _recorded(row: dict) -> MonthFigures:
    return MonthFigures(
        month=row["month"], live=False, recorded=True, **{k: row[f"total_{k}"] or 0 for k in SNAPSHOT_SUMS}
    )


def _series(months: list[dt.date], rows: Iterable[dict], live: MonthFigures) -> list[MonthFigures]:
    by_month = {row["month"]: _recorded(row) for row in rows}
    past = [by_month.get(m) or MonthFigures(month=m, live=False, recorded=False) for m in months[:-1]]
    return [*past, live]


def team_trend(team_id: int, live: Iterable[LivePair], on: dt.date) -> list[MonthFigures]:
    """A team's last 12 months: the snapshots of its officers (the team as it was each month), then live."""
    months = months_ending(on)
    return _series(months, _snapshot_rows(months, (), team_id=team_id), live_month(months[-1], live))


def area_trend(area_id: int, live: Iterable[LivePair], on: dt.date) -> list[MonthFigures]:
    months = months_ending(on)
    return _series(months, _snapshot_rows(months, (), area_id=area_id), live_month(months[-1], live))


# --- This month, by team and for the area ----------------------------------------------------------


@dataclass(frozen=True)
class GroupFigures:
    """A team's (or the area's) figures today: counts only."""

    label: str
    agency: str
    team_id: int | None
    officers: int
    officers_holding: int
    cases: int
    largest: int
    over_ratio: int
    over_high_risk_cap: int
    high_risk_cases: int
    community_cases: int
    custody_cases: int
    approved_premises_cases: int
    level_2_3_cases: int
    lacking: tuple[tuple[str, int], ...]
    may_not_hold_level_2_3: int
    holding_level_2_3_untrained: int
    need_buddy: int
    need_buddy_without_one: int
    current_buddies: int
    waiting: int
    longest_wait_days: int | None

    @property
    def average_cases(self) -> Decimal:
        return _average(self.cases, self.officers)

    @property
    def high_risk_percent(self) -> Decimal:
        return _percent(self.high_risk_cases, self.cases)

    def lacking_count(self, course: str) -> int:
        return dict(self.lacking)[course]


@dataclass(frozen=True)
class CourseWaiting:
    course: str
    name: str
    waiting: int
    longest_wait_days: int


@dataclass(frozen=True)
class Officer:
    """What the pack knows of one officer: never shown one by one, only added up."""

    pk: int
    team_id: int | None
    measure: CaseloadMeasure
    level_2_3_cases: int
    valid_courses: frozenset[str] | None  # None: training not worked out (the caseload overview)
    may_hold_level_2_3: bool | None
    needs_buddy: bool | None
    has_buddy: bool | None


@dataclass(frozen=True)
class AreaFigures:
    area: Area
    on: dt.date
    settings: CaseloadSettings
    groups: list[GroupFigures]
    total: GroupFigures
    waiting_by_course: list[CourseWaiting]
    unallocated: int
    officers: list[Officer] = field(repr=False)
    training: bool = True  # False: the training, buddy and waiting-list figures were not worked out (None)


def _area_staff(area_id: int):
    return Staff.objects.filter(is_active=True).filter(Q(agency__area_id=area_id) | Q(agency__area__parent_id=area_id))


def _group(
    label: str,
    agency: str,
    team_id: int | None,
    officers: list[Officer],
    waits: list[int],
    buddies: int,
    training: bool = True,
) -> GroupFigures:
    holding = [o for o in officers if o.measure.cases]
    if training:
        trained = {
            "lacking": tuple((c, sum(1 for o in officers if c not in o.valid_courses)) for c in OFFICER_COURSES),
            "may_not_hold_level_2_3": sum(1 for o in officers if not o.may_hold_level_2_3),
            "holding_level_2_3_untrained": sum(1 for o in officers if o.level_2_3_cases and not o.may_hold_level_2_3),
            "need_buddy": sum(1 for o in officers if o.needs_buddy),
            "need_buddy_without_one": sum(1 for o in officers if o.needs_buddy and not o.has_buddy),
            "current_buddies": buddies,
            "waiting": len(waits),
            "longest_wait_days": max(waits) if waits else None,
        }
    else:
        trained = dict.fromkeys(TRAINING_FIELDS)
    return GroupFigures(
        label=label,
        agency=agency,
        team_id=team_id,
        officers=len(officers),
        officers_holding=len(holding),
        cases=sum(o.measure.cases for o in officers),
        largest=max((o.measure.cases for o in officers), default=0),
        over_ratio=sum(1 for o in officers if o.measure.over_ratio),
        over_high_risk_cap=sum(1 for o in officers if o.measure.over_high_risk_cap),
        high_risk_cases=sum(o.measure.high_risk_cases for o in officers),
        community_cases=sum(o.measure.community_cases for o in officers),
        custody_cases=sum(o.measure.custody_cases for o in officers),
        approved_premises_cases=sum(o.measure.approved_premises_cases for o in officers),
        level_2_3_cases=sum(o.level_2_3_cases for o in officers),
        **trained,
    )


TRAINING_FIELDS = (
    "lacking",
    "may_not_hold_level_2_3",
    "holding_level_2_3_untrained",
    "need_buddy",
    "need_buddy_without_one",
    "current_buddies",
    "waiting",
    "longest_wait_days",
)


def area_figures(area_id: int, on: dt.date | None = None, training: bool = True) -> AreaFigures:
    """Every figure of the pack for this month, for a MAPPA area (no access check: see monthly_pack).

    ``training`` False leaves out competence, buddies and waiting lists (their fields are None): the caseload
    overview by team needs only the caseloads, and competence is the costly part at national size.
    """
    on = on or timezone.localdate()
    area = Area.objects.get(pk=area_id)
    area_settings = AreaSettings.for_area(area_id)
    settings = area_settings.caseload_settings()
    buddy_courses = area_settings.competence_settings().buddy_until_courses
    staff_qs = _area_staff(area_id)
    staff = list(staff_qs.select_related("agency__area", "team__agency"))
    team_of = {s.pk: s.team_id for s in staff}
    # The ids as a list, not a subquery: PostgreSQL plans the grouped count better over an array of ids.
    facts = case_facts_by_officer(nominals=Nominal.objects.filter(offender_manager_id__in=list(team_of)))
    officers_staff = officers_among(staff, set(facts))  # whoever holds a case has facts
    competence = competences(officers_staff, on) if training else {}
    buddied: dict[int | None, int] = defaultdict(int)
    with_buddy = set()
    waits_by_team: dict[int | None, list[int]] = defaultdict(list)
    waits_by_course: dict[str, list[int]] = defaultdict(list)
    if training:
        for joiner_id in Buddy.objects.filter(new_joiner__in=staff_qs, ended_on=None, started_on__lte=on).values_list(
            "new_joiner_id", flat=True
        ):
            buddied[team_of.get(joiner_id)] += 1
            with_buddy.add(joiner_id)
        for staff_id, course, joined_on in WaitingListEntry.objects.filter(
            staff__in=staff_qs, status__in=WaitingListEntry.OPEN
        ).values_list("staff_id", "course__code", "joined_on"):
            days = max((on - joined_on).days, 0)
            waits_by_team[team_of.get(staff_id)].append(days)
            waits_by_course[course].append(days)
    officers = [
        Officer(
            pk=s.pk,
            team_id=s.team_id,
            measure=caseload_measure(facts.get(s.pk, []), settings),
            level_2_3_cases=level_2_3_cases(facts.get(s.pk, [])),
            valid_courses=competence[s.pk].valid_courses if training else None,
            may_hold_level_2_3=competence[s.pk].may_hold_level_2_3 if training else None,
            needs_buddy=not buddy_courses <= competence[s.pk].valid_courses if training else None,
            has_buddy=s.pk in with_buddy if training else None,
        )
        for s in officers_staff
    ]

    by_team: dict[int | None, list[Officer]] = defaultdict(list)
    for o in officers:
        by_team[o.team_id].append(o)
    team_ids = {t for t in (*by_team, *waits_by_team, *buddied) if t is not None}
    teams = {t.pk: t for t in Team.objects.filter(pk__in=team_ids).select_related("agency")}
    groups = [
        _group(
            t.name,
            t.agency.name,
            t.pk,
            by_team.get(t.pk, []),
            waits_by_team.get(t.pk, []),
            buddied.get(t.pk, 0),
            training,
        )
        for t in sorted(teams.values(), key=lambda t: (t.name, t.pk))
    ]
    if None in by_team or None in waits_by_team or None in buddied:
        groups.append(
            _group(NO_TEAM, "", None, by_team.get(None, []), waits_by_team.get(None, []), buddied[None], training)
        )
    total = _group(
        f"{area.name} (all teams)",
        "",
        None,
        officers,
        [d for waits in waits_by_team.values() for d in waits],
        sum(buddied.values()),
        training,
    )
    names = dict(COURSES)
    waiting = [
        CourseWaiting(course=c, name=names.get(c, c), waiting=len(w), longest_wait_days=max(w))
        for c, w in sorted(waits_by_course.items(), key=lambda item: names.get(item[0], item[0]))
    ]
    unallocated = (
        Nominal.objects.filter(status=Nominal.Status.ACTIVE, offender_manager=None)
        .filter(Q(local_area_id=area_id) | Q(local_area__parent_id=area_id))
        .count()
    )
    return AreaFigures(
        area=area,
        on=on,
        settings=settings,
        groups=groups,
        total=total,
        waiting_by_course=waiting,
        unallocated=unallocated,
        officers=officers,
        training=training,
    )


# --- The pack ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamSeries:
    label: str
    months: list[MonthFigures]


@dataclass(frozen=True)
class Pack:
    figures: AreaFigures
    trend: list[MonthFigures]
    team_trends: list[TeamSeries]
    note: str = SMALL_NUMBERS_NOTE
    pathways: Any = None  # pathways.services.figures.AreaFigures: programmes, release, IOM (suppressed)

    @property
    def courses(self) -> list[tuple[str, str]]:
        return [(c, course_label(c)) for c in OFFICER_COURSES]

    @property
    def pathway_tables(self) -> list[tuple[str, list[str], list[list]]]:
        from safeguard.pathways.services.figures import tables

        return tables(self.pathways) if self.pathways is not None else []


def build_pack(area_id: int, on: dt.date | None = None) -> Pack:
    """The pack's figures (no access check and no audit: monthly_pack and export_pack do both)."""
    on = on or timezone.localdate()
    figures = area_figures(area_id, on)
    months = months_ending(on)
    live = [(o.measure, o.level_2_3_cases) for o in figures.officers]
    trend = _series(months, _snapshot_rows(months, (), area_id=area_id), live_month(months[-1], live))
    rows_by_team: dict[int | None, list[dict]] = defaultdict(list)
    for row in _snapshot_rows(months, ("team_id",), area_id=area_id):
        rows_by_team[row["team_id"]].append(row)
    live_by_team: dict[int | None, list[LivePair]] = defaultdict(list)
    for o in figures.officers:
        live_by_team[o.team_id].append((o.measure, o.level_2_3_cases))
    team_ids = {t for t in (*rows_by_team, *live_by_team) if t is not None}
    names = {t.pk: t.name for t in Team.objects.filter(pk__in=team_ids)}
    order = sorted(team_ids, key=lambda t: (names.get(t, ""), t))
    if None in rows_by_team or None in live_by_team:
        order.append(None)
    team_trends = [
        TeamSeries(
            label=names.get(t, NO_TEAM) if t is not None else NO_TEAM,
            months=_series(months, rows_by_team.get(t, []), live_month(months[-1], live_by_team.get(t, []))),
        )
        for t in order
    ]
    from safeguard.pathways.services.figures import area_figures as pathway_figures

    return Pack(figures=figures, trend=trend, team_trends=team_trends, pathways=pathway_figures(area_id, on))


def _allowed(ctx: gate.AccessContext, operation: str, record_type: str) -> tuple[int, str]:
    user = ctx.user
    area_id = user.mappa_area_id if user.agency_id else None
    decision = policy.may_view_workforce_figures(user, area_id)
    if not decision.allowed or area_id is None:
        raise gate.AccessRefused(ctx, operation, record_type, area_id, decision.reason)
    return area_id, decision.reason


def monthly_pack(ctx: gate.AccessContext, on: dt.date | None = None) -> Pack:
    """The pack of the user's MAPPA area, for the page. Refused (404) without access; audited as a VIEW."""
    on = on or timezone.localdate()
    area_id, reason = _allowed(ctx, Operation.VIEW, PACK_RECORD_TYPE)
    pack = build_pack(area_id, on)
    gate.audit_aggregate(ctx, Operation.VIEW, PACK_RECORD_TYPE, area_id, reason, {"on": on.isoformat()})
    return pack


def area_overview(ctx: gate.AccessContext, on: dt.date | None = None) -> AreaFigures:
    """This month's figures by team, for a coordinator or chair choosing a team. Audited as a VIEW."""
    on = on or timezone.localdate()
    area_id, reason = _allowed(ctx, Operation.VIEW, FIGURES_RECORD_TYPE)
    figures = area_figures(area_id, on, training=False)
    gate.audit_aggregate(ctx, Operation.VIEW, FIGURES_RECORD_TYPE, area_id, reason, {"page": "caseloads by team"})
    return figures


# --- Downloads -------------------------------------------------------------------------------------

# A spreadsheet may run a cell beginning with one of these as a formula (OWASP "CSV injection"): = + - @,
# and tab and carriage return, which some spreadsheets strip before reading the rest.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value):
    """A cell a spreadsheet will not run as a formula: text beginning = + - @ (tab, CR) gets a leading apostrophe.

    The same text goes into the XLSX, where the apostrophe also keeps openpyxl from writing a formula.
    """
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def _blank(value):
    return "" if value is None else value


GROUP_COLUMNS = [
    ("Team", lambda g: g.label),
    ("Agency", lambda g: g.agency),
    ("Offender managers", lambda g: g.officers),
    ("Holding cases", lambda g: g.officers_holding),
    ("Nominals", lambda g: g.cases),
    ("Average caseload", lambda g: g.average_cases),
    ("Largest caseload", lambda g: g.largest),
    ("Over the ratio", lambda g: g.over_ratio),
    ("Over the high-risk cap", lambda g: g.over_high_risk_cap),
    ("High or very high risk nominals", lambda g: g.high_risk_cases),
    ("High-risk share (%)", lambda g: g.high_risk_percent),
    ("In the community", lambda g: g.community_cases),
    ("Of which in Approved Premises", lambda g: g.approved_premises_cases),
    ("In custody", lambda g: g.custody_cases),
    ("Level 2 or 3 nominals", lambda g: g.level_2_3_cases),
    *((f"Without {course_label(c)}", (lambda g, c=c: g.lacking_count(c))) for c in OFFICER_COURSES),
    ("May not hold Level 2/3", lambda g: g.may_not_hold_level_2_3),
    ("Hold Level 2/3 untrained", lambda g: g.holding_level_2_3_untrained),
    ("Need a buddy", lambda g: g.need_buddy),
    ("Need a buddy, none recorded", lambda g: g.need_buddy_without_one),
    ("Current buddies", lambda g: g.current_buddies),
    ("Waiting list places", lambda g: g.waiting),
    ("Longest wait (days)", lambda g: _blank(g.longest_wait_days)),
]
MONTH_COLUMNS = [
    ("Officers holding cases", lambda m: m.officers),
    ("Nominals", lambda m: m.cases),
    ("Average caseload", lambda m: m.average_cases),
    ("Largest caseload", lambda m: m.largest),
    ("Over the ratio", lambda m: m.over_ratio),
    ("Over the high-risk cap", lambda m: m.over_high_risk_cap),
    ("High or very high risk nominals", lambda m: m.high_risk_cases),
    ("High-risk share (%)", lambda m: m.high_risk_percent),
    ("In the community", lambda m: m.community_cases),
    ("Of which in Approved Premises", lambda m: m.approved_premises_cases),
    ("In custody", lambda m: m.custody_cases),
    ("Level 2 or 3 nominals", lambda m: m.level_2_3_cases),
]


def _month_cells(m: MonthFigures) -> list:
    if not m.recorded:
        return ["no figures"] + [""] * (len(MONTH_COLUMNS) - 1)
    return [get(m) for _, get in MONTH_COLUMNS]


def _month_label(m: MonthFigures) -> str:
    return f"{m.month:%B %Y}" + (" (this month, live)" if m.live else "")


def _tables(pack: Pack) -> list[tuple[str, list[str], list[list]]]:
    """The pack as titled tables: (title, headers, rows). The same tables go to CSV and XLSX."""
    f = pack.figures
    groups = [[get(g) for _, get in GROUP_COLUMNS] for g in [*f.groups, f.total]]
    waiting = [[w.name, w.waiting, w.longest_wait_days] for w in f.waiting_by_course]
    months = [[_month_label(m), "Area", *_month_cells(m)] for m in pack.trend]
    for series in pack.team_trends:
        months += [[_month_label(m), series.label, *_month_cells(m)] for m in series.months]
    return [
        ("This month by team", [h for h, _ in GROUP_COLUMNS], groups),
        ("Waiting lists by course", ["Course", "Waiting list places", "Longest wait (days)"], waiting),
        (
            "Month by month (officers holding at least one case)",
            ["Month", "Team", *(h for h, _ in MONTH_COLUMNS)],
            months,
        ),
        *pack.pathway_tables,  # counts of offenders: each suppressed with the area's threshold
    ]


def _preamble(pack: Pack) -> list[list[str]]:
    from safeguard.pathways.services.figures import note as pathway_note

    f = pack.figures
    s = f.settings
    return [
        [django_settings.SAFEGUARD_MARKING],
        [f"Monthly performance pack: workforce, {f.area.name}"],
        [f"Figures on {f.on:%-d %B %Y}"],
        [
            f"The area's ratio is 1 officer to {s.ratio_cases_per_officer} (weighted units) and its high-risk cap "
            f"is {s.high_risk_cap_percent}%."
        ],
        [f"Nominals waiting for allocation: {f.unallocated}"],
        [pack.note],
        *([[pathway_note(pack.pathways)]] if pack.pathways is not None else []),
        ["No names: aggregates only."],
    ]


def pack_csv(pack: Pack) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _preamble(pack):
        writer.writerow([escape_cell(c) for c in row])
    for title, headers, rows in _tables(pack):
        writer.writerow([])
        writer.writerow([escape_cell(title)])
        writer.writerow([escape_cell(h) for h in headers])
        for row in rows:
            writer.writerow([escape_cell(c) for c in row])
    writer.writerow([])
    writer.writerow([django_settings.SAFEGUARD_MARKING])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # with a byte-order mark, so spreadsheets read UTF-8


def pack_xlsx(pack: Pack) -> bytes:
    """The same tables as the CSV, one sheet each, marked in the first and last rows and the print header/footer.

    Written in openpyxl's write-only mode: the month-by-month sheet of a national area runs to thousands of rows.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    marking = django_settings.SAFEGUARD_MARKING
    book = Workbook(write_only=True)
    book.properties.title = f"Monthly performance pack: workforce, {pack.figures.area.name}"
    book.properties.keywords = marking
    book.properties.category = marking
    bold = Font(bold=True)
    preamble = _preamble(pack)

    for title, headers, rows in _tables(pack):
        sheet = book.create_sheet(title.split(" (")[0][:31])
        sheet.oddHeader.center.text = marking
        sheet.oddFooter.center.text = marking

        def strong(value, sheet=sheet):
            cell = WriteOnlyCell(sheet, value=escape_cell(value))
            cell.font = bold
            return cell

        sheet.append([strong(marking)])
        for row in preamble[1:]:
            sheet.append([escape_cell(c) for c in row])
        sheet.append([])
        sheet.append([strong(title)])
        sheet.append([strong(h) for h in headers])
        for row in rows:
            sheet.append([escape_cell(c) for c in row])
        sheet.append([])
        sheet.append([marking])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXPORTS = {
    "csv": (pack_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (pack_xlsx, XLSX_CONTENT_TYPE, "xlsx"),
}


def may_export(ctx: gate.AccessContext) -> None:
    """Refused (404, audited) unless the user may download their area's pack."""
    _allowed(ctx, Operation.EXPORT, PACK_RECORD_TYPE)


def _no_progress(done: int, total: int) -> None:
    return None


def export_pack(
    ctx: gate.AccessContext, fmt: str, on: dt.date | None = None, progress=_no_progress
) -> tuple[bytes, str, str]:
    """The pack as a file (csv or xlsx): (content, content type, file name). Audited as an EXPORT.

    ``progress(done, total)`` is told after each of its two steps (the figures, then the file)."""
    on = on or timezone.localdate()
    render, content_type, extension = EXPORTS[fmt]
    area_id, reason = _allowed(ctx, Operation.EXPORT, PACK_RECORD_TYPE)
    progress(0, 2)
    pack = build_pack(area_id, on)
    progress(1, 2)
    gate.audit_aggregate(
        ctx, Operation.EXPORT, PACK_RECORD_TYPE, area_id, reason, {"format": fmt, "on": on.isoformat()}
    )
    content = render(pack)
    progress(2, 2)
    return content, content_type, f"workforce-pack-{on:%Y-%m}-official-sensitive.{extension}"


def start_export(ctx: gate.AccessContext, fmt: str, on: dt.date | None = None):
    """Queue the pack's file as a background job of the user's (``jobs``); refused (404) as a download is."""
    from safeguard.jobs import services as jobs
    from safeguard.jobs.models import Job

    fmt = fmt if fmt in EXPORTS else "csv"
    may_export(ctx)
    on = on or timezone.localdate()
    params = {"format": fmt, "on": on.isoformat()}
    back = (reverse("workforce:pack"), "Back to the monthly pack")
    return jobs.start(ctx, Job.Kind.MONTHLY_PACK, params=params, unit="steps", total=2, back=back)
