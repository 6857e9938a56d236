"""Caseload use cases: a team's caseloads for its supervisor, one officer's figures, the monthly snapshots.

Each page's figures come from ``safeguard.workforce.figures`` (one grouped
query over the nominals, then ``rules.workload``), under the settings of the
MAPPA area (``AreaSettings.caseload_settings()``). Every read of a member of
staff's figures passes the gate: one officer with ``gate.authorise``; a team
through ``gate.scoped`` and one ``gate.audit_list`` event naming the staff
shown. The monthly snapshots are written by the system, in one transaction
with one audit event for the run.

Decisions Safeguard had to make (the sources are silent):

- **Worst first.** A team's officers are listed by how many limits they break
  (ratio and high-risk cap: both, one, none), then by the units over the
  ratio, then by the high-risk cases over the cap, then by weighted units and
  high-risk share, largest first.
- **The trend** shows the last 12 months: the month-end snapshots of the 11
  months before this one and this month worked out live. A month with no
  snapshot is shown as "no figures", never as zero.
- **Snapshots** hold the figures of the nominals as they stand when the
  snapshot is taken: the monthly task runs in the first hours of the 1st, so
  they are the month-end figures. A month is snapshotted only once it has
  ended (this month is always worked out live); taking a month again replaces
  every row of that month. Weighted units are kept to two decimal places
  (half up).
- **Probation capacity** is shown only where the area has set a nominal
  target for the practitioner's grade; nothing is invented where it has not.
  Cases with no tier, or a tier the area's table does not list, score no
  points and are counted and named as such, so the capacity shown may be
  understated and the page says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.offenders.models import Nominal
from safeguard.rules.competence import PROBATION_GRADES, Competence, rank_code
from safeguard.rules.working import RuleInputError, Step
from safeguard.rules.workload import (
    DEFAULT_POINT_TABLE,
    AllocationImpact,
    CaseloadMeasure,
    CaseloadSettings,
    TeamMeasure,
    WorkloadCapacity,
    case_points,
    caseload_measure,
    impact_of_allocation,
    team_measure,
    workload_capacity,
)

from ..competence import competences
from ..figures import (
    SettingsCache,
    case_facts_by_officer,
    level_2_3_cases,
    mappa_area_of,
    month_start,
    months_ending,
    officers_among,
    probation_cases_by_officer,
)
from ..models import Agency, AreaSettings, CaseloadSnapshot, Role, Staff, Team
from .pack import MonthFigures, team_trend

SNAPSHOT_RECORD_TYPE = "workforce.caseloadsnapshot"
UNITS_PLACES = Decimal("0.01")  # CaseloadSnapshot.weighted_units has two decimal places
TEAM_READERS = frozenset({Role.MAPPA_COORDINATOR, Role.CHAIR})
STAFF_RELATED = ("agency__area", "team__area__parent")
CASE_TYPE_LABELS = {"community": "Community", "custody": "Custody", "licence": "Licence"}


# --- One officer's figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerMonth:
    """One month of an officer's trend: a snapshot, this month live, or no figures (``recorded`` false)."""

    month: dt.date
    live: bool
    recorded: bool
    cases: int | None = None
    weighted_units: Decimal | None = None
    high_risk_cases: int | None = None
    high_risk_percent: Decimal | None = None
    community_cases: int | None = None
    custody_cases: int | None = None
    approved_premises_cases: int | None = None
    over_ratio: bool | None = None
    over_high_risk_cap: bool | None = None


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def officer_trend(officer_id: int, live: CaseloadMeasure, on: dt.date) -> list[OfficerMonth]:
    """The officer's last 12 months: snapshots, then this month from ``live``."""
    months = months_ending(on)
    snapshots = {
        s.month: s
        for s in CaseloadSnapshot.objects.filter(officer_id=officer_id, month__gte=months[0], month__lt=months[-1])
    }
    trend = []
    for month in months[:-1]:
        s = snapshots.get(month)
        if s is None:
            trend.append(OfficerMonth(month=month, live=False, recorded=False))
            continue
        trend.append(
            OfficerMonth(
                month=month,
                live=False,
                recorded=True,
                cases=s.cases,
                weighted_units=s.weighted_units,
                high_risk_cases=s.high_risk_cases,
                high_risk_percent=_percent(s.high_risk_cases, s.cases),
                community_cases=s.community_cases,
                custody_cases=s.custody_cases,
                approved_premises_cases=s.approved_premises_cases,
                over_ratio=s.over_ratio,
                over_high_risk_cap=s.over_high_risk_cap,
            )
        )
    trend.append(
        OfficerMonth(
            month=months[-1],
            live=True,
            recorded=True,
            cases=live.cases,
            weighted_units=live.weighted_units,
            high_risk_cases=live.high_risk_cases,
            high_risk_percent=live.high_risk_percent,
            community_cases=live.community_cases,
            custody_cases=live.custody_cases,
            approved_premises_cases=live.approved_premises_cases,
            over_ratio=live.over_ratio,
            over_high_risk_cap=live.over_high_risk_cap,
        )
    )
    return trend


