"""Allocation of a batch of nominals solved exactly as a mixed-integer programme with HiGHS.

Sources: Safeguard requirements, workforce: allocation (docs/requirements.md: "solve batches exactly with
a mathematical programming solver (HiGHS through highspy)"); the hard rules
and the objective are those of :mod:`safeguard.workforce.solver.model`.
Solver: HiGHS (highspy 1.15), Huangfu and Hall; branch and cut.

The programme (every term linear):

- ``x[n, o]`` binary, only for the pairs no hard rule bars (area, team,
  training, exclusion, room, high-risk cap: the model is pre-filtered, so
  those rules cannot be broken); ``sum_o x[n, o] = 1`` for every nominal.
- Capacity and the caseload term together: officer o's new cases equal
  ``sum_k s[o, k]``, k = 1 .. room, each ``0 <= s <= 1`` at the marginal
  cost ``load_balance * (2 (B + k) - 1) / capacity`` of the k-th new case.
  The costs rise with k, so the solver fills them in order and the term is
  exactly ``(L**2 - B**2) / capacity`` at whole loads; the count of
  segments is the room, so this is the capacity rule too.
- High-risk balance: likewise ``sum_k t[o, k]`` over the officer's new
  high-risk cases, at the marginal cost of the k-th one.
- Over the cap: ``e[o] >= H - cap * L`` at ``over_high_risk_cap`` per case,
  for an officer under the cap. An officer at or over it may take no
  high-risk nominal, so their term depends on their load alone and is folded
  into the load segments' costs (it stays convex).
- Keeping the current officer and distance are costs on ``x``.

Without the cap rows the constraint matrix is a network's (nominals supply
one case each, officers pass them to a sink through their segments), whose
linear relaxation has whole-number optima; the cap rows are the only
coupling, so the relaxation is tight and HiGHS proves optimality quickly (at
the root node on the benchmark's batch). Areas never share a nominal, so the
programme is separable by area; it is solved as one model, which HiGHS
presolve handles well at the benchmark's size.

The solver's objective is the same number as :func:`model.score`. Before the
solve, :func:`feasibility.diagnose` says whether any allocation exists (and,
if not, which rule binds); the greedy answer is given to HiGHS as its first
incumbent. If HiGHS is missing, fails, or finds no incumbent in time, the
greedy answer is returned (``method='greedy'``) and the working says why.
"""

from __future__ import annotations

import math
import time

from safeguard.rules.working import RuleInputError, Step

from .feasibility import diagnose
from .greedy import allocation_from, greedy
from .model import PERCENT, SOURCE_ISSUE, Allocation, AllocationProblem, Id, Infeasible, Prepared, prepare

TIME_LIMIT_S = 10.0
MIP_REL_GAP = 1e-4  # HiGHS's own default: 0.01% of the objective
START_SHARE = 0.1  # share of the time limit the greedy start may use
START_SECONDS_MAX = 1.0
SOURCE_HIGHS = "HiGHS MIP (highspy 1.15)"
OBJECTIVE_TOLERANCE = 1e-9  # relative: the solver's answer is taken unless the greedy one is better by more


