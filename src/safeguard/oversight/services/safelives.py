"""The SafeLives MARAC data return of one MARAC for a quarter, and the published metrics over 12 months.

What SafeLives asks (reporting notes, quoted in docs/sources/oversight.md): filled in after every meeting, one
row per meeting, about the cohort at each meeting, never named cases; meeting date, cases discussed, repeat
cases, children in household, cases with children, counts by referral source, victims from minoritised
ethnic groups, LGBT+, disabled, male, aged 16-17, harming person aged under 18, victims aged 65+, five
ethnic-group counts. A blank cell means "not collected", a zero means "none". Published metrics over a
rolling 12 months: cases per 10,000 adult women, % repeats, % partner-agency (non-police) referrals, and the
shares of victims who are minoritised, LGBT+, disabled or male.

How Safeguard counts (each a line of docs/decisions.md):

- **A case discussed** is a MARAC referral heard at the meeting (an agenda item marked heard, with its
  referral); a deferred item is not counted. Its repeat flag, children and referring agency are the
  referral's; the victim is the referral's person; the perpetrators are the referral's perpetrators.
- **Ages** are on the meeting's date.
- **Minoritised** is any recorded ethnicity other than White British (census code W1); "not stated" is not
  known. The five ethnic-group counts are the 2021 Census's five high-level groups (Asian, Black, Mixed,
  White, Other): the template's own five headings are not in Safeguard's sources.
- **Referral sources** Safeguard's agency kinds map to: police, IDVA service, children's services
  (Children's Social Care), probation, health and housing; prisons, youth justice, adult social care and
  job centres are "Other". Education, Mental health, Substance misuse, Voluntary sector and MASH have no
  agency kind in Safeguard: their cells are blank (not collected), as are the two referral-source columns
  whose headings are not in the sources.
- **Quarters** are calendar quarters (the sources do not say which quarters SafeLives uses).
- **Expected ranges.** The sources give one recommended level (40 cases per 10,000 adult women a year) and
  national figures for October 2023 to September 2024; they say a "28-40% repeat" band and a police share of
  referrals were not found in SafeLives' own pages. So every other metric is shown beside the national
  figure, with no range: none is invented.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from safeguard.access import gate
from safeguard.access.policy import may_coordinate_forum
from safeguard.audit.models import Operation
from safeguard.meetings.models import AgendaItem, Forum, Meeting
from safeguard.referrals.models import Referral
from safeguard.rules import suppression
from safeguard.workforce.models import Agency, Role

from ..models import Answer, EthnicityAnswer, MaracSettings, OversightSettings
from . import files

RECORD_TYPE = "oversight.safelives"
SOURCES_ROLES = frozenset({Role.ANALYST, Role.MARAC_COORDINATOR})

# Referral-source columns in the template's order (the twelve headings the sources name, then the two they
# do not: blank, "not collected").
SOURCE_COLUMNS = [
    "Police",
    "IDVA",
    "Children's Social Care",
    "Probation",
    "Health",
    "Education",
    "Housing",
    "Mental health",
    "Substance misuse",
    "Voluntary sector",
    "MASH",
    "Other",
    "Referral source 13 (heading not in Safeguard's sources)",
    "Referral source 14 (heading not in Safeguard's sources)",
]
AGENCY_SOURCE = {
    Agency.Kind.POLICE: "Police",
    Agency.Kind.IDVA_SERVICE: "IDVA",
    Agency.Kind.CHILDRENS_SERVICES: "Children's Social Care",
    Agency.Kind.PROBATION: "Probation",
    Agency.Kind.HEALTH: "Health",
    Agency.Kind.HOUSING: "Housing",
}
COLLECTED_SOURCES = {*AGENCY_SOURCE.values(), "Other"}
ETHNIC_GROUPS = [("A", "Asian"), ("B", "Black"), ("M", "Mixed"), ("W", "White"), ("O", "Other ethnic group")]
COUNT_COLUMNS = [
    ("cases", "Cases discussed"),
    ("repeats", "Repeat cases"),
    ("children", "Children in household"),
    ("cases_with_children", "Cases with children"),
]
VICTIM_COLUMNS = [
    ("minoritised", "Victims from minoritised ethnic groups"),
    ("lgbt", "LGBT+ victims"),
    ("disabled", "Disabled victims"),
    ("male", "Male victims"),
    ("aged_16_17", "Victims aged 16-17"),
    ("perpetrator_under_18", "Harming person aged under 18"),
    ("aged_65_plus", "Victims aged 65+"),
]
# Recommended level [C] and national figures, October 2023 to September 2024 [C] (reporting notes).
RECOMMENDED_PER_10000 = Decimal("40")
NATIONAL = {
    "per_10000": Decimal("47"),
    "repeat_percent": Decimal("31"),
    "partner_percent": Decimal("36.1"),
    "minoritised_percent": Decimal("14.1"),
    "lgbt_percent": Decimal("1.6"),
    "disabled_percent": Decimal("10.1"),
    "male_percent": Decimal("6.4"),
}
NATIONAL_PERIOD = "October 2023 to September 2024"


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, after - dt.timedelta(days=1)


def last_quarter(today: dt.date) -> tuple[int, int]:
    """The last calendar quarter that has ended."""
    quarter = (today.month - 1) // 3  # 0: the quarter before this year's first
    return (today.year - 1, 4) if quarter == 0 else (today.year, quarter)


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class Row:
    """One meeting's return row (or the sum of several)."""

    meeting_date: dt.date | None
    counts: Counter = field(default_factory=Counter)

    def add(self, other: Row) -> None:
        self.counts.update(other.counts)

    def get(self, key: str) -> int:
        return self.counts.get(key, 0)


