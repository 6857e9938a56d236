"""Who may review possible matches (access.registry).

A pair of records is reviewed only by someone who may see, and record on, both people in full: the
area's MAPPA and MARAC coordinators and supervisors (the roles that keep the area's records right). Nobody
else sees the pair at all, not even that it exists: a pair across two areas waits for a reviewer who may
see both, and the queue says only how many wait so. A matching model holds no personal data: the same
reviewers may read it; only the system trains one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import NOBODY, Decision, roles_of
from safeguard.access.registry import Policy, register
from safeguard.people.policies import may_change_person, people_recorded_scope
from safeguard.workforce.models import Role

from .models import CandidatePair, MatchModel, PersonMerge

REVIEWING_ROLES = frozenset({Role.MAPPA_COORDINATOR, Role.MARAC_COORDINATOR, Role.SUPERVISOR})


def is_reviewer(user: Any) -> bool:
    return bool(roles_of(user) & REVIEWING_ROLES)


class CandidatePairPolicy(Policy):
    def may_read(self, user: Any, record: CandidatePair) -> Decision:
        if not is_reviewer(user):
            return Decision(False, "not a reviewer of possible matches")
        for person in (record.first, record.second):
            if not may_change_person(user, person):
                return Decision(False, "may not see both records in full")
        return Decision(True, "reviewer of both records")

    def readable(self, user: Any) -> Q:
        if not is_reviewer(user):
            return NOBODY
        return people_recorded_scope(user, "first") & people_recorded_scope(user, "second")

    def may_change(self, user: Any, record: CandidatePair) -> Decision:
        return self.may_read(user, record)

    def changeable(self, user: Any) -> Q:
        return self.readable(user)


class MatchModelPolicy(Policy):
    def may_read(self, user: Any, record: MatchModel) -> Decision:
        if is_reviewer(user) and record.area_id == user.mappa_area_id:
            return Decision(True, "reviewer of the area")
        return Decision(False, "not a reviewer of the area")

    def readable(self, user: Any) -> Q:
        return Q(area_id=user.mappa_area_id) if is_reviewer(user) else NOBODY

    # Trained by the system only (audited as system work): nobody changes one.


class PersonMergePolicy(Policy):
    """A merge is read, asked for, approved and undone by a reviewer who may record on both people."""

    def may_read(self, user: Any, record: PersonMerge) -> Decision:
        if not is_reviewer(user):
            return Decision(False, "not a reviewer of possible matches")
        for person in (record.kept, record.merged):
            if not may_change_person(user, person):
                return Decision(False, "may not record on both people")
        return Decision(True, "reviewer of both records")

    def readable(self, user: Any) -> Q:
        if not is_reviewer(user):
            return NOBODY
        return people_recorded_scope(user, "kept") & people_recorded_scope(user, "merged")

    def may_change(self, user: Any, record: PersonMerge) -> Decision:
        return self.may_read(user, record)

    def changeable(self, user: Any) -> Q:
        return self.readable(user)


register({CandidatePair: CandidatePairPolicy(), MatchModel: MatchModelPolicy(), PersonMerge: PersonMergePolicy()})
