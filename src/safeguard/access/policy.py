"""Who may see and do what with a personal record. Deny by default.

Each rule exists twice on purpose, side by side: as a predicate on one record
(`may_*`) and as a query filter over many (`*_scope`), so that a page of one
record and a search over many can never disagree. tests/access checks that
they agree for every role on a generated world.

The axes (Primero's three, CommCare's deny-by-default):
- role: what kind of work the user does (workforce.Role);
- agency: Responsible Authority staff (police, probation, prisons) work the
  cases of their MAPPA area; Duty-to-Co-operate staff see only the people
  whose cases sit on a forum their agency is a member of;
- allocation: changing a nominal needs to be its offender manager, the area's
  MAPPA coordinator, or the supervisor of the offender manager's team;
- analysts and administrators see no named record at all (aggregates and
  reference data only).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from safeguard.workforce.models import Role, Staff

# Roles whose holders in a Responsible Authority agency work the area's cases.
CASE_ROLES = frozenset(
    {
        Role.OFFENDER_MANAGER,
        Role.MAPPA_COORDINATOR,
        Role.SUPERVISOR,
        Role.CHAIR,
        Role.MARAC_COORDINATOR,
    }
)
# Of those, the roles that may record and change people and events.
RECORDING_ROLES = frozenset(
    {
        Role.OFFENDER_MANAGER,
        Role.MAPPA_COORDINATOR,
        Role.SUPERVISOR,
        Role.MARAC_COORDINATOR,
    }
)
# Roles that may see a person through their agency's forum membership.
FORUM_ROLES = frozenset(
    {
        Role.OFFENDER_MANAGER,
        Role.MAPPA_COORDINATOR,
        Role.MARAC_COORDINATOR,
        Role.IDVA,
        Role.CHAIR,
        Role.SUPERVISOR,
        Role.PARTNER,
    }
)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def _roles(user: Staff) -> set[str]:
    return set(user.roles or []) if user.is_authenticated and user.is_active else set()


def _area_worker(user: Staff, roles: frozenset) -> bool:
    """Staff who work every case of their MAPPA area: a Responsible Authority, or MARAC coordinators."""
    held = _roles(user) & roles
    if not held or user.agency_id is None:
        return False
    return user.agency.is_responsible_authority or Role.MARAC_COORDINATOR in held


def sees_through_forums(user: Staff) -> bool:
    return bool(_roles(user) & FORUM_ROLES) and user.agency_id is not None


# The scopes below are written without joins: a plain column test, or an IN over a
# small subquery, so that PostgreSQL can combine them with the search's own index
# lookups instead of scanning every person joined to every forum case.


def _forum_people(user: Staff, person_ref: str = "pk") -> Exists:
    """A person is on an open case of a forum the user's agency sits on (correlated: an index lookup per row)."""
    from safeguard.meetings.models import ForumCase

    return Exists(
        ForumCase.objects.filter(person_id=OuterRef(person_ref), closed_on=None, forum__member_agencies=user.agency_id)
    )


def _area_ids(user: Staff) -> list[int]:
    from safeguard.workforce.models import Area

    mappa = user.mappa_area_id
    return [mappa, *Area.objects.filter(parent_id=mappa).values_list("pk", flat=True)]


# People ---------------------------------------------------------------------


def may_view_person(user: Staff, person) -> Decision:
    if _area_worker(user, CASE_ROLES) and person.area_id == user.mappa_area_id:
        return Decision(True, "area case worker")
    if (
        _roles(user) & FORUM_ROLES
        and user.agency_id
        and person.forum_cases.filter(closed_on=None, forum__member_agencies=user.agency_id).exists()
    ):
        return Decision(True, "forum member agency")
    return Decision(False, "no need to know")


def may_change_person(user: Staff, person) -> Decision:
    if _area_worker(user, RECORDING_ROLES) and person.area_id == user.mappa_area_id:
        return Decision(True, "area recorder")
    return Decision(False, "may not record on this person")