@dataclass(frozen=True)
class Victim:
    ethnicity: str
    gender: str
    born: dt.date | None
    disabled: str | None  # None: no protected characteristics recorded
    lgbt_plus: str | None
    ethnicity_answer: str | None


def _victim_counts(row: Counter, victim: Victim, on: dt.date) -> None:
    if victim.ethnicity not in ("W1", "NS"):
        row["minoritised"] += 1
    if victim.ethnicity == "NS":
        declined = victim.ethnicity_answer == EthnicityAnswer.PREFER_NOT_TO_SAY
        row[f"ethnicity_{'prefer_not' if declined else 'not_known'}"] += 1
    else:
        row[f"ethnic_{victim.ethnicity[0]}"] += 1
    for key, answer in (("lgbt", victim.lgbt_plus), ("disabled", victim.disabled)):
        answer = answer or Answer.NOT_KNOWN
        if answer == Answer.YES:
            row[key] += 1
        elif answer in (Answer.NOT_KNOWN, Answer.PREFER_NOT_TO_SAY):
            row[f"{key}_{answer}"] += 1
    if victim.gender == "male":
        row["male"] += 1
    age = _age(victim.born, on)
    if age is not None and 16 <= age <= 17:
        row["aged_16_17"] += 1
    if age is not None and age >= 65:
        row["aged_65_plus"] += 1


ITEM_FIELDS = (
    "meeting_id",
    "referral_id",
    "referral__is_repeat",
    "referral__children",
    "has_children",
    "referral__referring_agency__kind",
    "referral__person__ethnicity",
    "referral__person__gender",
    "referral__person__date_of_birth",
    "referral__person__characteristics__disabled",
    "referral__person__characteristics__lgbt_plus",
    "referral__person__characteristics__ethnicity_answer",
)


