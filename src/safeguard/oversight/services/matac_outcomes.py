"""MATAC outcomes: for each perpetrator taken on by a MATAC of the area, the RFG score and the domestic abuse
records in the 12 months before and after adoption, further offending, the tactics used, and whether they are
still a serial perpetrator; cohort summaries by year of adoption, with outcomes by tactic.

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
- **Tactics used** are the tactics (support, prevention, diversion, disruption, enforcement: the domain notes'
  list, ``actions.tactics``) of the actions set on the perpetrator's MATAC case (the case the acceptance
  opened, ``Referral.forum_case``), counted per tactic; a cancelled action was not used and is left out. An
  action set before Safeguard recorded tactics is counted as "not recorded", never guessed from its words.
- **By tactic** (cohort summaries): for each tactic, the perpetrators of the cohort with an action of that
  tactic, of whom with a further DA crime, and of whom still a serial perpetrator. A perpetrator with several
  tactics is counted under each, so the tactic rows do not add up to the cohort and no total across them is
  published; no complement ("without a further crime") is published either. Perpetrators with no tactic
  recorded are not a row of the summary: once every other tactic row is 0, that row and one tactic row would
  add up to the cohort, and a small figure could be worked out from the cohort total. The named lines say
  "not recorded" for each perpetrator it applies to.

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
from safeguard.actions.models import Action
from safeguard.actions.tactics import Tactic
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
    tactics: dict[str, int]  # actions (not cancelled) on the MATAC case by tactic value; only those used
    untagged: int  # actions (not cancelled) on the case with no tactic recorded (set before tactics were)

    @property
    def tactics_used(self) -> list[tuple[str, int]]:
        """(label, number of actions) for each tactic used, in the list's order."""
        return [(label, self.tactics[value]) for value, label in Tactic.choices if value in self.tactics]


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


def _tactics_by_case(case_ids: list[int]) -> dict[int, dict[str, int]]:
    """Actions (not cancelled) on each case by tactic ("" where none was recorded), counted by the database."""
    counted: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Action.objects.filter(forum_case_id__in=case_ids)
        .exclude(status=Action.Status.CANCELLED)
        .order_by()  # the model's ordering would split the groups
        .values_list("forum_case_id", "tactic")
        .annotate(n=Count("pk"))
    )
    for case_id, tactic, n in rows:
        counted[case_id][tactic] = n
    return counted


def outcomes_of(referrals, today: dt.date) -> list[Outcome]:
    out = []
    rows = list(
        referrals.order_by("decided_at", "pk").values_list(
            "pk", "person_id", "person__given_name", "person__family_name", "decided_at", "rfg_score", "forum_case_id"
        )
    )
    by_case = _tactics_by_case([row[-1] for row in rows if row[-1] is not None])
    for pk, person_id, given, family, decided_at, at_nomination, case_id in rows:
        used = dict(by_case.get(case_id, {})) if case_id is not None else {}
        untagged = used.pop("", 0)
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
                tactics=used,
                untagged=untagged,
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


TACTIC_COUNTS = [
    ("with", "Perpetrators with an action of this tactic"),
    ("with_further", "Of whom with a further DA crime"),
    ("still_serial", "Of whom still a serial perpetrator"),
]


@dataclass(frozen=True)
class TacticRow:
    tactic: str  # Tactic value
    label: str
    figures: list[suppression.Figure]  # TACTIC_COUNTS


@dataclass(frozen=True)
class Cohort:
    year: int
    figures: list[suppression.Figure]  # SUMMARY_COUNTS
    median_before: str  # "" where the cohort is too small to show
    median_after: str
    tactics: list[TacticRow]  # every tactic, in the list's order (0 where none used)


@dataclass(frozen=True)
class MatacOutcomes:
    area: Area
    threshold: int
    cohorts: list[Cohort]
    lines: list[Outcome]  # only those the user may see by name
    named: bool  # whether any line is the user's to see by name


def _by_tactic(group: list[Outcome], threshold: int) -> list[TacticRow]:
    """Per tactic: the cohort's perpetrators with it, of whom with a further DA crime, of whom still serial; each
    figure suppressed on its own (no totals or complements are published: the module's docstring)."""
    rows = []
    for value, label in Tactic.choices:
        used = [o for o in group if value in o.tactics]
        counts = {
            "with": len(used),
            "with_further": sum(o.crimes_after > 0 for o in used),
            "still_serial": sum(o.still_serial for o in used),
        }
        figures = [suppression.suppress_figure(counts[key], threshold) for key, _ in TACTIC_COUNTS]
        rows.append(TacticRow(tactic=value, label=label, figures=figures))
    return rows


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
                tactics=_by_tactic(group, threshold),
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