def people_scope(user: Staff) -> Q:
    """The people a user may find or see; an empty result for anyone else."""
    scope = Q(pk__in=[])
    if _area_worker(user, CASE_ROLES):
        scope |= Q(area_id=user.mappa_area_id)
    if _roles(user) & FORUM_ROLES and user.agency_id:
        scope |= Q(_forum_people(user))
    return scope


# Assessments ------------------------------------------------------------------

# Instruments an IDVA completes with the victim they support (SafeLives: DASH is the IDVA's tool too).
IDVA_INSTRUMENTS = frozenset({"dash", "dash-yp"})


def may_assess(user: Staff, person, instrument_code: str) -> Decision:
    """Record an assessment: an area recorder, or an IDVA completing a DASH with a person they may see."""
    recorder = may_change_person(user, person)
    if recorder:
        return recorder
    if Role.IDVA in _roles(user) and instrument_code in IDVA_INSTRUMENTS and may_view_person(user, person):
        return Decision(True, "IDVA supporting the person")
    return Decision(False, "may not assess this person")


# Nominals -------------------------------------------------------------------


def _nominal_in_area(user: Staff, nominal) -> bool:
    return nominal.local_area.parent_id == user.mappa_area_id or nominal.local_area_id == user.mappa_area_id


def may_view_nominal(user: Staff, nominal) -> Decision:
    if _area_worker(user, CASE_ROLES) and _nominal_in_area(user, nominal):
        return Decision(True, "area case worker")
    if (
        _roles(user) & FORUM_ROLES
        and user.agency_id
        and nominal.person.forum_cases.filter(closed_on=None, forum__member_agencies=user.agency_id).exists()
    ):
        return Decision(True, "forum member agency")
    return Decision(False, "no need to know")


def may_change_nominal(user: Staff, nominal) -> Decision:
    roles = _roles(user)
    if not roles or user.agency_id is None or not user.agency.is_responsible_authority:
        return Decision(False, "not a Responsible Authority case worker")
    if Role.OFFENDER_MANAGER in roles and nominal.offender_manager_id == user.pk:
        return Decision(True, "allocated offender manager")
    if not _nominal_in_area(user, nominal):
        return Decision(False, "outside the user's MAPPA area")
    if Role.MAPPA_COORDINATOR in roles:
        return Decision(True, "MAPPA coordinator of the area")
    if (
        Role.SUPERVISOR in roles
        and user.team_id
        and (nominal.offender_manager_id is None or nominal.offender_manager.team_id == user.team_id)
    ):
        return Decision(True, "supervisor of the offender manager's team")
    return Decision(False, "not allocated to this user")


def nominals_scope(user: Staff) -> Q:
    scope = Q(pk__in=[])
    if _area_worker(user, CASE_ROLES):
        scope |= Q(local_area_id__in=_area_ids(user))
    if sees_through_forums(user):
        scope |= Q(_forum_people(user, "person_id"))
    return scope


def may_create_nominal(user: Staff, local_area) -> Decision:
    roles = _roles(user)
    if (
        user.agency_id
        and user.agency.is_responsible_authority
        and roles & {Role.MAPPA_COORDINATOR, Role.SUPERVISOR, Role.OFFENDER_MANAGER}
        and (local_area.parent_id == user.mappa_area_id)
    ):
        return Decision(True, "Responsible Authority case worker in the area")
    return Decision(False, "may not open nominals in this area")


# Incidents ------------------------------------------------------------------


def _incident_in_area(user: Staff, incident) -> bool:
    return incident.local_area.parent_id == user.mappa_area_id


def may_view_incident(user: Staff, incident) -> Decision:
    if _area_worker(user, CASE_ROLES) and _incident_in_area(user, incident):
        return Decision(True, "area case worker")
    for link in incident.people.all():
        if may_view_person(user, link.person):
            return Decision(True, "may see a person in the incident")
    return Decision(False, "no need to know")


def may_change_incident(user: Staff, incident) -> Decision:
    if _area_worker(user, RECORDING_ROLES) and _incident_in_area(user, incident):
        return Decision(True, "area recorder")
    return Decision(False, "may not record incidents in this area")


