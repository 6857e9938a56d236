"""Who may see and record staff records, course places and allocation batches (access.registry).

A member of staff's training records and caseload figures are personal data of that member of staff. The
officer sees their own; the supervisor of their team sees and records them; the MAPPA coordinator of their
area sees them (the coordinator chooses chairs and places Level 2/3 cases, so needs competence), and so
does a chair of the area, but neither records them; a MARAC coordinator sees the area's chairs (they set
the chair of MARAC, MATAC and triage meetings). The Office of the PCC and analysts see aggregates only
(``access.policy.may_view_workforce_figures``).

Allocation: supervisors (their team's offender managers) and the MAPPA coordinator (the area's), in a
Responsible Authority.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import NOBODY, Decision, in_responsible_authority, roles_of
from safeguard.access.registry import READS, PartOf, Policy, policy_for, register, within
from safeguard.offenders.models import Nominal

from .models import (
    AllocationBatch,
    AllocationRecommendation,
    Area,
    Buddy,
    CaseloadSnapshot,
    CoursePlace,
    Role,
    Staff,
    TrainingCompletion,
    WaitingListEntry,
)

STAFF_READ_ROLES = frozenset({Role.MAPPA_COORDINATOR, Role.CHAIR})
PLACE_ROLES = frozenset({Role.SUPERVISOR, Role.MAPPA_COORDINATOR})


def _same_mappa_area(user: Any, other: Staff) -> bool:
    return user.mappa_area_id is not None and user.mappa_area_id == other.mappa_area_id


def _supervises(user: Any, other: Staff) -> bool:
    return (
        Role.SUPERVISOR in roles_of(user)
        and user.team_id is not None
        and other.team_id == user.team_id
        and other.pk != user.pk
    )


def _chooses_chairs(user: Any) -> bool:
    return Role.MARAC_COORDINATOR in roles_of(user) and user.agency_id is not None


def may_view_staff_record(user: Any, other: Staff) -> Decision:
    if not roles_of(user):
        return Decision(False, "no role")
    if other.pk == user.pk:
        return Decision(True, "their own record")
    if _supervises(user, other):
        return Decision(True, "supervisor of the team")
    if roles_of(user) & STAFF_READ_ROLES and user.agency_id and _same_mappa_area(user, other):
        return Decision(True, "coordinator or chair of the area")
    if _chooses_chairs(user) and other.has_role(Role.CHAIR) and _same_mappa_area(user, other):
        return Decision(True, "MARAC coordinator choosing a chair")
    return Decision(False, "not their supervisor")


def staff_scope(user: Any) -> Q:
    """The members of staff whose records and figures a user may see."""
    roles = roles_of(user)
    if not roles:
        return NOBODY
    scope = Q(pk=user.pk)
    if Role.SUPERVISOR in roles and user.team_id:
        scope |= Q(team_id=user.team_id)
    mappa = user.mappa_area_id
    # As Staff.mappa_area_id reads it: the agency's area when that is a MAPPA area, else its parent.
    in_area = Q(agency__area_id=mappa, agency__area__kind=Area.Kind.MAPPA) | (
        Q(agency__area__parent_id=mappa) & ~Q(agency__area__kind=Area.Kind.MAPPA)
    )
    if roles & STAFF_READ_ROLES and user.agency_id and mappa is not None:
        scope |= in_area
    elif _chooses_chairs(user) and mappa is not None:
        scope |= in_area & Q(roles__icontains=f'"{Role.CHAIR.value}"')
    return scope


def may_change_staff_record(user: Any, other: Staff) -> Decision:
    if _supervises(user, other):
        return Decision(True, "supervisor of the team")
    return Decision(False, "only the team's supervisor records training")


def staff_changed_scope(user: Any) -> Q:
    if Role.SUPERVISOR in roles_of(user) and user.team_id is not None:
        return Q(team_id=user.team_id) & ~Q(pk=user.pk)
    return NOBODY


class StaffPolicy(Policy):
    def may_read(self, user: Any, record: Staff) -> Decision:
        return may_view_staff_record(user, record)

    def readable(self, user: Any) -> Q:
        return staff_scope(user)

    def may_change(self, user: Any, record: Staff) -> Decision:
        return may_change_staff_record(user, record)

    def changeable(self, user: Any) -> Q:
        return staff_changed_scope(user)


# Course places ---------------------------------------------------------------------------------------------


def may_manage_places(user: Any, area: Any) -> Decision:
    """Record course places, or see the offers on them: a supervisor or MAPPA coordinator of the area's
    Responsible Authority agencies."""
    area_id = getattr(area, "pk", area)
    if not roles_of(user) & PLACE_ROLES:
        return Decision(False, "only supervisors and MAPPA coordinators record course places")
    if not in_responsible_authority(user):
        return Decision(False, "not a Responsible Authority case worker")
    if area_id is None or user.mappa_area_id != area_id:
        return Decision(False, "outside the user's MAPPA area")
    return Decision(True, "supervisor or MAPPA coordinator of the area")


def places_scope(user: Any) -> Q:
    if roles_of(user) & PLACE_ROLES and in_responsible_authority(user) and user.mappa_area_id is not None:
        return Q(area_id=user.mappa_area_id)
    return NOBODY


class CoursePlacePolicy(Policy):
    """Places offered on a course run for an area's waiting lists: every operation by the same rule."""

    def may(self, user: Any, operation: str, record: CoursePlace) -> Decision:
        return may_manage_places(user, record.area_id)

    def where(self, user: Any, operation: str) -> Q:
        return places_scope(user)


