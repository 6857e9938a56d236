"""Allocation batches from the database: recommend offender managers, then accept or override each one.

Sources: Safeguard requirements, workforce: allocation (docs/requirements.md); the hard rules, the soft
goals and the decisions behind them are those of
:mod:`safeguard.workforce.solver.model`, which this module feeds from the
records and never changes.

What a batch is made of, from the records:

- **Officers**: the active offender managers of a Responsible Authority in
  the MAPPA area (``offenders.services.offender_managers_in``), or of one team
  of it. Capacity is the area's caseload ratio and the high-risk cap its
  ``high_risk_cap_percent`` (``AreaSettings``), the same for every officer:
  no guidance says how the ratio scales for part-time work, so it is not
  scaled. Their cases and high-risk cases are counted by
  ``workforce.figures`` (active nominals; RoSH high or very high is high
  risk, RoSH not known is not), less any nominal of the batch they hold now.
  Trained for Level 2/3 is ``competence.may_hold_level_2_3`` on the day.
- **Nominals**: one nominal, the unallocated nominals of the area (or the
  team's), or the nominals in custody due for release between two dates.
  Only the nominals the user may change pass (the gate decides each one); a
  team's batch also leaves out nominals held by an officer of another team,
  because an existing allocation is never moved without need. A team that
  covers one local authority area takes that area's nominals; a team of a
  police division or of the whole MAPPA area takes the MAPPA area's, because
  the records do not say which local authority areas a division covers.
- **The current officer** of a nominal is kept where the rules allow (a soft
  goal of the solver).
- **Victims**: Safeguard reads "an officer who manages a victim of the same
  person" from the incidents: two people are linked when one incident records
  one as perpetrator and the other as victim. Relationships between people
  (``people.Relationship``) are not used: they say how two people are
  connected, not who harmed whom. The rule is read both ways, so that no
  officer holds a perpetrator and their victim: an officer who manages a
  victim of the nominal's person, or a person who harmed them, is excluded.
  Nominals of the batch itself are not counted as managed (their officer is
  what the batch decides); when two linked nominals of one batch are given the
  same officer, that officer is barred for the second and the batch solved
  again (at most ``MAX_LINK_ROUNDS`` times; a decision is checked again
  against the records in any case).
- **Nearness**: from the team's base (``Team.base_latitude/longitude``) to the
  middle of the nominal's local authority area (``Area.latitude/longitude``)
  where both are known.
- **Weights** of the soft goals: the solver's defaults (the area settings hold
  none).

A decision (accept one, accept all, or override with a reason) is applied
through ``offenders.services.change_nominal``, so the gate audits the change
and the nominal's history keeps the reason; before it, the decided part of the
batch together with this decision is checked against every hard rule on the
records as they are now (``allocation.check``), and a decision that breaks one
is refused naming the rule. Nothing outside the batch is moved.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.services import VersionConflict
from safeguard.audit.models import Operation
from safeguard.events.models import IncidentPerson, IncidentRole
from safeguard.offenders import services as offender_services
from safeguard.offenders.models import Location, Nominal
from safeguard.rules.working import Step
from safeguard.rules.workload import HIGH_RISK
from safeguard.workforce.competence import competences
from safeguard.workforce.figures import case_facts_by_officer
from safeguard.workforce.models import AllocationBatch, AllocationRecommendation, Area, AreaSettings, Staff, Team
from safeguard.workforce.policies import may_allocate
from safeguard.workforce.solver import (
    Allocation,
    AllocationProblem,
    Infeasible,
    check,
    least_loaded_trained,
    solve,
)
from safeguard.workforce.solver import Nominal as NominalToPlace
from safeguard.workforce.solver import Officer as OfficerToPlace
from safeguard.workforce.solver.highs import TIME_LIMIT_S

UNALLOCATED = "unallocated"
RELEASES = "releases"
ONE_NOMINAL = "nominal"
KINDS = {
    UNALLOCATED: "Nominals with no offender manager",
    RELEASES: "Releases from prison between two dates",
    ONE_NOMINAL: "One nominal",
}
MAX_LINK_ROUNDS = 5
RECENT_BATCHES = 20
CHUNK = 5000  # ids per IN list (SQLite's limit on parameters is far above this)
PERCENT = 100
SOURCE = "Safeguard requirements, workforce: allocation"
SOURCE_VICTIMS = "Incidents: perpetrator and victim of the same incident (services.allocation)"
MIN_REASON_LENGTH = offender_services.MIN_REASON_LENGTH

CHANGED_SINCE = (
    "This nominal's offender manager has changed since the batch was worked out: start a new batch for it, "
    "or change the nominal itself."
)


class NothingToAllocate(ValidationError):
    """The criteria found no nominal the user may allocate (said on the form, naming the criteria)."""


# ---------------------------------------------------------------------------
# Who may allocate, and for which team


@dataclass(frozen=True)
class AllocatorScope:
    """What a user may allocate: the MAPPA area, the teams they may choose, and whether the whole area."""

    area: Area
    teams: tuple[Team, ...]
    area_wide: bool


def allocator_scope(ctx: gate.AccessContext) -> AllocatorScope:
    """The area and teams the user may allocate for; refused (404, audited) for anyone who may allocate nothing."""
    user = ctx.user
    area_id = getattr(user, "mappa_area_id", None) if getattr(user, "is_authenticated", False) else None
    area = Area.objects.filter(pk=area_id).first() if area_id else None
    if area is None:
        raise _refuse(ctx, Operation.VIEW, "no MAPPA area")
    with_officers = officers_for(area.pk).exclude(team=None).values("team_id")
    teams = (
        Team.objects.filter(Q(area_id=area.pk) | Q(area__parent_id=area.pk))
        .filter(Q(pk__in=with_officers) | Q(pk=user.team_id))
        .select_related("agency", "area")
        .order_by("name")
    )
    allowed = [t for t in teams if may_allocate(user, area, t)]
    area_wide = bool(may_allocate(user, area, None))
    if not allowed and not area_wide:
        decision = may_allocate(user, area, user.team)
        raise _refuse(ctx, Operation.VIEW, decision.reason)
    return AllocatorScope(area=area, teams=tuple(allowed), area_wide=area_wide)


def _batch_type() -> str:
    return AllocationBatch._meta.label_lower


def _refuse(ctx: gate.AccessContext, operation: str, reason: str) -> gate.AccessRefused:
    """A refusal with no one record to name (as ``gate.check`` does it: written now unless in a transaction)."""
    refused = gate.AccessRefused(ctx, operation, _batch_type(), None, reason)
    if not transaction.get_connection().in_atomic_block:
        gate.record_refusal(refused)
    return refused


def batches_for(ctx: gate.AccessContext, scope: AllocatorScope) -> list[AllocationBatch]:
    """The recent batches of the area the user may see (their teams', or the area's), audited as one list."""
    queryset = AllocationBatch.objects.filter(area_id=scope.area.pk).select_related("team", "created_by")
    if not scope.area_wide:
        queryset = queryset.filter(team__in=[t.pk for t in scope.teams])
    shown = [b for b in queryset[:RECENT_BATCHES] if may_allocate(ctx.user, b.area_id, b.team)]
    gate.audit_list(ctx, Operation.VIEW, AllocationBatch, [b.pk for b in shown], {"page": "allocation batches"})
    return shown


# ---------------------------------------------------------------------------
# What to allocate


@dataclass(frozen=True)
class BatchRequest:
    """What the user asked to allocate. ``team`` None: every offender manager of the area."""

    kind: str
    area: Area
    team: Team | None = None
    released_from: dt.date | None = None
    released_to: dt.date | None = None
    nominal: Nominal | None = None

    def description(self) -> str:
        who = f"team {self.team.name}" if self.team else f"every offender manager of {self.area.name}"
        if self.kind == RELEASES:
            what = f"Releases from {self.released_from:%-d %B %Y} to {self.released_to:%-d %B %Y}"
        elif self.kind == ONE_NOMINAL:
            what = f"Nominal {self.nominal.reference}"
        else:
            what = "Nominals with no offender manager"
        return f"{what}, for {who}"[:200]

    def criteria(self) -> dict:
        return {
            "kind": self.kind,
            "team": self.team.pk if self.team else None,
            "released_from": self.released_from.isoformat() if self.released_from else None,
            "released_to": self.released_to.isoformat() if self.released_to else None,
            "nominal": self.nominal.pk if self.nominal else None,
        }


NOMINAL_RELATED = ("person", "local_area", "offender_manager", "offender_manager__team")


def _local_area_ids(area: Area, team: Team | None) -> list[int]:
    """The local authority areas whose nominals a batch takes (see the module docstring)."""
    if team is not None and team.area.kind == Area.Kind.LOCAL_AUTHORITY and team.area.parent_id == area.pk:
        return [team.area_id]
    return [area.pk, *Area.objects.filter(parent_id=area.pk).values_list("pk", flat=True)]


def find_nominal(user, reference: str) -> Nominal | None:
    """The nominal with this reference, if the user may see it (None otherwise: existence is not told)."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return gate.scoped(user, Nominal.objects.filter(reference=reference)).select_related(*NOMINAL_RELATED).first()


