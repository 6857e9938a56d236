"""Relationship-data quality: for each domestic abuse incident, crime and MARAC case, whether the relationship
between its victim and its suspect is recorded.

Three kinds of record are checked:

- a **crime**: a DA incident (``events.Incident.domestic_abuse``) with an offence recorded on it;
- an **incident**: a DA incident with no offence;
- a **MARAC case**: a MARAC referral made to a MARAC of the area (submitted, and neither withdrawn nor
  declined): its victim is the referral's person, its suspects the referral's perpetrators.

A record's relationship is **recorded** where a ``people.Relationship`` joins one of its victims and one of its
suspects (either way round); a record with no victim or no suspect on it cannot have one and counts as not
recorded (the gap the problem profile names is the same gap).

Each record is counted by month (the incident's date; the referral's submission), recording agency, **team**
and local area. The team is the team of the member of staff who recorded it: for an incident, whoever the
incident's first history row names (an incident recorded outside Safeguard's pages, by a bulk load, names
nobody: "Team not known"); for a MARAC case, the team of the referrer. An incident's local area is where it
happened; a MARAC case's, the one local area its MARAC covers ("Not known" where it covers none or several).
Guidance is silent on all of these attributions: they are Safeguard's readings (docs/decisions.md).

All the counting is done by the database (one grouped query for incidents, one for MARAC cases); Python only
arranges the grouped rows into the breakdowns and suppresses them.

Two readings:

- ``quality``: counts by month, kind, recording agency, team and local area, for the area's analysts,
  supervisors, MAPPA coordinators and chairs (``AGGREGATE_ROLES``), each line suppressed with the area's
  threshold (recorded and missing with their total) and audited as figures of the area. The target
  (``OversightSettings.relationship_target``) is a setting: no guidance sets one.
- ``missing_for``: the records the user may see (the gate's scope), for a team or all, that miss one, each
  with a one-click form recording it (``record_missing``, through ``people.services.add_relationship``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.policy import roles_of
from safeguard.audit.models import Operation
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.meetings.models import Forum
from safeguard.people import services as people_services
from safeguard.people.models import Person, Relationship
from safeguard.referrals.models import Referral
from safeguard.rules import suppression
from safeguard.rules.relationships import DEFAULT_CONNECTION, PersonalConnection, RelationshipKind
from safeguard.workforce.models import Agency, Area, Team

from ..access import allowed_area
from ..models import OversightSettings
from . import mappa_annual

RECORD_TYPE = "oversight.relationship_quality"
MONTHS = 12
PER_PAGE = 25

CRIME, INCIDENT, MARAC_CASE = "crime", "incident", "marac_case"
KIND_LABELS = {CRIME: "Crime", INCIDENT: "Incident", MARAC_CASE: "MARAC case"}
# A MARAC referral is a case once submitted, until withdrawn or declined (a draft is nobody's case yet).
CASE_STATUSES = (
    Referral.Status.SUBMITTED,
    Referral.Status.SCREENING,
    Referral.Status.ACCEPTED,
    Referral.Status.LISTED,
)
NO_TEAM = "none"  # the team filter's value for records whose recorder's team is not known


# --- The checks, as SQL expressions -------------------------------------------------------------------------


def incident_recorded() -> Exists:
    """Whether one of the incident's victims has a relationship (either way round) with one of its suspects."""
    suspects = IncidentPerson.objects.filter(
        incident_id=OuterRef(OuterRef("incident_id")), role=IncidentRole.PERPETRATOR
    ).values("person_id")
    linked = Relationship.objects.filter(
        Q(person_id=OuterRef("person_id"), other_id__in=suspects)
        | Q(other_id=OuterRef("person_id"), person_id__in=suspects)
    )
    return Exists(
        IncidentPerson.objects.filter(incident_id=OuterRef("pk"), role=IncidentRole.VICTIM).filter(Exists(linked))
    )


