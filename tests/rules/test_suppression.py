"""Small-number suppression (rules.suppression): hand-worked tables, and a property that no suppressed figure
can be worked out from the published ones, checked by an independent attacker (an integer programme, HiGHS)."""

from __future__ import annotations

import os

import highspy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.rules.suppression import Shown, Table, suppress, suppress_column, suppress_figure
from safeguard.rules.working import RuleInputError


def texts(table: Table) -> list[list[str]]:
    rows = [
        [f.text for f in row] + ([table.row_totals[i].text] if table.row_totals else [])
        for i, row in enumerate(table.cells)
    ]
    if table.column_totals:
        rows.append([f.text for f in table.column_totals] + [table.grand_total.text])
    return rows


def test_nothing_small_nothing_hidden():
    assert texts(suppress([[10, 20], [30, 40]])) == [["10", "20", "30"], ["30", "40", "70"], ["40", "60", "100"]]


def test_zero_is_shown_as_zero():
    table = suppress([[0, 20], [30, 0]])
    assert not table.any_suppressed
    assert table.cells[0][0].text == "0"


def test_one_small_cell_takes_its_partners_with_it():
    # 3 is fewer than 5. Row 0 would give it away (23 - 20), and so would column 0 (33 - 30): the smallest
    # figure of 5 or more in its row (20) and in its column (30) are withheld, and then 40 (the corner of
    # the rectangle) so that column 1 and row 1 do not give those away in turn.
    table = suppress([[3, 20], [30, 40]])
    assert texts(table) == [
        ["fewer than 5", "withheld", "23"],
        ["withheld", "withheld", "70"],
        ["33", "60", "93"],
    ]


def test_two_small_cells_in_a_line_that_pins_them_take_a_third():
    # Row [1, 1, 10] with its total 12: the two 1s add up to 2 and each is at least 1, so each is 1.
    table = suppress([[1, 1, 10]], row_totals=True, column_totals=False)
    hidden = [f for f in table.cells[0] if f.suppressed]
    assert len(hidden) == 3
    assert [f.shown for f in table.cells[0]] == [Shown.FEWER_THAN, Shown.FEWER_THAN, Shown.WITHHELD]


def test_a_small_total_is_fewer_than_too():
    table = suppress_column([0, 2, 0])
    assert table.grand_total.text == "fewer than 5"
    assert [f.text for row in table.cells for f in row] == ["0", "fewer than 5", "0"]


def test_a_column_with_one_small_figure():
    table = suppress_column([12, 3, 40])
    assert [f.text for row in table.cells for f in row] == ["withheld", "fewer than 5", "40"]
    assert table.grand_total.text == "55"


def test_small_figures_only_that_pin_each_other_withhold_the_table():
    # Under a threshold of 3, two 1s with their total: each is 1 or 2 and they add up to 1 or 2, so each is 1.
    table = suppress([[1, 1]], threshold=3)
    assert table.withheld
    assert table.grand_total.text == "withheld"


def test_threshold_is_a_setting():
    assert suppress_figure(7, threshold=10).text == "fewer than 10"
    assert suppress_figure(7).text == "7"
    assert suppress_figure(0).text == "0"
    with pytest.raises(RuleInputError):
        suppress_figure(1, threshold=2)


# --- The property ---------------------------------------------------------------------------------


def _entries(table: Table):
    """(entry, figure) of every published figure and every total the table leaves out (None)."""
    rows, columns = len(table.cells), len(table.cells[0])
    for i, row in enumerate(table.cells):
        for j, f in enumerate(row):
            yield (i, j), f
    for i in range(rows):
        yield (i, columns), table.row_totals[i] if table.row_totals else None
    for j in range(columns):
        yield (rows, j), table.column_totals[j] if table.column_totals else None
    yield (rows, columns), table.grand_total


def _attack(table: Table, threshold: int) -> dict[tuple[int, int], tuple[float, float]]:
    """The least and greatest value each suppressed figure can take, given only what is published."""
    rows, columns = len(table.cells), len(table.cells[0])
    entries = dict(_entries(table))
    unknown = [e for e, f in entries.items() if f is None or f.suppressed]
    index = {e: k for k, e in enumerate(unknown)}
    inf = highspy.kHighsInf

    def bounds(f):
        if f is None:
            return 0.0, inf
        if f.shown is Shown.FEWER_THAN:
            return 1.0, float(threshold - 1)
        return float(threshold), inf

    lines = [[(i, j) for j in range(columns)] + [(i, columns)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows)] + [(rows, j)] for j in range(columns + 1)]
    found = {}
    for target in unknown:
        if entries[target] is None:
            continue
        extremes = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h = highspy.Highs()
            h.silent()
            for e in unknown:
                low, high = bounds(entries[e])
                h.addCol(1.0 if e == target else 0.0, low, high, 0, [], [])
                h.changeColIntegrality(index[e], highspy.HighsVarType.kInteger)
            for line in lines:
                *parts, total = line
                coefficients = {}
                constant = 0.0
                for e in parts:
                    if e in index:
                        coefficients[index[e]] = coefficients.get(index[e], 0.0) + 1.0
                    else:
                        constant += entries[e].value
                if total in index:
                    coefficients[index[total]] = coefficients.get(index[total], 0.0) - 1.0
                else:
                    constant -= entries[total].value
                if not coefficients:
                    continue
                h.addRow(-constant, -constant, len(coefficients), list(coefficients), list(coefficients.values()))
            h.changeObjectiveSense(sense)
            h.run()
            assert h.getModelStatus() in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded)
            if h.getModelStatus() == highspy.HighsModelStatus.kUnbounded:
                extremes.append(inf)
            else:
                extremes.append(h.getInfo().objective_function_value)
        found[target] = (extremes[0], extremes[1])
    return found


small_tables = st.integers(min_value=1, max_value=4).flatmap(
    lambda columns: st.lists(
        st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 9, 15]), min_size=columns, max_size=columns),
        min_size=1,
        max_size=4,
    )
)


@settings(
    max_examples=int(os.environ.get("SUPPRESSION_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    cells=small_tables,
    threshold=st.integers(min_value=3, max_value=6),
    totals=st.sampled_from([(True, True), (True, False), (False, True), (False, False)]),
)
def test_no_suppressed_figure_can_be_worked_out_from_the_published_ones(cells, threshold, totals):
    table = suppress(cells, threshold, row_totals=totals[0], column_totals=totals[1])
    if table.withheld:  # nothing published: every figure withheld, nothing to work anything out from
        assert all(f.shown is Shown.WITHHELD and f.value is None for row in table.cells for f in row)
        return
    for entry, (least, greatest) in _attack(table, threshold).items():
        assert greatest - least >= 1 - 1e-6, (cells, threshold, totals, entry, least, greatest)
    # Nothing shown is changed, nothing from 1 to threshold - 1 is shown, and 0 is always shown.
    for i, row in enumerate(table.cells):
        for j, f in enumerate(row):
            if f.shown is Shown.SHOWN:
                assert f.value == cells[i][j] and not (0 < f.value < threshold)
            assert cells[i][j] != 0 or f.text == "0"