def meeting_rows(forum: Forum, first: dt.date, last: dt.date) -> list[Row]:
    """One row per meeting of the MARAC held (or started) between the two dates.

    Read as plain values in three queries (meetings, heard items with their referral and victim, the
    perpetrators' dates of birth), not as model instances: a year of a busy MARAC is thousands of cases.
    """
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    meetings = (
        Meeting.objects.filter(forum=forum, starts_at__gte=start, starts_at__lt=end)
        .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED])
        .order_by("starts_at", "pk")
    )
    rows = {pk: Row(meeting_date=timezone.localdate(at)) for pk, at in meetings.values_list("pk", "starts_at")}
    items = list(
        AgendaItem.objects.filter(
            meeting_id__in=list(rows), outcome=AgendaItem.Outcome.HEARD, referral__isnull=False
        ).values_list(*ITEM_FIELDS)
    )
    born_of: dict[int, list[dt.date | None]] = {}
    perpetrators = Referral.perpetrators.through.objects.filter(referral_id__in=[item[1] for item in items])
    for referral_id, born in perpetrators.values_list("referral_id", "person__date_of_birth"):
        born_of.setdefault(referral_id, []).append(born)
    for meeting_id, referral_id, repeat, children, has_children, agency_kind, *victim in items:
        row = rows[meeting_id]
        on = row.meeting_date
        c = row.counts
        c["cases"] += 1
        c["repeats"] += bool(repeat)
        count = len(children or [])
        c["children"] += count
        c["cases_with_children"] += bool(count or has_children)
        c[f"source_{AGENCY_SOURCE.get(agency_kind, 'Other')}"] += 1
        _victim_counts(c, Victim(*victim), on)
        ages = [_age(born, on) for born in born_of.get(referral_id, [])]
        c["perpetrator_under_18"] += any(a is not None and a < 18 for a in ages)
    return list(rows.values())


def total(rows: list[Row]) -> Row:
    out = Row(meeting_date=None)
    for row in rows:
        out.add(row)
    return out


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Metric:
    label: str
    value: Decimal | None
    national: Decimal | None
    expected: str  # the expected range or level from the sources, or why there is none
    withheld: bool = False