# Allocation ------------------------------------------------------------------------------------------------


def may_allocate(user: Any, area: Any, team: Any = None) -> Decision:
    roles = roles_of(user)
    if not in_responsible_authority(user):
        return Decision(False, "not a Responsible Authority case worker")
    if user.mappa_area_id != getattr(area, "pk", area):
        return Decision(False, "outside the user's MAPPA area")
    if Role.MAPPA_COORDINATOR in roles:
        return Decision(True, "MAPPA coordinator of the area")
    if Role.SUPERVISOR in roles and user.team_id and team is not None and team.pk == user.team_id:
        return Decision(True, "supervisor of the team")
    return Decision(False, "may not allocate nominals")


def batches_scope(user: Any) -> Q:
    roles = roles_of(user)
    if not in_responsible_authority(user):
        return NOBODY
    if Role.MAPPA_COORDINATOR in roles:
        return Q(area_id=user.mappa_area_id)
    if Role.SUPERVISOR in roles and user.team_id:
        return Q(area_id=user.mappa_area_id, team_id=user.team_id)
    return NOBODY


class AllocationBatchPolicy(Policy):
    def may(self, user: Any, operation: str, record: AllocationBatch) -> Decision:
        return may_allocate(user, record.area_id, record.team)

    def where(self, user: Any, operation: str) -> Q:
        return batches_scope(user)


class AllocationRecommendationPolicy(Policy):
    """A recommendation: the batch's rule, and the nominal's (read, or change to accept or override)."""

    def may(self, user: Any, operation: str, record: AllocationRecommendation) -> Decision:
        allowed = may_allocate(user, record.batch.area_id, record.batch.team)
        if not allowed:
            return allowed
        return _nominal_policy().may(user, _nominal_operation(operation), record.nominal)

    def where(self, user: Any, operation: str) -> Q:
        batches = AllocationBatch.objects.filter(batches_scope(user)).values("pk")
        return Q(batch__in=batches) & within(Nominal, "nominal", user, _nominal_operation(operation))


def _nominal_operation(operation: str) -> str:
    return "view" if operation in READS else "change"


def _nominal_policy() -> Policy:
    return policy_for(Nominal)


register(
    {
        Staff: StaffPolicy(),
        TrainingCompletion: PartOf(Staff, "staff"),
        WaitingListEntry: PartOf(Staff, "staff"),
        Buddy: PartOf(Staff, "new_joiner"),
        CaseloadSnapshot: PartOf(Staff, "officer"),
        CoursePlace: CoursePlacePolicy(),
        AllocationBatch: AllocationBatchPolicy(),
        AllocationRecommendation: AllocationRecommendationPolicy(),
    }
)
