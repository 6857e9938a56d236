"""Small-number suppression for figures published without names (the PCC dashboard, the annual tables).

Source: none. The domain notes ask for it ("every figure under a threshold (a setting, default 5, and 0
shown as 0) suppressed as 'fewer than 5' with secondary suppression so that totals cannot reveal it") but
no guidance names a threshold or a method: the threshold is a setting (``DEFAULTS``) and the method is
Safeguard's own, written down here so that anyone can check it.

The rule, for a table of counts published with its row totals, column totals and grand total:

1. **Primary.** Every count from 1 to threshold − 1 (a cell or a total) is shown as "fewer than N".
   0 is shown as 0: a zero is not a small number of people.
2. **Secondary.** A reader knows the published figures, that every line adds up to its total, that a
   "fewer than N" figure lies between 1 and N − 1, and that a figure withheld for the sake of another is
   N or more (only figures of N or more are ever withheld for that reason, never a 0). Where those facts
   pin a hidden figure to one value, one more figure is withheld (the smallest that frees it, in the same
   line where there is one), and the test is run again, until no hidden figure can be worked out.
3. **Withheld whole.** Where nothing is left to withhold and a figure can still be worked out (a table of
   small figures only, whose ranges pin each other), every figure of the table is withheld.

Why the test is exact: the line equations of a table with its totals form a network (each figure sits in
exactly two lines, with opposite signs once the total lines are turned round), so a hidden figure can move
by one while every line still adds up exactly when it lies on a cycle of hidden figures each of which has
room to move the way the cycle moves it (the network matrix is totally unimodular: integer steps exist
whenever fractional ones do). ``determined`` looks for that cycle with a breadth-first search.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .working import Default, RuleInputError, Status

SOURCE = "Safeguard's own rule: no published guidance sets a threshold or a method"
THRESHOLD = 5
MINIMUM_THRESHOLD = 3  # below 3, "fewer than 2" can only mean 1: suppression would hide nothing.

DEFAULTS = (
    Default(
        "small_number_threshold",
        THRESHOLD,
        SOURCE,
        Status.SAFEGUARD,
        note="Figures from 1 to the threshold less one are shown as 'fewer than' the threshold; 0 is shown as 0.",
    ),
)

UNBOUNDED = 10**12  # no upper limit a reader could know


class Shown(StrEnum):
    SHOWN = "shown"
    FEWER_THAN = "fewer_than"  # primary: 1 to threshold - 1
    WITHHELD = "withheld"  # secondary: threshold or more, withheld so that a total cannot reveal a small figure
    ABSENT = "absent"  # a total the table does not publish (a reader knows nothing of it)


@dataclass(frozen=True)
class Figure:
    """One published figure: its true value stays inside Safeguard; ``value`` is None unless shown."""

    shown: Shown
    value: int | None
    threshold: int

    @property
    def text(self) -> str:
        if self.shown is Shown.FEWER_THAN:
            return f"fewer than {self.threshold}"
        if self.shown is Shown.WITHHELD:
            return "withheld"
        return str(self.value)

    @property
    def suppressed(self) -> bool:
        return self.shown is not Shown.SHOWN


@dataclass(frozen=True)
class Table:
    """A suppressed table: its cells, the total of each row and column, and the grand total."""

    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...]
    column_totals: tuple[Figure, ...]
    grand_total: Figure
    threshold: int
    withheld: bool = False  # no suppression could protect it: every figure withheld, the table not published

    @property
    def any_suppressed(self) -> bool:
        figures = [f for row in self.cells for f in row] + [*self.row_totals, *self.column_totals, self.grand_total]
        return any(f.suppressed for f in figures)


def check_threshold(threshold: int) -> int:
    if threshold < MINIMUM_THRESHOLD:
        raise RuleInputError(
            "small_number_threshold",
            f"Enter a threshold of {MINIMUM_THRESHOLD} or more: below it, 'fewer than' reveals the figure",
        )
    return threshold


# --- The table as a network -----------------------------------------------------------------------
#
# The extended table has rows 0..R (R: the column totals) and columns 0..C (C: the row totals). Entry (i, j)
# is an arc between row node ("r", i) and column node ("c", j). With the equations of rows i < R and of
# column C taken as they are and those of columns j < C and of row R negated, every entry has +1 at one
# node (its head) and -1 at the other (its tail):
#   interior (i < R, j < C): tail c_j, head r_i;    row total (i < R, j = C): tail r_i, head c_C;
#   column total (i = R, j < C): tail r_R, head c_j; grand total (R, C): tail c_C, head r_R.

Node = tuple[str, int]
Entry = tuple[int, int]


def _ends(entry: Entry, rows: int, columns: int) -> tuple[Node, Node]:
    """(tail, head) of an entry of the extended table."""
    i, j = entry
    if i < rows and j < columns:
        return ("c", j), ("r", i)
    if i < rows:
        return ("r", i), ("c", columns)
    if j < columns:
        return ("r", rows), ("c", j)
    return ("c", columns), ("r", rows)


def _bounds(value: int, shown: Shown, threshold: int) -> tuple[int, int]:
    """What a reader knows of a hidden figure."""
    if shown is Shown.ABSENT:
        return 0, UNBOUNDED
    if shown is Shown.FEWER_THAN:
        return 1, threshold - 1
    return threshold, UNBOUNDED


def _residual(
    values: dict[Entry, int], hidden: dict[Entry, Shown], threshold: int, rows: int, columns: int, skip: Entry
) -> dict[Node, list[Node]]:
    """The moves open to each hidden figure but ``skip``: an arc tail to head where it can rise by one, head
    to tail where it can fall by one."""
    arcs: dict[Node, list[Node]] = {}
    for entry, shown in hidden.items():
        if entry == skip:
            continue
        low, high = _bounds(values[entry], shown, threshold)
        tail, head = _ends(entry, rows, columns)
        if values[entry] < high:
            arcs.setdefault(tail, []).append(head)
        if values[entry] > low:
            arcs.setdefault(head, []).append(tail)
    return arcs


def _reaches(arcs: dict[Node, list[Node]], start: Node, goal: Node) -> bool:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt in arcs.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def determined(
    values: dict[Entry, int], hidden: dict[Entry, Shown], threshold: int, rows: int, columns: int, entry: Entry
) -> bool:
    """Whether a reader of the published figures can work out this hidden figure exactly."""
    low, high = _bounds(values[entry], hidden[entry], threshold)
    tail, head = _ends(entry, rows, columns)
    arcs = _residual(values, hidden, threshold, rows, columns, entry)
    can_rise = values[entry] < high and _reaches(arcs, head, tail)
    can_fall = values[entry] > low and _reaches(arcs, tail, head)
    return not (can_rise or can_fall)


def _determined_entries(
    values: dict[Entry, int], hidden: dict[Entry, Shown], threshold: int, rows: int, columns: int
) -> list[Entry]:
    return [
        entry
        for entry in sorted(hidden)
        if hidden[entry] is not Shown.ABSENT and determined(values, hidden, threshold, rows, columns, entry)
    ]


def _cheapest_cycle(
    values: dict[Entry, int], hidden: dict[Entry, Shown], threshold: int, rows: int, columns: int, entry: Entry
) -> list[Entry] | None:
    """The shown figures to withhold so that ``entry`` lies on a cycle that can move: the cycle whose shown
    figures add up to the least (Dijkstra over the hidden figures at no cost and the shown ones, never a 0,
    at their value). None when no such cycle exists."""
    low, high = _bounds(values[entry], hidden[entry], threshold)
    tail, head = _ends(entry, rows, columns)
    arcs: dict[Node, list[tuple[Node, int, Entry | None]]] = {}
    for other, value in values.items():
        if other == entry:
            continue
        if other in hidden:
            other_low, other_high, cost, step = *_bounds(value, hidden[other], threshold), 0, None
        elif value > 0:
            other_low, other_high, cost, step = threshold, UNBOUNDED, value, other
        else:
            continue
        other_tail, other_head = _ends(other, rows, columns)
        if value < other_high:
            arcs.setdefault(other_tail, []).append((other_head, cost, step))
        if value > other_low:
            arcs.setdefault(other_head, []).append((other_tail, cost, step))
    routes = []
    if values[entry] < high:
        routes.append((head, tail))
    if values[entry] > low:
        routes.append((tail, head))
    best: tuple[int, list[Entry]] | None = None
    for start, goal in routes:
        found = _shortest(arcs, start, goal)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return None if best is None else best[1]


def _shortest(
    arcs: dict[Node, list[tuple[Node, int, Entry | None]]], start: Node, goal: Node
) -> tuple[int, list[Entry]] | None:
    done: set[Node] = set()
    queue: list[tuple[int, int, Node, list[Entry]]] = [(0, 0, start, [])]
    while queue:
        cost, _, node, path = heapq.heappop(queue)
        if node == goal:
            return cost, path
        if node in done:
            continue
        done.add(node)
        for nxt, step_cost, step in arcs.get(node, ()):
            if nxt not in done:
                heapq.heappush(
                    queue, (cost + step_cost, len(path) + 1, nxt, path + ([step] if step is not None else []))
                )
    return None


def _secondary(values: dict[Entry, int], hidden: dict[Entry, Shown], threshold: int, rows: int, columns: int) -> bool:
    """Withhold shown figures until no hidden figure can be worked out: for each figure still pinned, the
    shown figures of the cheapest cycle that frees it (a lone small figure takes the three other corners of
    a rectangle rather than a whole row)."""
    while stuck := _determined_entries(values, hidden, threshold, rows, columns):
        cycle = _cheapest_cycle(values, hidden, threshold, rows, columns, stuck[0])
        if not cycle:
            # No cycle can free it: a table of small figures only, whose "fewer than" ranges pin each other
            # (a row of two 1s under a threshold of 3: each is 1 or 2, and their total is 2). Not published.
            return False
        for entry in cycle:
            hidden[entry] = Shown.WITHHELD
    return True


def suppress(
    cells: Sequence[Sequence[int]],
    threshold: int = THRESHOLD,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> Table:
    """The table of counts ``cells`` (rows of equal length) with its totals, small figures suppressed.

    ``row_totals`` / ``column_totals`` False: the table does not publish them (they are left out of the
    answer, and a reader is taken to know nothing of them). The grand total is always published.
    """
    check_threshold(threshold)
    rows = len(cells)
    columns = len(cells[0]) if rows else 0
    if any(len(row) != columns for row in cells):
        raise RuleInputError("cells", "Every row of the table must have the same number of columns")
    if any(v < 0 for row in cells for v in row):
        raise RuleInputError("cells", "Counts cannot be negative")
    values: dict[Entry, int] = {(i, j): int(v) for i, row in enumerate(cells) for j, v in enumerate(row)}
    for i in range(rows):
        values[(i, columns)] = sum(cells[i])
    for j in range(columns):
        values[(rows, j)] = sum(cells[i][j] for i in range(rows))
    values[(rows, columns)] = sum(values[(i, columns)] for i in range(rows))
    hidden = {e: Shown.FEWER_THAN for e, v in values.items() if 0 < v < threshold}
    if not row_totals:
        hidden.update({(i, columns): Shown.ABSENT for i in range(rows)})
    if not column_totals:
        hidden.update({(rows, j): Shown.ABSENT for j in range(columns)})
    protected = _secondary(values, hidden, threshold, rows, columns)

    def figure(entry: Entry) -> Figure:
        shown = hidden.get(entry, Shown.SHOWN) if protected else Shown.WITHHELD
        return Figure(shown, values[entry] if shown is Shown.SHOWN else None, threshold)

    return Table(
        cells=tuple(tuple(figure((i, j)) for j in range(columns)) for i in range(rows)),
        row_totals=tuple(figure((i, columns)) for i in range(rows)) if row_totals else (),
        column_totals=tuple(figure((rows, j)) for j in range(columns)) if column_totals else (),
        grand_total=figure((rows, columns)),
        threshold=threshold,
        withheld=not protected,
    )


def suppress_column(counts: Sequence[int], threshold: int = THRESHOLD) -> Table:
    """A single column of counts with its total (a list of figures that add up): the total is the grand total."""
    return suppress([[c] for c in counts], threshold, row_totals=False, column_totals=False)


def suppress_figure(count: int, threshold: int = THRESHOLD) -> Figure:
    """A figure published on its own, with no total beside it."""
    check_threshold(threshold)
    if 0 < count < threshold:
        return Figure(Shown.FEWER_THAN, None, threshold)
    return Figure(Shown.SHOWN, count, threshold)