def metrics(year_total: Row, adult_women: int | None, threshold: int | None) -> list[Metric]:
    """The published metrics over 12 months; ``threshold`` set: a metric built on a small count is withheld."""
    cases = year_total.get("cases")
    police = year_total.get("source_Police")
    no_range = "No expected range in Safeguard's sources: shown beside the national figure"

    def small(*counts: int) -> bool:
        return threshold is not None and any(0 < c < threshold for c in counts)

    per_10000 = (
        (Decimal(cases) * 10_000 / Decimal(adult_women)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if adult_women
        else None
    )
    out = [
        Metric(
            "Cases per 10,000 women aged 16 and over",
            None if small(cases) else per_10000,
            NATIONAL["per_10000"],
            f"SafeLives recommends {RECOMMENDED_PER_10000} a year"
            + ("" if adult_women else " (no population set for this MARAC)"),
            small(cases),
        ),
        Metric("Repeat cases (%)", None, NATIONAL["repeat_percent"], no_range + " (a 28-40% band was not confirmed)"),
        Metric("Partner-agency (non-police) referrals (%)", None, NATIONAL["partner_percent"], no_range),
        Metric("Victims from minoritised ethnic groups (%)", None, NATIONAL["minoritised_percent"], no_range),
        Metric("LGBT+ victims (%)", None, NATIONAL["lgbt_percent"], no_range),
        Metric("Disabled victims (%)", None, NATIONAL["disabled_percent"], no_range),
        Metric("Male victims (%)", None, NATIONAL["male_percent"], no_range),
    ]
    parts = [
        year_total.get("repeats"),
        cases - police,
        year_total.get("minoritised"),
        year_total.get("lgbt"),
        year_total.get("disabled"),
        year_total.get("male"),
    ]
    for n, part in enumerate(parts, start=1):
        hidden = small(part, cases - part)
        out[n] = Metric(
            out[n].label, None if hidden else _percent(part, cases), out[n].national, out[n].expected, hidden
        )
    return out


@dataclass(frozen=True)
class Return:
    forum: Forum
    year: int
    quarter: int
    first: dt.date
    last: dt.date
    exact: bool  # the MARAC's coordinator: exact counts and the rows per meeting
    threshold: int
    rows: list[Row]
    quarter_total: Row
    year_total: Row
    metrics: list[Metric]
    adult_women: int | None
    # A closed quarter's return as the quarter-end job kept it (``services.snapshots``), for the counts-only view:
    # its headers and rows replace the live ones on the page and in the files; ``kept_note`` says when.
    kept_headers: list[str] | None = None
    kept_rows: list[list] | None = None
    kept_note: str = ""
    kept_id: int | None = None

    @property
    def headers(self) -> list[str]:
        return self.kept_headers if self.kept_headers is not None else FILE_HEADERS

    def figure(self, row: Row, key: str) -> suppression.Figure | None:
        """A count as shown: exact for the coordinator, suppressed for others; None: not collected."""
        if key.startswith("source_") and key[7:] not in COLLECTED_SOURCES:
            return None
        value = row.get(key)
        if self.exact:
            return suppression.Figure(suppression.Shown.SHOWN, value, self.threshold)
        return suppression.suppress_figure(value, self.threshold)

    def source_figures(self) -> list[tuple[str, suppression.Figure | None]]:
        """The quarter's referral sources; suppressed (for others than the coordinator) as a column with its
        total, the cases discussed."""
        collected = [name for name in SOURCE_COLUMNS if name in COLLECTED_SOURCES]
        if self.exact:
            shown = {name: self.figure(self.quarter_total, f"source_{name}") for name in collected}
        else:
            table = suppression.suppress_column(
                [self.quarter_total.get(f"source_{n}") for n in collected], self.threshold
            )
            shown = {name: row[0] for name, row in zip(collected, table.cells, strict=True)}
        return [(name, shown.get(name)) for name in SOURCE_COLUMNS]


def build_return(forum: Forum, year: int, quarter: int, exact: bool) -> Return:
    first, last = quarter_bounds(year, quarter)
    # The 12 months to the quarter's end, read once; the quarter is its last three months.
    year_rows = meeting_rows(forum, dt.date(last.year - 1, last.month, last.day) + dt.timedelta(days=1), last)
    rows = [row for row in year_rows if row.meeting_date >= first]
    settings = MaracSettings.objects.filter(forum=forum).first()
    adult_women = settings.adult_women if settings else None
    threshold = OversightSettings.for_area(forum.area_id).small_number_threshold
    year_total = total(year_rows)
    return Return(
        forum=forum,
        year=year,
        quarter=quarter,
        first=first,
        last=last,
        exact=exact,
        threshold=threshold,
        rows=rows if exact else [],
        quarter_total=total(rows),
        year_total=year_total,
        metrics=metrics(year_total, adult_women, None if exact else threshold),
        adult_women=adult_women,
    )


def forums_for(user) -> list[Forum]:
    """The MARACs whose return the user may see: the coordinator's, or every MARAC of an analyst's area."""
    from ..access import may_view_area_figures

    if not may_view_area_figures(user, SOURCES_ROLES):
        return []
    marac = Forum.objects.filter(kind=Forum.Kind.MARAC, area_id=user.mappa_area_id).order_by("name")
    return [f for f in marac if Role.ANALYST in (user.roles or []) or may_coordinate_forum(user, f)]


def _allowed(ctx: gate.AccessContext, operation: str, forum_id) -> tuple[Forum, bool, str]:
    forum = next((f for f in forums_for(ctx.user) if str(f.pk) == str(forum_id)), None)
    if forum is None:
        raise gate.AccessRefused(ctx, operation, RECORD_TYPE, forum_id, "not a MARAC whose return the user may see")
    exact = bool(may_coordinate_forum(ctx.user, forum))
    return forum, exact, "the MARAC's coordinator" if exact else "aggregate figures of the area"


def as_kept(ctx: gate.AccessContext, r: Return, today: dt.date) -> Return:
    """The counts-only return of a quarter that has ended, as the quarter-end job kept it, where it kept one the
    user may read (``snapshots.kept_safelives``, through the gate's scope); otherwise ``r`` as worked out now.
    The coordinator's exact return is always worked out now: a snapshot keeps only the counts-only view."""
    from . import snapshots

    if r.exact or r.last >= today:
        return r
    snap = snapshots.kept_safelives(ctx.user, r.forum, r.last)
    if snap is None:
        return r
    return replace(
        r,
        kept_headers=list(snap.figures["headers"]),
        kept_rows=[list(row) for row in snap.figures["rows"]],
        kept_note=snapshots.kept_note(snap),
        kept_id=snap.pk,
    )


def _kept_detail(r: Return) -> dict:
    return {"snapshot": r.kept_id} if r.kept_id is not None else {}


def safelives_return(ctx: gate.AccessContext, forum_id, year: int, quarter: int) -> Return:
    forum, exact, reason = _allowed(ctx, Operation.VIEW, forum_id)
    result = as_kept(ctx, build_return(forum, year, quarter, exact), timezone.localdate())
    gate.audit_aggregate(
        ctx, Operation.VIEW, RECORD_TYPE, forum.pk, reason, {"quarter": f"{year}-Q{quarter}", **_kept_detail(result)}
    )
    return result


# --- The file, in SafeLives' column order ---------------------------------------------------------------

FILE_HEADERS = [
    "MARAC name",
    "Meeting date",
    *(label for _, label in COUNT_COLUMNS),
    *SOURCE_COLUMNS,
    *(label for _, label in VICTIM_COLUMNS),
    *(f"Ethnic group: {label} (2021 Census high-level group)" for _, label in ETHNIC_GROUPS),
]


def _cell(r: Return, row: Row, key: str):
    figure = r.figure(row, key)
    if figure is None:
        return ""  # not collected: SafeLives reads a blank cell so
    return figure.value if figure.value is not None else figure.text


def file_rows(r: Return) -> list[list]:
    if r.kept_rows is not None:
        return r.kept_rows
    keys = [
        *(k for k, _ in COUNT_COLUMNS),
        *(f"source_{name}" for name in SOURCE_COLUMNS),
        *(k for k, _ in VICTIM_COLUMNS),
        *(f"ethnic_{code}" for code, _ in ETHNIC_GROUPS),
    ]
    rows = r.rows if r.exact else [r.quarter_total]
    out = []
    for row in rows:
        date = row.meeting_date.isoformat() if row.meeting_date else f"{r.first:%-d %b %Y} to {r.last:%-d %b %Y}"
        out.append([r.forum.name, date, *(_cell(r, row, k) for k in keys)])
    return out


def _xlsx(r: Return) -> bytes:
    """One sheet, headers in row 1 (as the template): marked in the print header and footer and the file's
    properties, since a marking row would move the headers."""
    import io

    from django.conf import settings as django_settings
    from openpyxl import Workbook

    from safeguard.workforce.services.pack import escape_cell

    marking = django_settings.SAFEGUARD_MARKING
    book = Workbook()
    sheet = book.active
    sheet.title = "MARAC data return"
    book.properties.title = f"SafeLives MARAC data return: {r.forum.name}, {r.year} quarter {r.quarter}"
    book.properties.keywords = marking
    book.properties.category = marking
    sheet.oddHeader.center.text = marking
    sheet.oddFooter.center.text = marking
    sheet.append(r.headers)
    for row in file_rows(r):
        sheet.append([escape_cell(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_return(ctx: gate.AccessContext, forum_id, year: int, quarter: int, fmt: str) -> tuple[bytes, str, str]:
    forum, exact, reason = _allowed(ctx, Operation.EXPORT, forum_id)
    r = as_kept(ctx, build_return(forum, year, quarter, exact), timezone.localdate())
    gate.audit_aggregate(
        ctx,
        Operation.EXPORT,
        RECORD_TYPE,
        forum.pk,
        reason,
        {"quarter": f"{year}-Q{quarter}", "format": fmt, **_kept_detail(r)},
    )
    if fmt == "csv":
        # SafeLives' template: one sheet, headers in row 1, a row per meeting; no marking rows inside it.
        import csv
        import io

        from safeguard.workforce.services.pack import escape_cell

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(r.headers)
        for row in file_rows(r):
            writer.writerow([escape_cell(c) for c in row])
        content = ("\ufeff" + out.getvalue()).encode("utf-8")
    else:
        content = _xlsx(r)
    return content, files.CONTENT_TYPES[fmt], f"safelives-{forum.pk}-{year}-q{quarter}-official-sensitive.{fmt}"
