"""Who may see, record and change multi-agency actions, and handle prompts (access.registry).

An action is seen and progressed by its owner, by staff of its owner agency who work forums or cases, and
by the forum's coordinator; it is also seen by anyone who may see the person it is about. It is set by
whoever runs the meeting it comes from (or the forum's coordinator, for one set outside a meeting). A
prompt is for the member of staff it is assigned to.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import (
    CASE_ROLES,
    FORUM_ROLES,
    NOBODY,
    Decision,
    coordinated_forums,
    forums,
    may_coordinate_forum,
    roles_of,
)
from safeguard.access.registry import Policy, register
from safeguard.meetings.models import Meeting
from safeguard.meetings.policies import may_run_meeting, meetings_run
from safeguard.people.policies import may_view_person, people_scope

from .models import Action, Prompt


def _works_for_owner_agency(user: Any) -> bool:
    return bool(roles_of(user) & (FORUM_ROLES | CASE_ROLES)) and user.agency_id is not None


def may_change_action(user: Any, action: Action) -> Decision:
    """Record progress or completion: the owner, staff of the owner agency on the forum, the coordinator."""
    if action.owner_id == user.pk and roles_of(user):
        return Decision(True, "owner of the action")
    if _works_for_owner_agency(user) and action.owner_agency_id == user.agency_id:
        return Decision(True, "owner agency of the action")
    if may_coordinate_forum(user, action.forum):
        return Decision(True, "coordinator of the forum")
    return Decision(False, "not the action's owner")


def actions_changed_scope(user: Any) -> Q:
    scope = Q(owner_id=user.pk) if roles_of(user) else NOBODY
    if _works_for_owner_agency(user):
        scope |= Q(owner_agency_id=user.agency_id)
    return scope | Q(forum__in=forums(coordinated_forums(user)))


def may_view_action(user: Any, action: Action) -> Decision:
    allowed = may_change_action(user, action)
    return allowed if allowed else may_view_person(user, action.person)


def actions_scope(user: Any) -> Q:
    return actions_changed_scope(user) | people_scope(user, "person")


class ActionPolicy(Policy):
    def may_read(self, user: Any, record: Action) -> Decision:
        return may_view_action(user, record)

    def readable(self, user: Any) -> Q:
        return actions_scope(user)

    def may_change(self, user: Any, record: Action) -> Decision:
        return may_change_action(user, record)

    def changeable(self, user: Any) -> Q:
        return actions_changed_scope(user)

    def may_create(self, user: Any, record: Action) -> Decision:
        if record.agenda_item_id:
            return may_run_meeting(user, record.agenda_item.meeting)
        return may_coordinate_forum(user, record.forum)

    def creatable(self, user: Any) -> Q:
        run = Meeting.objects.filter(meetings_run(user)).values("pk")
        at_meeting = Q(agenda_item__isnull=False, agenda_item__meeting__in=run)
        outside = Q(agenda_item=None, forum__in=forums(coordinated_forums(user)))
        return at_meeting | outside


class PromptPolicy(Policy):
    """A prompt (consider a referral, a linked case) is read and decided by the member of staff it is for."""

    def may(self, user: Any, operation: str, record: Prompt) -> Decision:
        if record.assigned_to_id == user.pk and roles_of(user):
            return Decision(True, "assigned to the user")
        return Decision(False, "not assigned to the user")

    def where(self, user: Any, operation: str) -> Q:
        return Q(assigned_to_id=user.pk) if roles_of(user) else NOBODY


register({Action: ActionPolicy(), Prompt: PromptPolicy()})
