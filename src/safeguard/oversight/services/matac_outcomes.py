"""MATAC outcomes: for each perpetrator taken on by a MATAC of the area, the RFG score and the domestic abuse
records in the 12 months before and after adoption, further offending, and whether they are still a serial
perpetrator; cohort summaries by year of adoption.

- **Taken on** is a MATAC referral accepted (or listed) by the forum; the **adoption date** is the local date
  of the decision. Guidance is silent on which date MATAC counts from: the decision is the first date the
  partnership owns the case (docs/decisions.md).
- **RFG before** is the score on the adoption date; **RFG after** on the day 12 months after it, or today where
  12 months have not yet passed (said on the line). Both are the rule's own score (``rules.rfg`` through
  ``assessments.rfg_ranking.score_person``) with the area's settings as the ranking uses them.
- **Still serial** is the rule's own serial-perpetrator test on the "after" date (``RfgScore.
  serial_perpetrator``): no threshold of Safeguard's.
- **DA records** are domestic abuse incidents with the person as perpetrator in the 12 months before the
  adoption date (after the same day a year before, up to the day before) and in the 12 months from it;
  **further offending** is those after adoption with an offence recorded (DA crimes). Counted by the database.
- **Tactics** (support, prevention, diversion, disruption, enforcement: domain notes) are not recorded by
  Safeguard yet: the page says so rather than guess them from other records.

Who sees what: the page is for the area's aggregate roles and MARAC coordinators (``ROLES``, the MATAC's
coordinators among them). The cohort summaries are counts only, suppressed with the area's threshold. The
line per perpetrator (with the name) is shown only for the referrals the gate lets the user see
(``gate.scoped``), audited as a list; a counts-only role (analysts) sees none.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.policy import AGGREGATE_ROLES
from safeguard.assessments.rfg_ranking import score_person
from safeguard.audit.models import Operation
from safeguard.events.models import Incident, IncidentRole
from safeguard.referrals.models import Referral
from safeguard.rules import suppression
from safeguard.rules.dates import add_months
from safeguard.workforce.models import Area, Role

from ..access import allowed_area
from ..models import OversightSettings
from . import mappa_annual

RECORD_TYPE = "oversight.matac_outcomes"
ROLES = AGGREGATE_ROLES | {Role.MARAC_COORDINATOR}
TAKEN_ON = (Referral.Status.ACCEPTED, Referral.Status.LISTED)
AFTER_MONTHS = 12


@dataclass(frozen=True)
class Outcome:
    """One perpetrator taken on (exact figures: the named line, for those the gate allows)."""

    referral_id: int
    person_id: int
    name: str
    adopted_on: dt.date
    after_on: dt.date  # 12 months after adoption, or today where that is still to come
    full_year: bool
    rfg_at_nomination: int | None
    rfg_before: int
    rfg_after: int
    records_before: int
    records_after: int
    crimes_after: int
    still_serial: bool


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def taken_on(area_id: int):
    return Referral.objects.filter(
        kind=Referral.Kind.MATAC,
        status__in=TAKEN_ON,
        decided_at__isnull=False,
        forum__area_id__in=mappa_annual.area_ids(area_id),
    )


def _records(person_id: int, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(DA records, DA crimes) of the person as perpetrator from ``start`` to before ``end`` (local days)."""
    counted = Incident.objects.filter(
        domestic_abuse=True,
        occurred_at__gte=_aware(start),
        occurred_at__lt=_aware(end),
        people__person_id=person_id,
        people__role=IncidentRole.PERPETRATOR,
    ).aggregate(records=Count("pk", distinct=True), crimes=Count("pk", distinct=True, filter=Q(offence__isnull=False)))
    return counted["records"], counted["crimes"]


