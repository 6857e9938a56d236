"""The MAPPA annual report tables of one MAPPA area, for the year to 31 March, counts only.

What the report holds (reporting notes, quoted in docs/sources/oversight.md): category and level counts are
a snapshot on 31 March; every other figure covers the year 1 April to 31 March. Area rows: eligible
offenders on 31 March by category and level; Level 2/3 by category over the year; RSOs per 100,000
population on 31 March; RSOs cautioned or convicted for breach; SHPOs imposed, SHPOs with a foreign travel
restriction, notification orders; people made subject to notification after breaching a Sexual Risk Order;
Level 2/3 offenders returned to custody for breach of licence and for breach of an order; lifetime
notification revoked; serious further offences (a separate count, not a return-to-custody reason).

How Safeguard counts (each a line of docs/decisions.md):

- **As the records stood.** A nominal's category, level, status, area and dates are read from its history
  (django-simple-history) as it stood at the end of 31 March: the last version written before 1 April. A
  nominal with no history at all (loaded in bulk) is taken as it stands now, inside its managed-from and
  managed-until dates. A nominal first recorded after 31 March is not in that year's snapshot.
- **Eligible on 31 March**: active, managed from on or before 31 March and not ended before it, in a local
  area of the MAPPA area, category 1 to 4 ("to be determined" is counted apart, outside the table).
- **A person once.** A person with two nominals is counted once: on 31 March in the lowest category number
  (then the highest level); over the year in the category and level of their last Level 2/3 version.
- **Level 2/3 over the year**: every version in force at some time in the year (the one standing at its
  start, and every one written in it) at Level 2 or 3 and active.
- **Over-the-year events** are counted by the date they happened (made, breached, returned, charged), from
  the nominal's present local area; Level 2/3 returns to custody and SFOs by the level on the day
  (``orders.Outcome.level_then``).
- **Small numbers** are suppressed on the page and in the files (``rules.suppression``, the area's threshold):
  the tables are for people who see no names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.offenders.models import MappaCategory, Nominal
from safeguard.orders.models import CustodyReason, Disposal, Order, OrderBreach, OrderKind, Outcome, OutcomeKind
from safeguard.orders.services import end_of_day
from safeguard.rules import suppression
from safeguard.workforce.models import Area

from ..access import allowed_area
from ..models import OversightSettings
from . import files

RECORD_TYPE = "oversight.mappa_annual"
CATEGORIES = [MappaCategory.ONE, MappaCategory.TWO, MappaCategory.THREE, MappaCategory.FOUR]
LEVELS = [1, 2, 3]


def year_end(year: int) -> dt.date:
    return dt.date(year, 3, 31)


def year_start(year: int) -> dt.date:
    return dt.date(year - 1, 4, 1)


def latest_year(today: dt.date) -> int:
    """The last year to 31 March that has ended."""
    return today.year if today > year_end(today.year) else today.year - 1


def area_ids(area_id: int) -> list[int]:
    return [area_id, *Area.objects.filter(parent_id=area_id).values_list("pk", flat=True)]


def _adapted(params: list) -> list:
    """Raw SQL parameters as the database stores them (SQLite keeps date-times as naive UTC text)."""
    ops = connection.ops
    out = []
    for value in params:
        if isinstance(value, dt.datetime):
            out.append(ops.adapt_datetimefield_value(value))
        elif isinstance(value, dt.date):
            out.append(ops.adapt_datefield_value(value))
        else:
            out.append(value)
    return out


# --- The nominals as they stood -----------------------------------------------------------------------


def _stood_sql(local_count: int) -> str:
    """Every nominal as it stood at %(cutoff)s: the last version written before it, or (no history at all)
    the nominal now. Columns: id, person_id, mappa_category, management_level, active, local_area_id,
    managed_from, managed_until."""
    nominal = Nominal._meta.db_table
    history = Nominal.history.model._meta.db_table
    return f"""
        SELECT id, person_id, mappa_category, management_level, status = 'active' AS active, local_area_id,
               managed_from, managed_until
          FROM (SELECT h.*, ROW_NUMBER() OVER (PARTITION BY h.id ORDER BY h.history_date DESC, h.history_id DESC)
                       AS newest
                  FROM {history} h
                 WHERE h.history_date < %s) versions
         WHERE newest = 1 AND history_type <> '-'
        UNION ALL
        SELECT n.id, n.person_id, n.mappa_category, n.management_level,
               (n.status = 'active' OR n.managed_until IS NOT NULL) AS active, n.local_area_id, n.managed_from,
               n.managed_until
          FROM {nominal} n
         WHERE NOT EXISTS (SELECT 1 FROM {history} h WHERE h.id = n.id)
           AND n.local_area_id IN ({", ".join(["%s"] * local_count)})
    """  # noqa: S608 (table names from the models; every value a parameter)


def on_31_march(area_id: int, year: int) -> tuple[dict[tuple[str, int], int], int]:
    """Eligible people on 31 March by (category, level), one each; and those whose category is to be
    determined."""
    day = year_end(year)
    locals_ = area_ids(area_id)
    marks = ", ".join(["%s"] * len(locals_))
    sql = f"""
        SELECT mappa_category, management_level, COUNT(*) FROM (
            SELECT mappa_category, management_level,
                   ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY mappa_category, management_level DESC) AS pick
              FROM ({_stood_sql(len(locals_))}) stood
             WHERE active AND local_area_id IN ({marks})
               AND managed_from <= %s AND (managed_until IS NULL OR managed_until >= %s)
        ) people
         WHERE pick = 1
         GROUP BY mappa_category, management_level
    """  # noqa: S608 (table names from the models; every value a parameter)
    params = [end_of_day(day), *locals_, *locals_, day, day]
    counts: dict[tuple[str, int], int] = {}
    undetermined = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, _adapted(params))
        for category, level, count in cursor.fetchall():
            if category == MappaCategory.TO_BE_DETERMINED:
                undetermined += count
            else:
                counts[(str(category), int(level))] = count
    return counts, undetermined


def level_2_3_over_the_year(area_id: int, year: int) -> dict[tuple[str, int], int]:
    """People managed at Level 2 or 3 at some time in the year, once each, by the category and level of
    their last such version."""
    start, end = year_start(year), year_end(year)
    locals_ = area_ids(area_id)
    marks = ", ".join(["%s"] * len(locals_))
    nominal = Nominal._meta.db_table
    history = Nominal.history.model._meta.db_table
    # The versions in force in the year: the one standing at its start, every one written in it, and the
    # nominal itself where it has no history at all.
    sql = f"""
        SELECT mappa_category, management_level, COUNT(*) FROM (
            SELECT mappa_category, management_level,
                   ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY written DESC, version_id DESC) AS pick
              FROM (
                SELECT h.person_id, h.mappa_category, h.management_level, h.status, h.local_area_id,
                       h.managed_from, h.managed_until, h.history_date AS written, h.history_id AS version_id,
                       h.history_type
                  FROM {history} h
                 WHERE h.history_date >= %s AND h.history_date < %s
                UNION ALL
                SELECT person_id, mappa_category, management_level, status, local_area_id, managed_from,
                       managed_until, history_date, history_id, history_type
                  FROM (SELECT h.*, ROW_NUMBER() OVER (PARTITION BY h.id ORDER BY h.history_date DESC,
                                                       h.history_id DESC) AS newest
                          FROM {history} h WHERE h.history_date < %s) before_the_year
                 WHERE newest = 1
                UNION ALL
                SELECT n.person_id, n.mappa_category, n.management_level,
                       CASE WHEN n.managed_until IS NOT NULL THEN 'active' ELSE n.status END, n.local_area_id,
                       n.managed_from, n.managed_until, %s, 0, '+'
                  FROM {nominal} n
                 WHERE NOT EXISTS (SELECT 1 FROM {history} h WHERE h.id = n.id)
                   AND n.local_area_id IN ({marks})
              ) versions
             WHERE history_type <> '-' AND status = 'active' AND management_level >= 2
               AND mappa_category <> %s AND local_area_id IN ({marks})
               AND managed_from <= %s AND (managed_until IS NULL OR managed_until >= %s)
        ) people
         WHERE pick = 1
         GROUP BY mappa_category, management_level
    """  # noqa: S608 (table names from the models; every value a parameter)
    start_at, end_at = end_of_day(start - dt.timedelta(days=1)), end_of_day(end)
    params = [
        start_at,
        end_at,
        start_at,
        start_at,
        *locals_,
        MappaCategory.TO_BE_DETERMINED.value,
        *locals_,
        end,
        start,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, _adapted(params))
        return {(str(c), int(level)): n for c, level, n in cursor.fetchall()}


# --- Over the year: orders, breaches, outcomes ------------------------------------------------------


@dataclass(frozen=True)
class YearEvents:
    lifetime_revoked: int
    notification_breach_cautioned: int
    notification_breach_convicted: int
    orders_made: dict[str, int]
    shpo_foreign_travel: int
    breaches: dict[tuple[str, str], int]  # (order kind, disposal) -> people
    subject_after_sro_breach: int
    returned_to_custody: dict[str, int]  # reason -> Level 2/3 people
    sfo_by_level: dict[int, int]  # level on the day -> charges


def year_events(area_id: int, year: int) -> YearEvents:
    """Three queries, each one conditional aggregate: the year's outcomes, orders and breaches."""
    start, end = year_start(year), year_end(year)
    locals_ = area_ids(area_id)
    person = "nominal__person_id"

    def people(**where) -> Count:
        return Count(person, filter=Q(**where), distinct=True)

    custody = {
        f"custody_{r}": people(kind=OutcomeKind.RETURNED_TO_CUSTODY, level_then__gte=2, custody_reason=r)
        for r in CustodyReason.values
    }
    sfo = {
        f"sfo_{level}": Count("id", filter=Q(kind=OutcomeKind.SERIOUS_FURTHER_OFFENCE, level_then=level))
        for level in LEVELS
    }
    o = Outcome.objects.filter(
        nominal__local_area_id__in=locals_, occurred_on__gte=start, occurred_on__lte=end
    ).aggregate(
        revoked=people(kind=OutcomeKind.LIFETIME_NOTIFICATION_REVOKED),
        cautioned=people(kind=OutcomeKind.NOTIFICATION_BREACH, disposal=Disposal.CAUTIONED),
        convicted=people(kind=OutcomeKind.NOTIFICATION_BREACH, disposal=Disposal.CONVICTED),
        **custody,
        **sfo,
    )
    made = Order.objects.filter(nominal__local_area_id__in=locals_, made_on__gte=start, made_on__lte=end).aggregate(
        **{k: Count("id", filter=Q(kind=k)) for k in OrderKind.values},
        shpo_travel=Count("id", filter=Q(kind=OrderKind.SHPO, foreign_travel_restriction=True)),
    )
    breach_person = "order__nominal__person_id"
    pairs = [
        (k, d)
        for k in (OrderKind.SHPO, OrderKind.SRO, OrderKind.NOTIFICATION_ORDER)
        for d in (Disposal.CAUTIONED, Disposal.CONVICTED)
    ]
    b = OrderBreach.objects.filter(
        order__nominal__local_area_id__in=locals_, occurred_on__gte=start, occurred_on__lte=end
    ).aggregate(
        **{f"{k}_{d}": Count(breach_person, filter=Q(order__kind=k, disposal=d), distinct=True) for k, d in pairs},
        subject=Count(
            breach_person, filter=Q(order__kind=OrderKind.SRO, made_subject_to_notification=True), distinct=True
        ),
    )
    return YearEvents(
        lifetime_revoked=o["revoked"],
        notification_breach_cautioned=o["cautioned"],
        notification_breach_convicted=o["convicted"],
        orders_made={k: made[k] for k in OrderKind.values},
        shpo_foreign_travel=made["shpo_travel"],
        breaches={(k, d): b[f"{k}_{d}"] for k, d in pairs if b[f"{k}_{d}"]},
        subject_after_sro_breach=b["subject"],
        returned_to_custody={r: o[f"custody_{r}"] for r in CustodyReason.values},
        sfo_by_level={level: o[f"sfo_{level}"] for level in LEVELS},
    )


