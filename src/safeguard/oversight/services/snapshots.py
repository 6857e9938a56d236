"""Month-end and quarter-end snapshots of an area's published figures, so that a past period's figures never
change after the event (issue 15 item 7; docs/decisions.md, "Figures as recorded at a period's end").

After a month ends, the month-end job (``oversight.jobs.take_snapshots``, queued by ``oversight.tasks``) keeps,
for every MAPPA area, the PCC dashboard's row for that month; after a quarter ends, also its rows for that
quarter (and, for the quarter to 31 March, the year to 31 March), and each MARAC's SafeLives return for the
quarter (read back by the return's page and files for the counts-only view: ``kept_safelives``). Each is
stored exactly as an analyst was shown it, already suppressed (a "fewer than" keeps no value), once: a period
that has a snapshot is skipped, never rewritten.

What is not kept: the MATAC cohorts (a cohort's "after" window runs 12 months past its year, so its figures are
still filling in when the year ends; they stay live, and say so). The figures kept are the records as they stand
when the job runs: a month backfilled later (``manage.py take_snapshots --period``) is the records as they stand
then, which the snapshot's ``taken_at`` says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum
from safeguard.rules import suppression
from safeguard.web.dates import long_date
from safeguard.workforce.models import Area

from ..models import FigureSnapshot
from . import relationships, safelives

RECORD_TYPE = "oversight.figuresnapshot"
# The dashboard's period column names the granularity of a series: which kind of snapshot keeps its rows.
KIND_OF_PERIOD = {
    "Month": FigureSnapshot.Kind.MONTH,
    "Quarter": FigureSnapshot.Kind.QUARTER,
    "Year to 31 March": FigureSnapshot.Kind.QUARTER,  # kept by the quarter to 31 March
}
LIVE_OPEN = "Live: the month has not ended"
LIVE = "Worked out from today's records"


class SnapshotRefused(ValueError):
    """A period that cannot be snapshotted (it has not ended); the message says why."""


# --- Periods ---------------------------------------------------------------------------------------------------


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return following - dt.timedelta(days=1)


def ends_quarter(day: dt.date) -> bool:
    return day.month % 3 == 0 and day == month_end(day)


def month_just_ended(today: dt.date) -> dt.date:
    """The last day of the month before ``today``'s."""
    return today.replace(day=1) - dt.timedelta(days=1)


def period_labels(period_end: dt.date) -> dict[str, str]:
    """The dashboard's label, by period column, of each period ending on ``period_end``."""
    labels = {"Month": relationships.month_label(f"{period_end:%Y-%m}")}
    if ends_quarter(period_end):
        labels["Quarter"] = f"{period_end.year} Q{period_end.month // 3}"
        if period_end.month == 3:
            labels["Year to 31 March"] = str(period_end.year)
    return labels


def note(kind: str, period_end: dt.date) -> str:
    period = "month" if kind == FigureSnapshot.Kind.MONTH else "quarter"
    return f"As recorded at {period} end on {long_date(period_end)}"


# --- The figures as stored ------------------------------------------------------------------------------------


def stored(figure: suppression.Figure) -> list:
    """A figure as shown: how it was shown and, only where it was shown, its value."""
    return [figure.shown.value, figure.value, figure.threshold]


def restored(cell: list) -> suppression.Figure:
    shown, value, threshold = cell
    return suppression.Figure(suppression.Shown(shown), value, threshold)


def dashboard_figures(area_id: int, period_end: dt.date, kind: str) -> dict:
    """The dashboard's rows for the period(s) ending on ``period_end`` of ``kind``, worked out live the day after."""
    from .dashboard import build_dashboard

    labels = period_labels(period_end)
    d = build_dashboard(area_id, period_end + dt.timedelta(days=1))
    out = {}
    for series in d.series:
        label = labels.get(series.period_label)
        if label is None or KIND_OF_PERIOD.get(series.period_label) != kind or label not in series.periods:
            continue
        row = series.rows[series.periods.index(label)]
        out[series.key] = {"period": label, "columns": series.columns, "row": [stored(f) for f in row]}
    return out


