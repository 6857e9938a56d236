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
    if _chooses_chairs(user) and other.has_role(Role.CHAIR) and _same_mappa_area(user, other):
        return Decision(True, "MARAC coordinator choosing a chair")
    return Decision(False, "not their supervisor")


def _chooses_chairs(user: Staff) -> bool:
    """A MARAC coordinator sets the chair of MARAC, MATAC and triage meetings, so reads chairs' competence."""
    return Role.MARAC_COORDINATOR in _roles(user) and user.agency_id is not None


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
    mappa = user.mappa_area_id
    in_area = Q(agency__area_id=mappa) | Q(agency__area__parent_id=mappa)
    if roles & STAFF_READ_ROLES and user.agency_id and mappa is not None:
        scope |= in_area
    elif _chooses_chairs(user) and mappa is not None:
        scope |= in_area & Q(roles__icontains=f'"{Role.CHAIR.value}"')
    return scope


# Organisation accounts (sign-in with OpenID Connect): administrators link them to staff; nobody else sees them.
def may_link_identity(user: Staff, link) -> Decision:
    if Role.ADMINISTRATOR in _roles(user):
        return Decision(True, "administrator linking organisation accounts")
    return Decision(False, "only an administrator links organisation accounts")


def linked_identities_scope(user: Staff) -> Q:
    return Q() if Role.ADMINISTRATOR in _roles(user) else Q(pk__in=[])


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


# Forums: referrals, meetings, plans, actions, prompts, triage ----------------------
#
# A forum's coordinator: anyone listed as one of its coordinators, or the
# area's coordinator of that kind of forum (the MAPPA coordinator for MAPPA and
# IOM; the MARAC coordinator for MARAC, MATAC and the daily triage) in a
# Responsible Authority (or, for the MARAC coordinator, any) agency of the
# forum's MAPPA area. Partners see a forum's records only through their
# agency's membership and only for the people on its open cases; what an
# agency shared can be restricted from named agencies.

COORDINATOR_ROLE_FOR_FORUM = {
    "mappa_l2": Role.MAPPA_COORDINATOR,
    "mappa_l3": Role.MAPPA_COORDINATOR,
    "iom": Role.MAPPA_COORDINATOR,
    "marac": Role.MARAC_COORDINATOR,
    "matac": Role.MARAC_COORDINATOR,
    "triage": Role.MARAC_COORDINATOR,
}
REFERRING_ROLES = RECORDING_ROLES | {Role.IDVA, Role.PARTNER, Role.CHAIR}


def _forum_area_id(forum) -> int | None:
    return forum.area_id


def may_coordinate_forum(user: Staff, forum) -> Decision:
    roles = _roles(user)
    if not roles or user.agency_id is None:
        return Decision(False, "no role")
    if forum.coordinators.filter(pk=user.pk).exists():
        return Decision(True, "coordinator of the forum")
    role = COORDINATOR_ROLE_FOR_FORUM.get(forum.kind)
    if (
        role in roles
        and user.mappa_area_id == _forum_area_id(forum)
        and (user.agency.is_responsible_authority or role == Role.MARAC_COORDINATOR)
    ):
        return Decision(True, "the area's coordinator for this forum")
    return Decision(False, "not a coordinator of this forum")


def _member_of_forum(user: Staff, forum) -> bool:
    return (
        bool(_roles(user) & FORUM_ROLES)
        and user.agency_id is not None
        and (forum.member_agencies.filter(pk=user.agency_id).exists())
    )


def may_view_forum(user: Staff, forum) -> Decision:
    """The forum's page and its meetings list (no case names): coordinators, members, the area's case workers."""
    if may_coordinate_forum(user, forum):
        return Decision(True, "coordinator of the forum")
    if _member_of_forum(user, forum):
        return Decision(True, "member agency of the forum")
    if _area_worker(user, CASE_ROLES) and user.mappa_area_id == forum.area_id:
        return Decision(True, "area case worker")
    return Decision(False, "not a member of this forum")


