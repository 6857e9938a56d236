"""The PCC dashboard: the trends of an area's figures for the roles that see no names, counts only.

Who: analysts (the Office of the PCC) of the MAPPA area, nobody else (``ROLES``): the dashboard is for those
who see no names. Each view and download is one audit event against the area (``gate.audit_aggregate``).

What (each figure through ``rules.suppression`` with the area's threshold):

- **MAPPA-eligible offenders on 31 March**, by level and by category, for the last ``YEARS`` years to
  31 March. Each year's figures are the totals of that year's category-by-level table suppressed exactly as
  the MAPPA annual report tables suppress them, so that the two publications never disagree: a figure
  withheld in one cannot be read in the other and subtracted back out.
- **MARAC cases discussed and repeat cases** per MARAC of the area and calendar quarter, for the last
  ``QUARTERS`` quarters, each figure suppressed on its own as the SafeLives return shows them to an analyst.
  No total across MARACs or quarters is published (it would undo a "fewer than").
- **DA incidents, crimes and MARAC cases with the victim-suspect relationship recorded**, by month over 12 months: the
  relationship-data page's monthly table, suppressed as that page shows it.

- **Forum volumes** (MARAC cases heard and incidents triaged over all local areas, by quarter) and **MATAC
  outcomes** (taken on and still serial, by year of adoption): the figures of those pages, suppressed as they
  show them (``forum_and_matac_series``, a block of its own).

**Past periods as recorded** (issue 15 item 7): a month or quarter that has ended and has a snapshot
(``services.snapshots``, taken by the month-end job) is shown as it was recorded at its end, and says so; a
period without one, and the open month, are worked out live from today's records, and say that.

Charts are drawn on the server (``oversight.charts``), each beside its table; a suppressed figure has no
bar (its height would give it away) and reads "fewer than N" or "withheld" under its place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum
from safeguard.pathways.services import figures as pathway_figures
from safeguard.rules import suppression
from safeguard.workforce.models import Area

from ..access import DASHBOARD_ROLES, allowed_area
from ..models import FigureSnapshot, OversightSettings
from . import files, mappa_annual, relationships, safelives

RECORD_TYPE = "oversight.dashboard"
ROLES = DASHBOARD_ROLES
YEARS = 5
QUARTERS = 8


@dataclass(frozen=True)
class Series:
    """A trend: one row per period, one column per measure, each figure as published."""

    title: str
    period_label: str
    periods: list[str]
    columns: list[str]
    rows: list[list[suppression.Figure]]
    key: str = ""  # stable across renames: how a snapshot names the series (``services.snapshots``)
    notes: list[str] = field(default_factory=list)  # per row: as recorded at a period's end, or worked out live

    @property
    def table_rows(self) -> list[tuple[str, list[suppression.Figure]]]:
        return list(zip(self.periods, self.rows, strict=True))

    @property
    def noted_rows(self) -> list[tuple[str, list[suppression.Figure], str]]:
        return list(zip(self.periods, self.rows, self.notes, strict=True))


@dataclass(frozen=True)
class Dashboard:
    area: Area
    threshold: int
    series: list[Series]
    snapshot_ids: list[int] = field(default_factory=list)  # the snapshots read for past periods (the audit)


def years_shown(today: dt.date) -> list[int]:
    latest = mappa_annual.latest_year(today)
    return list(range(latest - YEARS + 1, latest + 1))


def quarters_shown(today: dt.date) -> list[tuple[int, int]]:
    year, quarter = safelives.last_quarter(today)
    out = []
    for _ in range(QUARTERS):
        out.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out[::-1]


def _mappa_series(area_id: int, threshold: int, today: dt.date) -> list[Series]:
    years = years_shown(today)
    by_level, by_category = [], []
    for year in years:
        snapshot, _ = mappa_annual.on_31_march(area_id, year)
        grid = [[snapshot.get((c.value, level), 0) for level in mappa_annual.LEVELS] for c in mappa_annual.CATEGORIES]
        table = suppression.suppress(grid, threshold)  # as the annual tables publish it
        by_level.append([*table.column_totals, table.grand_total])
        by_category.append([*table.row_totals, table.grand_total])
    labels = [str(y) for y in years]
    return [
        Series(
            "MAPPA-eligible offenders on 31 March, by level",
            "Year to 31 March",
            labels,
            [*(f"Level {level}" for level in mappa_annual.LEVELS), "All levels"],
            by_level,
            key="mappa-level",
        ),
        Series(
            "MAPPA-eligible offenders on 31 March, by category",
            "Year to 31 March",
            labels,
            [*(f"Category {c.value}" for c in mappa_annual.CATEGORIES), "All categories"],
            by_category,
            key="mappa-category",
        ),
    ]


def _marac_series(forum: Forum, threshold: int, today: dt.date) -> Series:
    quarters = quarters_shown(today)
    first = safelives.quarter_bounds(*quarters[0])[0]
    last = safelives.quarter_bounds(*quarters[-1])[1]
    rows = safelives.meeting_rows(forum, first, last)
    figures = []
    for year, quarter in quarters:
        start, end = safelives.quarter_bounds(year, quarter)
        total = safelives.total([r for r in rows if start <= r.meeting_date <= end])
        figures.append([suppression.suppress_figure(total.get(key), threshold) for key in ("cases", "repeats")])
    return Series(
        f"{forum.name}: cases discussed and repeat cases",
        "Quarter",
        [f"{year} Q{quarter}" for year, quarter in quarters],
        ["Cases discussed", "Repeat cases"],
        figures,
        key=f"marac-{forum.pk}",
    )


def _relationship_series(area_id: int, today: dt.date) -> Series:
    """The relationship-data page's monthly table, suppressed as that page shows it (the same table)."""
    by_month = relationships.build_quality(area_id, today).breakdowns[0]
    table = by_month.table
    return Series(
        "DA incidents, crimes and MARAC cases: the victim-suspect relationship recorded, by month",
        "Month",
        by_month.labels,
        ["Recorded", "Missing", "All"],
        [[*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)],
        key="relationships",
    )


