"""Who may see, open and change a nominal (access.registry).

A nominal is seen as its person is, by the area's case workers and through forum membership. Changing it
needs allocation: its offender manager, the area's MAPPA coordinator, or the supervisor of the offender
manager's team (an unallocated nominal: any supervisor of the area), all in a Responsible Authority.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import (
    CASE_ROLES,
    NOBODY,
    Decision,
    area_ids,
    area_worker,
    forum_people,
    in_responsible_authority,
    on_open_case_of_member_forum,
    roles_of,
    sees_through_forums,
)
from safeguard.access.registry import PartOf, Policy, register
from safeguard.workforce.models import Role

from .models import DueNotice, Nominal

OPENING_ROLES = frozenset({Role.MAPPA_COORDINATOR, Role.SUPERVISOR, Role.OFFENDER_MANAGER})


def _in_area(user: Any, nominal: Nominal) -> bool:
    return nominal.local_area.parent_id == user.mappa_area_id or nominal.local_area_id == user.mappa_area_id


def may_view_nominal(user: Any, nominal: Nominal) -> Decision:
    if area_worker(user, CASE_ROLES) and _in_area(user, nominal):
        return Decision(True, "area case worker")
    if sees_through_forums(user) and on_open_case_of_member_forum(user, nominal.person):
        return Decision(True, "forum member agency")
    return Decision(False, "no need to know")


def nominals_scope(user: Any) -> Q:
    scope = NOBODY
    if area_worker(user, CASE_ROLES):
        scope |= Q(local_area_id__in=area_ids(user))
    if sees_through_forums(user):
        scope |= Q(forum_people(user, "person_id"))
    return scope


def may_change_nominal(user: Any, nominal: Nominal) -> Decision:
    roles = roles_of(user)
    if not roles or not in_responsible_authority(user):
        return Decision(False, "not a Responsible Authority case worker")
    if Role.OFFENDER_MANAGER in roles and nominal.offender_manager_id == user.pk:
        return Decision(True, "allocated offender manager")
    if not _in_area(user, nominal):
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


def nominals_changed_scope(user: Any) -> Q:
    roles = roles_of(user)
    if not roles or not in_responsible_authority(user):
        return NOBODY
    scope = Q(offender_manager_id=user.pk) if Role.OFFENDER_MANAGER in roles else NOBODY
    in_area = Q(local_area_id__in=area_ids(user))
    if Role.MAPPA_COORDINATOR in roles:
        scope |= in_area
    elif Role.SUPERVISOR in roles and user.team_id:
        scope |= in_area & (Q(offender_manager=None) | Q(offender_manager__team_id=user.team_id))
    return scope


def may_create_nominal(user: Any, local_area: Any) -> Decision:
    if in_responsible_authority(user) and roles_of(user) & OPENING_ROLES and local_area.parent_id == user.mappa_area_id:
        return Decision(True, "Responsible Authority case worker in the area")
    return Decision(False, "may not open nominals in this area")


class NominalPolicy(Policy):
    def may_read(self, user: Any, record: Nominal) -> Decision:
        return may_view_nominal(user, record)

    def readable(self, user: Any) -> Q:
        return nominals_scope(user)

    def may_change(self, user: Any, record: Nominal) -> Decision:
        return may_change_nominal(user, record)

    def changeable(self, user: Any) -> Q:
        return nominals_changed_scope(user)

    def may_create(self, user: Any, record: Nominal) -> Decision:
        return may_create_nominal(user, record.local_area)

    def creatable(self, user: Any) -> Q:
        if in_responsible_authority(user) and roles_of(user) & OPENING_ROLES:
            return Q(local_area__parent_id=user.mappa_area_id)
        return NOBODY


register({Nominal: NominalPolicy(), DueNotice: PartOf(Nominal, "nominal")})
