"""What the records say that a referral needs: forums, coordinators, the category, the MARAC counts, RFG scores.

Nothing here changes a record or passes the gate: these are reads the use
cases in this package make after they have passed it, and reads the pages make
to fill a form before anything is saved.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections, router
from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguard.access.policy import COORDINATOR_ROLE_FOR_FORUM
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.meetings.models import Forum, ForumCase
from safeguard.offenders import mappa_status
from safeguard.offenders.models import Nominal
from safeguard.people.models import Person, Relationship
from safeguard.rules import mappa, marac
from safeguard.workforce.models import Agency, Area, AreaSettings, Role, Staff

from ..models import Referral

MAPPA_FORUM_FOR_LEVEL = {2: Forum.Kind.MAPPA_LEVEL_2, 3: Forum.Kind.MAPPA_LEVEL_3}
MAPPA_FORUM_KINDS = tuple(MAPPA_FORUM_FOR_LEVEL.values())
# The forum kinds each kind of referral goes to.
FORUM_KINDS_FOR_REFERRAL = {
    Referral.Kind.MAPPA: MAPPA_FORUM_KINDS,
    Referral.Kind.MARAC: (Forum.Kind.MARAC,),
    Referral.Kind.MATAC: (Forum.Kind.MATAC,),
    Referral.Kind.IOM: (Forum.Kind.IOM,),
}
# Waiting for a decision: a second referral of the same kind to the same forum is refused while one waits.
UNDECIDED = (Referral.Status.DRAFT, Referral.Status.SUBMITTED, Referral.Status.SCREENING)


def mappa_area_id_of(person: Person) -> int | None:
    area = person.area
    return area.pk if area.kind == Area.Kind.MAPPA else area.parent_id


def forums_for(kind: str, person: Person) -> QuerySet[Forum]:
    """The forums of the person's MAPPA area a referral of this kind may go to."""
    return Forum.objects.filter(kind__in=FORUM_KINDS_FOR_REFERRAL[kind], area_id=mappa_area_id_of(person)).order_by(
        "name", "pk"
    )


def kinds_with_forums(kinds: list[str], person: Person) -> set[str]:
    """Which of these kinds of referral have a forum in the person's MAPPA area to go to (one query for all).

    Asked on every nominal and person page (the referral links): its SQL is written once a process for each
    number of forum kinds asked (as accounts.rows does), not built by the ORM each time; read afresh each call.
    """
    wanted = {forum_kind: kind for kind in kinds for forum_kind in FORUM_KINDS_FOR_REFERRAL[kind]}
    area_id = mappa_area_id_of(person)
    if not wanted or area_id is None:
        return set()
    connection = connections[router.db_for_read(Forum)]
    key = (connection.vendor, len(wanted))
    if key not in _FORUM_KINDS_SQL:
        q = connection.ops.quote_name
        kind, area = (q(Forum._meta.get_field(name).column) for name in ("kind", "area"))
        marks = ", ".join(["%s"] * len(wanted))
        # Names from the model's own fields, quoted by the backend; values only ever as parameters.
        _FORUM_KINDS_SQL[key] = (
            f"SELECT DISTINCT {kind} FROM {q(Forum._meta.db_table)} WHERE {area} = %s AND {kind} IN ({marks})"  # noqa: S608
        )
    with connection.cursor() as cursor:
        cursor.execute(_FORUM_KINDS_SQL[key], [area_id, *(str(forum_kind) for forum_kind in wanted)])
        return {wanted[forum_kind] for (forum_kind,) in cursor.fetchall()}


_FORUM_KINDS_SQL: dict[tuple[str, int], str] = {}


def forum_for(kind: str, mappa_area_id: int | None, local_area_id: int | None = None) -> Forum | None:
    """The forum of one kind in a MAPPA area for a local area: one that covers it, else one covering the whole area."""
    forums = list(Forum.objects.filter(kind=kind, area_id=mappa_area_id).prefetch_related("covers").order_by("pk"))
    if local_area_id is not None:
        for forum in forums:
            if any(area.pk == local_area_id for area in forum.covers.all()):
                return forum
    for forum in forums:
        if not forum.covers.all():
            return forum
    return forums[0] if forums else None


def active_nominal(person: Person) -> Nominal | None:
    return (
        Nominal.objects.filter(person=person, status=Nominal.Status.ACTIVE)
        .select_related("local_area", "offender_manager")
        .order_by("-managed_from", "-pk")
        .first()
    )


def undecided_referral(kind: str, person: Person, forum: Forum) -> Referral | None:
    """A referral of this kind for this person still waiting for a decision by a forum of the area, if any.

    The area, not the forum: a MAPPA referral waiting for the Level 2 forum
    would otherwise be screened again by the Level 3 forum.
    """
    return Referral.objects.filter(kind=kind, person=person, forum__area_id=forum.area_id, status__in=UNDECIDED).first()


