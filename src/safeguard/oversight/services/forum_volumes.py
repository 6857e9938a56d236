"""Forum volumes across local areas: each local authority area of a MAPPA area side by side, over 12 calendar
months, so that a review can see where MARAC and triage carry too many cases (the MARAC review's "across all
seven local authority areas").

For each local area (counts only, never a name):

- **MARAC**: referrals submitted; meetings held; cases heard (a referral heard at a held meeting, as the SafeLives
  return counts them); repeats among them; cases per meeting; minutes per case (the held meetings' minutes from
  start to end over the cases heard at them; a meeting with no end time recorded is left out of this measure
  and counted as such). A MARAC's cases count for the one local area it covers ("Not known" where it covers
  none or several: the MARAC of a victim is not yet explicit).
- **Triage**: incidents triaged (the triage meeting started in the months), by grade, and their outcomes (a MARAC
  referral made, a safeguarding referral made, no further action with its reason); an incident counts for the
  local area where it happened.
- **Time**: the median hours from the incident to its triage decision (graded), and the median days from the
  triage decision to the MARAC meeting that heard the referral it made.
- **The SafeLives capacity guides** (domain notes, "Volumes": "expected 40 cases a year per 10,000 women aged
  16+; one IDVA per ~100 referrals a year"): the expected MARAC cases a year from the area's women aged 16 and
  over, and the referrals its full-time IDVA posts can take, both from the area's settings
  (``LocalAreaSettings``): no figure is invented; where one is not set, no guide is drawn.

Small numbers: each count column (areas and their total) is suppressed with the area's threshold; a triage
grade table is suppressed as a table; a ratio or a median is shown only where every count behind it is shown
and, for a median, where it is of at least ``threshold`` records (fewer could reveal one person's times).

Everything is counted by the database (grouped queries); the medians are worked out in Python from the
durations alone (two numbers a record, no names).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.policy import AGGREGATE_ROLES
from safeguard.audit.models import Operation
from safeguard.meetings.models import AgendaItem, Forum, Meeting
from safeguard.referrals.models import Referral
from safeguard.rules import suppression
from safeguard.triage.models import Grade, TriageCase
from safeguard.workforce.models import Area, Role

from ..access import allowed_area
from ..models import LocalAreaSettings, OversightSettings
from . import files
from .relationships import covered_area, month_label

RECORD_TYPE = "oversight.forum_volumes"
ROLES = AGGREGATE_ROLES | {Role.MARAC_COORDINATOR}
MONTHS = 12

# SafeLives' capacity guides, as the domain notes give them ("Volumes"): not thresholds of Safeguard's.
CASES_PER_10000_WOMEN = Decimal("40")
REFERRALS_PER_IDVA_POST = Decimal("100")
GUIDE_SOURCE = (
    'SafeLives, as the domain notes give it: "expected 40 cases a year per 10,000 women aged 16+; one IDVA per '
    '~100 referrals a year"'
)

MARAC_COUNTS = [
    ("referrals", "MARAC referrals"),
    ("meetings", "Meetings held"),
    ("cases", "Cases heard"),
    ("repeats", "Repeat cases"),
]
GRADES = [(Grade.RED, "Red"), (Grade.AMBER, "Amber"), (Grade.GREEN, "Green"), ("", "Not graded")]
OUTCOMES = [
    ("to_marac", "MARAC referral made"),
    ("safeguarding", "Safeguarding referral made"),
    ("nfa", "No further action"),
]


def period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 calendar months before this month: (first day, first day after)."""
    end = today.replace(day=1)
    year, month = end.year - 1, end.month
    return dt.date(year, month, 1), end


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class Counts:
    """The exact figures of one local area (None: not known), before suppression."""

    marac: Counter
    grades: Counter
    outcomes: Counter
    minutes: int  # of held meetings with an end time
    timed_cases: int  # cases heard at those meetings
    untimed_meetings: int
    to_triage_hours: list[float]
    to_marac_days: list[float]


def _counts() -> Counts:
    return Counts(Counter(), Counter(), Counter(), 0, 0, 0, [], [])