# --- Forum volumes and MATAC outcomes (issue 15 items 4 and 5): a block of their own --------------------------


def _forum_volume_series(area_id: int, threshold: int, today: dt.date) -> Series:
    """MARAC cases heard and incidents triaged across all the area's local areas, by quarter (the forum volumes
    page's counts), each figure suppressed on its own; no total across quarters is published."""
    from . import forum_volumes

    quarters = quarters_shown(today)
    rows = []
    for year, quarter in quarters:
        first, last = safelives.quarter_bounds(year, quarter)
        counted = forum_volumes.count_area(area_id, first, last + dt.timedelta(days=1)).values()
        cases = sum(c.marac["cases"] for c in counted)
        triaged = sum(sum(c.grades.values()) for c in counted)
        rows.append([suppression.suppress_figure(cases, threshold), suppression.suppress_figure(triaged, threshold)])
    return Series(
        "Forum volumes: MARAC cases heard and incidents triaged, all local areas",
        "Quarter",
        [f"{year} Q{quarter}" for year, quarter in quarters],
        ["MARAC cases heard", "Incidents triaged"],
        rows,
        key="forum-volumes",
    )


def _matac_series(area_id: int, today: dt.date) -> Series:
    """MATAC cohorts by year of adoption: taken on and still a serial perpetrator (the MATAC outcomes page's
    summaries, suppressed as that page shows them)."""
    from . import matac_outcomes

    cohorts = matac_outcomes.build_outcomes(area_id, today).cohorts
    keys = [key for key, _ in matac_outcomes.SUMMARY_COUNTS]
    wanted = [keys.index("adopted"), keys.index("still_serial")]
    return Series(
        "MATAC: perpetrators taken on and still serial, by year of adoption",
        "Year taken on",
        [str(c.year) for c in cohorts],
        ["Taken on", "Still a serial perpetrator"],
        [[c.figures[i] for i in wanted] for c in cohorts],
        key="matac",
    )