def outcomes_of(referrals, today: dt.date) -> list[Outcome]:
    out = []
    rows = referrals.order_by("decided_at", "pk").values_list(
        "pk", "person_id", "person__given_name", "person__family_name", "decided_at", "rfg_score"
    )
    for pk, person_id, given, family, decided_at, at_nomination in rows:
        adopted = timezone.localdate(decided_at)
        year_after = add_months(adopted, AFTER_MONTHS)
        after_on = min(year_after, today)
        before = score_person(person_id, adopted)
        after = score_person(person_id, after_on)
        records_before, _ = _records(person_id, add_months(adopted, -AFTER_MONTHS) + dt.timedelta(days=1), adopted)
        records_after, crimes_after = _records(person_id, adopted, after_on + dt.timedelta(days=1))
        out.append(
            Outcome(
                referral_id=pk,
                person_id=person_id,
                name=f"{given} {family}".strip(),
                adopted_on=adopted,
                after_on=after_on,
                full_year=year_after <= today,
                rfg_at_nomination=at_nomination,
                rfg_before=before.total,
                rfg_after=after.total,
                records_before=records_before,
                records_after=records_after,
                crimes_after=crimes_after,
                still_serial=after.serial_perpetrator,
            )
        )
    return out


# --- Cohort summaries (counts only, suppressed) --------------------------------------------------------------

SUMMARY_COUNTS = [
    ("adopted", "Taken on"),
    ("full_year", "With 12 months since"),
    ("records_before", "DA records in the 12 months before"),
    ("records_after", "DA records in the 12 months after"),
    ("with_further", "With a further DA crime"),
    ("still_serial", "Still a serial perpetrator"),
]


@dataclass(frozen=True)
class Cohort:
    year: int
    figures: list[suppression.Figure]  # SUMMARY_COUNTS
    median_before: str  # "" where the cohort is too small to show
    median_after: str


@dataclass(frozen=True)
class MatacOutcomes:
    area: Area
    threshold: int
    cohorts: list[Cohort]
    lines: list[Outcome]  # only those the user may see by name
    named: bool  # whether any line is the user's to see by name


def _summary(outcomes: list[Outcome], threshold: int) -> list[Cohort]:
    by_year: dict[int, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_year[o.adopted_on.year].append(o)
    cohorts = []
    for year in sorted(by_year):
        group = by_year[year]
        counts = {
            "adopted": len(group),
            "full_year": sum(o.full_year for o in group),
            "records_before": sum(o.records_before for o in group),
            "records_after": sum(o.records_after for o in group),
            "with_further": sum(o.crimes_after > 0 for o in group),
            "still_serial": sum(o.still_serial for o in group),
        }
        figures = [suppression.suppress_figure(counts[key], threshold) for key, _ in SUMMARY_COUNTS]
        shown = len(group) >= threshold
        cohorts.append(
            Cohort(
                year=year,
                figures=figures,
                median_before=str(statistics.median(o.rfg_before for o in group)) if shown else "",
                median_after=str(statistics.median(o.rfg_after for o in group)) if shown else "",
            )
        )
    return cohorts


def build_outcomes(area_id: int, today: dt.date, visible=None) -> MatacOutcomes:
    """The cohort summaries of the area and, of ``visible`` (the referrals the user may see), the named lines."""
    threshold = OversightSettings.for_area(area_id).small_number_threshold
    everyone = outcomes_of(taken_on(area_id), today)
    seen = set(visible.values_list("pk", flat=True)) if visible is not None else set()
    return MatacOutcomes(
        area=Area.objects.get(pk=area_id),
        threshold=threshold,
        cohorts=_summary(everyone, threshold),
        lines=[o for o in everyone if o.referral_id in seen],
        named=bool(seen),
    )


def matac_outcomes(ctx: gate.AccessContext) -> MatacOutcomes:
    area_id, reason = allowed_area(ctx, Operation.VIEW, RECORD_TYPE, ROLES)
    visible = gate.scoped(ctx.user, taken_on(area_id))
    result = build_outcomes(area_id, timezone.localdate(), visible)
    gate.audit_aggregate(ctx, Operation.VIEW, RECORD_TYPE, area_id, reason)
    gate.audit_list(ctx, Operation.VIEW, Referral, [o.referral_id for o in result.lines], {"list": "MATAC outcomes"})
    return result