# --- The probation workload model ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScoredCases:
    """Cases of one tier and case type, and the points each scores (None: the area's table has none)."""

    tier: str
    case_type: str
    cases: int
    points_each: int | None

    @property
    def points(self) -> int:
        return self.cases * (self.points_each or 0)

    @property
    def case_type_label(self) -> str:
        return CASE_TYPE_LABELS[self.case_type]

    @property
    def unscored_reason(self) -> str:
        if self.points_each is not None:
            return ""
        if not self.tier:
            return "no tier recorded"
        return f"the area's table has no points for tier {self.tier} {self.case_type} cases"


@dataclass(frozen=True)
class ProbationWorkload:
    """A probation practitioner's points, available points and capacity (None where none can be shown)."""

    grade: str | None
    grade_label: str
    lines: tuple[ScoredCases, ...]
    total_points: int
    unscored_cases: int
    nominal_target: Decimal | None
    default_contracted_hours: Decimal | None
    contracted_hours: Decimal | None
    reduction_hours: Decimal
    capacity: WorkloadCapacity | None
    no_capacity_reason: str
    placeholder_table: bool

    @property
    def unscored_summary(self) -> str:
        """Which cases score no points and why, for example "1: no tier recorded; 2: the area's table has ..."."""
        return "; ".join(f"{line.cases}: {line.unscored_reason}" for line in self.lines if line.points_each is None)

    @property
    def working(self) -> tuple[Step, ...]:
        points = Step(
            "Points: "
            + (
                "; ".join(
                    f"{line.cases} × tier {line.tier} {line.case_type} at {line.points_each} = {line.points}"
                    for line in self.lines
                    if line.points_each is not None
                )
                or "no case scores points"
            )
            + f"; total {self.total_points}",
            "Area's probation point table (case type, tier)",
        )
        return (points, *(self.capacity.working if self.capacity else ()))


def is_probation_practitioner(member: Staff) -> bool:
    return member.agency_id is not None and member.agency.kind == Agency.Kind.PROBATION


def _grade_label(grade: str | None, written: str) -> str:
    if grade in PROBATION_GRADES:
        return PROBATION_GRADES[grade]
    return written or "No grade recorded"


def probation_workloads(officers: list[Staff], area: AreaSettings, on: dt.date) -> dict[int, ProbationWorkload]:
    """The workload model for each probation practitioner among ``officers`` (one grouped query)."""
    practitioners = [o for o in officers if is_probation_practitioner(o)]
    if not practitioners:
        return {}
    cases = probation_cases_by_officer([o.pk for o in practitioners], on)
    table = area.point_table()
    placeholder = table.to_dict() == DEFAULT_POINT_TABLE.to_dict()
    try:
        targets, targets_problem = area.grade_targets(), ""
    except RuleInputError as err:
        targets, targets_problem = {}, f"The area's grade targets cannot be used ({err.message}): no capacity is shown."
    answers = {}
    for officer in practitioners:
        lines = tuple(
            ScoredCases(tier, case_type, n, table.lookup(case_type, tier) if tier else None)
            for tier, case_type, n in cases.get(officer.pk, [])
        )
        total = sum(line.points for line in lines)
        unscored = sum(line.cases for line in lines if line.points_each is None)
        grade = rank_code(officer.rank_or_grade)
        label = _grade_label(grade, officer.rank_or_grade)
        target = hours = None
        capacity, reason = None, ""
        contracted = officer.contracted_hours
        reduction = Decimal(officer.reduction_hours or 0)
        if targets_problem:
            reason = targets_problem
        elif grade not in PROBATION_GRADES:
            reason = (
                f"{label}: not a probation grade Safeguard recognises (PSO, PQiP, PO or SPO), so no nominal "
                "target applies and no capacity is shown."
            )
        elif grade not in targets:
            reason = (
                f"The area has set no nominal target for {label}, so no capacity is shown. The area's "
                "settings hold the target points and default weekly hours of each grade."
            )
        else:
            target, hours = targets[grade]
            try:
                capacity = workload_capacity(
                    target, hours, contracted if contracted is not None else hours, reduction, total
                )
            except RuleInputError as err:
                reason = f"Capacity cannot be worked out: {err.message}."
        answers[officer.pk] = ProbationWorkload(
            grade=grade,
            grade_label=label,
            lines=lines,
            total_points=total,
            unscored_cases=unscored,
            nominal_target=target,
            default_contracted_hours=hours,
            contracted_hours=contracted,
            reduction_hours=reduction,
            capacity=capacity,
            no_capacity_reason=reason,
            placeholder_table=placeholder,
        )
    return answers