def forum_and_matac_series(area_id: int, threshold: int, today: dt.date) -> list[Series]:
    series = [_forum_volume_series(area_id, threshold, today)]
    matac = _matac_series(area_id, today)
    if matac.periods:
        series.append(matac)
    return series


def build_dashboard(area_id: int, today: dt.date, snapshots: QuerySet | None = None) -> Dashboard:
    """The figures (no access check and no audit: ``dashboard`` and ``export_dashboard`` do both), worked out
    live; with ``snapshots`` (the area's, already scoped by the gate), each past period that has a snapshot is
    shown as it was recorded at that period's end (``services.snapshots``)."""
    from . import snapshots as kept

    threshold = OversightSettings.for_area(area_id).small_number_threshold
    series = _mappa_series(area_id, threshold, today)
    series.append(_relationship_series(area_id, today))
    for forum in Forum.objects.filter(kind=Forum.Kind.MARAC, area_id=area_id).order_by("name"):
        series.append(_marac_series(forum, threshold, today))
    series.extend(forum_and_matac_series(area_id, threshold, today))
    used: list[int] = []
    recorded = kept.recorded_rows(snapshots) if snapshots is not None else {}
    series = [kept.overlay(s, recorded, today, used) for s in series]
    return Dashboard(area=Area.objects.get(pk=area_id), threshold=threshold, series=series, snapshot_ids=used)


def _kept(ctx: gate.AccessContext, area_id: int) -> QuerySet:
    """The area's dashboard snapshots, through the gate's scope (``oversight.policies.FigureSnapshotPolicy``)."""
    queryset = FigureSnapshot.objects.filter(area_id=area_id, what=FigureSnapshot.DASHBOARD)
    return gate.scoped(ctx.user, queryset)


def _read(d: Dashboard) -> dict:
    """The audit detail of a look: which snapshots it read (an aggregate read, as the live figures are)."""
    return {"snapshots": sorted(set(d.snapshot_ids))} if d.snapshot_ids else {}


def dashboard(ctx: gate.AccessContext) -> Dashboard:
    area_id, reason = allowed_area(ctx, Operation.VIEW, RECORD_TYPE, ROLES)
    result = build_dashboard(area_id, timezone.localdate(), _kept(ctx, area_id))
    gate.audit_aggregate(ctx, Operation.VIEW, RECORD_TYPE, area_id, reason, _read(result))
    return result


def _shown(figure: suppression.Figure):
    return figure.value if figure.value is not None else figure.text


def tables(d: Dashboard) -> list[files.TitledTable]:
    return [
        (
            s.title,
            [s.period_label, *s.columns, "Figures"],
            [[p, *(_shown(f) for f in row), note] for p, row, note in s.noted_rows],
        )
        for s in d.series
    ]


def preamble(d: Dashboard) -> list[str]:
    return [
        f"PCC dashboard: {d.area.name}",
        f"Figures from 1 to {d.threshold - 1} are shown as 'fewer than {d.threshold}'; 0 is shown as 0; "
        "'withheld' figures are hidden so that a total cannot reveal a small one.",
        "No names: counts only.",
    ]


def export_dashboard(ctx: gate.AccessContext, fmt: str) -> tuple[bytes, str, str]:
    area_id, reason = allowed_area(ctx, Operation.EXPORT, RECORD_TYPE, ROLES)
    d = build_dashboard(area_id, timezone.localdate(), _kept(ctx, area_id))
    gate.audit_aggregate(ctx, Operation.EXPORT, RECORD_TYPE, area_id, reason, {"format": fmt, **_read(d)})
    all_tables = tables(d) + pathway_figures.tables(pathway_figures.area_figures(area_id))  # their own section
    if fmt == "csv":
        content = files.to_csv(preamble(d), all_tables)
    else:
        content = files.to_xlsx("PCC dashboard", preamble(d), all_tables)
    return content, files.CONTENT_TYPES[fmt], f"pcc-dashboard-official-sensitive.{fmt}"