def coordinators_of(forum: Forum) -> list[Staff]:
    """Who is told about a forum's referrals and links: its named coordinators, else the area's coordinators.

    The area's coordinators are active staff of the forum's MAPPA area who hold
    the coordinator role for the forum's kind (access.policy's table); for the
    MAPPA coordinator role only in a Responsible Authority agency, as the policy
    lets only those coordinate.
    """
    named = list(forum.coordinators.filter(is_active=True).order_by("pk"))
    if named:
        return named
    role = COORDINATOR_ROLE_FOR_FORUM[forum.kind]
    staff = Staff.objects.filter(
        Q(agency__area_id=forum.area_id) | Q(agency__area__parent_id=forum.area_id),
        is_active=True,
        roles__icontains=f'"{role.value}"',
    )
    if role != Role.MARAC_COORDINATOR:
        staff = staff.filter(agency__kind__in=list(Agency.RESPONSIBLE_AUTHORITY))
    return list(staff.order_by("pk"))


def area_mappa_coordinators(mappa_area_id: int) -> list[Staff]:
    """The MAPPA coordinators of an area (told about a Level 1 nominal, which no MAPPA forum holds)."""
    return list(
        Staff.objects.filter(
            Q(agency__area_id=mappa_area_id) | Q(agency__area__parent_id=mappa_area_id),
            is_active=True,
            agency__kind__in=list(Agency.RESPONSIBLE_AUTHORITY),
            roles__icontains=f'"{Role.MAPPA_COORDINATOR.value}"',
        ).order_by("pk")
    )


# MAPPA --------------------------------------------------------------------------


def category_for(person: Person, nominal: Nominal | None, on: dt.date | None = None) -> mappa.CategoryFinding:
    """The MAPPA category the record supports (rules.mappa): the nominal's facts, or the convictions alone."""
    return mappa_status.category_finding(nominal or Nominal(person=person), on or timezone.localdate())


# MARAC --------------------------------------------------------------------------


def events_in_window(person: Person, incident_date: dt.date, settings: marac.MaracSettings) -> int:
    """Domestic-abuse incidents with the person as victim in the forum's escalation window (with this one)."""
    window = marac.escalation_window(incident_date, settings)
    return (
        IncidentPerson.objects.filter(
            person=person,
            role=IncidentRole.VICTIM,
            incident__domestic_abuse=True,
            incident__occurred_at__date__gte=window.start,
            incident__occurred_at__date__lte=window.end,
        )
        .values("incident_id")
        .distinct()
        .count()
    )


def incident_is_crime(person: Person, incident_date: dt.date, incident: Incident | None = None) -> bool:
    """Whether the incident behind a MARAC referral is recorded as a crime (an offence on the incident).

    The incident is the DASH's own where the DASH names one; otherwise any
    domestic-abuse incident recorded with the person as victim on that day.
    Nothing recorded as a crime is not a crime for the crime-based repeat
    definition (the working says so).
    """
    if incident is not None:
        return incident.offence_id is not None
    return Incident.objects.filter(
        people__person=person,
        people__role=IncidentRole.VICTIM,
        domestic_abuse=True,
        occurred_at__date=incident_date,
        offence__isnull=False,
    ).exists()


def last_marac_referral(person: Person, on_or_before: dt.date, exclude_pk: int | None = None) -> Referral | None:
    """The person's latest MARAC referral submitted on or before a day (any MARAC, any status but withdrawn)."""
    candidates = (
        Referral.objects.filter(kind=Referral.Kind.MARAC, person=person, submitted_at__isnull=False)
        .exclude(status=Referral.Status.WITHDRAWN)
        .order_by("-submitted_at", "-pk")
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    for referral in candidates:
        if timezone.localdate(referral.submitted_at) <= on_or_before:
            return referral
    return None


def perpetrator_candidates(victim: Person) -> QuerySet[Person]:
    """The people a MARAC referral may name as perpetrators: those the records connect with the victim.

    Recorded as perpetrator on an incident where the victim is recorded as
    victim, in a relationship with the victim, or named as a perpetrator on an
    earlier MARAC referral of the victim. Someone not yet recorded is
    recorded first (a person record), then named here.
    """
    on_incidents = IncidentPerson.objects.filter(
        role=IncidentRole.PERPETRATOR,
        incident__in=Incident.objects.filter(people__person=victim, people__role=IncidentRole.VICTIM),
    ).values("person_id")
    related = Relationship.objects.filter(person=victim).values("other_id")
    related_in = Relationship.objects.filter(other=victim).values("person_id")
    named = Referral.perpetrators.through.objects.filter(
        referral__person=victim, referral__kind=Referral.Kind.MARAC
    ).values("person_id")
    return (
        Person.objects.filter(Q(pk__in=on_incidents) | Q(pk__in=related) | Q(pk__in=related_in) | Q(pk__in=named))
        .exclude(pk=victim.pk)
        .order_by("family_name", "given_name", "pk")
    )


# MATAC --------------------------------------------------------------------------


def rfg_settings(forum: Forum):
    """The RFG settings of the forum's MAPPA area (AreaSettings.rfg_config; Safeguard's default matrix if none)."""
    return AreaSettings.for_area(forum.area_id).rfg()


def matac_local_areas(forum: Forum) -> list[int]:
    """The local areas a MATAC ranks: those it covers, else every local area of its MAPPA area."""
    covered = list(forum.covers.values_list("pk", flat=True))
    if covered:
        return covered
    return list(Area.objects.filter(parent_id=forum.area_id).values_list("pk", flat=True))


def open_case(forum: Forum, person: Person) -> ForumCase | None:
    return ForumCase.objects.filter(forum=forum, person=person, closed_on=None).order_by("pk").first()
