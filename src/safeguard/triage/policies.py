"""Who may see and record the daily domestic-abuse triage (access.registry).

A triage case is seen as its triage forum is (its coordinators, its member agencies, the area's case
workers) and graded, planned and closed by the triage's coordinator and its member agencies'
practitioners. Grade changes and Operation Encompass notices are part of the case.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import (
    IDVA_OR_PARTNER_ROLES,
    RECORDING_ROLES,
    Decision,
    coordinated_forums,
    forums,
    may_coordinate_forum,
    member_forums,
    member_of_forum,
    roles_of,
)
from safeguard.access.registry import PartOf, Policy, register
from safeguard.meetings.policies import forums_seen, may_view_forum

from .models import EncompassNotice, GradeChange, TriageCase

TRIAGING_ROLES = RECORDING_ROLES | IDVA_OR_PARTNER_ROLES


def may_triage(user: Any, case: TriageCase) -> Decision:
    """Grade, plan and record outcomes: the triage's coordinator, and its member agencies' practitioners."""
    forum = case.meeting.forum
    if may_coordinate_forum(user, forum):
        return Decision(True, "coordinator of the triage")
    if member_of_forum(user, forum) and roles_of(user) & TRIAGING_ROLES:
        return Decision(True, "member agency of the triage")
    return Decision(False, "may not record triage outcomes")


def triaged_scope(user: Any) -> Q:
    triaging = coordinated_forums(user)
    if roles_of(user) & TRIAGING_ROLES:
        triaging |= member_forums(user)
    return Q(meeting__forum__in=forums(triaging))


class TriageCasePolicy(Policy):
    def may_read(self, user: Any, record: TriageCase) -> Decision:
        decision = may_view_forum(user, record.meeting.forum)
        if decision:
            return Decision(True, decision.reason.replace("forum", "triage"))
        return Decision(False, "no need to know")

    def readable(self, user: Any) -> Q:
        return Q(meeting__forum__in=forums(forums_seen(user)))

    def may_change(self, user: Any, record: TriageCase) -> Decision:
        return may_triage(user, record)

    def changeable(self, user: Any) -> Q:
        return triaged_scope(user)


register(
    {
        TriageCase: TriageCasePolicy(),
        GradeChange: PartOf(TriageCase, "case"),
        EncompassNotice: PartOf(TriageCase, "case"),
    }
)
