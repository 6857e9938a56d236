"""The shared predicates the record policies are built from. Deny by default.

Each record kind's rule lives in the app that owns the model (``<app>/policies.py``), as one policy
holding the one-record rule and the many-record scope side by side (``access.registry``). What several
kinds share lives here, each predicate beside its filter twin:

- role: what kind of work the user does (workforce.Role);
- agency: Responsible Authority staff (police, probation, prisons) work the cases of their MAPPA area;
  Duty-to-Co-operate staff see only the people whose cases sit on a forum their agency is a member of;
- forum: who coordinates a forum, and which agencies sit on it;
- analysts and administrators see no named record at all (aggregates and reference data only).

Pure helpers: they read the user and the record they are given, and return a ``Decision`` or a ``Q``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from safeguard.prepared import PreparedQuery
from safeguard.workforce.models import Area, Role

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from safeguard.workforce.models import Staff
else:
    Staff = Any

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
IDVA_OR_PARTNER_ROLES = frozenset({Role.IDVA, Role.PARTNER})
# Roles that may make a referral to a forum.
REFERRING_ROLES = RECORDING_ROLES | {Role.IDVA, Role.PARTNER, Role.CHAIR}
# Aggregates (the monthly pack): counts only, never a name.
AGGREGATE_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.MAPPA_COORDINATOR, Role.CHAIR})

NOBODY = Q(pk__in=[])


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def roles_of(user: Staff) -> set[str]:
    """The roles a signed-in, active member of staff holds (none for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(user.roles or [])


def area_worker(user: Staff, roles: frozenset[str]) -> bool:
    """Staff who work every case of their MAPPA area: a Responsible Authority, or MARAC coordinators."""
    held = roles_of(user) & roles
    if not held or user.agency_id is None:
        return False
    return bool(getattr(user.agency, "is_responsible_authority", False)) or Role.MARAC_COORDINATOR in held


def in_responsible_authority(user: Staff) -> bool:
    return user.agency_id is not None and bool(getattr(user.agency, "is_responsible_authority", False))


def sees_through_forums(user: Staff) -> bool:
    return bool(roles_of(user) & FORUM_ROLES) and user.agency_id is not None


# Within one request (AccessRefusedMiddleware opens it), the local areas of a MAPPA area are read once, not again
# at every scope the page builds (my work built five, each asking again). Outside a request nothing is kept.
_REMEMBERED: ContextVar[dict[Any, list[int]] | None] = ContextVar("safeguard_access_remembered", default=None)


@contextmanager
def remembering(local_areas: dict[int | None, list[int]] | None = None) -> Iterator[None]:
    """Reference data the rules read (the local areas of a MAPPA area) read once until the block ends;
    ``local_areas`` (MAPPA area: its local areas) is taken as read (access.viewer's stand-ins)."""
    token = _REMEMBERED.set({("local areas", mappa): list(ids) for mappa, ids in (local_areas or {}).items()})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def _build_local_areas(mappa: int | None) -> QuerySet[Any]:
    return Area.objects.filter(parent_id=mappa).values_list("pk", flat=True)


# Read on every page that scopes a record (once a request): its SQL written once a process (safeguard.prepared).
_LOCAL_AREAS = PreparedQuery("access.local_areas", Area, _build_local_areas)


def _local_areas(mappa: int | None) -> list[int]:
    remembered = _REMEMBERED.get()
    if remembered is not None and ("local areas", mappa) in remembered:
        return remembered[("local areas", mappa)]
    found = list(_LOCAL_AREAS(mappa=mappa))
    if remembered is not None:
        remembered[("local areas", mappa)] = found
    return found


def area_ids(user: Staff) -> list[int | None]:
    """The user's MAPPA area and its local areas."""
    mappa = user.mappa_area_id
    return [mappa, *_local_areas(mappa)]


def local_area_ids(user: Staff) -> list[int]:
    """The local areas of the user's MAPPA area."""
    return list(_local_areas(user.mappa_area_id))


# Forum membership: the people on the open cases of the forums an agency sits on. Written as a correlated
# EXISTS, so that PostgreSQL combines it with a search's own index lookups (an index lookup per row).


def forum_people(user: Staff, person_ref: str = "pk") -> Exists:
    """A person is on an open case of a forum the user's agency sits on."""
    from safeguard.meetings.models import ForumCase

    return Exists(
        ForumCase.objects.filter(person_id=OuterRef(person_ref), closed_on=None, forum__member_agencies=user.agency_id)
    )


def on_open_case_of_member_forum(user: Staff, person: Any) -> bool:
    return bool(person.forum_cases.filter(closed_on=None, forum__member_agencies=user.agency_id).exists())


# Forums: who coordinates them and which agencies sit on them ------------------------
#
# A forum's coordinator: anyone listed as one of its coordinators, or the area's coordinator of that kind
# of forum (the MAPPA coordinator for MAPPA and IOM; the MARAC coordinator for MARAC, MATAC and the daily
# triage) in a Responsible Authority (or, for the MARAC coordinator, any) agency of the forum's MAPPA area.

COORDINATOR_ROLE_FOR_FORUM = {
    "mappa_l2": Role.MAPPA_COORDINATOR,
    "mappa_l3": Role.MAPPA_COORDINATOR,
    "iom": Role.MAPPA_COORDINATOR,
    "marac": Role.MARAC_COORDINATOR,
    "matac": Role.MARAC_COORDINATOR,
    "triage": Role.MARAC_COORDINATOR,
}


def coordinated_kinds(user: Staff) -> list[str]:
    """The kinds of forum the user coordinates for their area by role (MARAC coordinators from any agency)."""
    roles = roles_of(user)
    if user.agency_id is None:
        return []
    ra = in_responsible_authority(user)
    return [
        kind
        for kind, role in COORDINATOR_ROLE_FOR_FORUM.items()
        if role in roles and (ra or role == Role.MARAC_COORDINATOR)
    ]


def may_coordinate_forum(user: Staff, forum: Any) -> Decision:
    if not roles_of(user) or user.agency_id is None:
        return Decision(False, "no role")
    if forum.coordinators.filter(pk=user.pk).exists():
        return Decision(True, "coordinator of the forum")
    if forum.kind in coordinated_kinds(user) and user.mappa_area_id == forum.area_id:
        return Decision(True, "the area's coordinator for this forum")
    return Decision(False, "not a coordinator of this forum")


def coordinated_forums(user: Staff) -> Q:
    """``may_coordinate_forum`` as a filter on forums."""
    if not roles_of(user) or user.agency_id is None:
        return NOBODY
    # A subquery, not a join: joining the coordinators table repeats a record once per coordinator.
    scope = Q(pk__in=user.coordinated_forums.values("pk"))
    kinds = coordinated_kinds(user)
    if kinds:
        scope |= Q(area_id=user.mappa_area_id, kind__in=kinds)
    return scope


def member_of_forum(user: Staff, forum: Any) -> bool:
    return sees_through_forums(user) and forum.member_agencies.filter(pk=user.agency_id).exists()


def member_forums(user: Staff) -> Q:
    """``member_of_forum`` as a filter on forums."""
    if not sees_through_forums(user):
        return NOBODY
    return Q(member_agencies=user.agency_id)


def forums(condition: Q) -> QuerySet[Any]:
    """The ids of the forums meeting a condition, for a subquery (``forum_id__in=forums(...)``)."""
    from safeguard.meetings.models import Forum

    return Forum.objects.filter(condition).values("pk")


# Organisation accounts (sign-in with OpenID Connect): administrators link them to staff; nobody else sees them.


def may_link_identity(user: Staff, link: Any = None) -> Decision:
    if Role.ADMINISTRATOR in roles_of(user):
        return Decision(True, "administrator linking organisation accounts")
    return Decision(False, "only an administrator links organisation accounts")


# Aggregates --------------------------------------------------------------------------


def may_view_workforce_figures(user: Staff, area: Any) -> Decision:
    """Aggregate workforce figures of a MAPPA area: the Office of the PCC (analysts), supervisors, coordinators."""
    if roles_of(user) & AGGREGATE_ROLES and user.agency_id and user.mappa_area_id == getattr(area, "pk", area):
        return Decision(True, "aggregate figures of the area")
    return Decision(False, "no access to the area's figures")


# The names pages call by name, answered by the registered policy of the record they are given.


def _decide(user: Staff, operation: str, record: Any) -> Decision:
    from . import gate

    return gate.decide(user, operation, record)


def may_run_meeting(user: Staff, meeting: Any) -> Decision:
    """Build the agenda, record attendance, what was shared, decisions, plans and actions: coordinator or chair."""
    return _decide(user, "change", meeting)


def may_view_plan(user: Staff, plan: Any) -> Decision:
    return _decide(user, "view", plan)


def may_view_action(user: Staff, action: Any) -> Decision:
    return _decide(user, "view", action)


def visible_shared(user: Staff, shared_queryset: QuerySet[Any]) -> QuerySet[Any]:
    """What an agency shared, less the items restricted from the user's agency."""
    return shared_queryset.exclude(restricted_from=user.agency_id)
