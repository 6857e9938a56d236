"""Who may see, make and decide referrals, and see the links between cases (access.registry).

A referral is seen by its forum's coordinators, by the member of staff who made it, and by anyone who may
see the person referred. It is made (drafted, submitted, withdrawn) by Responsible Authority and
Duty-to-Co-operate staff who may see the person, and screened, accepted or declined by the forum's
coordinator.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import (
    NOBODY,
    REFERRING_ROLES,
    Decision,
    coordinated_forums,
    forums,
    may_coordinate_forum,
    roles_of,
)
from safeguard.access.registry import PartOf, Policy, register, within
from safeguard.meetings.models import ForumCase
from safeguard.people.policies import may_view_person, people_scope

from .models import CaseLink, Referral, ReferralTransition


def may_view_referral(user: Any, referral: Referral) -> Decision:
    if may_coordinate_forum(user, referral.forum):
        return Decision(True, "coordinator of the forum")
    if referral.referred_by_id == user.pk and roles_of(user) & REFERRING_ROLES:
        return Decision(True, "made the referral")
    person = may_view_person(user, referral.person)
    if person:
        return person
    return Decision(False, "no need to know")


def referrals_scope(user: Any) -> Q:
    scope = Q(forum__in=forums(coordinated_forums(user)))
    if roles_of(user) & REFERRING_ROLES:
        scope |= Q(referred_by_id=user.pk)
    return scope | people_scope(user, "person")


def may_refer(user: Any, referral: Referral) -> Decision:
    """Make (and submit or withdraw) a referral: RA and Duty-to-Co-operate staff who may see the person."""
    if not roles_of(user) & REFERRING_ROLES or user.agency_id is None:
        return Decision(False, "may not make referrals")
    if referral.pk and referral.referred_by_id != user.pk and not may_coordinate_forum(user, referral.forum):
        return Decision(False, "not the referrer")
    if not may_view_person(user, referral.person):
        return Decision(False, "may not see the person referred")
    return Decision(True, "referrer who may see the person")


def referrals_made_scope(user: Any) -> Q:
    """``may_refer`` over saved referrals: the user's own, or any of a forum they coordinate."""
    if not roles_of(user) & REFERRING_ROLES or user.agency_id is None:
        return NOBODY
    own = Q(referred_by_id=user.pk) | Q(forum__in=forums(coordinated_forums(user)))
    return own & people_scope(user, "person")


class ReferralPolicy(Policy):
    def may_read(self, user: Any, record: Referral) -> Decision:
        return may_view_referral(user, record)

    def readable(self, user: Any) -> Q:
        return referrals_scope(user)

    def may_create(self, user: Any, record: Referral) -> Decision:
        return may_refer(user, record)

    def creatable(self, user: Any) -> Q:
        return referrals_made_scope(user)

    def may_change(self, user: Any, record: Referral) -> Decision:
        """Screen, accept, decline or list a referral: the forum's coordinator."""
        return may_coordinate_forum(user, record.forum)

    def changeable(self, user: Any) -> Q:
        return Q(forum__in=forums(coordinated_forums(user)))


class CaseLinkPolicy(Policy):
    """A link between two forums' cases about the same people: seen by whoever may see both people; made
    by the coordinator of the forum it starts from."""

    def may_read(self, user: Any, record: CaseLink) -> Decision:
        allowed = may_view_person(user, record.from_case.person)
        return allowed if not allowed else may_view_person(user, record.to_case.person)

    def readable(self, user: Any) -> Q:
        return within(ForumCase, "from_case", user, "view") & within(ForumCase, "to_case", user, "view")

    def may_change(self, user: Any, record: CaseLink) -> Decision:
        return may_coordinate_forum(user, record.from_case.forum)

    def changeable(self, user: Any) -> Q:
        return Q(from_case__forum__in=forums(coordinated_forums(user)))


register(
    {
        Referral: ReferralPolicy(),
        # A transition is a record of what happened to a referral: every operation as reading the referral.
        ReferralTransition: PartOf(Referral, "referral", reads_only=True),
        CaseLink: CaseLinkPolicy(),
    }
)