def count_area(area_id: int, first: dt.date, end: dt.date) -> dict[int | None, Counts]:
    """Every local area's exact figures (the key None: a MARAC covering no single local area)."""
    start, stop = _aware(first), _aware(end)
    local_ids = list(
        Area.objects.filter(parent_id=area_id, kind=Area.Kind.LOCAL_AUTHORITY).values_list("pk", flat=True)
    )
    out: dict[int | None, Counts] = defaultdict(_counts)
    for pk in local_ids:
        out[pk] = _counts()
    forums = list(Forum.objects.filter(kind=Forum.Kind.MARAC, area_id=area_id).values_list("pk", flat=True))
    local_of = covered_area(forums)

    referrals = (
        Referral.objects.filter(
            kind=Referral.Kind.MARAC, forum_id__in=forums, submitted_at__gte=start, submitted_at__lt=stop
        )
        .values("forum_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in referrals:
        out[local_of[r["forum_id"]]].marac["referrals"] += r["n"]

    held = Meeting.objects.filter(forum_id__in=forums, starts_at__gte=start, starts_at__lt=stop).exclude(
        status__in=[Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED]
    )
    heard = Q(items__outcome=AgendaItem.Outcome.HEARD, items__referral__isnull=False)
    meetings = held.values("pk", "forum_id", "starts_at", "ends_at").annotate(
        cases=Count("items", filter=heard),
        repeats=Count("items", filter=heard & Q(items__referral__is_repeat=True)),
    )
    for m in meetings:
        c = out[local_of[m["forum_id"]]]
        c.marac["meetings"] += 1
        c.marac["cases"] += m["cases"]
        c.marac["repeats"] += m["repeats"]
        if m["ends_at"] and m["ends_at"] > m["starts_at"]:
            c.minutes += round((m["ends_at"] - m["starts_at"]).total_seconds() / 60)
            c.timed_cases += m["cases"]
        else:
            c.untimed_meetings += 1

    triaged = TriageCase.objects.filter(meeting__starts_at__gte=start, meeting__starts_at__lt=stop).filter(
        Q(incident__local_area_id__in=local_ids)
    )
    by_grade = triaged.values("incident__local_area_id", "grade").annotate(n=Count("pk")).order_by()
    for r in by_grade:
        out[r["incident__local_area_id"]].grades[r["grade"]] += r["n"]
    outcomes = (
        triaged.values("incident__local_area_id")
        .annotate(
            to_marac=Count("pk", filter=Q(marac_referral__isnull=False)),
            safeguarding=Count("pk", filter=Q(safeguarding_referral_to__isnull=False)),
            nfa=Count("pk", filter=~Q(no_further_action_reason="")),
        )
        .order_by()
    )
    for r in outcomes:
        for key, _ in OUTCOMES:
            out[r["incident__local_area_id"]].outcomes[key] += r[key]
    for local, occurred, graded in triaged.filter(graded_at__isnull=False).values_list(
        "incident__local_area_id", "incident__occurred_at", "graded_at"
    ):
        out[local].to_triage_hours.append((graded - occurred).total_seconds() / 3600)
    heard_at = dict(
        AgendaItem.objects.filter(
            outcome=AgendaItem.Outcome.HEARD,
            referral_id__in=triaged.filter(marac_referral__isnull=False, graded_at__isnull=False).values(
                "marac_referral_id"
            ),
        )
        .exclude(meeting__status__in=[Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED])
        .order_by("referral_id", "-meeting__starts_at")
        .values_list("referral_id", "meeting__starts_at")
    )  # each referral's first hearing (the latest written last, the earliest kept)
    for local, referral_id, graded in triaged.filter(marac_referral__isnull=False, graded_at__isnull=False).values_list(
        "incident__local_area_id", "marac_referral_id", "graded_at"
    ):
        if referral_id in heard_at:
            out[local].to_marac_days.append((heard_at[referral_id] - graded).total_seconds() / 86400)
    return dict(out)


# --- As published -----------------------------------------------------------------------------------------------


def _one_place(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Line:
    """One local area's published figures."""

    area_id: int | None
    name: str
    marac: list[suppression.Figure]  # MARAC_COUNTS
    per_meeting: str  # "" where not shown
    minutes_per_case: str
    untimed_meetings: suppression.Figure
    expected_cases: str  # the SafeLives guide from the area's women aged 16+, or "" where not set
    per_10000: str
    idva_capacity: str  # the referrals its IDVA posts can take a year, or ""
    referrals_per_post: str
    grades: list[suppression.Figure]  # GRADES, then all
    outcomes: list[suppression.Figure]  # OUTCOMES
    to_triage: str  # median hours, or ""
    to_triage_count: suppression.Figure
    to_marac: str  # median days, or ""
    to_marac_count: suppression.Figure
    guide_cases: float | None  # for the charts (not suppressed: a setting, not a count)
    guide_referrals: float | None


@dataclass(frozen=True)
class Volumes:
    area: Area
    threshold: int
    first: dt.date
    last: dt.date
    lines: list[Line]
    marac_totals: list[suppression.Figure]
    grade_totals: list[suppression.Figure]
    outcome_totals: list[suppression.Figure]

    @property
    def months(self) -> str:
        return f"{month_label(self.first.strftime('%Y-%m'))} to {month_label(self.last.strftime('%Y-%m'))}"


def _columns(values: list[list[int]], threshold: int) -> tuple[list[list[suppression.Figure]], list]:
    """Each column (a count over the areas, with its total) suppressed on its own: the areas' rows of figures
    and the totals."""
    if not values:
        return [], []
    columns = list(zip(*values, strict=True))
    tables = [suppression.suppress_column(list(column), threshold) for column in columns]
    rows = [[t.cells[i][0] for t in tables] for i in range(len(values))]
    return rows, [t.grand_total for t in tables]


def _ratio(top: suppression.Figure, bottom: suppression.Figure, scale: Decimal = Decimal(1)) -> str:
    if top.value is None or not bottom.value:
        return ""
    return _one_place(Decimal(top.value) * scale / Decimal(bottom.value))


def _divided(top: suppression.Figure, by: Decimal) -> str:
    """A shown count divided by a setting (women aged 16+ in 10,000s, IDVA posts)."""
    if top.value is None or not by:
        return ""
    return _one_place(Decimal(top.value) / by)


def _median(values: list[float], shown: suppression.Figure, threshold: int) -> str:
    if shown.value is None or len(values) < threshold:
        return ""
    return _one_place(Decimal(str(statistics.median(values))))


def build_volumes(area_id: int, first: dt.date, end: dt.date) -> Volumes:
    """The figures (no access check and no audit: ``volumes`` and ``export_volumes`` do both)."""
    threshold = OversightSettings.for_area(area_id).small_number_threshold
    counted = count_area(area_id, first, end)
    names = dict(Area.objects.filter(pk__in=[k for k in counted if k]).values_list("pk", "name"))
    keys = sorted((k for k in counted if k is not None), key=lambda k: names[k])
    if None in counted and any(counted[None].marac.values()):
        keys.append(None)
    settings = {s.area_id: s for s in LocalAreaSettings.objects.filter(area_id__in=[k for k in keys if k])}
    marac_rows, marac_totals = _columns([[counted[k].marac[c] for c, _ in MARAC_COUNTS] for k in keys], threshold)
    extra_rows, _ = _columns(
        [
            [
                counted[k].untimed_meetings,
                counted[k].timed_cases,
                len(counted[k].to_triage_hours),
                len(counted[k].to_marac_days),
            ]
            for k in keys
        ],
        threshold,
    )
    grade_table = suppression.suppress(
        [[counted[k].grades[g] for g, _ in GRADES] for k in keys] or [[0] * 4], threshold
    )
    outcome_rows, outcome_totals = _columns([[counted[k].outcomes[o] for o, _ in OUTCOMES] for k in keys], threshold)
    lines = []
    for i, k in enumerate(keys):
        c, s = counted[k], settings.get(k)
        referrals, meetings, cases, _repeats = marac_rows[i]
        untimed, timed_cases, triage_n, marac_n = extra_rows[i]
        women = s.adult_women if s and s.adult_women else None
        posts = s.idva_posts if s and s.idva_posts else None
        expected = CASES_PER_10000_WOMEN * women / 10000 if women else None
        capacity = REFERRALS_PER_IDVA_POST * posts if posts else None
        minutes = suppression.suppress_figure(c.minutes, threshold)
        lines.append(
            Line(
                area_id=k,
                name=names[k] if k else "Not known (a MARAC covering no single local area)",
                marac=marac_rows[i],
                per_meeting=_ratio(cases, meetings),
                minutes_per_case=_ratio(minutes, timed_cases),
                untimed_meetings=untimed,
                expected_cases=_one_place(expected) if expected is not None else "",
                per_10000=_divided(cases, Decimal(women) / 10000) if women else "",
                idva_capacity=_one_place(capacity) if capacity is not None else "",
                referrals_per_post=_divided(referrals, posts) if posts else "",
                grades=[*grade_table.cells[i], grade_table.row_totals[i]],
                outcomes=outcome_rows[i],
                to_triage=_median(c.to_triage_hours, triage_n, threshold),
                to_triage_count=triage_n,
                to_marac=_median(c.to_marac_days, marac_n, threshold),
                to_marac_count=marac_n,
                guide_cases=float(expected) if expected is not None else None,
                guide_referrals=float(capacity) if capacity is not None else None,
            )
        )
    return Volumes(
        area=Area.objects.get(pk=area_id),
        threshold=threshold,
        first=first,
        last=end - dt.timedelta(days=1),
        lines=lines,
        marac_totals=marac_totals,
        grade_totals=[*grade_table.column_totals, grade_table.grand_total],
        outcome_totals=outcome_totals,
    )


def volumes(ctx: gate.AccessContext) -> Volumes:
    area_id, reason = allowed_area(ctx, Operation.VIEW, RECORD_TYPE, ROLES)
    result = build_volumes(area_id, *period(timezone.localdate()))
    gate.audit_aggregate(ctx, Operation.VIEW, RECORD_TYPE, area_id, reason)
    return result


def _shown(figure: suppression.Figure):
    return figure.value if figure.value is not None else figure.text


def tables(v: Volumes) -> list[files.TitledTable]:
    marac = [
        [
            line.name,
            *(_shown(f) for f in line.marac),
            line.per_meeting or "not shown",
            line.minutes_per_case or "not shown",
            line.expected_cases or "not set",
            line.per_10000 or "not shown",
            line.idva_capacity or "not set",
            line.referrals_per_post or "not shown",
        ]
        for line in v.lines
    ]
    marac.append(["All areas", *(_shown(f) for f in v.marac_totals), "", "", "", "", "", ""])
    grades = [[line.name, *(_shown(f) for f in line.grades)] for line in v.lines]
    grades.append(["All areas", *(_shown(f) for f in v.grade_totals)])
    outcomes = [[line.name, *(_shown(f) for f in line.outcomes)] for line in v.lines]
    outcomes.append(["All areas", *(_shown(f) for f in v.outcome_totals)])
    times = [
        [
            line.name,
            line.to_triage or "not shown",
            _shown(line.to_triage_count),
            line.to_marac or "not shown",
            _shown(line.to_marac_count),
        ]
        for line in v.lines
    ]
    return [
        (
            "MARAC by local area",
            [
                "Local area",
                *(label for _, label in MARAC_COUNTS),
                "Cases per meeting",
                "Minutes per case",
                "SafeLives guide: expected cases a year (40 per 10,000 women aged 16+)",
                "Cases heard per 10,000 women aged 16+",
                "SafeLives guide: referrals the IDVA posts can take a year (100 per post)",
                "MARAC referrals per IDVA post",
            ],
            marac,
        ),
        ("Triage by grade", ["Local area", *(label for _, label in GRADES), "All triaged"], grades),
        ("Triage outcomes", ["Local area", *(label for _, label in OUTCOMES)], outcomes),
        (
            "Time from incident to triage to MARAC (medians)",
            [
                "Local area",
                "Hours from incident to triage decision",
                "Triage decisions timed",
                "Days from triage decision to MARAC",
                "Cases timed",
            ],
            times,
        ),
    ]


def preamble(v: Volumes) -> list[str]:
    return [
        f"Forum volumes across local areas: {v.area.name}, {v.months}",
        f"Figures from 1 to {v.threshold - 1} are shown as 'fewer than {v.threshold}'; 0 is shown as 0; 'withheld' "
        "figures are hidden so that a total cannot reveal a small one. A ratio or median is shown only where the "
        "counts behind it are.",
        f"Capacity guides: {GUIDE_SOURCE}. Women aged 16+ and IDVA posts are each area's own settings.",
        "No names: counts only.",
    ]


def export_volumes(ctx: gate.AccessContext, fmt: str) -> tuple[bytes, str, str]:
    area_id, reason = allowed_area(ctx, Operation.EXPORT, RECORD_TYPE, ROLES)
    v = build_volumes(area_id, *period(timezone.localdate()))
    gate.audit_aggregate(ctx, Operation.EXPORT, RECORD_TYPE, area_id, reason, {"format": fmt})
    if fmt == "csv":
        content = files.to_csv(preamble(v), tables(v))
    else:
        content = files.to_xlsx("Forum volumes", preamble(v), tables(v))
    return content, files.CONTENT_TYPES[fmt], f"forum-volumes-official-sensitive.{fmt}"