def candidates(user, request: BatchRequest) -> QuerySet[Nominal]:
    """The active nominals the request names, among those the user may see (before the per-record gate)."""
    queryset = gate.scoped(user, Nominal.objects.filter(status=Nominal.Status.ACTIVE))
    if request.kind == ONE_NOMINAL:
        queryset = queryset.filter(pk=request.nominal.pk if request.nominal else None)
    else:
        queryset = queryset.filter(local_area_id__in=_local_area_ids(request.area, request.team))
        if request.kind == RELEASES:
            queryset = queryset.filter(
                location=Location.CUSTODY,
                release_date__gte=request.released_from,
                release_date__lte=request.released_to,
            )
        else:
            queryset = queryset.filter(offender_manager__isnull=True)
    return queryset.select_related(*NOMINAL_RELATED).order_by("release_date", "reference")


def officers_for(area_id: int, team: Team | None = None) -> QuerySet[Staff]:
    """The officers a batch may place nominals with: active offender managers of the area, or of one team."""
    queryset = offender_services.offender_managers_in(area_id).select_related("team", "agency", "agency__area")
    if team is not None:
        queryset = queryset.filter(team=team)
    return queryset.order_by("last_name", "first_name", "pk")


# ---------------------------------------------------------------------------
# The problem, from the records