def incident_team() -> Subquery:
    """The team of whoever recorded the incident (its first history row's user), or null."""
    history = Incident.history.model
    return Subquery(
        history.objects.filter(id=OuterRef("pk"), history_type="+")
        .order_by("history_id")
        .values("history_user__team_id")[:1]
    )


def case_recorded() -> Exists:
    """Whether the referral's victim has a relationship (either way round) with one of its perpetrators."""
    perpetrators = Referral.perpetrators.through.objects.filter(referral_id=OuterRef(OuterRef("pk"))).values(
        "person_id"
    )
    return Exists(
        Relationship.objects.filter(
            Q(person_id=OuterRef("person_id"), other_id__in=perpetrators)
            | Q(other_id=OuterRef("person_id"), person_id__in=perpetrators)
        )
    )


def checked_incidents(incidents: QuerySet) -> QuerySet:
    """The DA incidents of the queryset, each with ``is_recorded`` and ``team_id`` worked out by the database."""
    return incidents.filter(domestic_abuse=True).annotate(is_recorded=incident_recorded(), team_id=incident_team())


def checked_cases(referrals: QuerySet) -> QuerySet:
    """The MARAC cases of the queryset (``CASE_STATUSES``), each with ``is_recorded`` worked out by the database."""
    return referrals.filter(kind=Referral.Kind.MARAC, status__in=CASE_STATUSES, submitted_at__isnull=False).annotate(
        is_recorded=case_recorded()
    )


# --- Counting (in the database) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """The records sharing one kind, month, agency, team and local area: how many have the relationship recorded."""

    kind: str
    month: str  # YYYY-MM, local time
    agency_id: int | None
    team_id: int | None
    local_area_id: int | None
    recorded: int
    missing: int


