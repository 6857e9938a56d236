"""Fast allocation without a solver, and the rule a supervisor applies by hand.

Sources: Safeguard requirements, workforce: allocation (docs/requirements.md: "a fast heuristic
fallback") and its Benchmark section (the greedy rule "least-loaded trained
officer"); the hard rules and the objective are those of
:mod:`safeguard.workforce.solver.model`.

- :func:`greedy` is the fallback when HiGHS is missing, fails or runs out of
  time. Current officers keep their nominals first where they may; then the
  nominals with the fewest officers who may take them go first, each to the
  officer whose cost rises least. Any nominal left without an officer is
  placed by augmenting paths (moving earlier ones), so the greedy answer is
  infeasible only when no allocation exists. Then single moves and swaps
  within an area that lower the objective are made until none is left or the
  time budget is spent. It obeys every hard rule; it proves nothing about
  optimality.
- :func:`least_loaded_trained` is the baseline for the benchmark: in the order
  given, a nominal stays with its current officer if they may keep it, else
  goes to the officer with the fewest cases who may take it (trained for a
  Level 2/3 nominal, right area and team, not excluded, with room, under the
  high-risk cap for a high-risk nominal). It balances nothing else, and may
  leave nominals unplaced when an allocation exists.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from safeguard.rules.working import Step

from .feasibility import check, diagnose, largest_placement
from .model import SOURCE_ISSUE, Allocation, AllocationProblem, Id, Infeasible, Prepared, prepare, reasons_for, score

IMPROVE_SECONDS = 2.0  # time budget for the improvement passes
MAX_PASSES = 50
IMPROVEMENT_EPSILON = 1e-9


def allocation_from(
    prepared: Prepared,
    assignments: Mapping[Id, Id],
    *,
    method: str,
    proven_optimal: bool,
    gap: float | None,
    working: list[Step],
) -> Allocation:
    """An :class:`Allocation` with its objective, reasons and a fresh check of every hard rule."""
    assignments = {n.id: assignments[n.id] for n in prepared.problem.nominals if n.id in assignments}
    violations = check(prepared.problem, assignments)
    objective = score(prepared, assignments)
    working = [
        *working,
        Step(
            f"Objective {objective:.4f} (lower is better): caseload, high-risk share, keeping, distance", SOURCE_ISSUE
        ),
        Step(
            "Hard rules checked again on the answer: "
            + ("none broken" if not violations else f"{len(violations)} broken"),
            SOURCE_ISSUE,
        ),
    ]
    return Allocation(
        assignments=assignments,
        objective=objective,
        proven_optimal=proven_optimal,
        gap=gap,
        method=method,
        reasons=reasons_for(prepared, assignments),
        violations=violations,
        working=tuple(working),
    )


def _infeasible(prepared: Prepared, method: str, working: list[Step]) -> Infeasible:
    found = diagnose(prepared)
    return Infeasible(binding=found.binding, unplaced=found.unplaced, working=(*working, *found.working), method=method)


class _State:
    """Each officer's cases and high-risk cases as the batch is placed, and the cost of a change."""

    def __init__(self, prepared: Prepared):
        self.prepared = prepared
        self.load = {oid: o.current_cases for oid, o in prepared.officers.items()}
        self.high = {oid: o.current_high_risk for oid, o in prepared.officers.items()}
        self.cost = {
            oid: prepared.officer_cost(oid, self.load[oid], self.high[oid]) for oid in prepared.officers_with_arcs
        }

    def has_room(self, oid: Id) -> bool:
        return self.load[oid] < self.prepared.officers[oid].capacity_cases

    def officer_delta(self, oid: Id, d_load: int, d_high: int) -> float:
        return self.prepared.officer_cost(oid, self.load[oid] + d_load, self.high[oid] + d_high) - self.cost[oid]

    def shift(self, oid: Id, d_load: int, d_high: int) -> None:
        self.load[oid] += d_load
        self.high[oid] += d_high
        self.cost[oid] = self.prepared.officer_cost(oid, self.load[oid], self.high[oid])


def greedy(
    problem: AllocationProblem | Prepared, *, improve_seconds: float = IMPROVE_SECONDS
) -> Allocation | Infeasible:
    """Place the batch quickly under every hard rule; :class:`Infeasible` only when no allocation exists."""
    prepared = problem if isinstance(problem, Prepared) else prepare(problem)
    started = time.perf_counter()
    assignments, working = _construct(prepared)
    if len(assignments) < len(prepared.nominals):
        return _infeasible(prepared, "greedy", working)
    moves, swaps, passes = _improve(prepared, assignments, started + improve_seconds)
    working.append(
        Step(
            f"Improved by {moves} moves and {swaps} swaps within an area in {passes} passes "
            f"({time.perf_counter() - started:.2f} s in all)",
            "local search on the objective",
        )
    )
    return allocation_from(prepared, assignments, method="greedy", proven_optimal=False, gap=None, working=working)