# --- The tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    label: str
    figure: suppression.Figure


@dataclass(frozen=True)
class Annual:
    area: Area
    year: int
    threshold: int
    on_31_march: dict[tuple[str, int], int] = field(repr=False)
    undetermined: int
    by_category_level: suppression.Table
    level_2_3: dict[tuple[str, int], int] = field(repr=False)
    level_2_3_table: suppression.Table
    rsos: suppression.Figure
    population: int | None
    population_basis: str
    rso_rate: Decimal | None
    events: YearEvents = field(repr=False)
    year_lines: list[tuple[str, list[Line]]]

    @property
    def start(self) -> dt.date:
        return year_start(self.year)

    @property
    def end(self) -> dt.date:
        return year_end(self.year)

    @property
    def undetermined_figure(self) -> suppression.Figure:
        return suppression.suppress_figure(self.undetermined, self.threshold)

    @property
    def category_labels(self) -> list[str]:
        return [c.label for c in CATEGORIES]


def _rate(count: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (Decimal(count) * 100_000 / Decimal(population)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _year_lines(e: YearEvents, threshold: int) -> list[tuple[str, list[Line]]]:
    def one(label: str, count: int) -> Line:
        return Line(label, suppression.suppress_figure(count, threshold))

    def column(labels: list[str], counts: list[int], total_label: str) -> list[Line]:
        table = suppression.suppress_column(counts, threshold)
        return [Line(label, row[0]) for label, row in zip(labels, table.cells, strict=True)] + [
            Line(total_label, table.grand_total)
        ]

    kinds = OrderKind
    breach = e.breaches
    return [
        ("Lifetime notification requirements revoked on review", [one("People", e.lifetime_revoked)]),
        (
            "Registered sex offenders cautioned or convicted for breaching notification requirements",
            column(
                ["Cautioned", "Convicted"],
                [e.notification_breach_cautioned, e.notification_breach_convicted],
                "Cautioned or convicted",
            ),
        ),
        (
            "Orders imposed",
            [
                one("Sexual Harm Prevention Orders", e.orders_made[kinds.SHPO]),
                one("of which with a foreign travel restriction", e.shpo_foreign_travel),
                one("Sexual Risk Orders", e.orders_made[kinds.SRO]),
                one("Notification orders", e.orders_made[kinds.NOTIFICATION_ORDER]),
            ],
        ),
        (
            "Breaches of orders (people cautioned or convicted)",
            [
                one("SHPO: cautioned", breach.get((kinds.SHPO, Disposal.CAUTIONED), 0)),
                one("SHPO: convicted", breach.get((kinds.SHPO, Disposal.CONVICTED), 0)),
                one("SRO: cautioned", breach.get((kinds.SRO, Disposal.CAUTIONED), 0)),
                one("SRO: convicted", breach.get((kinds.SRO, Disposal.CONVICTED), 0)),
                one("Made subject to notification after breaching an SRO", e.subject_after_sro_breach),
            ],
        ),
        (
            "Level 2 and 3 offenders returned to custody (people)",
            [
                one("For breach of licence", e.returned_to_custody[CustodyReason.BREACH_OF_LICENCE]),
                one("For breach of an order", e.returned_to_custody[CustodyReason.BREACH_OF_ORDER]),
                one("For a further offence", e.returned_to_custody[CustodyReason.FURTHER_OFFENCE]),
            ],
        ),
        (
            "Serious further offences (charges, by level on the day)",
            column(["Level 1", "Level 2", "Level 3"], [e.sfo_by_level[level] for level in LEVELS], "All levels"),
        ),
    ]


def build_annual(area_id: int, year: int) -> Annual:
    """The tables (no access check and no audit: ``annual_tables`` and ``export_annual`` do both)."""
    settings = OversightSettings.for_area(area_id)
    threshold = settings.small_number_threshold
    snapshot, undetermined = on_31_march(area_id, year)
    over_year = level_2_3_over_the_year(area_id, year)
    events = year_events(area_id, year)
    grid = [[snapshot.get((c.value, level), 0) for level in LEVELS] for c in CATEGORIES]
    l23 = [[over_year.get((c.value, level), 0) for level in (2, 3)] for c in CATEGORIES]
    rsos = sum(snapshot.get((MappaCategory.ONE.value, level), 0) for level in LEVELS)
    rate = _rate(rsos, settings.population)
    return Annual(
        area=Area.objects.get(pk=area_id),
        year=year,
        threshold=threshold,
        on_31_march=snapshot,
        undetermined=undetermined,
        by_category_level=suppression.suppress(grid, threshold),
        level_2_3=over_year,
        level_2_3_table=suppression.suppress(l23, threshold),
        rsos=suppression.suppress_figure(rsos, threshold),
        population=settings.population,
        population_basis=settings.population_basis,
        # A rate from a suppressed count would give the count away: withheld with it.
        rso_rate=rate if rsos == 0 or rsos >= threshold else None,
        events=events,
        year_lines=_year_lines(events, threshold),
    )


def annual_tables(ctx: gate.AccessContext, year: int | None = None) -> Annual:
    """The tables of the user's MAPPA area for the year to 31 March ``year``. Audited as a VIEW."""
    year = year or latest_year(timezone.localdate())
    area_id, reason = allowed_area(ctx, Operation.VIEW, RECORD_TYPE)
    annual = build_annual(area_id, year)
    gate.audit_aggregate(ctx, Operation.VIEW, RECORD_TYPE, area_id, reason, {"year_to_31_march": year})
    return annual


# --- Files --------------------------------------------------------------------------------------------


def _grid_rows(table: suppression.Table, labels: list[str]) -> list[list]:
    rows = [
        [label, *(f.value if f.value is not None else f.text for f in row), _shown(table.row_totals[i])]
        for i, (label, row) in enumerate(zip(labels, table.cells, strict=True))
    ]
    rows.append(["Total", *(_shown(f) for f in table.column_totals), _shown(table.grand_total)])
    return rows


def _shown(figure: suppression.Figure):
    return figure.value if figure.value is not None else figure.text


def tables(a: Annual) -> list[files.TitledTable]:
    labels = a.category_labels
    out: list[files.TitledTable] = [
        (
            f"MAPPA-eligible offenders on 31 March {a.year}, by category and level",
            ["Category", "Level 1", "Level 2", "Level 3", "Total"],
            _grid_rows(a.by_category_level, labels),
        ),
        (
            f"Level 2 and 3 offenders, 1 April {a.year - 1} to 31 March {a.year} (each person once)",
            ["Category", "Level 2", "Level 3", "Total"],
            _grid_rows(a.level_2_3_table, labels),
        ),
        (
            f"Registered sex offenders per 100,000 population on 31 March {a.year}",
            ["Registered sex offenders", "Population", "Who the population counts", "Per 100,000"],
            [
                [
                    _shown(a.rsos),
                    a.population if a.population else "not set",
                    a.population_basis,
                    a.rso_rate if a.rso_rate is not None else ("withheld" if a.population else "no population set"),
                ]
            ],
        ),
    ]
    for title, lines in a.year_lines:
        out.append(
            (f"{title}, year to 31 March {a.year}", ["", "Number"], [[x.label, _shown(x.figure)] for x in lines])
        )
    return out


def preamble(a: Annual) -> list[str]:
    return [
        f"MAPPA annual report tables: {a.area.name}, year to 31 March {a.year}",
        "Categories and levels as the records stood at the end of 31 March; other figures over the year.",
        f"Figures from 1 to {a.threshold - 1} are shown as 'fewer than {a.threshold}'; 0 is shown as 0; "
        "'withheld' figures are hidden so that a total cannot reveal a small one.",
        f"Category to be determined on 31 March (not in the tables): {_shown(a.undetermined_figure)}",
        "No names: counts only.",
    ]


def export_annual(ctx: gate.AccessContext, year: int, fmt: str) -> tuple[bytes, str, str]:
    area_id, reason = allowed_area(ctx, Operation.EXPORT, RECORD_TYPE)
    annual = build_annual(area_id, year)
    gate.audit_aggregate(ctx, Operation.EXPORT, RECORD_TYPE, area_id, reason, {"year_to_31_march": year, "format": fmt})
    if fmt == "csv":
        content = files.to_csv(preamble(annual), tables(annual))
    else:
        content = files.to_xlsx(f"MAPPA {annual.year}", preamble(annual), tables(annual))
    return content, files.CONTENT_TYPES[fmt], f"mappa-annual-{year}-official-sensitive.{fmt}"
