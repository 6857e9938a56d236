"""Who may see and record people, and the records that belong to a person (access.registry).

A person is seen by the case workers of their MAPPA area (Responsible Authority staff, and MARAC
coordinators of any agency) and, through their agency's forum membership, by staff of the agencies that
sit on a forum holding an open case about them. A person is recorded on by the area's recorders only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import (
    CASE_ROLES,
    FORUM_ROLES,
    NOBODY,
    RECORDING_ROLES,
    Decision,
    area_worker,
    forum_people,
    on_open_case_of_member_forum,
    roles_of,
)
from safeguard.access.registry import PartOf, Policy, register

from .models import Address, Alias, LegalHold, NameKey, Person, Relationship, WarningMarker


def may_view_person(user: Any, person: Person) -> Decision:
    if area_worker(user, CASE_ROLES) and person.area_id == user.mappa_area_id:
        return Decision(True, "area case worker")
    if roles_of(user) & FORUM_ROLES and user.agency_id and on_open_case_of_member_forum(user, person):
        return Decision(True, "forum member agency")
    return Decision(False, "no need to know")


def people_scope(user: Any, via: str = "") -> Q:
    """``may_view_person`` as a filter: on people (``via=""``) or on records pointing at one (``via="person"``).

    Without joins: a plain column test, or a correlated EXISTS, so that PostgreSQL can combine them with a
    search's own index lookups instead of scanning every person joined to every forum case.
    """
    prefix = f"{via}__" if via else ""
    scope = NOBODY
    if area_worker(user, CASE_ROLES):
        scope |= Q(**{f"{prefix}area_id": user.mappa_area_id})
    if roles_of(user) & FORUM_ROLES and user.agency_id:
        scope |= Q(forum_people(user, f"{via}_id" if via else "pk"))
    return scope


def may_change_person(user: Any, person: Person) -> Decision:
    if area_worker(user, RECORDING_ROLES) and person.area_id == user.mappa_area_id:
        return Decision(True, "area recorder")
    return Decision(False, "may not record on this person")


def people_recorded_scope(user: Any, via: str = "") -> Q:
    """``may_change_person`` as a filter."""
    if area_worker(user, RECORDING_ROLES):
        return Q(**{f"{via}__area_id" if via else "area_id": user.mappa_area_id})
    return NOBODY


class PersonPolicy(Policy):
    def may_read(self, user: Any, record: Person) -> Decision:
        return may_view_person(user, record)

    def readable(self, user: Any) -> Q:
        return people_scope(user)

    def may_change(self, user: Any, record: Person) -> Decision:
        return may_change_person(user, record)

    def changeable(self, user: Any) -> Q:
        return people_recorded_scope(user)


class RelationshipPolicy(Policy):
    """Read with the person it is recorded on; changed only by someone who may record on both people."""

    def may_read(self, user: Any, record: Relationship) -> Decision:
        return may_view_person(user, record.person)

    def readable(self, user: Any) -> Q:
        return people_scope(user, "person")

    def may_change(self, user: Any, record: Relationship) -> Decision:
        both = may_change_person(user, record.person)
        return both if not both else may_change_person(user, record.other)

    def changeable(self, user: Any) -> Q:
        return people_recorded_scope(user, "person") & people_recorded_scope(user, "other")


class OnePersonsRecord(PartOf):
    """Part of one person's record (a name, an address, a marker, a hold, a search key)."""

    def __init__(self) -> None:
        super().__init__(Person, "person")

    def where(self, user: Any, operation: str) -> Q:
        # The person's own filters at the path, rather than a subquery over people: the same rule.
        if self._owner_operation(operation) == "view":
            return people_scope(user, "person")
        return people_recorded_scope(user, "person")


register(
    {
        Person: PersonPolicy(),
        Relationship: RelationshipPolicy(),
        Alias: OnePersonsRecord(),
        Address: OnePersonsRecord(),
        WarningMarker: OnePersonsRecord(),
        LegalHold: OnePersonsRecord(),
        NameKey: OnePersonsRecord(),
    }
)