def _month(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m")


def count_incidents(incidents: QuerySet) -> list[Group]:
    """The DA incidents of the queryset, counted by the database in one grouped query."""
    rows = (
        checked_incidents(incidents)
        .annotate(month=TruncMonth("occurred_at"), crime=ExpressionWrapper(Q(offence__isnull=False), BooleanField()))
        .values("month", "crime", "recorded_by_id", "team_id", "local_area_id")
        .annotate(n=Count("pk"), n_recorded=Count("pk", filter=Q(is_recorded=True)))
        .order_by()
    )
    return [
        Group(
            CRIME if r["crime"] else INCIDENT,
            _month(r["month"]),
            r["recorded_by_id"],
            r["team_id"],
            r["local_area_id"],
            r["n_recorded"],
            r["n"] - r["n_recorded"],
        )
        for r in rows
    ]


def covered_area(forum_ids) -> dict[int, int | None]:
    """Each MARAC's one covered local area (None where it covers none or several)."""
    covered: dict[int, list[int]] = {pk: [] for pk in forum_ids}
    for forum_id, area_id in Forum.covers.through.objects.filter(forum_id__in=forum_ids).values_list(
        "forum_id", "area_id"
    ):
        covered[forum_id].append(area_id)
    return {pk: areas[0] if len(areas) == 1 else None for pk, areas in covered.items()}


def count_cases(referrals: QuerySet) -> list[Group]:
    """The MARAC cases of the queryset, counted by the database in one grouped query."""
    rows = list(
        checked_cases(referrals)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month", "referring_agency_id", "referred_by__team_id", "forum_id")
        .annotate(n=Count("pk"), n_recorded=Count("pk", filter=Q(is_recorded=True)))
        .order_by()
    )
    local = covered_area({r["forum_id"] for r in rows})
    return [
        Group(
            MARAC_CASE,
            _month(r["month"]),
            r["referring_agency_id"],
            r["referred_by__team_id"],
            local[r["forum_id"]],
            r["n_recorded"],
            r["n"] - r["n_recorded"],
        )
        for r in rows
    ]


# --- The breakdowns -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    title: str
    keys: list[Hashable]  # what each line is of (a month, a kind, an agency/team/area id, None: not known)
    labels: list[str]
    table: suppression.Table  # columns: recorded, missing; row totals: all
    percents: list[str]  # per line: the share recorded, or "" where a figure is suppressed
    against_target: list[str]  # per line: "Met", "Below", or "" (no target, or the share not shown)


@dataclass(frozen=True)
class Quality:
    area: Area
    threshold: int
    target: int | None
    first_month: str
    breakdowns: list[Breakdown]

    def breakdown(self, title: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.title == title)


def _breakdown(
    title: str,
    groups: list[Group],
    key: Callable[[Group], Hashable],
    label_of: Callable[[Hashable], str],
    threshold: int,
    target: int | None,
    keys: list[Hashable] | None = None,
) -> Breakdown:
    recorded: Counter = Counter()
    missing: Counter = Counter()
    for g in groups:
        recorded[key(g)] += g.recorded
        missing[key(g)] += g.missing
    if keys is None:
        keys = sorted(set(recorded) | set(missing), key=lambda k: (k is None, str(label_of(k))))
    grid = [[recorded[k], missing[k]] for k in keys]
    table = suppression.suppress(grid or [[0, 0]], threshold)
    percents, against = [], []
    for row, total in zip(table.cells, table.row_totals, strict=True):
        if row[0].value is not None and total.value:
            share = 100 * row[0].value / total.value
            percents.append(f"{round(share)}%")
            against.append("" if target is None else ("Met" if share >= target else "Below"))
        else:
            percents.append("")
            against.append("")
    labels = [str(label_of(k)) for k in keys] or ["None"]
    return Breakdown(title, list(keys) or [None], labels, table, percents, against)


def months_from(first_month: str, count: int = MONTHS) -> list[str]:
    year, month = int(first_month[:4]), int(first_month[5:])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def first_month_of(today: dt.date) -> str:
    """The first of the ``MONTHS`` months shown, this month the last."""
    year, month = today.year, today.month - (MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}"


def month_label(month: str) -> str:
    """'2026-03' as 'March 2026'."""
    return dt.date(int(month[:4]), int(month[5:]), 1).strftime("%B %Y")


def groups_of_area(area_id: int, start: dt.datetime, end: dt.datetime | None = None) -> list[Group]:
    """Every DA incident, crime and MARAC case of the area from ``start`` (to before ``end``), counted."""
    local_areas = mappa_annual.area_ids(area_id)
    incidents = Incident.objects.filter(local_area_id__in=local_areas, occurred_at__gte=start)
    cases = Referral.objects.filter(forum__area_id__in=local_areas, submitted_at__gte=start)
    if end is not None:
        incidents, cases = incidents.filter(occurred_at__lt=end), cases.filter(submitted_at__lt=end)
    return count_incidents(incidents) + count_cases(cases)


def build_quality(area_id: int, today: dt.date) -> Quality:
    settings = OversightSettings.for_area(area_id)
    threshold, target = settings.small_number_threshold, settings.relationship_target
    first_month = first_month_of(today)
    start = timezone.make_aware(dt.datetime.strptime(first_month + "-01", "%Y-%m-%d"))
    groups = groups_of_area(area_id, start)
    agencies = dict(Agency.objects.values_list("pk", "name"))
    areas = dict(Area.objects.values_list("pk", "name"))
    teams = dict(Team.objects.values_list("pk", "name"))

    def named(names: dict, unknown: str) -> Callable[[Hashable], str]:
        return lambda k: unknown if k is None else names.get(k, str(k))

    return Quality(
        area=Area.objects.get(pk=area_id),
        threshold=threshold,
        target=target,
        first_month=first_month,
        breakdowns=[
            _breakdown("By month", groups, lambda g: g.month, month_label, threshold, target, months_from(first_month)),
            _breakdown(
                "By kind",
                groups,
                lambda g: g.kind,
                lambda k: KIND_LABELS[str(k)],
                threshold,
                target,
                [k for k in KIND_LABELS if any(g.kind == k for g in groups)],
            ),
            _breakdown(
                "By recording agency", groups, lambda g: g.agency_id, named(agencies, "Not known"), threshold, target
            ),
            _breakdown("By team", groups, lambda g: g.team_id, named(teams, "Team not known"), threshold, target),
            _breakdown(
                "By local area", groups, lambda g: g.local_area_id, named(areas, "Not known"), threshold, target
            ),
        ],
    )


def quality(ctx: gate.AccessContext) -> Quality:
    area_id, reason = allowed_area(ctx, Operation.VIEW, RECORD_TYPE)
    result = build_quality(area_id, timezone.localdate())
    gate.audit_aggregate(ctx, Operation.VIEW, RECORD_TYPE, area_id, reason)
    return result


# --- Each team's list, and recording the relationship from it --------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """A record missing its relationship, as its list shows it."""

    source: str  # "incident" (crimes and incidents) or "case" (MARAC cases)
    pk: int
    reference: str
    kind: str
    on: dt.date
    victim_id: int | None
    suspect_id: int | None
    can_record: bool  # a victim and a suspect, and the user may record on both


def team_choices(user) -> list[tuple[str, str]]:
    """The teams of the user's MAPPA area, for the list's filter: all, each team, and "not known"."""
    area = getattr(user, "mappa_area_id", None)
    teams = Team.objects.filter(area_id__in=mappa_annual.area_ids(area)) if area else Team.objects.none()
    return [("", "All teams"), *((str(t.pk), t.name) for t in teams.order_by("name")), (NO_TEAM, "Team not known")]


def _by_team(queryset: QuerySet, field: str, team: str) -> QuerySet:
    if team == NO_TEAM:
        return queryset.filter(**{f"{field}__isnull": True})
    if team.isdigit():
        return queryset.filter(**{field: int(team)})
    return queryset


def _first_people(incident_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each incident's first victim and first suspect (by person id)."""
    first: dict[int, dict[str, int]] = {}
    for incident_id, person_id, role in (
        IncidentPerson.objects.filter(
            incident_id__in=incident_ids, role__in=[IncidentRole.VICTIM, IncidentRole.PERPETRATOR]
        )
        .order_by("person_id")
        .values_list("incident_id", "person_id", "role")
    ):
        first.setdefault(incident_id, {}).setdefault(role, person_id)
    return first


def _first_perpetrators(referral_ids: list[int]) -> dict[int, int]:
    first: dict[int, int] = {}
    for referral_id, person_id in (
        Referral.perpetrators.through.objects.filter(referral_id__in=referral_ids)
        .order_by("person_id")
        .values_list("referral_id", "person_id")
    ):
        first.setdefault(referral_id, person_id)
    return first


def _changeable(user, people: set[int]) -> set[int]:
    return set(gate.scoped(user, Person.objects.filter(pk__in=people), Operation.CHANGE).values_list("pk", flat=True))


@dataclass(frozen=True)
class MissingLists:
    team: str
    teams: list[tuple[str, str]]
    incidents: object  # a Page of Missing
    cases: object  # a Page of Missing


def missing_for(ctx: gate.AccessContext, team: str = "", page_number=None, case_page_number=None) -> MissingLists:
    """The records the user may see (the gate's scope), of one team or all, whose victim-suspect relationship is
    not recorded, newest first: a page of DA incidents and crimes and a page of MARAC cases, each row with whether
    the user may record the relationship. The records shown are audited as two lists."""
    user = ctx.user
    if not roles_of(user):
        raise gate.AccessRefused(ctx, Operation.VIEW, RECORD_TYPE, None, "no role")
    team = team if team == NO_TEAM or team.isdigit() else ""
    incidents = _by_team(
        checked_incidents(gate.scoped(user, Incident.objects.all())).filter(is_recorded=False), "team_id", team
    ).order_by("-occurred_at", "-pk")
    cases = _by_team(
        checked_cases(gate.scoped(user, Referral.objects.all())).filter(is_recorded=False),
        "referred_by__team_id",
        team,
    ).order_by("-submitted_at", "-pk")
    incident_page = Paginator(incidents.values_list("pk", "reference", "offence_id", "occurred_at"), PER_PAGE).get_page(
        page_number
    )
    case_page = Paginator(cases.values_list("pk", "person_id", "submitted_at"), PER_PAGE).get_page(case_page_number)
    people = _first_people([r[0] for r in incident_page])
    perpetrators = _first_perpetrators([r[0] for r in case_page])
    everyone = {p for roles in people.values() for p in roles.values()} | set(perpetrators.values())
    everyone |= {r[1] for r in case_page}
    changeable = _changeable(user, everyone)

    def row(source, pk, reference, kind, when, victim, suspect) -> Missing:
        can = bool(victim and suspect and victim in changeable and suspect in changeable)
        return Missing(source, pk, reference, kind, timezone.localtime(when).date(), victim, suspect, can)

    incident_page.object_list = [
        row(
            "incident",
            pk,
            reference,
            KIND_LABELS[CRIME if offence_id else INCIDENT],
            when,
            people.get(pk, {}).get(IncidentRole.VICTIM),
            people.get(pk, {}).get(IncidentRole.PERPETRATOR),
        )
        for pk, reference, offence_id, when in incident_page.object_list
    ]
    case_page.object_list = [
        row("case", pk, f"MARAC referral {pk}", KIND_LABELS[MARAC_CASE], when, victim, perpetrators.get(pk))
        for pk, victim, when in case_page.object_list
    ]
    detail = {"list": "relationship missing", "team": team or "all"}
    gate.audit_list(ctx, Operation.VIEW, Incident, [m.pk for m in incident_page.object_list], detail)
    gate.audit_list(ctx, Operation.VIEW, Referral, [m.pk for m in case_page.object_list], detail)
    return MissingLists(team, team_choices(user), incident_page, case_page)


def record_source(ctx: gate.AccessContext, source: str, pk: int):
    """The incident or MARAC case the relationship is recorded for, read through the gate (audited), with its
    first victim and first suspect."""
    if source == "incident":
        record = Incident.objects.filter(pk=pk, domestic_abuse=True).first()
    else:
        record = Referral.objects.filter(pk=pk, kind=Referral.Kind.MARAC).first()
    if record is None:
        raise gate.AccessRefused(ctx, Operation.VIEW, RECORD_TYPE, pk, "no such record")
    gate.authorise(ctx, Operation.VIEW, record, {"page": "record the relationship"})
    if source == "incident":
        first = _first_people([record.pk]).get(record.pk, {})
        victim, suspect = first.get(IncidentRole.VICTIM), first.get(IncidentRole.PERPETRATOR)
        recorded = checked_incidents(Incident.objects.filter(pk=pk)).get().is_recorded
    else:
        victim, suspect = record.person_id, _first_perpetrators([record.pk]).get(record.pk)
        recorded = checked_cases(Referral.objects.filter(pk=pk)).filter(is_recorded=True).exists()
    return record, victim, suspect, recorded


def record_missing(ctx: gate.AccessContext, source: str, pk: int, kind: str) -> Relationship:
    """Record the relationship between the record's first suspect and first victim ("the suspect is the victim's
    KIND"), through the people app's use case (the gate decides on both people and audits the new relationship).
    The Domestic Abuse Act 2021 s.2 connection follows from the kind where it can (``DEFAULT_CONNECTION``); the
    DA flag is set where they are personally connected."""
    record, victim, suspect, recorded = record_source(ctx, source, pk)
    if recorded:
        raise ValidationError({"kind": "The relationship is already recorded: go back to the list"})
    if not victim or not suspect:
        missing = "victim" if not victim else "suspect"
        raise ValidationError({"kind": f"There is no {missing} on this record: add the {missing} to it first"})
    connection = DEFAULT_CONNECTION.get(RelationshipKind(kind), PersonalConnection.NONE)
    relationship = Relationship(
        person_id=suspect,
        other_id=victim,
        kind=kind,
        personal_connection=connection.value,
        domestic_abuse=connection is not PersonalConnection.NONE,
    )
    return people_services.add_relationship(ctx, relationship)