def allocation_impact(workload: ProbationWorkload, area: AreaSettings, tier: str, case_type: str) -> AllocationImpact:
    """The impact of allocating a proposed case of this tier and case type (RuleInputError naming the field)."""
    if workload.capacity is None:
        raise RuleInputError("tier", workload.no_capacity_reason or "No capacity can be shown for this officer")
    points = case_points(tier, case_type, area.point_table())
    return impact_of_allocation(workload.total_points, workload.capacity.available_points, points)


# --- One officer ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerCaseload:
    officer: Staff
    on: dt.date
    settings: CaseloadSettings
    area: AreaSettings
    measure: CaseloadMeasure
    level_2_3_cases: int
    competence: Competence
    trend: list[OfficerMonth]
    workload: ProbationWorkload | None

    @property
    def untrained_with_level_2_3(self) -> bool:
        return self.level_2_3_cases > 0 and not self.competence.may_hold_level_2_3


def officer_caseload(ctx: gate.AccessContext, officer: Staff, on: dt.date | None = None, page: str = "caseload"):
    """One officer's figures, working, trend, training and (for probation) workload. Audited as a VIEW."""
    on = on or timezone.localdate()
    gate.authorise(ctx, Operation.VIEW, officer, {"page": page})
    area = AreaSettings.for_area(mappa_area_of(officer))
    settings = area.caseload_settings()
    facts = case_facts_by_officer([officer.pk]).get(officer.pk, [])
    measure = caseload_measure(facts, settings)
    return OfficerCaseload(
        officer=officer,
        on=on,
        settings=settings,
        area=area,
        measure=measure,
        level_2_3_cases=level_2_3_cases(facts),
        competence=competences([officer], on)[officer.pk],
        trend=officer_trend(officer.pk, measure, on),
        workload=probation_workloads([officer], area, on).get(officer.pk),
    )


# --- A team ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerRow:
    officer: Staff
    measure: CaseloadMeasure
    level_2_3_cases: int
    competence: Competence
    workload: ProbationWorkload | None

    @property
    def untrained_with_level_2_3(self) -> bool:
        return self.level_2_3_cases > 0 and not self.competence.may_hold_level_2_3


def worst_first(row: OfficerRow) -> tuple:
    m = row.measure
    broken = int(m.over_ratio) + int(m.over_high_risk_cap)
    return (
        -broken,
        -m.over_ratio_by,
        -m.over_high_risk_cap_by,
        -m.weighted_units,
        -m.high_risk_percent,
        row.officer.last_name,
        row.officer.first_name,
        row.officer.pk,
    )


@dataclass(frozen=True)
class TeamCaseloads:
    team: Team
    on: dt.date
    settings: CaseloadSettings
    rows: list[OfficerRow]
    total: TeamMeasure
    trend: list[MonthFigures]
    teams: list[Team]  # the teams this user may choose between

    @property
    def over(self) -> list[OfficerRow]:
        return [r for r in self.rows if r.measure.over]

    @property
    def has_probation(self) -> bool:
        return any(r.workload is not None for r in self.rows)


def _teams_of_area(area_id: int | None):
    if area_id is None:
        return Team.objects.none()
    return Team.objects.filter(Q(area_id=area_id) | Q(area__parent_id=area_id))


def caseload_teams(user: Staff) -> list[Team]:
    """The teams whose caseloads a user may open: a supervisor their own; a coordinator or chair the area's."""
    if not (user.is_authenticated and user.is_active):
        return []
    roles = set(user.roles or [])
    found = Team.objects.none()
    if roles & TEAM_READERS and user.agency_id:
        found = _teams_of_area(user.mappa_area_id)
    if Role.SUPERVISOR in roles and user.team_id:
        found = found | Team.objects.filter(pk=user.team_id)
    return list(found.select_related("agency", "area").distinct().order_by("name", "pk"))


def may_open_caseloads(user: Staff) -> bool:
    """Whether a user has a team caseload page at all (else an officer sees their own figures only)."""
    return bool(caseload_teams(user))