def safelives_figures(forum: Forum, period_end: dt.date) -> dict:
    """A MARAC's SafeLives return for the quarter, as an analyst is shown it (suppressed totals)."""
    r = safelives.build_return(forum, period_end.year, period_end.month // 3, exact=False)
    return {"headers": safelives.FILE_HEADERS, "rows": safelives.file_rows(r)}


# --- Taking them ------------------------------------------------------------------------------------------------


def _kept(area_id: int, kind: str, period_end: dt.date, what: str) -> bool:
    return FigureSnapshot.objects.filter(area_id=area_id, kind=kind, period_end=period_end, what=what).exists()


def _write(area_id: int, kind: str, period_end: dt.date, what: str, figures: dict, job_id: int | None) -> None:
    """Write one snapshot (the constraint refuses a second of the same period: nothing is ever rewritten)."""
    FigureSnapshot.objects.create(
        area_id=area_id,
        kind=kind,
        period_end=period_end,
        what=what,
        figures=figures,
        taken_at=timezone.now(),
        job_id=job_id,
    )


def take_area(area_id: int, period_end: dt.date, job_id: int | None = None) -> dict:
    """The month-end snapshot of one area (and, at a quarter's end, the quarter-end ones). Counts written and
    skipped (already kept)."""
    written = skipped = 0
    kinds = [FigureSnapshot.Kind.MONTH]
    if ends_quarter(period_end):
        kinds.append(FigureSnapshot.Kind.QUARTER)
    for kind in kinds:
        wanted: list[tuple[str, Callable[[], dict]]] = [
            (FigureSnapshot.DASHBOARD, lambda kind=kind: dashboard_figures(area_id, period_end, kind))
        ]
        if kind == FigureSnapshot.Kind.QUARTER:
            for forum in Forum.objects.filter(kind=Forum.Kind.MARAC, area_id=area_id).order_by("pk"):
                what = f"{FigureSnapshot.SAFELIVES}-{forum.pk}"
                wanted.append((what, lambda f=forum: safelives_figures(f, period_end)))
        for what, figures in wanted:
            if _kept(area_id, kind, period_end, what):
                skipped += 1  # already kept: a period is written once, never again
            else:
                _write(area_id, kind, period_end, what, figures(), job_id)
                written += 1
    return {"written": written, "skipped": skipped}


def check_ended(period_end: dt.date, today: dt.date) -> None:
    if period_end >= today:
        raise SnapshotRefused(
            f"{period_end:%B %Y} has not ended: the figures of an open month are always worked out live. "
            "Choose a month that has ended."
        )


def take_all(
    period_end: dt.date,
    *,
    today: dt.date | None = None,
    job_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    ctx: gate.AccessContext | None = None,
) -> dict:
    """Every MAPPA area's snapshots for the month ending ``period_end``, all or nothing (one transaction; inside
    the job's). One audit event per area, as the system."""
    check_ended(period_end, today or timezone.localdate())
    with transaction.atomic():
        return _take_all(period_end, job_id, progress, ctx)


def _take_all(period_end: dt.date, job_id: int | None, progress, ctx: gate.AccessContext | None) -> dict:
    areas = list(Area.objects.filter(kind=Area.Kind.MAPPA).order_by("pk").values_list("pk", flat=True))
    summary = {"period_end": period_end.isoformat(), "areas": len(areas), "written": 0, "skipped": 0}
    for done, area_id in enumerate(areas, start=1):
        counts = take_area(area_id, period_end, job_id)
        summary["written"] += counts["written"]
        summary["skipped"] += counts["skipped"]
        gate.audit_system(
            Operation.CREATE,
            RECORD_TYPE,
            area_id,
            "month-end snapshots of the published figures",
            {"period_end": period_end.isoformat(), **counts},
            ctx=ctx,
        )
        if progress is not None:
            progress(done, len(areas))
    return summary


# --- Reading them (the SafeLives return page and files) --------------------------------------------------------


def kept_safelives(user, forum: Forum, period_end: dt.date) -> FigureSnapshot | None:
    """The MARAC's SafeLives return kept at the end of the quarter ending ``period_end``, if the user may read
    it (``oversight.policies.FigureSnapshotPolicy``: the area's aggregate roles); None otherwise."""
    kept = FigureSnapshot.objects.filter(
        area_id=forum.area_id,
        kind=FigureSnapshot.Kind.QUARTER,
        period_end=period_end,
        what=f"{FigureSnapshot.SAFELIVES}-{forum.pk}",
    )
    return gate.scoped(user, kept).first()


def kept_note(snap: FigureSnapshot) -> str:
    """What a page says of a kept return: when it was recorded, and that it is not worked out again."""
    taken = long_date(timezone.localdate(snap.taken_at))
    return (
        f"As recorded on {taken}, after the quarter ended on {long_date(snap.period_end)}: a later correction to "
        "the records does not change it."
    )


# --- Reading them (the dashboard) -------------------------------------------------------------------------------

Recorded = dict[tuple[str, str], tuple[list[suppression.Figure], str, int]]


def recorded_rows(snapshots: QuerySet) -> Recorded:
    """(series key, period label) -> (the row as recorded, its note, the snapshot's id)."""
    out: Recorded = {}
    for snap in snapshots.filter(what=FigureSnapshot.DASHBOARD):
        for key, kept in snap.figures.items():
            row = [restored(cell) for cell in kept["row"]]
            out[(key, kept["period"])] = (row, note(snap.kind, snap.period_end), snap.pk)
    return out


def overlay(series, recorded: Recorded, today: dt.date, used: list[int]):
    """The series with each past period that has a snapshot as recorded, and a note on every row."""
    open_month = relationships.month_label(f"{today:%Y-%m}")
    rows, notes = [], []
    for label, row in series.table_rows:
        kept = recorded.get((series.key, label)) if series.period_label in KIND_OF_PERIOD else None
        if kept is not None and len(kept[0]) == len(row):
            rows.append(kept[0])
            notes.append(kept[1])
            used.append(kept[2])
        else:
            rows.append(row)
            notes.append(LIVE_OPEN if series.period_label == "Month" and label == open_month else LIVE)
    return replace(series, rows=rows, notes=notes)