def _construct(prepared: Prepared) -> tuple[dict[Id, Id], list[Step]]:
    state = _State(prepared)
    assignments: dict[Id, Id] = {}
    kept = 0
    for n in prepared.problem.nominals:
        if n.id in prepared.keepable and state.has_room(n.current_officer_id):
            assignments[n.id] = n.current_officer_id
            state.shift(n.current_officer_id, 1, int(n.high_risk))
            kept += 1
    order = sorted(
        (n for n in prepared.problem.nominals if n.id not in assignments),
        key=lambda n: (len(prepared.eligible[n.id]), -n.level, -int(n.high_risk)),
    )
    stuck = 0
    for n in order:
        best, best_cost = None, 0.0
        for oid in prepared.eligible[n.id]:
            if not state.has_room(oid):
                continue
            cost = prepared.arc_cost[(n.id, oid)] + state.officer_delta(oid, 1, int(n.high_risk))
            if best is None or cost < best_cost:
                best, best_cost = oid, cost
        if best is None:
            stuck += 1
            continue
        assignments[n.id] = best
        state.shift(best, 1, int(n.high_risk))
    working = [
        Step(f"Kept {kept} nominals with their current officer, who may keep them", SOURCE_ISSUE),
        Step(
            "Placed the rest one at a time, fewest possible officers first, each where the objective rises least",
            "greedy construction",
        ),
    ]
    if stuck:
        assignments, unplaced = largest_placement(prepared, start=assignments)
        working.append(
            Step(
                f"{stuck} nominals found no officer with room; augmenting paths placed "
                f"{stuck - len(unplaced)} of them by moving earlier ones",
                "augmenting paths",
            )
        )
    return assignments, working


def _move_pass(prepared: Prepared, state: _State, assignments: dict[Id, Id]) -> int:
    """Move each nominal to the eligible officer with room that lowers the objective most; the moves made."""
    arc = prepared.arc_cost
    moves = 0
    for n in prepared.problem.nominals:
        a = assignments[n.id]
        h = int(n.high_risk)
        leave = state.officer_delta(a, -1, -h) - arc[(n.id, a)]
        best, best_delta = None, -IMPROVEMENT_EPSILON
        for b in prepared.eligible[n.id]:
            if b == a or not state.has_room(b):
                continue
            delta = leave + arc[(n.id, b)] + state.officer_delta(b, 1, h)
            if delta < best_delta:
                best, best_delta = b, delta
        if best is not None:
            state.shift(a, -1, -h)
            state.shift(best, 1, h)
            assignments[n.id] = best
            moves += 1
    return moves


def _swap_pass(
    prepared: Prepared,
    state: _State,
    assignments: dict[Id, Id],
    by_area: dict[Id, list[Id]],
    eligible_sets: dict[Id, frozenset],
    deadline: float,
) -> int:
    """Swap the officers of two nominals of one area where both may take the other's and the objective falls;
    the swaps made."""
    arc = prepared.arc_cost
    swaps = 0
    for ids in by_area.values():
        if time.perf_counter() >= deadline:
            break
        for i, nid in enumerate(ids):
            for mid in ids[i + 1 :]:
                a, b = assignments[nid], assignments[mid]
                if a == b or b not in eligible_sets[nid] or a not in eligible_sets[mid]:
                    continue
                d = int(prepared.nominals[nid].high_risk) - int(prepared.nominals[mid].high_risk)
                delta = arc[(nid, b)] + arc[(mid, a)] - arc[(nid, a)] - arc[(mid, b)]
                if d:
                    delta += state.officer_delta(a, 0, -d) + state.officer_delta(b, 0, d)
                if delta < -IMPROVEMENT_EPSILON:
                    state.shift(a, 0, -d)
                    state.shift(b, 0, d)
                    assignments[nid], assignments[mid] = b, a
                    swaps += 1
    return swaps


def _improve(prepared: Prepared, assignments: dict[Id, Id], deadline: float) -> tuple[int, int, int]:
    state = _State(prepared)
    for nid, oid in assignments.items():
        state.shift(oid, 1, int(prepared.nominals[nid].high_risk))
    by_area: dict[Id, list[Id]] = {}
    for n in prepared.problem.nominals:
        by_area.setdefault(n.area_id, []).append(n.id)
    eligible_sets = {nid: frozenset(ids) for nid, ids in prepared.eligible.items()}
    moves = swaps = passes = 0
    while passes < MAX_PASSES and time.perf_counter() < deadline:
        passes += 1
        moved = _move_pass(prepared, state, assignments)
        swapped = _swap_pass(prepared, state, assignments, by_area, eligible_sets, deadline)
        moves += moved
        swaps += swapped
        if not moved and not swapped:
            break
    return moves, swaps, passes


def least_loaded_trained(problem: AllocationProblem | Prepared) -> Allocation | Infeasible:
    """The rule a supervisor applies by hand: each nominal in turn to the least-loaded officer who may take it."""
    prepared = problem if isinstance(problem, Prepared) else prepare(problem)
    load = {oid: o.current_cases for oid, o in prepared.officers.items()}
    order = {o.id: i for i, o in enumerate(prepared.problem.officers)}
    assignments: dict[Id, Id] = {}
    unplaced = []
    for n in prepared.problem.nominals:
        room = [oid for oid in prepared.eligible[n.id] if load[oid] < prepared.officers[oid].capacity_cases]
        if not room:
            unplaced.append(n.id)
            continue
        if n.id in prepared.keepable and n.current_officer_id in room:
            chosen = n.current_officer_id
        else:
            chosen = min(room, key=lambda oid: (load[oid], order[oid]))
        assignments[n.id] = chosen
        load[chosen] += 1
    working = [
        Step(
            "Each nominal in the order given: kept with its current officer where they may keep it, else given to "
            "the officer with the fewest cases who may take it",
            "least-loaded trained officer (the benchmark's baseline)",
        )
    ]
    if unplaced:
        found = diagnose(prepared)
        if found.feasible:
            binding = (
                f"Placing one nominal at a time left {len(unplaced)} without an officer with room, although an "
                "allocation of the whole batch exists (use the solver)",
            )
        else:
            binding = found.binding
        return Infeasible(
            binding=binding, unplaced=tuple(unplaced), working=(*working, *found.working), method="least_loaded"
        )
    return allocation_from(
        prepared, assignments, method="least_loaded", proven_optimal=False, gap=None, working=working
    )