def solve(
    problem: AllocationProblem, time_limit_s: float = TIME_LIMIT_S, *, mip_rel_gap: float = MIP_REL_GAP
) -> Allocation | Infeasible:
    """Recommend an officer for every nominal of the batch, or say why no allocation exists."""
    if isinstance(time_limit_s, bool) or not isinstance(time_limit_s, int | float) or not time_limit_s > 0:
        raise RuleInputError("time_limit_s", "Give the time limit as a number of seconds above 0")
    if isinstance(mip_rel_gap, bool) or not isinstance(mip_rel_gap, int | float) or not 0 <= mip_rel_gap < 1:
        raise RuleInputError("mip_rel_gap", "Give the relative gap as a number from 0 up to 1")
    started = time.perf_counter()
    prepared = prepare(problem)
    found = diagnose(prepared)
    if not found.feasible:
        return Infeasible(binding=found.binding, unplaced=found.unplaced, working=found.working, method="feasibility")
    working = list(found.working)
    if not prepared.nominals:
        working.append(Step("Nothing to place: the batch is empty", SOURCE_ISSUE))
        return allocation_from(prepared, {}, method="highs", proven_optimal=True, gap=0.0, working=working)
    start = greedy(prepared, improve_seconds=min(START_SECONDS_MAX, START_SHARE * time_limit_s))
    if not isinstance(start, Allocation):  # cannot happen: the batch is feasible, and greedy then places it all
        return start
    working.append(Step(f"Greedy start: objective {start.objective:.4f}", "greedy.greedy"))
    remaining = time_limit_s - (time.perf_counter() - started)
    if remaining <= 0:
        return _fallback(prepared, start, working, "the time limit was spent before the solver could start")
    try:
        import highspy
    except ImportError:
        return _fallback(prepared, start, working, "HiGHS (highspy) is not installed")
    try:
        outcome = _run_highs(highspy, prepared, start.assignments, remaining, mip_rel_gap)
    except Exception as error:  # any failure of the solver falls back to the greedy answer
        return _fallback(prepared, start, working, f"HiGHS failed ({type(error).__name__})")
    assignments, status, steps, proven, gap = outcome
    working.extend(steps)
    if assignments is None:
        return _fallback(prepared, start, working, f"HiGHS found no allocation ({status})")
    result = allocation_from(prepared, assignments, method="highs", proven_optimal=proven, gap=gap, working=working)
    if result.violations:
        return _fallback(prepared, start, working, "the solver's answer broke a hard rule")
    if result.objective > start.objective + OBJECTIVE_TOLERANCE * max(1.0, abs(start.objective)):
        # HiGHS's bound still holds, so the greedy answer is at least as close to the optimum as its own.
        why = "the greedy answer scored better than the solver's"
        return _fallback(prepared, start, working, why, proven_optimal=proven, gap=gap)
    return result


def _fallback(
    prepared: Prepared,
    start: Allocation,
    working: list[Step],
    why: str,
    *,
    proven_optimal: bool = False,
    gap: float | None = None,
) -> Allocation:
    working = [*working, Step(f"Greedy answer returned: {why}", "fast heuristic fallback")]
    return allocation_from(
        prepared, start.assignments, method="greedy", proven_optimal=proven_optimal, gap=gap, working=working
    )


def _run_highs(highspy, prepared: Prepared, start: dict, time_limit: float, mip_rel_gap: float):
    import numpy as np

    model = _build(prepared, start)
    h = highspy.Highs()
    h.silent()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    inf = highspy.kHighsInf
    n_col = len(model.cost)
    n_row = len(model.row_lower)
    start_idx, index, value = model.csc()
    status = h.passModel(
        n_col,
        n_row,
        len(index),
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        np.asarray(model.cost, dtype=np.float64),
        np.asarray(model.col_lower, dtype=np.float64),
        np.asarray([inf if math.isinf(u) else u for u in model.col_upper], dtype=np.float64),
        np.asarray([-inf if math.isinf(v) else v for v in model.row_lower], dtype=np.float64),
        np.asarray([inf if math.isinf(v) else v for v in model.row_upper], dtype=np.float64),
        start_idx,
        index,
        value,
        np.asarray(model.integrality, dtype=np.int32),
    )
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError("model rejected")
    h.setSolution(n_col, np.arange(n_col, dtype=np.int32), np.asarray(model.start_values, dtype=np.float64))
    began = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - began
    model_status = h.getModelStatus()
    info = h.getInfo()
    status_text = h.modelStatusToString(model_status)
    steps = [
        Step(
            f"Mixed-integer programme: {len(model.arcs)} binary choices (pairs no hard rule bars), "
            f"{n_col - len(model.arcs)} continuous terms, {n_row} constraints",
            SOURCE_HIGHS,
        ),
        Step(f"HiGHS: {status_text} in {seconds:.2f} s, {int(info.mip_node_count)} nodes", SOURCE_HIGHS),
    ]
    if info.primal_solution_status != int(highspy.SolutionStatus.kSolutionStatusFeasible):
        return None, status_text, steps, False, None
    values = h.getSolution().col_value
    assignments: dict[Id, Id] = {}
    for col, (nid, oid) in enumerate(model.arcs):
        if values[col] > 0.5:
            if nid in assignments:
                return None, "two officers for one nominal", steps, False, None
            assignments[nid] = oid
    if len(assignments) != len(prepared.nominals):
        return None, "a nominal without an officer", steps, False, None
    primal, dual = info.objective_function_value, info.mip_dual_bound
    gap = float(info.mip_gap)
    if not math.isfinite(gap):
        gap = abs(primal - dual) / max(1.0, abs(primal))
    proven = model_status == highspy.HighsModelStatus.kOptimal
    steps.append(
        Step(
            f"Objective {primal:.4f}, best bound {dual:.4f}, relative gap {gap:.2e}"
            + (" (proven optimal within the gap tolerance)" if proven else " (not proven optimal)"),
            SOURCE_HIGHS,
        )
    )
    return assignments, status_text, steps, proven, gap


