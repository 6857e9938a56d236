"""Who may see and run forums, their cases, meetings, agendas, minutes and plans (access.registry).

A forum is seen by its coordinators, its member agencies' staff and the area's case workers, and
coordinated by its coordinators. A meeting is run by the forum's coordinator or its chair; its agenda items
are seen by those who may see the meeting and either run it or may see the person on the item. What an
agency shared can be restricted from named agencies, who never see it. Minutes are confidential: the
agencies that attended, those the chair permitted, and those who run the meeting.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import (
    CASE_ROLES,
    FORUM_ROLES,
    NOBODY,
    Decision,
    area_worker,
    coordinated_forums,
    forums,
    may_coordinate_forum,
    member_forums,
    member_of_forum,
    roles_of,
    sees_through_forums,
)
from safeguard.access.registry import PartOf, Policy, register, within
from safeguard.offenders.models import Nominal
from safeguard.offenders.policies import may_change_nominal
from safeguard.people.policies import may_view_person, people_scope
from safeguard.workforce.models import Role

from .models import (
    AgendaItem,
    Attendance,
    Forum,
    ForumCase,
    Meeting,
    MinutesShare,
    RiskManagementPlan,
    SharedInformation,
)
from .models import Decision as MeetingDecision

# Forums -------------------------------------------------------------------------------------------------


def may_view_forum(user: Any, forum: Forum) -> Decision:
    """The forum's page and its meetings list (no case names): coordinators, members, the area's case workers."""
    if may_coordinate_forum(user, forum):
        return Decision(True, "coordinator of the forum")
    if member_of_forum(user, forum):
        return Decision(True, "member agency of the forum")
    if area_worker(user, CASE_ROLES) and user.mappa_area_id == forum.area_id:
        return Decision(True, "area case worker")
    return Decision(False, "not a member of this forum")


def forums_seen(user: Any) -> Q:
    """``may_view_forum`` as a filter on forums."""
    scope = coordinated_forums(user) | member_forums(user)
    if area_worker(user, CASE_ROLES):
        scope |= Q(area_id=user.mappa_area_id)
    return scope


class ForumPolicy(Policy):
    def may_read(self, user: Any, record: Forum) -> Decision:
        return may_view_forum(user, record)

    def readable(self, user: Any) -> Q:
        return forums_seen(user)

    def may_change(self, user: Any, record: Forum) -> Decision:
        return may_coordinate_forum(user, record)

    def changeable(self, user: Any) -> Q:
        return coordinated_forums(user)


class ForumCasePolicy(Policy):
    """A person's case on a forum: read with the person; opened, closed or linked by the forum's coordinator."""

    def may_read(self, user: Any, record: ForumCase) -> Decision:
        return may_view_person(user, record.person)

    def readable(self, user: Any) -> Q:
        scope = people_scope(user, "person")
        if sees_through_forums(user):
            # The same rule, said first for the case itself: a case open on a forum the user's agency sits on
            # is about a person the user sees through that forum (``people_scope``'s forum arm). A plain test
            # of the row, so that PostgreSQL stops there for such a case (an IDVA's forums' cases: tens of
            # thousands nationally) instead of looking up the person's open cases for each one.
            scope = Q(closed_on=None, forum__in=forums(member_forums(user))) | scope
        return scope

    def may_change(self, user: Any, record: ForumCase) -> Decision:
        return may_coordinate_forum(user, record.forum)

    def changeable(self, user: Any) -> Q:
        return Q(forum__in=forums(coordinated_forums(user)))


# Meetings -----------------------------------------------------------------------------------------------


def may_view_meeting(user: Any, meeting: Meeting) -> Decision:
    if meeting.chair_id == user.pk and roles_of(user):
        return Decision(True, "chair of the meeting")
    return may_view_forum(user, meeting.forum)


def meetings_seen(user: Any) -> Q:
    scope = Q(chair_id=user.pk) if roles_of(user) else NOBODY
    return scope | Q(forum__in=forums(forums_seen(user)))


def may_run_meeting(user: Any, meeting: Meeting) -> Decision:
    """Build the agenda, record attendance, what was shared, decisions, plans and actions: coordinator or chair."""
    if meeting.chair_id == user.pk and Role.CHAIR in roles_of(user):
        return Decision(True, "chair of the meeting")
    return may_coordinate_forum(user, meeting.forum)


def meetings_run(user: Any) -> Q:
    scope = Q(chair_id=user.pk) if Role.CHAIR in roles_of(user) else NOBODY
    return scope | Q(forum__in=forums(coordinated_forums(user)))


def may_view_minutes(user: Any, meeting: Meeting) -> Decision:
    """Minutes are confidential: the agencies that attended, those the chair permitted, and the coordinators."""
    if may_run_meeting(user, meeting):
        return Decision(True, "runs the meeting")
    if not roles_of(user) & (FORUM_ROLES | CASE_ROLES) or user.agency_id is None:
        return Decision(False, "no role")
    if meeting.attendance.filter(agency_id=user.agency_id, present=True).exists():
        return Decision(True, "agency attended the meeting")
    if meeting.shares.filter(agency_id=user.agency_id).exists():
        return Decision(True, "shared with the agency by the chair's permission")
    return Decision(False, "minutes not shared with the agency")


def minutes_seen(user: Any) -> Q:
    """``may_view_minutes`` as a filter on meetings."""
    scope = meetings_run(user)
    if roles_of(user) & (FORUM_ROLES | CASE_ROLES) and user.agency_id is not None:
        attended = Attendance.objects.filter(agency_id=user.agency_id, present=True).values("meeting_id")
        shared = MinutesShare.objects.filter(agency_id=user.agency_id).values("meeting_id")
        scope |= Q(pk__in=attended) | Q(pk__in=shared)
    return scope


class MeetingPolicy(Policy):
    """A meeting; its minutes are decided by their own rule (``may_read_minutes`` beside ``minutes``)."""

    def may_read(self, user: Any, record: Meeting) -> Decision:
        return may_view_meeting(user, record)

    def readable(self, user: Any) -> Q:
        return meetings_seen(user)

    def may_change(self, user: Any, record: Meeting) -> Decision:
        return may_run_meeting(user, record)

    def changeable(self, user: Any) -> Q:
        return meetings_run(user)

    def may_read_minutes(self, user: Any, record: Meeting) -> Decision:
        return may_view_minutes(user, record)

    def minutes(self, user: Any) -> Q:
        return minutes_seen(user)


def may_share_minutes(user: Any, meeting: Meeting) -> Decision:
    if meeting.chair_id == user.pk and roles_of(user):
        return Decision(True, "chair of the meeting")
    return Decision(False, "only the chair permits sharing minutes")


class MinutesSharePolicy(Policy):
    """The chair's permission for an agency to read the minutes: seen with the meeting, given by the chair."""

    def may_read(self, user: Any, record: MinutesShare) -> Decision:
        return may_view_meeting(user, record.meeting)

    def readable(self, user: Any) -> Q:
        return within(Meeting, "meeting", user, "view")

    def may_change(self, user: Any, record: MinutesShare) -> Decision:
        return may_share_minutes(user, record.meeting)

    def changeable(self, user: Any) -> Q:
        return Q(meeting__chair_id=user.pk) if roles_of(user) else NOBODY