def may_view_referral(user: Staff, referral) -> Decision:
    if may_coordinate_forum(user, referral.forum):
        return Decision(True, "coordinator of the forum")
    if referral.referred_by_id == user.pk and _roles(user) & REFERRING_ROLES:
        return Decision(True, "made the referral")
    person = may_view_person(user, referral.person)
    if person:
        return person
    return Decision(False, "no need to know")


def may_refer(user: Staff, referral) -> Decision:
    """Make (and submit or withdraw) a referral: RA and Duty-to-Co-operate staff who may see the person."""
    if not _roles(user) & REFERRING_ROLES or user.agency_id is None:
        return Decision(False, "may not make referrals")
    if referral.pk and referral.referred_by_id != user.pk and not may_coordinate_forum(user, referral.forum):
        return Decision(False, "not the referrer")
    if not may_view_person(user, referral.person):
        return Decision(False, "may not see the person referred")
    return Decision(True, "referrer who may see the person")


def may_decide_referral(user: Staff, referral) -> Decision:
    """Screen, accept, decline or list a referral: the forum's coordinator."""
    return may_coordinate_forum(user, referral.forum)


def referrals_scope(user: Staff) -> Q:
    roles = _roles(user)
    if not roles or user.agency_id is None:
        return Q(pk__in=[])
    scope = Q(referred_by_id=user.pk) if roles & REFERRING_ROLES else Q(pk__in=[])
    # A subquery, not a join: joining the coordinators table repeats a referral once per coordinator.
    scope |= Q(forum_id__in=user.coordinated_forums.values("pk"))
    coordinated = [kind for kind, role in COORDINATOR_ROLE_FOR_FORUM.items() if role in roles]
    if coordinated and (user.agency.is_responsible_authority or Role.MARAC_COORDINATOR in roles):
        allowed_kinds = [
            k
            for k in coordinated
            if user.agency.is_responsible_authority or COORDINATOR_ROLE_FOR_FORUM[k] == Role.MARAC_COORDINATOR
        ]
        scope |= Q(forum__area_id=user.mappa_area_id, forum__kind__in=allowed_kinds)
    if _area_worker(user, CASE_ROLES):
        scope |= Q(person__area_id=user.mappa_area_id)
    if _roles(user) & FORUM_ROLES:
        scope |= Q(Exists(_open_cases_of_member(user, "person_id")))
    return scope


def _open_cases_of_member(user: Staff, person_ref: str):
    from safeguard.meetings.models import ForumCase

    return ForumCase.objects.filter(
        person_id=OuterRef(person_ref), closed_on=None, forum__member_agencies=user.agency_id
    )


def may_view_meeting(user: Staff, meeting) -> Decision:
    if meeting.chair_id == user.pk and _roles(user):
        return Decision(True, "chair of the meeting")
    return may_view_forum(user, meeting.forum)


def may_run_meeting(user: Staff, meeting) -> Decision:
    """Build the agenda, record attendance, what was shared, decisions, plans and actions: coordinator or chair."""
    if meeting.chair_id == user.pk and Role.CHAIR in _roles(user):
        return Decision(True, "chair of the meeting")
    return may_coordinate_forum(user, meeting.forum)


def may_view_agenda_item(user: Staff, item) -> Decision:
    meeting = may_view_meeting(user, item.meeting)
    if not meeting:
        return meeting
    if may_run_meeting(user, item.meeting):
        return Decision(True, "runs the meeting")
    return may_view_person(user, item.person)


def visible_shared(user: Staff, shared_queryset):
    """What an agency shared, less the items restricted from the user's agency."""
    return shared_queryset.exclude(restricted_from=user.agency_id)


def may_view_minutes(user: Staff, meeting) -> Decision:
    """Minutes are confidential: the agencies that attended, those the chair permitted, and the coordinators."""
    if may_run_meeting(user, meeting):
        return Decision(True, "runs the meeting")
    if not _roles(user) & (FORUM_ROLES | CASE_ROLES) or user.agency_id is None:
        return Decision(False, "no role")
    if meeting.attendance.filter(agency_id=user.agency_id, present=True).exists():
        return Decision(True, "agency attended the meeting")
    if meeting.shares.filter(agency_id=user.agency_id).exists():
        return Decision(True, "shared with the agency by the chair's permission")
    return Decision(False, "minutes not shared with the agency")