class _Model:
    """The programme in plain lists, built once."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.col_lower: list[float] = []
        self.col_upper: list[float] = []
        self.integrality: list[int] = []
        self.start_values: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.entries: list[tuple[int, int, float]] = []  # (col, row, value)
        self.arcs: list[tuple[Id, Id]] = []

    def col(self, cost: float, upper: float, integer: bool, start: float) -> int:
        self.cost.append(cost)
        self.col_lower.append(0.0)
        self.col_upper.append(upper)
        self.integrality.append(1 if integer else 0)
        self.start_values.append(start)
        return len(self.cost) - 1

    def row(self, lower: float, upper: float) -> int:
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        return len(self.row_lower) - 1

    def csc(self):
        import numpy as np

        entries = np.asarray(self.entries, dtype=np.float64).reshape(-1, 3)
        order = np.lexsort((entries[:, 1], entries[:, 0]))
        entries = entries[order]
        cols = entries[:, 0].astype(np.int64)
        counts = np.bincount(cols, minlength=len(self.cost))
        start = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
        return start, entries[:, 1].astype(np.int32), entries[:, 2].astype(np.float64)


def _build(prepared: Prepared, start: dict) -> _Model:
    m = _Model()
    w = prepared.problem.weights
    at: dict[Id, list[tuple[int, Id]]] = {oid: [] for oid in prepared.officers_with_arcs}
    for n in prepared.problem.nominals:
        row = m.row(1.0, 1.0)
        for oid in prepared.eligible[n.id]:
            col = m.col(prepared.arc_cost[(n.id, oid)], 1.0, True, 1.0 if start.get(n.id) == oid else 0.0)
            m.arcs.append((n.id, oid))
            m.entries.append((col, row, 1.0))
            at[oid].append((col, n.id))
    given: dict[Id, tuple[int, int]] = {}
    for nid, oid in start.items():
        cases, high = given.get(oid, (0, 0))
        given[oid] = (cases + 1, high + int(prepared.nominals[nid].high_risk))
    inf = math.inf
    for oid in prepared.officers_with_arcs:
        o = prepared.officers[oid]
        cols = at[oid]
        new_cases, new_high = given.get(oid, (0, 0))
        link = m.row(0.0, 0.0)
        for col, _ in cols:
            m.entries.append((col, link, 1.0))
        base = o.current_cases
        # An officer at or over the high-risk cap gets no high-risk nominal (no such pair exists), so the
        # cases over their cap depend on their load alone: a convex term, folded into the load segments.
        folded = o.at_or_over_high_risk_cap and w.over_high_risk_cap > 0
        for k in range(1, min(o.room, len(cols)) + 1):
            marginal = w.load_balance * (2 * (base + k) - 1) / o.capacity_cases
            if folded:
                high = o.current_high_risk
                marginal += w.over_high_risk_cap * (
                    prepared.over_cap(oid, base + k, high) - prepared.over_cap(oid, base + k - 1, high)
                )
            seg = m.col(marginal, 1.0, False, float(k <= new_cases))
            m.entries.append((seg, link, -1.0))
        load, high = base + new_cases, o.current_high_risk + new_high
        high_cols = [col for col, nid in cols if prepared.nominals[nid].high_risk]
        if w.high_risk_balance > 0 and high_cols:
            fair = prepared.fair_high_risk(oid)
            tie = m.row(0.0, 0.0)
            for col in high_cols:
                m.entries.append((col, tie, 1.0))
            for k in range(1, min(o.room, len(high_cols)) + 1):
                marginal = w.high_risk_balance * (2 * (o.current_high_risk + k) - 1) / fair
                seg = m.col(marginal, 1.0, False, float(k <= new_high))
                m.entries.append((seg, tie, -1.0))
        if w.over_high_risk_cap > 0 and not o.at_or_over_high_risk_cap:
            cap = o.high_risk_cap_percent / PERCENT
            e = m.col(w.over_high_risk_cap, inf, False, max(0.0, high - cap * load))
            over = m.row(o.current_high_risk - cap * base, inf)
            m.entries.append((e, over, 1.0))
            for col, nid in cols:
                m.entries.append((col, over, -(int(prepared.nominals[nid].high_risk) - cap)))
    return m