def team_caseloads(ctx: gate.AccessContext, team_id: int | None = None, on: dt.date | None = None) -> TeamCaseloads:
    """A team's officers, worst first, with their training; ``team_id`` None: the supervisor's own team.

    Refused (AccessRefused, a 404) for a team the user may not open. One audit event lists the staff shown.
    """
    on = on or timezone.localdate()
    user = ctx.user
    teams = caseload_teams(user)
    if team_id is None and Role.SUPERVISOR in (user.roles or []) and user.team_id:
        team_id = user.team_id
    team = next((t for t in teams if t.pk == team_id), None)
    if team is None:
        reason = "no team caseloads for this user" if team_id is None else f"team {team_id} is not the user's to open"
        raise gate.AccessRefused(ctx, Operation.VIEW, Staff._meta.label_lower, None, reason)
    area = AreaSettings.for_area(team.area.mappa_area.pk)
    settings = area.caseload_settings()
    staff = gate.scoped(user, Staff.objects.filter(team=team, is_active=True)).select_related(*STAFF_RELATED)
    officers = officers_among(staff)
    facts = case_facts_by_officer([o.pk for o in officers])
    competence = competences(officers, on)
    workloads = probation_workloads(officers, area, on)
    rows = sorted(
        (
            OfficerRow(
                officer=o,
                measure=caseload_measure(facts.get(o.pk, []), settings),
                level_2_3_cases=level_2_3_cases(facts.get(o.pk, [])),
                competence=competence[o.pk],
                workload=workloads.get(o.pk),
            )
            for o in officers
        ),
        key=worst_first,
    )
    total = team_measure({r.officer.pk: r.measure for r in rows}, settings)
    trend = team_trend(team.pk, [(r.measure, r.level_2_3_cases) for r in rows], on)
    gate.audit_list(ctx, Operation.VIEW, Staff, [r.officer.pk for r in rows], {"page": "caseloads", "team": team.pk})
    return TeamCaseloads(team=team, on=on, settings=settings, rows=rows, total=total, trend=trend, teams=teams)


# --- Monthly snapshots -------------------------------------------------------------------------------


class SnapshotRefused(ValueError):
    """A month that cannot be snapshotted (not yet ended); the message says why."""


def _mappa_of(area_id: int | None, kind: str | None, parent_id: int | None) -> int | None:
    if area_id is None:
        return None
    return area_id if kind == "mappa" else parent_id


def take_snapshots(month: dt.date, *, today: dt.date | None = None) -> dict:
    """One CaseloadSnapshot per officer holding active cases, for ``month``; re-taking a month replaces it.

    One grouped query for the cases, one for the officers, bulk writes, one
    transaction and one audit event (as the system). Returns a summary.
    """
    today = today or timezone.localdate()
    month = month_start(month)
    if month >= month_start(today):
        raise SnapshotRefused(
            f"{month:%B %Y} has not ended: this month's figures are always worked out live. "
            "Choose a month that has ended."
        )
    facts = case_facts_by_officer()
    holders = Nominal.objects.filter(status=Nominal.Status.ACTIVE, offender_manager__isnull=False).values(
        "offender_manager_id"
    )
    officers = Staff.objects.filter(pk__in=holders).values_list(
        "pk",
        "team_id",
        "agency__area_id",
        "agency__area__kind",
        "agency__area__parent_id",
        "team__area_id",
        "team__area__kind",
        "team__area__parent_id",
    )
    cache = SettingsCache()
    taken_at = timezone.now()
    rows, skipped = [], 0
    for pk, team_id, a_id, a_kind, a_parent, t_id, t_kind, t_parent in officers:
        area_id = _mappa_of(a_id, a_kind, a_parent) or _mappa_of(t_id, t_kind, t_parent)
        if area_id is None:
            skipped += 1  # no agency and no team: no MAPPA area whose figures it could count in
            continue
        cases = facts.get(pk, [])
        m = caseload_measure(cases, cache.caseload(area_id))
        rows.append(
            CaseloadSnapshot(
                month=month,
                officer_id=pk,
                team_id=team_id,
                area_id=area_id,
                cases=m.cases,
                weighted_units=m.weighted_units.quantize(UNITS_PLACES, rounding=ROUND_HALF_UP),
                high_risk_cases=m.high_risk_cases,
                community_cases=m.community_cases,
                custody_cases=m.custody_cases,
                approved_premises_cases=m.approved_premises_cases,
                level_2_3_cases=level_2_3_cases(cases),
                over_ratio=m.over_ratio,
                over_high_risk_cap=m.over_high_risk_cap,
                taken_at=taken_at,
            )
        )
    with transaction.atomic():
        replaced, _ = CaseloadSnapshot.objects.filter(month=month).delete()
        CaseloadSnapshot.objects.bulk_create(rows, batch_size=2000)
        summary = {"month": month.isoformat(), "written": len(rows), "replaced": replaced, "skipped": skipped}
        gate.audit_system(Operation.CREATE, SNAPSHOT_RECORD_TYPE, None, "monthly caseload snapshots", summary)
    return summary


__all__ = [
    "OfficerCaseload",
    "OfficerMonth",
    "OfficerRow",
    "ProbationWorkload",
    "ScoredCases",
    "SnapshotRefused",
    "TeamCaseloads",
    "allocation_impact",
    "caseload_teams",
    "may_open_caseloads",
    "officer_caseload",
    "officer_trend",
    "probation_workloads",
    "take_snapshots",
    "team_caseloads",
    "worst_first",
]
