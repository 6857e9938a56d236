"""Allocation of nominals to offender managers: the problem, the answer, and the rules both obey.

Sources:
- HMI Probation, HMICFRS and HMI Prisons, "Twenty years on, is MAPPA achieving
  its objectives?" (joint inspection, July 2022), Recommendation 18: every
  Level 2/3 nominal is allocated to a suitably trained police offender
  manager [C]. The same report found police offender managers carrying 50-100
  cases [C].
- West Midlands Police practice, as given in docs/sources/workforce.md: one
  sex-offender manager to 50 registered sex offenders, high-risk nominals at
  most 20% of a caseload [L]; Surrey aims under 20% high risk [L]. Both are
  settings of the area (``capacity_cases``, ``high_risk_cap_percent``), with
  these defaults.
- Practice in the seeds (docs/sources/workforce.md): an officer overloaded by
  volume or by share of high risk gets no new allocations in the current
  distribution cycle; offenders are not reallocated without need, because
  knowing the offender matters.
- Safeguard requirements, workforce: allocation (docs/requirements.md): the hard constraints and the soft
  goals below.

Hard rules (an allocation that breaks one is never offered):

1. every nominal in the batch gets exactly one officer;
2. a Level 2 or 3 nominal goes only to an officer trained for Level 2/3;
3. within capacity: the officer's cases outside the batch plus the batch
   nominals given to them are at most ``capacity_cases``;
4. the officer works in the nominal's area, and in its team when it names one;
5. never an officer who manages a victim of the same person
   (``excluded_officer_ids``);
6. an officer already at or over the high-risk cap (on their cases outside the
   batch) receives no high-risk nominal from the batch.

Decisions Safeguard had to make, because the guidance is silent or loose:

- The seeds say an officer over the high-risk share gets *no* new allocations.
  Safeguard bars only new *high-risk* nominals (rule 6): a standard-risk
  nominal lowers the officer's share, so barring it would work against the
  cap. Volume overload is already barred by rule 3. Pushing an officer who is
  under the cap over it is a soft cost (``over_high_risk_cap``), not a bar, so
  that a batch is never refused merely because shares must rise.
- "At or over the cap": a share of exactly the cap counts as at the cap. An
  officer with no cases has a share of 0%.
- The batch is what the supervisor has chosen to (re)allocate. A batch
  nominal that has a current officer is not counted in that officer's
  ``current_cases``: keeping it is a placement like any other and must obey
  every hard rule. Keeping is a soft goal with a weight larger than any
  balance gain one move makes at real caseloads, so a nominal leaves its
  current officer only when a hard rule forbids keeping it or the officer's
  room runs out (they hold more of the batch than they have room for, or
  their room is needed for a nominal only they may take); the reasons say
  which. Nothing outside the batch is ever moved.
- Soft goals (the objective, lower is better; each term is a sum of
  per-case steps, so the solver sees it as linear pieces):

  - caseload: ``load_balance * (L**2 - B**2) / capacity`` per officer (B
    cases before the batch, L after): a case added to an officer at 90% of
    capacity costs about 1.8, at 50% about 1.0, so loads even out as a share
    of capacity;
  - high-risk balance: ``high_risk_balance * (H**2 - G**2) / fair`` per
    officer (G high-risk cases before, H after; ``fair`` is the area's
    high-risk share after the batch times the officer's capacity, at least
    1): a high-risk case given to an officer already holding their fair
    number costs about 2, to one holding half of it about 1;
  - over the cap: ``over_high_risk_cap`` per high-risk case above the cap
    after the batch, less those above it before, so pushing an officer over
    the cap costs, and giving standard-risk cases to an officer already over
    it (which lowers their share) counts in favour;
  - ``keep_current`` for each nominal taken from a current officer who could
    have kept it; ``distance_per_km`` per kilometre between the nominal and
    the officer.

  The share balance is measured against capacity rather than against the
  officer's load after the batch: measuring it against the load after the
  batch (``|H - s * L|``) couples the two counts, and HiGHS then took about
  15 s to prove the benchmark's batch optimal, against about 1 s for this
  form. The cap term does use the load after the batch, exactly.
  The weights are Safeguard's own choice, documented in ``DEFAULTS``; an area
  may change them.
- Distance: from ``distances_km`` where given, else the great-circle distance
  between ``location`` (latitude, longitude) of the nominal and the officer.
  Where neither is known for a pair, that pair counts as the farthest known
  officer for that nominal, so an unknown location is never preferred.
- Weights per case type (the probation workload model) are not applied here:
  one nominal is one case, the seeds' default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from safeguard.rules.working import Default, RuleInputError, Status, Step

Id = int | str

SOURCE_INSPECTION = "Joint inspection of MAPPA, July 2022, Recommendation 18"
SOURCE_LOCAL = "West Midlands Police practice"
SOURCE_SEEDS = "Force practice"
SOURCE_ISSUE = "Safeguard requirements, workforce: allocation"

LEVELS = (1, 2, 3)
TRAINED_FROM_LEVEL = 2  # Level 2 and 3 nominals need a trained officer [C]
RATIO_CASES = 50  # [L] one offender manager to 50 nominals
HIGH_RISK_CAP_PERCENT = 20  # [L] high-risk nominals at most 20% of a caseload
PERCENT = 100
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
MAX_LATITUDE = 90.0
MAX_LONGITUDE = 180.0

# Soft-goal weights: Safeguard's own choice (no published weighting exists).
LOAD_BALANCE_WEIGHT = 1.0
HIGH_RISK_BALANCE_WEIGHT = 1.0
OVER_HIGH_RISK_CAP_WEIGHT = 1.0
KEEP_CURRENT_WEIGHT = 100.0
DISTANCE_PER_KM_WEIGHT = 0.02


@dataclass(frozen=True)
class Weights:
    """The weights of the soft goals; an area may change them."""

    load_balance: float = LOAD_BALANCE_WEIGHT
    high_risk_balance: float = HIGH_RISK_BALANCE_WEIGHT
    over_high_risk_cap: float = OVER_HIGH_RISK_CAP_WEIGHT
    keep_current: float = KEEP_CURRENT_WEIGHT
    distance_per_km: float = DISTANCE_PER_KM_WEIGHT

    def __post_init__(self) -> None:
        for name in ("load_balance", "high_risk_balance", "over_high_risk_cap", "keep_current", "distance_per_km"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise RuleInputError(f"weights.{name}", "Set this weight to a number of 0 or more")


DEFAULTS = (
    Default("capacity_cases", RATIO_CASES, SOURCE_LOCAL, Status.LOCAL, note="One offender manager to 50 nominals."),
    Default(
        "high_risk_cap_percent",
        HIGH_RISK_CAP_PERCENT,
        SOURCE_LOCAL,
        Status.LOCAL,
        note="High or very high risk nominals at most 20% of a caseload; Surrey aims under 20% too.",
    ),
    Default(
        "weights.load_balance",
        LOAD_BALANCE_WEIGHT,
        SOURCE_ISSUE,
        Status.SAFEGUARD,
        note="Cost (L^2 - B^2) / capacity per officer: adding a case costs about twice the officer's load share.",
    ),
    Default(
        "weights.high_risk_balance",
        HIGH_RISK_BALANCE_WEIGHT,
        SOURCE_ISSUE,
        Status.SAFEGUARD,
        note="Cost (H^2 - G^2) / fair per officer, fair = the area's high-risk share of the officer's capacity.",
    ),
    Default(
        "weights.over_high_risk_cap",
        OVER_HIGH_RISK_CAP_WEIGHT,
        SOURCE_SEEDS,
        Status.SAFEGUARD,
        note="Per high-risk case above the cap after the batch, less those above it before.",
    ),
    Default(
        "weights.keep_current",
        KEEP_CURRENT_WEIGHT,
        SOURCE_SEEDS,
        Status.SAFEGUARD,
        note="Larger than the balance gain of any one move at real caseloads: a nominal moves only when it must.",
    ),
    Default(
        "weights.distance_per_km",
        DISTANCE_PER_KM_WEIGHT,
        SOURCE_ISSUE,
        Status.SAFEGUARD,
        note="10 km nearer is worth about a tenth of a case's caseload cost.",
    ),
)


@dataclass(frozen=True)
class Officer:
    """An offender manager who may receive nominals.

    ``current_cases`` and ``current_high_risk`` count the cases the officer
    holds *outside this batch* (a batch nominal they hold now is not counted).
    """

    id: Id
    area_id: Id
    team_id: Id | None = None
    trained_for_level_2_3: bool = False
    capacity_cases: int = RATIO_CASES
    current_cases: int = 0
    current_high_risk: int = 0
    high_risk_cap_percent: int = HIGH_RISK_CAP_PERCENT
    location: tuple[float, float] | None = None

    @property
    def at_or_over_high_risk_cap(self) -> bool:
        """At or over the cap on the cases held outside the batch (no cases: a share of 0%)."""
        if self.current_cases == 0:
            return False
        return self.current_high_risk * PERCENT >= self.high_risk_cap_percent * self.current_cases

    @property
    def room(self) -> int:
        return max(0, self.capacity_cases - self.current_cases)


@dataclass(frozen=True)
class Nominal:
    """A nominal to place. ``level`` is the MAPPA management level; ``high_risk`` is RoSH high or very high."""

    id: Id
    area_id: Id
    level: int = 1
    high_risk: bool = False
    team_id: Id | None = None
    current_officer_id: Id | None = None
    excluded_officer_ids: frozenset[Id] = frozenset()
    location: tuple[float, float] | None = None

    @property
    def needs_trained(self) -> bool:
        return self.level >= TRAINED_FROM_LEVEL


@dataclass(frozen=True)
class AllocationProblem:
    """A batch of nominals to place over a set of officers, with the area's weights."""

    officers: tuple[Officer, ...]
    nominals: tuple[Nominal, ...]
    weights: Weights = field(default_factory=Weights)
    distances_km: Mapping[tuple[Id, Id], float] = field(default_factory=dict)
    area_names: Mapping[Id, str] = field(default_factory=dict)
    team_names: Mapping[Id, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "officers", tuple(self.officers))
        object.__setattr__(self, "nominals", tuple(self.nominals))
        seen: set[Id] = set()
        for i, officer in enumerate(self.officers):
            _check_officer(i, officer)
            if officer.id in seen:
                raise RuleInputError(f"officers[{i}].id", "Each officer may appear once: this id is repeated")
            seen.add(officer.id)
        seen = set()
        for i, nominal in enumerate(self.nominals):
            _check_nominal(i, nominal)
            if nominal.id in seen:
                raise RuleInputError(f"nominals[{i}].id", "Each nominal may appear once: this id is repeated")
            seen.add(nominal.id)
        for key, km in self.distances_km.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise RuleInputError("distances_km", "Key each distance by (nominal id, officer id)")
            if isinstance(km, bool) or not isinstance(km, int | float) or not math.isfinite(km) or km < 0:
                raise RuleInputError("distances_km", "Give each distance as a number of kilometres, 0 or more")

    def area_name(self, area_id: Id) -> str:
        return self.area_names.get(area_id, str(area_id))

    def team_name(self, team_id: Id) -> str:
        return self.team_names.get(team_id, str(team_id))


