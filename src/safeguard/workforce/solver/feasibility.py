"""Whether a batch can be allocated at all, which hard rule binds and where, and checking an allocation.

Sources: the hard rules of Safeguard requirements, workforce: allocation (docs/requirements.md), as set
out in :mod:`safeguard.workforce.solver.model`.

The hard rules make allocation a bipartite placement with capacities: each
nominal may go to the officers no rule bars, and each officer takes at most
their room. A largest placement is found by augmenting paths (pure Python).
When it leaves nominals unplaced the reason is one of two kinds, and both are
said in plain sentences:

- a nominal no officer may take at all: the filters are applied in order
  (area, team, Level 2/3 training, exclusions, room, high-risk cap) and the
  first that leaves nobody is named, grouped by area, team and rule;
- a group of nominals who may go only to a group of officers with too little
  room between them (Hall's condition fails): found from the unplaced
  nominals by alternating paths, the officers reached are all full; the
  sentence names the area, how many nominals of which kind, how many officers
  and how much room.

Which nominals are reported unplaced is one largest placement's choice: any
of the group could be the one left over, and the sentence says so.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from safeguard.rules.working import Step

from .model import SOURCE_INSPECTION, SOURCE_ISSUE, SOURCE_SEEDS, AllocationProblem, Id, Nominal, Prepared, bar, prepare

SOURCE = SOURCE_ISSUE


def check(problem: AllocationProblem, assignments: Mapping[Id, Id]) -> tuple[str, ...]:
    """Every hard-rule violation of an allocation, in plain sentences (empty: it obeys them all)."""
    officers = {o.id: o for o in problem.officers}
    nominals = {n.id: n for n in problem.nominals}
    found: list[str] = []
    for nid in assignments:
        if nid not in nominals:
            found.append(f"Nominal {nid} is not in this batch")
    given: dict[Id, list[Nominal]] = {}
    for n in problem.nominals:
        if n.id not in assignments:
            found.append(f"Nominal {n.id} has no officer")
            continue
        oid = assignments[n.id]
        officer = officers.get(oid)
        if officer is None:
            found.append(f"Nominal {n.id}: officer {oid} is not among the officers of this problem")
            continue
        why = bar(n, officer, room=False)
        if why is not None:
            found.append(f"Nominal {n.id}: officer {oid} {why}")
        given.setdefault(oid, []).append(n)
    for oid, batch in given.items():
        officer = officers[oid]
        total = officer.current_cases + len(batch)
        if total > officer.capacity_cases:
            found.append(f"Officer {oid}: {total}/{officer.capacity_cases} cases after this batch, over capacity")
    return tuple(found)


@dataclass(frozen=True)
class Feasibility:
    """Whether every nominal can be placed; if not, the binding rules and one largest partial placement."""

    feasible: bool
    binding: tuple[str, ...]
    unplaced: tuple[Id, ...]
    placement: Mapping[Id, Id]
    working: tuple[Step, ...]


def largest_placement(prepared: Prepared, start: Mapping[Id, Id] | None = None) -> tuple[dict[Id, Id], list[Id]]:
    """A placement of as many nominals as the hard rules allow (augmenting paths), and those left over.

    ``start`` is a partial placement to extend; pairs in it that are not allowed are dropped.
    """
    room = {oid: prepared.officers[oid].room for oid in prepared.officers}
    placed: dict[Id, Id] = {}
    holding: dict[Id, list[Id]] = {oid: [] for oid in prepared.officers}
    for nid, oid in (start or {}).items():
        if nid in prepared.eligible and oid in prepared.eligible[nid] and len(holding[oid]) < room[oid]:
            placed[nid] = oid
            holding[oid].append(nid)
    unplaced = []
    for n in prepared.problem.nominals:
        if n.id in placed:
            continue
        if not _augment(prepared, n.id, placed, holding, room):
            unplaced.append(n.id)
    return placed, unplaced


def _augment(
    prepared: Prepared, nid: Id, placed: dict[Id, Id], holding: dict[Id, list[Id]], room: Mapping[Id, int]
) -> bool:
    """Place ``nid`` by moving nominals along one alternating path, if such a path exists."""
    came_from: dict[Id, Id] = {}  # officer -> nominal that reaches it
    queue = deque([nid])
    seen_nominals = {nid}
    while queue:
        m = queue.popleft()
        for oid in prepared.eligible[m]:
            if oid in came_from:
                continue
            came_from[oid] = m
            if len(holding[oid]) < room[oid]:
                # Walk back: each nominal on the path moves to the officer after it.
                target = oid
                while True:
                    mover = came_from[target]
                    previous = placed.get(mover)
                    placed[mover] = target
                    holding[target].append(mover)
                    if previous is None:
                        return True
                    holding[previous].remove(mover)
                    target = previous
            for other in holding[oid]:
                if other not in seen_nominals:
                    seen_nominals.add(other)
                    queue.append(other)
    return False


def diagnose(problem: AllocationProblem | Prepared) -> Feasibility:
    """Can every nominal of the batch be placed under the hard rules? If not, which rule binds, and where."""
    prepared = problem if isinstance(problem, Prepared) else prepare(problem)
    placed, unplaced = largest_placement(prepared)
    counts = [len(prepared.eligible[n.id]) for n in prepared.problem.nominals]
    working = [
        Step(
            f"Checked {len(counts)} nominals against {len(prepared.officers)} officers: each may go to between "
            f"{min(counts, default=0)} and {max(counts, default=0)} officers no hard rule bars",
            f"{SOURCE}; {SOURCE_INSPECTION}",
        ),
        Step(
            f"A largest placement obeying every hard rule places {len(placed)} of {len(counts)} nominals",
            "augmenting paths (bipartite placement with capacities)",
        ),
    ]
    if not unplaced:
        return Feasibility(True, (), (), placed, tuple(working))
    binding = _explain(prepared, placed, unplaced)
    working.extend(Step(sentence, SOURCE) for sentence in binding)
    return Feasibility(False, tuple(binding), tuple(unplaced), placed, tuple(working))


def _plural(k: int, word: str) -> str:
    return f"{k} {word}" if k == 1 else f"{k} {word}s"


def _kind(nominals: list[Nominal]) -> str:
    trained = sum(1 for n in nominals if n.needs_trained)
    high = sum(1 for n in nominals if n.high_risk)
    parts = []
    if trained:
        parts.append("all Level 2/3" if trained == len(nominals) else f"{trained} at Level 2/3")
    if high:
        parts.append("all high risk" if high == len(nominals) else f"{high} high risk")
    return f" ({', '.join(parts)})" if parts else ""


def _first_filter(prepared: Prepared, n: Nominal) -> str:
    """Which filter, applied in order, first leaves this nominal with nobody."""
    pool = [o for o in prepared.officers.values() if o.area_id == n.area_id]
    if not pool:
        return "area"
    if n.team_id is not None:
        pool = [o for o in pool if o.team_id == n.team_id]
        if not pool:
            return "team"
    if n.needs_trained:
        pool = [o for o in pool if o.trained_for_level_2_3]
        if not pool:
            return "trained"
    pool = [o for o in pool if o.id not in n.excluded_officer_ids]
    if not pool:
        return "excluded"
    pool = [o for o in pool if o.room > 0]
    if not pool:
        return "room"
    return "high_risk_cap"


def _explain(prepared: Prepared, placed: Mapping[Id, Id], unplaced: list[Id]) -> list[str]:
    problem = prepared.problem
    sentences: list[str] = []
    nobody: dict[tuple[Id, Id | None, bool, str], list[Nominal]] = {}
    crowded = []
    for nid in unplaced:
        n = prepared.nominals[nid]
        if prepared.eligible[nid]:
            crowded.append(nid)
        else:
            key = (n.area_id, n.team_id, n.needs_trained, _first_filter(prepared, n))
            nobody.setdefault(key, []).append(n)
    for (area_id, team_id, trained, rule), group in nobody.items():
        area = problem.area_name(area_id)
        team = f", team {problem.team_name(team_id)}," if team_id is not None and rule != "team" else ""
        who = "trained officer" if trained else "officer"
        ids = ", ".join(str(n.id) for n in group)
        k = len(group)
        if rule == "area":
            text = f"No officer works in area {area}: {_plural(k, 'nominal')} there cannot be placed"
        elif rule == "team":
            text = (
                f"No officer works in team {problem.team_name(team_id)} of area {area}: "
                f"{_plural(k, 'nominal')} naming that team cannot be placed"
            )
        elif rule == "trained":
            text = (
                f"No officer trained for Level 2/3 works in area {area}{team}: "
                f"{_plural(k, 'Level 2/3 nominal')} cannot be placed"
            )
        elif rule == "excluded":
            text = (
                f"Every {who} in area {area}{team} who could take {_plural(k, 'nominal')} ({ids}) "
                "manages a victim of the same person"
            )
        elif rule == "room":
            text = f"No {who} in area {area}{team} has capacity for the {_plural(k, 'nominal')}{_kind(group)}"
        else:
            text = (
                f"Every {who} in area {area}{team} with room is at or over the high-risk cap: "
                f"{_plural(k, 'high-risk nominal')} cannot be placed"
            )
        sentences.append(f"{text} (binding: {_RULE_NAMES[rule]})")
    sentences.extend(_hall(prepared, placed, crowded))
    return sentences


_RULE_NAMES = {
    "area": "right area",
    "team": "right team",
    "trained": f"Level 2/3 only to a trained officer, {SOURCE_INSPECTION}",
    "excluded": "never an officer who manages a victim of the same person",
    "room": "within capacity",
    "high_risk_cap": f"no new high-risk nominal for an officer at or over the cap, {SOURCE_SEEDS}",
}


def _hall(prepared: Prepared, placed: Mapping[Id, Id], crowded: list[Id]) -> list[str]:
    """Groups of nominals who may go only to officers with too little room between them."""
    if not crowded:
        return []
    holding: dict[Id, list[Id]] = {}
    for nid, oid in placed.items():
        holding.setdefault(oid, []).append(nid)
    reached_officers: set[Id] = set()
    reached = set(crowded)
    queue = deque(crowded)
    while queue:
        m = queue.popleft()
        for oid in prepared.eligible[m]:
            if oid in reached_officers:
                continue
            reached_officers.add(oid)
            for other in holding.get(oid, ()):
                if other not in reached:
                    reached.add(other)
                    queue.append(other)
    problem = prepared.problem
    sentences = []
    areas = sorted({prepared.nominals[nid].area_id for nid in crowded}, key=str)
    for area_id in areas:
        group = [n for n in problem.nominals if n.id in reached and n.area_id == area_id]
        officers = [prepared.officers[oid] for oid in reached_officers if prepared.officers[oid].area_id == area_id]
        left = [nid for nid in crowded if prepared.nominals[nid].area_id == area_id]
        room = sum(o.room for o in officers)
        qualifiers = []
        rules = ["within capacity"]
        if all(n.needs_trained for n in group):
            qualifiers.append("trained for Level 2/3")
            rules.append("Level 2/3 only to a trained officer")
        if all(n.high_risk for n in group):
            qualifiers.append("under the high-risk cap")
            rules.append("no new high-risk nominal at or over the cap")
        teams = {n.team_id for n in group}
        if len(teams) == 1 and None not in teams:
            qualifiers.append(f"in team {problem.team_name(next(iter(teams)))}")
            rules.append("right team")
        if any(n.excluded_officer_ids for n in group):
            rules.append("exclusions")
        qualifier = f" ({', '.join(qualifiers)})" if qualifiers else ""
        sentences.append(
            f"In area {problem.area_name(area_id)}, {_plural(len(group), 'nominal')}{_kind(group)} may go only to "
            f"{_plural(len(officers), 'officer')}{qualifier} with room for {room} between them: "
            f"{len(left)} of them cannot be placed (binding: {', '.join(rules)})"
        )
    return sentences