def incidents_scope(user: Staff) -> Q:
    scope = Q(pk__in=[])
    if _area_worker(user, CASE_ROLES):
        scope |= Q(local_area_id__in=_area_ids(user))
    if sees_through_forums(user):
        from safeguard.events.models import IncidentPerson

        links = IncidentPerson.objects.filter(incident_id=OuterRef("pk")).filter(_forum_people(user, "person_id"))
        scope |= Q(Exists(links))
    return scope


# Staff records: training, competence and caseload figures -------------------------
#
# A member of staff's training records and caseload figures are personal data of
# that member of staff. The officer sees their own; the supervisor of their team
# sees and records them; the MAPPA coordinator of their area sees them (the
# coordinator chooses chairs and places Level 2/3 cases, so needs competence),
# and so does a chair of the area, but neither records them. The Office of the
# PCC and analysts see aggregates only (see may_view_workforce_figures).

STAFF_READ_ROLES = frozenset({Role.MAPPA_COORDINATOR, Role.CHAIR})


def _same_mappa_area(user: Staff, other: Staff) -> bool:
    return user.mappa_area_id is not None and user.mappa_area_id == other.mappa_area_id


def _supervises(user: Staff, other: Staff) -> bool:
    return (
        Role.SUPERVISOR in _roles(user)
        and user.team_id is not None
        and other.team_id == user.team_id
        and other.pk != user.pk
    )


def may_view_staff_record(user: Staff, other: Staff) -> Decision:
    if not _roles(user):
        return Decision(False, "no role")
    if other.pk == user.pk:
        return Decision(True, "their own record")
    if _supervises(user, other):
        return Decision(True, "supervisor of the team")
    if _roles(user) & STAFF_READ_ROLES and user.agency_id and _same_mappa_area(user, other):
        return Decision(True, "coordinator or chair of the area")
    return Decision(False, "not their supervisor")


def may_change_staff_record(user: Staff, other: Staff) -> Decision:
    if _supervises(user, other):
        return Decision(True, "supervisor of the team")
    return Decision(False, "only the team's supervisor records training")


def staff_scope(user: Staff) -> Q:
    """The members of staff whose records and figures a user may see."""
    roles = _roles(user)
    if not roles:
        return Q(pk__in=[])
    scope = Q(pk=user.pk)
    if Role.SUPERVISOR in roles and user.team_id:
        scope |= Q(team_id=user.team_id)
    if roles & STAFF_READ_ROLES and user.agency_id and user.mappa_area_id is not None:
        mappa = user.mappa_area_id
        scope |= Q(agency__area_id=mappa) | Q(agency__area__parent_id=mappa)
    return scope


# Aggregates (the monthly pack): counts only, never a name.
AGGREGATE_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.MAPPA_COORDINATOR, Role.CHAIR})


def may_view_workforce_figures(user: Staff, area) -> Decision:
    """Aggregate workforce figures of a MAPPA area: the Office of the PCC (analysts), supervisors, coordinators."""
    if _roles(user) & AGGREGATE_ROLES and user.agency_id and user.mappa_area_id == getattr(area, "pk", area):
        return Decision(True, "aggregate figures of the area")
    return Decision(False, "no access to the area's figures")


# Allocation: supervisors (their team's offender managers) and the MAPPA coordinator (the area's).


def may_allocate(user: Staff, area, team=None) -> Decision:
    roles = _roles(user)
    if user.agency_id is None or not user.agency.is_responsible_authority:
        return Decision(False, "not a Responsible Authority case worker")
    if user.mappa_area_id != getattr(area, "pk", area):
        return Decision(False, "outside the user's MAPPA area")
    if Role.MAPPA_COORDINATOR in roles:
        return Decision(True, "MAPPA coordinator of the area")
    if Role.SUPERVISOR in roles and user.team_id and team is not None and team.pk == user.team_id:
        return Decision(True, "supervisor of the team")
    return Decision(False, "may not allocate nominals")