def _whole(field_name: str, value: Any, minimum: int, maximum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleInputError(field_name, "Enter a whole number")
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise RuleInputError(field_name, f"Enter a whole number of at least {minimum}{upper}")


def _check_location(field_name: str, location: Any) -> None:
    if location is None:
        return
    try:
        lat, lon = location
    except (TypeError, ValueError):
        raise RuleInputError(field_name, "Give the location as (latitude, longitude)") from None
    for value, limit in ((lat, MAX_LATITUDE), (lon, MAX_LONGITUDE)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not -limit <= value <= limit:
            raise RuleInputError(field_name, "Give the location as (latitude, longitude) in degrees")


def _check_officer(i: int, officer: Officer) -> None:
    prefix = f"officers[{i}]"
    if not isinstance(officer, Officer):
        raise RuleInputError(prefix, "Give each officer as an Officer")
    if not isinstance(officer.trained_for_level_2_3, bool):
        raise RuleInputError(f"{prefix}.trained_for_level_2_3", "Answer true or false")
    _whole(f"{prefix}.capacity_cases", officer.capacity_cases, 0)
    _whole(f"{prefix}.current_cases", officer.current_cases, 0)
    _whole(f"{prefix}.current_high_risk", officer.current_high_risk, 0)
    if officer.current_high_risk > officer.current_cases:
        raise RuleInputError(f"{prefix}.current_high_risk", "High-risk cases cannot exceed the officer's cases")
    _whole(f"{prefix}.high_risk_cap_percent", officer.high_risk_cap_percent, 0, PERCENT)
    _check_location(f"{prefix}.location", officer.location)


def _check_nominal(i: int, nominal: Nominal) -> None:
    prefix = f"nominals[{i}]"
    if not isinstance(nominal, Nominal):
        raise RuleInputError(prefix, "Give each nominal as a Nominal")
    if isinstance(nominal.level, bool) or nominal.level not in LEVELS:
        raise RuleInputError(f"{prefix}.level", "Enter the MAPPA level as 1, 2 or 3")
    if not isinstance(nominal.high_risk, bool):
        raise RuleInputError(f"{prefix}.high_risk", "Answer true or false")
    if not isinstance(nominal.excluded_officer_ids, frozenset | set | tuple | list):
        raise RuleInputError(f"{prefix}.excluded_officer_ids", "Give the excluded officers as a list of ids")
    _check_location(f"{prefix}.location", nominal.location)


@dataclass(frozen=True)
class Allocation:
    """A recommended allocation: every nominal of the batch placed, with its reasons."""

    assignments: Mapping[Id, Id]
    objective: float
    proven_optimal: bool
    gap: float | None
    method: str
    reasons: Mapping[Id, tuple[str, ...]]
    violations: tuple[str, ...]
    working: tuple[Step, ...]

    feasible = True


@dataclass(frozen=True)
class Infeasible:
    """No allocation obeys every hard rule: which rule binds, and where, and what is left unplaced."""

    binding: tuple[str, ...]
    unplaced: tuple[Id, ...]
    working: tuple[Step, ...]
    method: str = "feasibility"

    feasible = False


# ---------------------------------------------------------------------------
# The rules, evaluated once per problem.


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bar(nominal: Nominal, officer: Officer, *, room: bool = True) -> str | None:
    """The first hard rule that stops this officer taking this nominal, in plain words, or None.

    With ``room=False`` capacity is not looked at (it depends on the whole batch: see ``feasibility.check``).
    """
    if officer.area_id != nominal.area_id:
        return "works in another area"
    if nominal.team_id is not None and officer.team_id != nominal.team_id:
        return "works in another team"
    if nominal.needs_trained and not officer.trained_for_level_2_3:
        return "is not trained for Level 2/3 nominals"
    if officer.id in nominal.excluded_officer_ids:
        return "manages a victim of the same person"
    if room and officer.room == 0:
        return f"has no room ({officer.current_cases}/{officer.capacity_cases} cases)"
    if nominal.high_risk and officer.at_or_over_high_risk_cap:
        return (
            f"is at or over the {officer.high_risk_cap_percent}% high-risk cap "
            f"({officer.current_high_risk}/{officer.current_cases})"
        )
    return None


@dataclass(frozen=True)
class Prepared:
    """The problem indexed for the solvers: who may take whom, at what cost."""

    problem: AllocationProblem
    officers: Mapping[Id, Officer]
    nominals: Mapping[Id, Nominal]
    eligible: Mapping[Id, tuple[Id, ...]]  # nominal -> officers who may take it, in input order
    arc_cost: Mapping[tuple[Id, Id], float]  # distance and keep-current costs of one placement
    distance: Mapping[tuple[Id, Id], float | None]
    area_share: Mapping[Id, float]  # the area's high-risk share after the batch
    officers_with_arcs: tuple[Id, ...]
    keepable: frozenset[Id]  # nominals whose current officer may take them

    def fair_high_risk(self, officer_id: Id) -> float:
        """The officer's fair number of high-risk cases: the area's share of their capacity (at least 1)."""
        o = self.officers[officer_id]
        return max(1.0, self.area_share[o.area_id] * o.capacity_cases)

    def officer_cost(self, officer_id: Id, load: int, high_risk: int) -> float:
        """The soft cost of one officer holding ``load`` cases (``high_risk`` of them high risk) after the batch."""
        o = self.officers[officer_id]
        w = self.problem.weights
        base = o.current_cases
        cost = w.load_balance * (load * load - base * base) / o.capacity_cases
        cost += w.high_risk_balance * (high_risk * high_risk - o.current_high_risk**2) / self.fair_high_risk(officer_id)
        cost += w.over_high_risk_cap * (self.over_cap(officer_id, load, high_risk) - self.over_cap(officer_id))
        return cost

    def over_cap(self, officer_id: Id, load: int | None = None, high_risk: int | None = None) -> float:
        """High-risk cases above the officer's cap (0 at or under it); before the batch when not given."""
        o = self.officers[officer_id]
        load = o.current_cases if load is None else load
        high_risk = o.current_high_risk if high_risk is None else high_risk
        return max(0.0, high_risk - o.high_risk_cap_percent * load / PERCENT)


def prepare(problem: AllocationProblem) -> Prepared:
    officers = {o.id: o for o in problem.officers}
    nominals = {n.id: n for n in problem.nominals}
    by_area: dict[Id, list[Officer]] = {}
    for o in problem.officers:
        by_area.setdefault(o.area_id, []).append(o)
    eligible: dict[Id, tuple[Id, ...]] = {}
    distance: dict[tuple[Id, Id], float | None] = {}
    arc_cost: dict[tuple[Id, Id], float] = {}
    keepable: set[Id] = set()
    w = problem.weights
    for n in problem.nominals:
        ids = tuple(o.id for o in by_area.get(n.area_id, ()) if bar(n, o) is None)
        eligible[n.id] = ids
        known = {}
        for oid in ids:
            km = problem.distances_km.get((n.id, oid))
            if km is None and n.location is not None and officers[oid].location is not None:
                km = haversine_km(n.location, officers[oid].location)
            distance[(n.id, oid)] = km
            if km is not None:
                known[oid] = km
        farthest = max(known.values(), default=0.0)
        if n.current_officer_id in ids:
            keepable.add(n.id)
        for oid in ids:
            cost = w.distance_per_km * known.get(oid, farthest)
            if n.id in keepable and oid != n.current_officer_id:
                cost += w.keep_current
            arc_cost[(n.id, oid)] = cost
    area_share = {}
    for area, members in by_area.items():
        cases = sum(o.current_cases for o in members)
        high = sum(o.current_high_risk for o in members)
        batch = [n for n in problem.nominals if n.area_id == area]
        cases += len(batch)
        high += sum(1 for n in batch if n.high_risk)
        area_share[area] = high / cases if cases else 0.0
    with_arcs = {oid for ids in eligible.values() for oid in ids}
    return Prepared(
        problem=problem,
        officers=officers,
        nominals=nominals,
        eligible=eligible,
        arc_cost=arc_cost,
        distance=distance,
        area_share=area_share,
        officers_with_arcs=tuple(o.id for o in problem.officers if o.id in with_arcs),
        keepable=frozenset(keepable),
    )


def loads(prepared: Prepared, assignments: Mapping[Id, Id]) -> dict[Id, tuple[int, int]]:
    """Each officer's (cases, high-risk cases) after the batch."""
    result = {oid: (o.current_cases, o.current_high_risk) for oid, o in prepared.officers.items()}
    for nid, oid in assignments.items():
        if oid in result and nid in prepared.nominals:
            cases, high = result[oid]
            result[oid] = (cases + 1, high + int(prepared.nominals[nid].high_risk))
    return result


def score(prepared: Prepared, assignments: Mapping[Id, Id]) -> float:
    """The objective of a complete allocation that obeys the hard rules (lower is better).

    The same number the solver minimises: arc costs plus every officer's cost,
    summed over the officers who could receive a nominal of the batch.
    """
    total = sum(prepared.arc_cost[(nid, oid)] for nid, oid in assignments.items())
    after = loads(prepared, assignments)
    for oid in prepared.officers_with_arcs:
        total += prepared.officer_cost(oid, *after[oid])
    return total


# ---------------------------------------------------------------------------
# Reasons: what a supervisor reads beside each recommendation.


def _pct(part: int, whole: int) -> str:
    return f"{round(PERCENT * part / whole)}%" if whole else "0%"


def reasons_for(prepared: Prepared, assignments: Mapping[Id, Id]) -> dict[Id, tuple[str, ...]]:
    problem = prepared.problem
    after = loads(prepared, assignments)
    held: dict[Id, int] = {}
    for n in problem.nominals:
        if n.id in prepared.keepable:
            held[n.current_officer_id] = held.get(n.current_officer_id, 0) + 1
    result: dict[Id, tuple[str, ...]] = {}
    for n in problem.nominals:
        oid = assignments.get(n.id)
        if oid is None:
            continue
        o = prepared.officers[oid]
        lines = []
        where = f"Works in area {problem.area_name(n.area_id)}"
        if n.team_id is not None:
            where += f", team {problem.team_name(n.team_id)}, as the nominal requires"
        lines.append(where)
        if n.needs_trained:
            lines.append(f"Level {n.level}: trained for Level 2/3 nominals")
        cases, high = after[oid]
        lines.append(f"Within capacity: {cases}/{o.capacity_cases} cases after this batch")
        if n.high_risk:
            lines.append(
                f"High risk: under the {o.high_risk_cap_percent}% high-risk cap before this batch "
                f"({_pct(o.current_high_risk, o.current_cases)}); {_pct(high, cases)} after"
            )
        if n.excluded_officer_ids:
            lines.append(
                f"Not one of the {len(n.excluded_officer_ids)} officer(s) who manage a victim of the same person"
            )
        lines.extend(_current_reason(prepared, n, oid, held, after))
        others = prepared.eligible[n.id]
        ratios = {x: prepared.officers[x].current_cases / prepared.officers[x].capacity_cases for x in others}
        if len(others) == 1:
            lines.append("The only officer who may take this nominal")
        elif ratios[oid] <= min(ratios.values()):
            lines.append(
                f"Lowest caseload of the {len(others)} officers who may take it "
                f"({_pct(o.current_cases, o.capacity_cases)} of capacity before this batch)"
            )
        else:
            lines.append(
                f"Caseload {_pct(o.current_cases, o.capacity_cases)} of capacity before this batch; "
                f"the {len(others)} officers who may take it range {round(PERCENT * min(ratios.values()))}%"
                f" to {round(PERCENT * max(ratios.values()))}%"
            )
        km = prepared.distance.get((n.id, oid))
        if km is not None:
            nearest = min((d for x in others if (d := prepared.distance.get((n.id, x))) is not None), default=km)
            lines.append(f"Distance {km:.1f} km (nearest who may take it: {nearest:.1f} km)")
        result[n.id] = tuple(lines)
    return result


def _current_reason(
    prepared: Prepared, n: Nominal, oid: Id, held: Mapping[Id, int], after: Mapping[Id, tuple[int, int]]
) -> list[str]:
    if n.current_officer_id is None:
        return []
    if n.current_officer_id == oid:
        return ["Current officer kept"]
    current = prepared.officers.get(n.current_officer_id)
    if current is None:
        return ["Current officer not kept: they are not among the officers offered for this batch"]
    why = bar(n, current)
    if why is not None:
        return [f"Current officer not kept: a hard rule forbids it (the officer {why})"]
    if held.get(current.id, 0) > current.room:
        return [
            f"Current officer not kept: they hold {held[current.id]} nominals of this batch "
            f"but have room for {current.room}"
        ]
    if after[current.id][0] >= current.capacity_cases:
        return ["Current officer not kept: their room was needed for other nominals of this batch"]
    return ["Current officer not kept: the balance of caseloads outweighed keeping them"]
