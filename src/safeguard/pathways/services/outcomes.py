"""What followed programmes, releases and entry to the IOM cohort, as recorded in Safeguard (counts only).

The database does the finding, one query per figure: for each completion or release, the first DA incident
with the person as suspect or perpetrator and the first proven offence (conviction or caution, by offence date)
on or after the start, as correlated subqueries; ``rules.pathway_outcomes`` then decides what falls in the
follow-up (calendar months, which SQL date arithmetic does not share between SQLite and PostgreSQL) and
suppresses the counts. What counts is written in that rule's docstring and in docs/decisions.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeguard.events.models import Conviction, IncidentPerson, IncidentRole
from safeguard.rules import pathway_outcomes as rule
from safeguard.rules.interventions import COMPLETED, DROPPED_OUT

from ..models import InterventionReferral, IomMembership, PathwayItem, Programme, ReleasePlan

PROVEN = (Conviction.Kind.CONVICTION, Conviction.Kind.CAUTION)  # a finding of not guilty by insanity is not
RELEASED = (ReleasePlan.Outcome.RELEASED, ReleasePlan.Outcome.RELEASED_EARLY)


def in_area(area_id: int, prefix: str) -> Q:
    return Q(**{f"{prefix}local_area__parent_id": area_id}) | Q(**{f"{prefix}local_area_id": area_id})


def _da_incidents(person: str) -> QuerySet[IncidentPerson]:
    return IncidentPerson.objects.filter(
        person_id=OuterRef(person), role=IncidentRole.PERPETRATOR, incident__domestic_abuse=True
    )


def _proven(person: str) -> QuerySet[Conviction]:
    return Conviction.objects.filter(person_id=OuterRef(person), kind__in=PROVEN).annotate(
        committed=Coalesce("offence_date", "relevant_date")
    )


def first_da(person: str, start: str) -> Subquery:
    """The first DA incident (its time) of the person as suspect or perpetrator on or after the start's day."""
    found = _da_incidents(person).filter(incident__occurred_at__date__gte=OuterRef(start))
    return Subquery(found.order_by("incident__occurred_at").values("incident__occurred_at")[:1])


def first_offence(person: str, start: str) -> Subquery:
    """The first offence, convicted or cautioned, committed on or after the start (offence date, else the date
    of conviction or caution)."""
    found = _proven(person).filter(committed__gte=OuterRef(start))
    return Subquery(found.order_by("committed").values("committed")[:1])


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def programme_rows(area_id: int, today: dt.date) -> dict[tuple[int, str], list[rule.Followed]]:
    """By programme and final status (completed, dropped out): each referral's end and what followed it."""
    rows = (
        InterventionReferral.objects.filter(
            in_area(area_id, "nominal__"), status__in=(COMPLETED, DROPPED_OUT), ended_on__lte=today
        )
        .annotate(
            da_at=first_da("nominal__person_id", "ended_on"),
            offence_on=first_offence("nominal__person_id", "ended_on"),
        )
        .values_list("programme_id", "status", "ended_on", "da_at", "offence_on")
    )
    grouped: dict[tuple[int, str], list[rule.Followed]] = defaultdict(list)
    for programme_id, status, ended_on, da_at, offence_on in rows:
        grouped[(programme_id, status)].append(rule.Followed(ended_on, _day(da_at), offence_on))
    return grouped


def programme_outcomes(area_id: int, today: dt.date, minimum: int, settings: dict) -> list[rule.OutcomeFigures]:
    """By programme and provider: those who completed it, and those who dropped out, followed up."""
    grouped = programme_rows(area_id, today)
    names = {p.pk: p for p in Programme.objects.filter(pk__in={k[0] for k in grouped})}
    out = []
    for programme in sorted(names.values(), key=lambda p: (p.name, p.provider, p.pk)):
        for status, words in ((COMPLETED, "completed"), (DROPPED_OUT, "dropped out")):
            label = f"{programme.name} ({programme.provider}): {words}"
            out.append(rule.outcomes(label, grouped.get((programme.pk, status), []), today, minimum, settings))
    return out


def release_rows(area_id: int, today: dt.date) -> list[rule.Released]:
    """Every release of the area's nominals recorded as released (on or early), with what followed."""
    accommodation = PathwayItem.objects.filter(plan_id=OuterRef("pk"), pathway="accommodation", in_place_on_day=True)
    treatment = (
        InterventionReferral.objects.filter(
            nominal_id=OuterRef("nominal_id"),
            programme__kind=Programme.Kind.SUBSTANCE_MISUSE,
            started_on__gte=OuterRef("released_on"),
        )
        .order_by("started_on")
        .values("started_on")[:1]
    )
    rows = (
        ReleasePlan.objects.filter(
            in_area(area_id, "nominal__"), outcome__in=RELEASED, released_on__isnull=False, released_on__lte=today
        )
        .annotate(
            housed=Subquery(accommodation.values("pk")[:1]),
            treatment_on=Subquery(treatment),
            da_at=first_da("nominal__person_id", "released_on"),
            offence_on=first_offence("nominal__person_id", "released_on"),
        )
        .values_list("released_on", "housed", "treatment_on", "da_at", "offence_on")
    )
    return [
        rule.Released(released_on, housed is not None, treatment_on, _day(da_at), offence_on)
        for released_on, housed, treatment_on, da_at, offence_on in rows
    ]


def release_outcomes(area_id: int, today: dt.date, minimum: int, settings: dict) -> rule.ReleaseOutcomes:
    return rule.release_outcomes(release_rows(area_id, today), today, minimum, settings)


def iom_entries(area_id: int, today: dt.date) -> list[rule.Entry]:
    """The cohort's entries (each time a nominal entered), with the dates of the person's DA records as
    suspect or perpetrator and of their proven offences (the rule counts them before and after)."""
    entries = list(
        IomMembership.objects.filter(in_area(area_id, "nominal__"), entered_on__lte=today).values_list(
            "nominal__person_id", "entered_on"
        )
    )
    da: dict[int, list[dt.date]] = defaultdict(list)
    offences: dict[int, list[dt.date]] = defaultdict(list)
    members = IomMembership.objects.filter(in_area(area_id, "nominal__")).values("nominal__person_id")
    for person, at in IncidentPerson.objects.filter(
        person_id__in=members, role=IncidentRole.PERPETRATOR, incident__domestic_abuse=True
    ).values_list("person_id", "incident__occurred_at"):
        da[person].append(timezone.localdate(at))
    for person, on in (
        Conviction.objects.filter(person_id__in=members, kind__in=PROVEN)
        .annotate(committed=Coalesce("offence_date", "relevant_date"))
        .values_list("person_id", F("committed"))
    ):
        offences[person].append(on)
    return [rule.Entry(entered_on, tuple(sorted(da[p])), tuple(sorted(offences[p]))) for p, entered_on in entries]


def iom_before_after(area_id: int, today: dt.date, minimum: int, settings: dict) -> rule.BeforeAfter:
    return rule.before_after(iom_entries(area_id, today), today, minimum, settings)
