"""The PCC dashboard against hand counts (tests/oversight/builders.py, safelives_builders.py): the MAPPA trend
agrees with the annual tables, each MARAC's quarters, suppression on the page, in the chart and in the files,
analysts only, and the audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import AuditEvent, Operation
from safeguard.oversight.models import OversightSettings
from safeguard.oversight.services import dashboard
from safeguard.oversight.services import mappa_annual as annual
from safeguard.rules.suppression import Shown
from tests.conftest import verified_client
from tests.oversight.builders import annual_world
from tests.oversight.safelives_builders import safelives_world

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def counted(world):
    world.counted = annual_world(world)
    world.returned = safelives_world(world)
    return world


def _series(d, start):
    return next(s for s in d.series if s.title.startswith(start))


def _texts(row):
    return [f.text for f in row]


def test_the_periods_are_the_last_five_years_and_eight_quarters():
    assert dashboard.years_shown(TODAY) == [2022, 2023, 2024, 2025, 2026]
    quarters = dashboard.quarters_shown(TODAY)
    assert quarters[0] == (2024, 4) and quarters[-1] == (2026, 3) and len(quarters) == 8


def test_the_mappa_trend_is_the_annual_tables_totals(counted):
    area = counted.home["mappa"].pk
    d = dashboard.build_dashboard(area, TODAY)
    levels = _series(d, "MAPPA-eligible offenders on 31 March, by level")
    table = annual.build_annual(area, 2026).by_category_level
    assert levels.rows[-1] == [*table.column_totals, table.grand_total]
    # Hand count for 31 March 2026: Level 1: a, d (cat 1), j (cat 2), one cat 4 = 4; Level 2: 3; Level 3: 0.
    assert _texts(levels.rows[-1][:3]) == ["fewer than 5", "fewer than 5", "0"]
    categories = _series(d, "MAPPA-eligible offenders on 31 March, by category")
    assert categories.rows[-1] == [*table.row_totals, table.grand_total]


def test_with_a_threshold_of_3_the_hand_counts_show(counted):
    area = counted.home["mappa"].pk
    OversightSettings.objects.create(area_id=area, small_number_threshold=3)
    d = dashboard.build_dashboard(area, TODAY)
    marac = _series(d, f"{counted.marac.name}: ")
    by_quarter = dict(marac.table_rows)
    # 2026 Q3: 3 cases heard on 8 July (one deferred, not counted), 1 on 30 September; 2 of them repeats.
    assert _texts(by_quarter["2026 Q3"]) == ["4", "fewer than 3"]
    # 2026 Q1: one case on 15 March. The 1 October meeting is in Q4, after the last quarter that has ended.
    assert _texts(by_quarter["2026 Q1"]) == ["fewer than 3", "0"]
    assert _texts(by_quarter["2025 Q3"]) == ["0", "0"]


def _small_numbers(texts, threshold=5):
    return [t for t in texts if t.strip().isdigit() and 0 < int(t) < threshold]


def test_the_relationship_trend_is_the_relationship_pages_table(counted):
    from safeguard.oversight.services import relationships
    from tests.helpers import incident

    made = incident(counted)  # a DA crime: the offender and victim, no relationship recorded
    area = counted.home["mappa"].pk
    d = dashboard.build_dashboard(area, TODAY)
    trend = _series(d, "DA incidents, crimes")
    month = relationships.build_quality(area, TODAY).breakdowns[0]
    assert trend.periods == month.labels
    assert [row[:2] for row in trend.rows] == [list(cells) for cells in month.table.cells]
    its_month = relationships.month_label(timezone.localtime(made.occurred_at).strftime("%Y-%m"))
    assert _texts(trend.rows[trend.periods.index(its_month)]) == ["0", "fewer than 5", "fewer than 5"]
    assert sum(_texts(row) == ["0", "0", "0"] for row in trend.rows) == len(trend.rows) - 1


def test_no_small_number_on_the_page_or_in_the_chart(counted, client):
    verified_client(client, counted.users.analyst)
    page = client.get(reverse("oversight:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', html, re.S)
    assert cells and not _small_numbers(cells)
    assert "fewer than 5" in html
    d = page.context["d"]
    shown_bars = sum(1 for s in d.series for row in s.rows for f in row if f.shown is Shown.SHOWN and f.value)
    assert html.count('class="sg-chart__bar"') == shown_bars
    suppressed = sum(1 for s in d.series for row in s.rows for f in row if f.suppressed)
    assert suppressed and html.count('class="sg-chart__suppressed"') == suppressed
    assert 'role="img"' in html and "<title id=" in html
    assert " style=" not in html.split("<main", 1)[-1]


def test_no_small_number_in_the_csv_or_xlsx(counted, client):
    from openpyxl import load_workbook

    verified_client(client, counted.users.analyst)
    response = client.get(reverse("oversight:dashboard-csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    figures = [cell for row in rows if row and re.fullmatch(r"\d{4}( Q\d|-\d\d)?", row[0]) for cell in row[1:]]
    assert figures and not _small_numbers(figures)
    assert "fewer than 5" in figures
    response = client.get(reverse("oversight:dashboard-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [
        c
        for row in sheet.iter_rows(values_only=True)
        if row[0] and re.fullmatch(r"\d{4}( Q\d|-\d\d)?", str(row[0]))
        for c in row[1:]
        if c is not None
    ]
    assert values and not [v for v in values if isinstance(v, int) and 0 < v < 5]


def test_analysts_only_and_each_look_audited(counted):
    ctx = gate.AccessContext(user=counted.users.analyst, purpose="oversight")
    dashboard.dashboard(ctx)
    dashboard.export_dashboard(ctx, "csv")
    events = AuditEvent.objects.filter(record_type=dashboard.RECORD_TYPE, outcome="allowed")
    assert sorted(events.values_list("operation", flat=True)) == sorted([Operation.VIEW, Operation.EXPORT])
    for user in (counted.users.supervisor, counted.users.coordinator, counted.users.marac):
        with pytest.raises(gate.AccessRefused):
            dashboard.dashboard(gate.AccessContext(user=user, purpose="oversight"))


def test_the_forum_volume_and_matac_trends_are_suppressed(counted):
    """The SafeLives world's July-September 2026 quarter: 4 cases heard (8 July and 30 September), no triage."""
    d = dashboard.build_dashboard(counted.home["mappa"].pk, TODAY)
    volumes = _series(d, "Forum volumes")
    row = volumes.rows[volumes.periods.index("2026 Q3")]
    assert _texts(row) == ["fewer than 5", "0"]
    assert all(f.value is None or f.value == 0 or f.value >= 5 for r in volumes.rows for f in r)
    assert not [s for s in d.series if s.title.startswith("MATAC")]  # no MATAC cohort yet: no chart
