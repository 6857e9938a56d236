"""Who may see and change interventions, release plans and peer observations (access.registry).

- A referral to a programme, a release plan and a time in the IOM cohort are part of the nominal: read as the
  nominal is read (the area's case workers, forum member agencies), made and changed as the nominal is changed
  (its offender manager, the area's MAPPA coordinator, the team's supervisor). A checklist item is part of its plan.
- A CPD event and its attendance are the area's supervisors' and MAPPA coordinators' (as course places are).
- A peer observation is the observers' and the forum's coordinators' (the coordinators pair the observers);
  the meeting's chair reads it once it has been shared with them. Nobody else: it is feedback between peers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import NOBODY, Decision, coordinated_forums, forums, may_coordinate_forum, roles_of
from safeguard.access.registry import PartOf, Policy, register
from safeguard.offenders.models import Nominal
from safeguard.workforce.policies import may_manage_places, places_scope

from .models import (
    CpdAttendance,
    CpdEvent,
    InterventionReferral,
    IomMembership,
    PathwayItem,
    PeerObservation,
    ReleasePlan,
)


def _observer(user: Any, record: PeerObservation) -> bool:
    return bool(roles_of(user)) and user.pk in (record.first_observer_id, record.second_observer_id)


def _observers(user: Any) -> Q:
    return Q(first_observer_id=user.pk) | Q(second_observer_id=user.pk) if roles_of(user) else NOBODY


def _coordinated(user: Any) -> Q:
    return Q(meeting__forum__in=forums(coordinated_forums(user)))


class PeerObservationPolicy(Policy):
    def may_change(self, user: Any, record: PeerObservation) -> Decision:
        if _observer(user, record):
            return Decision(True, "an observer of the meeting")
        if may_coordinate_forum(user, record.meeting.forum):
            return Decision(True, "coordinator of the forum")
        return Decision(False, "not an observer or the forum's coordinator")

    def changeable(self, user: Any) -> Q:
        return _observers(user) | _coordinated(user)

    def may_read(self, user: Any, record: PeerObservation) -> Decision:
        allowed = self.may_change(user, record)
        if allowed:
            return allowed
        if record.shared_with_chair_on and record.meeting.chair_id == user.pk and roles_of(user):
            return Decision(True, "chair of the meeting, shared with them")
        return Decision(False, "peer feedback for the observers, the coordinators and the chair once shared")

    def readable(self, user: Any) -> Q:
        shared = Q(meeting__chair_id=user.pk, shared_with_chair_on__isnull=False) if roles_of(user) else NOBODY
        return self.changeable(user) | shared


class CpdEventPolicy(Policy):
    """A CPD event and its attendance: the area's supervisors and MAPPA coordinators, as course places are."""

    def may(self, user: Any, operation: str, record: CpdEvent) -> Decision:
        return may_manage_places(user, record.area_id)

    def where(self, user: Any, operation: str) -> Q:
        return places_scope(user)


register(
    {
        CpdEvent: CpdEventPolicy(),
        CpdAttendance: PartOf(CpdEvent, "event"),
        InterventionReferral: PartOf(Nominal, "nominal"),
        ReleasePlan: PartOf(Nominal, "nominal"),
        IomMembership: PartOf(Nominal, "nominal"),
        PathwayItem: PartOf(ReleasePlan, "plan"),
        PeerObservation: PeerObservationPolicy(),
    }
)