# Agenda items and what was shared on them ----------------------------------------------------------------


def may_view_agenda_item(user: Any, item: AgendaItem) -> Decision:
    meeting = may_view_meeting(user, item.meeting)
    if not meeting:
        return meeting
    if may_run_meeting(user, item.meeting):
        return Decision(True, "runs the meeting")
    return may_view_person(user, item.person)


def agenda_items_seen(user: Any) -> Q:
    seen = within(Meeting, "meeting", user, "view")
    return seen & (within(Meeting, "meeting", user, "change") | people_scope(user, "person"))


class AgendaItemPolicy(Policy):
    def may_read(self, user: Any, record: AgendaItem) -> Decision:
        return may_view_agenda_item(user, record)

    def readable(self, user: Any) -> Q:
        return agenda_items_seen(user)

    def may_change(self, user: Any, record: AgendaItem) -> Decision:
        return may_run_meeting(user, record.meeting)

    def changeable(self, user: Any) -> Q:
        return within(Meeting, "meeting", user, "change")


class SharedInformationPolicy(PartOf):
    """What an agency shared on an item: as the item, and never to an agency it is restricted from."""

    def __init__(self) -> None:
        super().__init__(AgendaItem, "item")

    def may(self, user: Any, operation: str, record: SharedInformation) -> Decision:
        decision = super().may(user, operation, record)
        restricted = decision and self._owner_operation(operation) == "view" and user.agency_id is not None
        if restricted and record.restricted_from.filter(pk=user.agency_id).exists():
            return Decision(False, "restricted from the user's agency")
        return decision

    def where(self, user: Any, operation: str) -> Q:
        scope = super().where(user, operation)
        if self._owner_operation(operation) == "view" and user.agency_id is not None:
            restricted = SharedInformation.restricted_from.through.objects.filter(agency_id=user.agency_id)
            scope &= ~Q(pk__in=restricted.values("sharedinformation_id"))
        return scope


# Risk management plans -----------------------------------------------------------------------------------


def may_write_plan(user: Any, plan: RiskManagementPlan) -> Decision:
    if plan.agenda_item_id and may_run_meeting(user, plan.agenda_item.meeting):
        return Decision(True, "runs the meeting")
    if plan.nominal_id and may_change_nominal(user, plan.nominal):
        return Decision(True, "lead agency case worker")
    if may_coordinate_forum(user, plan.forum):
        return Decision(True, "coordinator of the forum")
    return Decision(False, "may not write this plan")


class RiskManagementPlanPolicy(Policy):
    def may_read(self, user: Any, record: RiskManagementPlan) -> Decision:
        return may_view_person(user, record.person)

    def readable(self, user: Any) -> Q:
        return people_scope(user, "person")

    def may_change(self, user: Any, record: RiskManagementPlan) -> Decision:
        return may_write_plan(user, record)

    def changeable(self, user: Any) -> Q:
        run = Meeting.objects.filter(meetings_run(user)).values("pk")
        return (
            Q(agenda_item__meeting__in=run)
            | within(Nominal, "nominal", user, "change")
            | Q(forum__in=forums(coordinated_forums(user)))
        )


register(
    {
        Forum: ForumPolicy(),
        ForumCase: ForumCasePolicy(),
        Meeting: MeetingPolicy(),
        Attendance: PartOf(Meeting, "meeting"),
        MinutesShare: MinutesSharePolicy(),
        AgendaItem: AgendaItemPolicy(),
        SharedInformation: SharedInformationPolicy(),
        MeetingDecision: PartOf(AgendaItem, "item"),
        RiskManagementPlan: RiskManagementPlanPolicy(),
    }
)