def officer_label(staff: Staff) -> str:
    """How an officer is named in the solver's sentences: the name and the (unique) username."""
    name = staff.get_full_name() or staff.username
    return f"{name} ({staff.username})"


def _chunks(ids: Sequence, size: int = CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def linked_people(person_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each person's victims, and the people who harmed them, from the incidents (see the module docstring)."""
    ids = list(set(person_ids))
    roles = [IncidentRole.PERPETRATOR, IncidentRole.VICTIM]
    opposite = {IncidentRole.PERPETRATOR: IncidentRole.VICTIM, IncidentRole.VICTIM: IncidentRole.PERPETRATOR}
    linked: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(ids):
        own = IncidentPerson.objects.filter(person_id__in=chunk, role__in=roles)
        by_incident: dict[int, list[tuple[int, str]]] = defaultdict(list)
        rows = IncidentPerson.objects.filter(incident_id__in=own.values("incident_id"), role__in=roles)
        for incident_id, person_id, role in rows.values_list("incident_id", "person_id", "role"):
            by_incident[incident_id].append((person_id, role))
        wanted = set(chunk)
        for people in by_incident.values():
            for person_id, role in people:
                if person_id not in wanted:
                    continue
                for other, other_role in people:
                    if other != person_id and other_role == opposite[role]:
                        linked[person_id].add(other)
    return linked


def _excluded_officers(
    nominals: Sequence[Nominal], linked: dict[int, set[int]], ignore: set[int]
) -> dict[int, set[int]]:
    """For each nominal, the officers (pks) who manage a nominal of a person linked to its person."""
    others = sorted({p for n in nominals for p in linked.get(n.person_id, ())})
    holders: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(others):
        rows = Nominal.objects.filter(
            person_id__in=chunk, status=Nominal.Status.ACTIVE, offender_manager__isnull=False
        ).values_list("pk", "person_id", "offender_manager_id")
        for pk, person_id, officer_id in rows:
            if pk not in ignore:
                holders[person_id].add(officer_id)
    return {n.pk: {o for p in linked.get(n.person_id, ()) for o in holders.get(p, ())} for n in nominals}


def counts_outside(officer_ids: Sequence[int], batch: Sequence[Nominal]) -> dict[int, tuple[int, int]]:
    """Each officer's (cases, high-risk cases) now, not counting any nominal of the batch they hold."""
    facts = case_facts_by_officer(officer_ids)
    counts = {
        oid: [len(facts.get(oid, ())), sum(1 for f in facts.get(oid, ()) if f.rosh in HIGH_RISK)] for oid in officer_ids
    }
    for n in batch:
        if n.status == Nominal.Status.ACTIVE and n.offender_manager_id in counts:
            counts[n.offender_manager_id][0] -= 1
            counts[n.offender_manager_id][1] -= int(n.rosh in HIGH_RISK)
    return {oid: (c[0], c[1]) for oid, c in counts.items()}


@dataclass
class Built:
    """The solver's problem and the records behind its ids."""

    problem: AllocationProblem
    officers: dict[str, Staff]  # label -> member of staff
    nominals: dict[str, Nominal]  # reference -> nominal
    links: list[tuple[str, str]]  # pairs of batch nominals linked as victim and perpetrator
    settings: AreaSettings
    trained: dict[int, bool] = field(default_factory=dict)
    seconds: float = 0.0


def _location(lat, lon) -> tuple[float, float] | None:
    return (lat, lon) if lat is not None and lon is not None else None


def build_problem(
    nominals: Sequence[Nominal],
    officers: Sequence[Staff],
    *,
    area: Area,
    on: dt.date,
    batch: Sequence[Nominal] | None = None,
    ignore_for_exclusions: set[int] | None = None,
) -> Built:
    """The allocation problem for placing ``nominals`` with ``officers``, from the records as they are now.

    ``batch`` is every nominal of the batch (default: ``nominals``): none of them counts in an officer's
    current cases. ``ignore_for_exclusions``: nominals whose officer is not counted as managing them for the
    victim rule (default: the batch's), because the batch decides their officer.
    """
    started = time.perf_counter()
    batch = list(nominals) if batch is None else list(batch)
    ignore = {n.pk for n in batch} if ignore_for_exclusions is None else ignore_for_exclusions
    settings = AreaSettings.for_area(area.pk)
    officer_ids = [o.pk for o in officers]
    counts = counts_outside(officer_ids, batch)
    trained = {pk: c.may_hold_level_2_3 for pk, c in competences(officers, on).items()}
    labels = {o.pk: officer_label(o) for o in officers}
    to_place_officers = []
    for o in officers:
        cases, high = counts[o.pk]
        to_place_officers.append(
            OfficerToPlace(
                id=labels[o.pk],
                area_id=area.pk,
                team_id=o.team_id,
                trained_for_level_2_3=trained[o.pk],
                capacity_cases=settings.ratio_cases_per_officer,
                current_cases=cases,
                current_high_risk=high,
                high_risk_cap_percent=settings.high_risk_cap_percent,
                location=_location(o.team.base_latitude, o.team.base_longitude) if o.team_id else None,
            )
        )
    linked = linked_people(n.person_id for n in nominals)
    excluded = _excluded_officers(nominals, linked, ignore)
    by_person: dict[int, list[Nominal]] = defaultdict(list)
    for n in nominals:
        by_person[n.person_id].append(n)
    links = []
    for n in nominals:
        for other_person in linked.get(n.person_id, ()):
            for m in by_person.get(other_person, ()):
                if n.reference < m.reference:
                    links.append((n.reference, m.reference))
    to_place = [
        NominalToPlace(
            id=n.reference,
            area_id=area.pk,
            level=n.management_level,
            high_risk=n.rosh in HIGH_RISK,
            current_officer_id=labels.get(n.offender_manager_id) if n.offender_manager_id else None,
            excluded_officer_ids=frozenset(labels[o] for o in excluded.get(n.pk, ()) if o in labels),
            location=_location(n.local_area.latitude, n.local_area.longitude),
        )
        for n in nominals
    ]
    teams = {o.team_id: o.team.name for o in officers if o.team_id}
    problem = AllocationProblem(
        officers=tuple(to_place_officers),
        nominals=tuple(to_place),
        area_names={area.pk: area.name},
        team_names=teams,
    )
    return Built(
        problem=problem,
        officers={labels[o.pk]: o for o in officers},
        nominals={n.reference: n for n in nominals},
        links=sorted(set(links)),
        settings=settings,
        trained=trained,
        seconds=time.perf_counter() - started,
    )


def solve_batch(built: Built, time_limit_s: float = TIME_LIMIT_S) -> tuple[Allocation | Infeasible, list[Step]]:
    """Solve; when two linked nominals of the batch share an officer, bar that officer for one and solve again."""
    problem = built.problem
    steps: list[Step] = []
    round_number = 0
    while True:
        round_number += 1
        result = solve(problem, time_limit_s=time_limit_s)
        if not isinstance(result, Allocation):
            return result, steps
        clashes = [(a, b) for a, b in built.links if result.assignments.get(a) == result.assignments.get(b)]
        if not clashes:
            return result, steps
        if round_number == MAX_LINK_ROUNDS:
            steps.append(
                Step(
                    f"{len(clashes)} pairs of linked nominals still share an officer after {round_number} "
                    "rounds: each decision is checked again against the records",
                    SOURCE_VICTIMS,
                )
            )
            return result, steps
        barred: dict[str, set[str]] = defaultdict(set)
        for a, b in clashes:
            barred[b].add(result.assignments[a])
        problem = replace(
            problem,
            nominals=tuple(
                replace(n, excluded_officer_ids=frozenset(n.excluded_officer_ids | barred[n.id]))
                if n.id in barred
                else n
                for n in problem.nominals
            ),
        )
        steps.append(
            Step(
                f"Round {round_number}: {len(clashes)} pairs of nominals of this batch, linked as victim and "
                "perpetrator, were given the same officer; that officer was barred for the second of each pair "
                "and the batch solved again",
                SOURCE_VICTIMS,
            )
        )


# ---------------------------------------------------------------------------
# Figures beside the recommendation


def outcome_figures(problem: AllocationProblem, assignments: dict) -> dict:
    """Largest caseload, spread of high-risk shares and officers over the cap, after these assignments."""
    high_of = {n.id: n.high_risk for n in problem.nominals}
    extra: dict = defaultdict(lambda: [0, 0])
    for nid, oid in assignments.items():
        extra[oid][0] += 1
        extra[oid][1] += int(high_of[nid])
    loads, shares, over = [], [], 0
    for o in problem.officers:
        cases = o.current_cases + extra[o.id][0]
        high = o.current_high_risk + extra[o.id][1]
        loads.append(cases)
        if cases:
            shares.append(high / cases)
            over += int(PERCENT * high > o.high_risk_cap_percent * cases)
    return {
        "placed": len(assignments),
        "largest_caseload": max(loads, default=0),
        "high_risk_share_spread_points": round(PERCENT * (max(shares) - min(shares)), 1) if shares else 0.0,
        "high_risk_share_std_points": round(PERCENT * statistics.pstdev(shares), 1) if shares else 0.0,
        "officers_over_high_risk_cap": over,
        "officers_over_capacity": sum(
            1 for o, cases in zip(problem.officers, loads, strict=True) if cases > o.capacity_cases
        ),
    }


def _officer_rows(built: Built, assignments: dict) -> list[dict]:
    high_of = {n.id: n.high_risk for n in built.problem.nominals}
    given: dict = defaultdict(lambda: [0, 0])
    for nid, oid in assignments.items():
        given[oid][0] += 1
        given[oid][1] += int(high_of[nid])
    rows = []
    for o in built.problem.officers:
        staff = built.officers[o.id]
        rows.append(
            {
                "id": staff.pk,
                "name": staff.get_full_name() or staff.username,
                "team": staff.team.name if staff.team_id else "",
                "trained": o.trained_for_level_2_3,
                "capacity": o.capacity_cases,
                "cap_percent": o.high_risk_cap_percent,
                "before": o.current_cases,
                "high_before": o.current_high_risk,
                "given": given[o.id][0],
                "after": o.current_cases + given[o.id][0],
                "high_after": o.current_high_risk + given[o.id][1],
            }
        )
    return rows


def _steps(steps: Iterable[Step]) -> list[dict]:
    return [step.as_dict() for step in steps]


# ---------------------------------------------------------------------------
# Starting a batch


def start_batch(ctx: gate.AccessContext, request: BatchRequest, *, time_limit_s: float = TIME_LIMIT_S):
    """Work out a batch: recommend an officer for each nominal the user may change, and store it (audited)."""
    user = ctx.user
    decision = may_allocate(user, request.area, request.team)
    if not decision:
        raise _refuse(ctx, Operation.CREATE, decision.reason)
    started = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():
        found = list(candidates(user, request))
        officers = list(officers_for(request.area.pk, request.team))
        chosen, refused, held_elsewhere = [], 0, 0
        for n in found:
            if not gate.decide(user, Operation.CHANGE, n):
                refused += 1
            elif (
                request.team is not None
                and n.offender_manager_id is not None
                and n.offender_manager.team_id != request.team.pk
                and n.offender_manager.is_active
            ):
                held_elsewhere += 1
            else:
                chosen.append(n)
        if not chosen:
            raise NothingToAllocate(_nothing_message(request, len(found), refused, held_elsewhere))
        built = build_problem(chosen, officers, area=request.area, on=today)
        solving = time.perf_counter()
        result, link_steps = solve_batch(built, time_limit_s=time_limit_s)
        solve_seconds = time.perf_counter() - solving
        baseline = least_loaded_trained(built.problem)
        batch = _batch_from(ctx, request, built, result, baseline, link_steps)
        batch.figures["selection"] = {
            "found": len(found),
            "may_not_change": refused,
            "held_by_another_team": held_elsewhere,
            "in_batch": len(chosen),
        }
        batch.figures["seconds"] = {"reading": round(built.seconds, 2), "solving": round(solve_seconds, 2)}
        batch.seconds = round(time.perf_counter() - started, 2)
        gate.check(ctx, Operation.CREATE, batch)
        batch.save()
        gate.audit_allowed(
            ctx,
            Operation.CREATE,
            batch,
            decision.reason,
            {"criteria": request.criteria(), "nominals": len(chosen), "status": batch.status},
        )
        gate.audit_list(
            ctx,
            Operation.SEARCH,
            Nominal,
            [n.pk for n in chosen],
            {"allocation_batch": batch.pk, "may_not_change": refused, "held_by_another_team": held_elsewhere},
        )
        _store_recommendations(ctx, batch, built, result)
    return batch


def _nothing_message(request: BatchRequest, found: int, refused: int, held_elsewhere: int) -> str:
    if request.kind == ONE_NOMINAL:
        if found and held_elsewhere:
            return "This nominal is managed by an officer of another team: it is not moved by your team's batch"
        return "You may not allocate this nominal: it is closed, or outside the area or team you allocate for"
    what = "nominal with no offender manager" if request.kind == UNALLOCATED else "release in those dates"
    if not found:
        return f"There is no active {what} in the area of this batch"
    parts = []
    if refused:
        parts.append(f"{refused} you may not change")
    if held_elsewhere:
        parts.append(f"{held_elsewhere} held by an officer of another team")
    return f"Nothing to allocate: of the {found} found, {' and '.join(parts)}"


def _batch_from(ctx, request, built: Built, result, baseline, link_steps: list[Step]) -> AllocationBatch:
    problem = built.problem
    selection_step = Step(
        f"{len(problem.nominals)} nominals to place with {len(problem.officers)} offender managers; capacity "
        f"{built.settings.ratio_cases_per_officer} cases and high-risk cap {built.settings.high_risk_cap_percent}% "
        f"from the area's settings; {sum(built.trained.values())} of the officers trained for Level 2/3 today",
        SOURCE,
    )
    batch = AllocationBatch(
        area=request.area,
        team=request.team,
        description=request.description(),
        created_by=ctx.user,
        method=result.method,
        figures={"criteria": request.criteria()},
    )
    if isinstance(result, Allocation):
        batch.status = AllocationBatch.Status.RECOMMENDED
        batch.proven_optimal = result.proven_optimal
        # No bound within the time limit shows as an infinite gap: stored as unknown, and the page says so.
        batch.gap = result.gap if result.gap is not None and math.isfinite(result.gap) else None
        batch.objective = result.objective
        batch.working = _steps([selection_step, *result.working, *link_steps])
        assignments = dict(result.assignments)
        batch.figures["officers"] = _officer_rows(built, assignments)
        batch.figures["recommended"] = outcome_figures(problem, assignments)
    else:
        batch.status = AllocationBatch.Status.INFEASIBLE
        batch.infeasible_reasons = list(result.binding)
        batch.working = _steps([selection_step, *result.working, *link_steps])
        batch.figures["officers"] = _officer_rows(built, {})
        batch.figures["unplaced"] = list(result.unplaced)
    batch.figures["before"] = outcome_figures(problem, {})
    if isinstance(baseline, Allocation):
        batch.figures["least_loaded"] = {"feasible": True, **outcome_figures(problem, dict(baseline.assignments))}
    else:
        batch.figures["least_loaded"] = {
            "feasible": False,
            "unplaced": len(baseline.unplaced),
            "binding": list(baseline.binding),
        }
    return batch


def _store_recommendations(ctx, batch: AllocationBatch, built: Built, result) -> None:
    assignments = dict(result.assignments) if isinstance(result, Allocation) else {}
    reasons = dict(result.reasons) if isinstance(result, Allocation) else {}
    unplaced = set(result.unplaced) if isinstance(result, Infeasible) else set()
    for n in built.problem.nominals:
        nominal = built.nominals[n.id]
        label = assignments.get(n.id)
        if label is not None:
            why = list(reasons.get(n.id, ()))
        elif n.id in unplaced:
            why = ["Left without an officer by the largest placement that obeys every hard rule"]
        else:
            why = ["No recommendation: the batch as a whole cannot be allocated under the hard rules"]
        rec = AllocationRecommendation(
            batch=batch,
            nominal=nominal,
            previous_officer_id=nominal.offender_manager_id,
            recommended_officer=built.officers[label] if label is not None else None,
            reasons=why,
        )
        gate.check(ctx, Operation.CREATE, rec)
        rec.save()
        gate.audit_allowed(ctx, Operation.CREATE, rec, "recommendation of an allocation batch", {"batch": batch.pk})


# ---------------------------------------------------------------------------
# Decisions


def decision_problems(batch: AllocationBatch, rec: AllocationRecommendation, officer: Staff) -> tuple[str, ...]:
    """The hard rules broken if ``officer`` takes this nominal, beside the batch's decisions, on today's records.

    The officer must be an active offender manager of the batch's area (or team). Their cases outside the
    batch are counted now; the nominals of the batch already decided for them count as given. Only this
    officer is looked at: every hard rule is about one officer and the nominals given to them.
    """
    member = officers_for(batch.area_id, batch.team).filter(pk=officer.pk).first()
    if member is None:
        where = f"team {batch.team.name}" if batch.team else batch.area.name
        return (f"{officer_label(officer)} is not an active offender manager of {where} (binding: right area or team)",)
    in_batch = batch.recommendations.values("nominal_id")
    related = ("person", "local_area")
    this = Nominal.objects.select_related(*related).get(pk=rec.nominal_id)
    decided = list(
        Nominal.objects.select_related(*related).filter(
            pk__in=batch.recommendations.exclude(decision=AllocationRecommendation.Decision.PENDING)
            .filter(allocated_officer=officer)
            .exclude(pk=rec.pk)
            .values("nominal_id")
        )
    )
    held_in_batch = list(Nominal.objects.filter(pk__in=in_batch, offender_manager=officer))
    pending = set(
        batch.recommendations.filter(decision=AllocationRecommendation.Decision.PENDING).values_list(
            "nominal_id", flat=True
        )
    )
    built = build_problem(
        [this, *decided],
        [member],
        area=batch.area,
        on=timezone.localdate(),
        batch=held_in_batch,
        ignore_for_exclusions=pending,
    )
    label = officer_label(member)
    return check(built.problem, {n.reference: label for n in [this, *decided]})


def _locked(batch_id: int) -> AllocationBatch:
    return AllocationBatch.objects.select_for_update(of=("self",)).select_related("area", "team").get(pk=batch_id)


def _decide(
    ctx: gate.AccessContext,
    batch: AllocationBatch,
    rec: AllocationRecommendation,
    officer: Staff,
    *,
    decision: str,
    expected_version: int,
    reason: str = "",
    prechecked: bool = False,
) -> AllocationRecommendation:
    """Apply one decision (inside the caller's transaction, with the batch locked).

    ``prechecked``: the hard rules were checked for this officer with every waiting recommendation of the batch
    given to them (``_officers_clear``), so a check of this one alone is not needed.
    """
    detail = {"batch": batch.pk, "decision": decision, "officer": officer.pk, "nominal": rec.nominal_id}
    related = ("batch__area", "batch__team", "nominal", *(f"nominal__{r}" for r in NOMINAL_RELATED))
    deciding = gate.changing(
        ctx, AllocationRecommendation, rec.pk, expected_version, related=related, versioned="nominal", detail=detail
    )
    with deciding as change:
        rec, nominal = change.record, change.record.nominal
        if rec.decision != AllocationRecommendation.Decision.PENDING:
            raise ValidationError({"__all__": "This recommendation has been decided already: reload the page."})
        if nominal.status != Nominal.Status.ACTIVE:
            raise ValidationError({"__all__": "This nominal is no longer active: it cannot be allocated."})
        if nominal.offender_manager_id != rec.previous_officer_id:
            raise ValidationError({"__all__": CHANGED_SINCE})
        broken = () if prechecked else decision_problems(batch, rec, officer)
        if broken:
            raise ValidationError({"officer": [f"This would break a hard rule: {sentence}" for sentence in broken]})
        overridden = decision == AllocationRecommendation.Decision.OVERRIDDEN
        if nominal.offender_manager_id != officer.pk:
            nominal.offender_manager = officer
            why = (
                f"Allocation batch {batch.pk}: a different officer chosen. {reason}"
                if overridden
                else f"Allocation batch {batch.pk}: recommendation accepted."
            )
            offender_services.change_nominal(ctx, nominal, expected_version=expected_version, reason=why)
        rec.decision = decision
        rec.allocated_officer = officer
        rec.override_reason = reason if overridden else ""
        rec.decided_by = ctx.user
        rec.decided_at = timezone.now()
        change.save(update_fields=["decision", "allocated_officer", "override_reason", "decided_by", "decided_at"])
    batch.version += 1
    if not batch.recommendations.filter(decision=AllocationRecommendation.Decision.PENDING).exists():
        batch.status = AllocationBatch.Status.DECIDED
    batch.save(update_fields=["version", "status"])
    rec.batch = batch
    return rec


def accept(ctx: gate.AccessContext, rec: AllocationRecommendation, *, expected_version: int):
    """Accept one recommendation: the nominal goes to the recommended officer (audited, in its history)."""
    with transaction.atomic():
        batch = _locked(rec.batch_id)
        if rec.recommended_officer_id is None:
            raise ValidationError({"__all__": "There is no recommendation to accept: choose an officer instead."})
        return _decide(
            ctx,
            batch,
            rec,
            rec.recommended_officer,
            decision=AllocationRecommendation.Decision.ACCEPTED,
            expected_version=expected_version,
        )


def override(
    ctx: gate.AccessContext, rec: AllocationRecommendation, officer: Staff | None, reason: str, *, expected_version: int
):
    """Give the nominal to a different officer, with a reason; refused when it would break a hard rule."""
    reason = (reason or "").strip()
    errors = {}
    if officer is None:
        errors["officer"] = "Choose the officer to allocate this nominal to"
    elif officer.pk == rec.recommended_officer_id:
        errors["officer"] = "This is the recommended officer: accept the recommendation instead"
    if len(reason) < MIN_REASON_LENGTH:
        errors["reason"] = f"Give the reason for choosing this officer (at least {MIN_REASON_LENGTH} characters)"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        batch = _locked(rec.batch_id)
        return _decide(
            ctx,
            batch,
            rec,
            officer,
            decision=AllocationRecommendation.Decision.OVERRIDDEN,
            expected_version=expected_version,
            reason=reason,
        )


def _officers_clear(batch: AllocationBatch, waiting: list[AllocationRecommendation]) -> set[int]:
    """The officers who may take every waiting recommendation of theirs, beside the batch's decisions, today.

    One build from the records for all of them, then the hard rules checked officer by officer; taking
    fewer of them (some refused for another reason) cannot break a rule that taking all of them keeps.
    """
    wanted = {r.recommended_officer_id for r in waiting}
    members = list(officers_for(batch.area_id, batch.team).filter(pk__in=wanted))
    if not members:
        return set()
    ids = [m.pk for m in members]
    related = ("person", "local_area")
    decided = list(
        batch.recommendations.exclude(decision=AllocationRecommendation.Decision.PENDING)
        .filter(allocated_officer_id__in=ids)
        .select_related(*(f"nominal__{r}" for r in related), "nominal")
    )
    to_accept = [r for r in waiting if r.recommended_officer_id in ids]
    nominals = Nominal.objects.select_related(*related).in_bulk([r.nominal_id for r in to_accept])
    held_in_batch = list(
        Nominal.objects.filter(pk__in=batch.recommendations.values("nominal_id"), offender_manager_id__in=ids)
    )
    pending = {r.nominal_id for r in waiting} | set(
        batch.recommendations.filter(decision=AllocationRecommendation.Decision.PENDING).values_list(
            "nominal_id", flat=True
        )
    )
    given = [(r.nominal, r.allocated_officer_id) for r in decided] + [
        (nominals[r.nominal_id], r.recommended_officer_id) for r in to_accept
    ]
    built = build_problem(
        [n for n, _ in given],
        members,
        area=batch.area,
        on=timezone.localdate(),
        batch=held_in_batch,
        ignore_for_exclusions=pending,
    )
    labels = {m.pk: officer_label(m) for m in members}
    by_officer: dict[int, list] = defaultdict(list)
    for n, officer_id in given:
        by_officer[officer_id].append(n.reference)
    officer_of = {ref: officer_id for officer_id, refs in by_officer.items() for ref in refs}
    linked_together = {officer_of[a] for a, b in built.links if officer_of.get(a) == officer_of.get(b)}
    nominal_of = {n.id: n for n in built.problem.nominals}
    officer_row = {o.id: o for o in built.problem.officers}
    clear = set()
    for officer_id, refs in by_officer.items():
        if officer_id in linked_together:
            continue
        label = labels[officer_id]
        alone = AllocationProblem(officers=(officer_row[label],), nominals=tuple(nominal_of[ref] for ref in refs))
        if not check(alone, dict.fromkeys(refs, label)):
            clear.add(officer_id)
    return clear


@dataclass
class AcceptedAll:
    accepted: list[AllocationRecommendation]
    refused: list[tuple[AllocationRecommendation, list[str]]]


def _no_progress(done: int, total: int) -> None:
    return None


STALE_BATCH = "Decisions were made on this batch since you loaded it: check them, then accept."
NOTHING_TO_ACCEPT = "This batch has no recommendations to accept: choose each officer."


def start_accept_all(ctx: gate.AccessContext, batch: AllocationBatch, *, expected_version: int):
    """Queue "accept all" as a background job (``jobs``): checked now (the gate, the version the user saw, a
    batch with recommendations, no other acceptance of it under way), done by the worker in one transaction."""
    from safeguard.jobs import services as jobs
    from safeguard.jobs.models import Job

    with transaction.atomic():
        locked = _locked(batch.pk)
        gate.check(ctx, Operation.CHANGE, locked)
        if locked.version != expected_version:
            raise ValidationError({"__all__": STALE_BATCH})
        if locked.status == AllocationBatch.Status.INFEASIBLE:
            raise ValidationError({"__all__": NOTHING_TO_ACCEPT})
        if jobs.running(Job.Kind.ACCEPT_ALL, batch=locked.pk):
            raise ValidationError({"__all__": "Accepting this batch has started already: wait for it to finish."})
        waiting = (
            locked.recommendations.filter(decision=AllocationRecommendation.Decision.PENDING)
            .exclude(recommended_officer=None)
            .count()
        )
        params = {"batch": locked.pk, "version": expected_version}
        back = (reverse("workforce:batch", kwargs={"pk": locked.pk}), "Back to the batch")
        job = jobs.start(ctx, Job.Kind.ACCEPT_ALL, params=params, unit="decisions", total=waiting, back=back)
    return job


def accept_all(
    ctx: gate.AccessContext, batch: AllocationBatch, *, expected_version: int, progress=_no_progress
) -> AcceptedAll:
    """Accept every recommendation still waiting; those the rules or the records now refuse are listed, not applied.

    One transaction: a failure part of the way through changes nothing. ``progress(done, total)`` is told
    after each decision (the background job's progress bar)."""
    with transaction.atomic():
        locked = _locked(batch.pk)
        gate.check(ctx, Operation.CHANGE, locked)
        if locked.version != expected_version:
            raise VersionConflict()
        if locked.status == AllocationBatch.Status.INFEASIBLE:
            raise ValidationError({"__all__": NOTHING_TO_ACCEPT})
        waiting = list(
            locked.recommendations.filter(decision=AllocationRecommendation.Decision.PENDING)
            .exclude(recommended_officer=None)
            .select_related("recommended_officer", "nominal", "nominal__local_area", "nominal__offender_manager")
        )
        done = AcceptedAll(accepted=[], refused=[])
        progress(0, len(waiting))
        clear = _officers_clear(locked, waiting)
        for number, rec in enumerate(waiting, start=1):
            progress(number - 1, len(waiting))
            rec.batch = locked
            try:
                gate.check(ctx, Operation.CHANGE, rec)
            except gate.AccessRefused as refused:
                gate.record_refusal(refused)
                done.refused.append((rec, ["You may no longer change this nominal"]))
                continue
            try:
                with transaction.atomic():
                    _decide(
                        ctx,
                        locked,
                        rec,
                        rec.recommended_officer,
                        decision=AllocationRecommendation.Decision.ACCEPTED,
                        expected_version=rec.nominal.version,
                        prechecked=rec.recommended_officer_id in clear,
                    )
            except ValidationError as error:
                locked.refresh_from_db(fields=["version", "status"])
                done.refused.append((rec, error.messages))
            else:
                done.accepted.append(rec)
        progress(len(waiting), len(waiting))
        gate.audit_allowed(
            ctx,
            Operation.CHANGE,
            locked,
            "accept all",
            {"accepted": [r.pk for r in done.accepted], "refused": [r.pk for r, _ in done.refused]},
        )
    return done


# ---------------------------------------------------------------------------
# Reading a batch


def batch_unchecked(pk: int) -> AllocationBatch:
    """One batch, not yet through the gate: for a decision, whose gate is the recommendation's (404 if none)."""
    return get_object_or_404(AllocationBatch.objects.select_related("area", "team", "created_by"), pk=pk)


def batch_for_view(ctx: gate.AccessContext, pk: int) -> AllocationBatch:
    """One batch, through the gate (404 and audited when refused)."""
    batch = batch_unchecked(pk)
    gate.authorise(ctx, Operation.VIEW, batch)
    return batch


def visible_recommendations(user, batch: AllocationBatch) -> QuerySet[AllocationRecommendation]:
    """The recommendations of a batch the user may see: the gate's scope (the batch's rule and the nominal's),
    for a page of them to be shown and audited as one list."""
    return gate.scoped(user, batch.recommendations.all()).select_related(
        "nominal",
        "nominal__local_area",
        "nominal__person",
        "nominal__offender_manager",
        "recommended_officer",
        "allocated_officer",
        "previous_officer",
        "decided_by",
    )


def recommendation_for_change(ctx: gate.AccessContext, batch: AllocationBatch, rec_pk: int):
    """One recommendation of a batch for a decision, checked by the gate (404 and audited when refused)."""
    rec = get_object_or_404(
        AllocationRecommendation.objects.select_related(
            "nominal", "nominal__local_area", "nominal__offender_manager", "recommended_officer", "previous_officer"
        ),
        pk=rec_pk,
        batch=batch,
    )
    rec.batch = batch
    gate.check(ctx, Operation.CHANGE, rec)
    return rec


def officer_choices(batch: AllocationBatch) -> list[tuple[Staff, dict]]:
    """The officers a nominal of this batch may be given to, each with their caseload now."""
    pool = list(officers_for(batch.area_id, batch.team))
    facts = case_facts_by_officer([o.pk for o in pool])
    today = timezone.localdate()
    trained = {pk: c.may_hold_level_2_3 for pk, c in competences(pool, today).items()}
    return [
        (
            o,
            {
                "cases": len(facts.get(o.pk, ())),
                "high": sum(1 for f in facts.get(o.pk, ()) if f.rosh in HIGH_RISK),
                "trained": trained[o.pk],
            },
        )
        for o in pool
    ]
