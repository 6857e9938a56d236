"""Who may see and record incidents, and the events that belong to a person (access.registry).

An incident is seen by the case workers of the MAPPA area it happened in, and by anyone who may see one of
the people linked to it; it is recorded by the area's recorders. Convictions and notifications are part of
the person's record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from safeguard.access.policy import CASE_ROLES, NOBODY, RECORDING_ROLES, Decision, area_worker, local_area_ids
from safeguard.access.registry import Policy, register
from safeguard.people.policies import OnePersonsRecord, may_view_person, people_scope

from .models import Conviction, Incident, IncidentPerson, Notification


def _in_area(user: Any, incident: Incident) -> bool:
    return incident.local_area.parent_id == user.mappa_area_id


def may_view_incident(user: Any, incident: Incident) -> Decision:
    if area_worker(user, CASE_ROLES) and _in_area(user, incident):
        return Decision(True, "area case worker")
    for link in incident.people.all():
        if may_view_person(user, link.person):
            return Decision(True, "may see a person in the incident")
    return Decision(False, "no need to know")


def incidents_scope(user: Any) -> Q:
    scope = NOBODY
    if area_worker(user, CASE_ROLES):
        scope |= Q(local_area_id__in=local_area_ids(user))
    people = people_scope(user, "person")
    if people != NOBODY:
        scope |= Q(Exists(IncidentPerson.objects.filter(people, incident_id=OuterRef("pk"))))
    return scope


def may_change_incident(user: Any, incident: Incident) -> Decision:
    if area_worker(user, RECORDING_ROLES) and _in_area(user, incident):
        return Decision(True, "area recorder")
    return Decision(False, "may not record incidents in this area")


def incidents_recorded_scope(user: Any) -> Q:
    if area_worker(user, RECORDING_ROLES):
        return Q(local_area_id__in=local_area_ids(user))
    return NOBODY


class IncidentPolicy(Policy):
    def may_read(self, user: Any, record: Incident) -> Decision:
        return may_view_incident(user, record)

    def readable(self, user: Any) -> Q:
        return incidents_scope(user)

    def may_change(self, user: Any, record: Incident) -> Decision:
        return may_change_incident(user, record)

    def changeable(self, user: Any) -> Q:
        return incidents_recorded_scope(user)


class IncidentPersonPolicy(Policy):
    """A person's part in an incident: read with the incident; changed by an incident recorder who may see
    the person."""

    def may_read(self, user: Any, record: IncidentPerson) -> Decision:
        return may_view_incident(user, record.incident)

    def readable(self, user: Any) -> Q:
        return Q(incident__in=Incident.objects.filter(incidents_scope(user)).values("pk"))

    def may_change(self, user: Any, record: IncidentPerson) -> Decision:
        allowed = may_change_incident(user, record.incident)
        return allowed if not allowed else may_view_person(user, record.person)

    def changeable(self, user: Any) -> Q:
        recorded = Incident.objects.filter(incidents_recorded_scope(user)).values("pk")
        return Q(incident__in=recorded) & people_scope(user, "person")


register(
    {
        Incident: IncidentPolicy(),
        IncidentPerson: IncidentPersonPolicy(),
        Conviction: OnePersonsRecord(),
        Notification: OnePersonsRecord(),
    }
)