def may_share_minutes(user: Staff, meeting) -> Decision:
    if meeting.chair_id == user.pk and _roles(user):
        return Decision(True, "chair of the meeting")
    return Decision(False, "only the chair permits sharing minutes")


def may_view_plan(user: Staff, plan) -> Decision:
    return may_view_person(user, plan.person)


def may_write_plan(user: Staff, plan) -> Decision:
    if plan.agenda_item_id and may_run_meeting(user, plan.agenda_item.meeting):
        return Decision(True, "runs the meeting")
    if plan.nominal_id and may_change_nominal(user, plan.nominal):
        return Decision(True, "lead agency case worker")
    if may_coordinate_forum(user, plan.forum):
        return Decision(True, "coordinator of the forum")
    return Decision(False, "may not write this plan")


def may_view_action(user: Staff, action) -> Decision:
    if action.owner_id == user.pk and _roles(user):
        return Decision(True, "owner of the action")
    if _roles(user) & (FORUM_ROLES | CASE_ROLES) and user.agency_id and action.owner_agency_id == user.agency_id:
        return Decision(True, "owner agency of the action")
    if may_coordinate_forum(user, action.forum):
        return Decision(True, "coordinator of the forum")
    return may_view_person(user, action.person)


def may_change_action(user: Staff, action) -> Decision:
    """Record progress or completion: the owner, staff of the owner agency on the forum, the coordinator."""
    if action.owner_id == user.pk and _roles(user):
        return Decision(True, "owner of the action")
    if _roles(user) & (FORUM_ROLES | CASE_ROLES) and user.agency_id and action.owner_agency_id == user.agency_id:
        return Decision(True, "owner agency of the action")
    if may_coordinate_forum(user, action.forum):
        return Decision(True, "coordinator of the forum")
    return Decision(False, "not the action's owner")


def actions_scope(user: Staff) -> Q:
    roles = _roles(user)
    if not roles or user.agency_id is None:
        return Q(pk__in=[])
    scope = Q(owner_id=user.pk)
    if roles & (FORUM_ROLES | CASE_ROLES):
        scope |= Q(owner_agency_id=user.agency_id)
    # A subquery, not a join: joining the coordinators table repeats an action once per coordinator.
    scope |= Q(forum_id__in=user.coordinated_forums.values("pk"))
    coordinated = [k for k, role in COORDINATOR_ROLE_FOR_FORUM.items() if role in roles]
    if coordinated:
        scope |= Q(forum__area_id=user.mappa_area_id, forum__kind__in=coordinated)
    return scope


def may_handle_prompt(user: Staff, prompt) -> Decision:
    if prompt.assigned_to_id == user.pk and _roles(user):
        return Decision(True, "assigned to the user")
    return Decision(False, "not assigned to the user")


def may_view_triage_case(user: Staff, case) -> Decision:
    forum = case.meeting.forum
    if may_coordinate_forum(user, forum):
        return Decision(True, "coordinator of the triage")
    if _member_of_forum(user, forum):
        return Decision(True, "member agency of the triage")
    if _area_worker(user, CASE_ROLES) and user.mappa_area_id == forum.area_id:
        return Decision(True, "area case worker")
    return Decision(False, "no need to know")


def may_triage(user: Staff, case) -> Decision:
    """Grade, plan and record outcomes: the triage's coordinator, and its member agencies' practitioners."""
    forum = case.meeting.forum
    if may_coordinate_forum(user, forum):
        return Decision(True, "coordinator of the triage")
    if _member_of_forum(user, forum) and _roles(user) & (RECORDING_ROLES | {Role.IDVA, Role.PARTNER}):
        return Decision(True, "member agency of the triage")
    return Decision(False, "may not record triage outcomes")
