"""Use cases for people: one function each, each one transaction through the gate."""

from __future__ import annotations

from django.db import transaction

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record

from . import search
from .models import Address, Alias, LegalHold, Person, Relationship, WarningMarker


def _person_changed(person_id: int) -> None:
    from safeguard.offenders.recalculate import person_changed

    person_changed(person_id)


def _hold_clashing_identifiers(person: Person) -> dict[str, tuple[str, int]]:
    """Identifiers entered for ``person`` that another record already holds: taken off the record (kept to
    add once reviewed), with the record that holds each. Nothing about that record reaches the user."""
    held = {}
    for field in Person.IDENTIFIER_FIELDS:
        value = getattr(person, field)
        if not value:
            continue
        holder = Person.objects.filter(**{field: value}).exclude(pk=person.pk).values_list("pk", flat=True).first()
        if holder is not None:
            held[field] = (value, holder)
            setattr(person, field, None)
    return held


def _send_for_review(ctx: AccessContext, person: Person, held: dict[str, tuple[str, int]]) -> None:
    from safeguard.matching.services import route_identifier_clash

    for field, (value, holder) in held.items():
        route_identifier_clash(ctx, person, field, value, holder)
    person.identifiers_for_review = list(held)


def create_person(ctx: AccessContext, person: Person) -> Person:
    """A new person. An identifier another record already holds is not refused with a message naming that
    record (which the user may not be allowed to know of): the person is saved without it and the pair goes
    to the review queue (``person.identifiers_for_review`` names what waits)."""
    with transaction.atomic():
        person.full_clean(validate_unique=False)  # the identifiers in their normal form, or the errors
        held = _hold_clashing_identifiers(person)
        save_record(ctx, person)
        _send_for_review(ctx, person, held)
        search.reindex(person)
    return person


def change_person(ctx: AccessContext, person: Person, *, expected_version: int, reason: str = "") -> Person:
    with transaction.atomic():
        person.full_clean(validate_unique=False)
        held = _hold_clashing_identifiers(person)
        save_record(ctx, person, expected_version=expected_version, reason=reason)
        _send_for_review(ctx, person, held)
        search.reindex(person)
    return person


def add_alias(ctx: AccessContext, alias: Alias) -> Alias:
    save_record(ctx, alias)
    search.reindex(alias.person)
    return alias


def add_address(ctx: AccessContext, address: Address) -> Address:
    """A new address; no fixed abode makes periodic notification weekly, so the due dates are worked out again."""
    with transaction.atomic():
        save_record(ctx, address)
        _person_changed(address.person_id)
    return address


def end_address(ctx: AccessContext, address: Address) -> Address:
    with transaction.atomic():
        save_record(ctx, address)
        _person_changed(address.person_id)
    return address


def add_warning_marker(ctx: AccessContext, marker: WarningMarker) -> WarningMarker:
    return save_record(ctx, marker)


def _consider_right_to_know(ctx: AccessContext, relationship: Relationship) -> None:
    from safeguard.actions.right_to_know import consider_pair

    consider_pair(ctx, relationship.person_id, relationship.other_id)


def add_relationship(ctx: AccessContext, relationship: Relationship) -> Relationship:
    """A new relationship; a new intimate partner of someone under management prompts a Right to Know decision."""
    with transaction.atomic():
        save_record(ctx, relationship)
        _consider_right_to_know(ctx, relationship)
    return relationship


def change_alias(ctx: AccessContext, alias: Alias) -> Alias:
    save_record(ctx, alias)
    search.reindex(alias.person)
    return alias


def change_warning_marker(ctx: AccessContext, marker: WarningMarker, *, reason: str = "") -> WarningMarker:
    return save_record(ctx, marker, reason=reason)


def remove_warning_marker(ctx: AccessContext, marker: WarningMarker, *, reason: str = "") -> None:
    """Take a marker off a person. The history keeps it (a "-" record, with the reason) and the audit says who.

    Audited as a change of the marker: the person's record changes, nothing is erased from its history.
    """
    with gate.changing(ctx, WarningMarker, marker.pk, related=("person",)) as change:
        current = change.record
        if reason:
            current._change_reason = reason
        change.detail |= {"removed": True, "code": current.code, "person": current.person_id}
        current.delete()


def change_relationship(ctx: AccessContext, relationship: Relationship, *, reason: str = "") -> Relationship:
    with transaction.atomic():
        save_record(ctx, relationship, reason=reason)
        _consider_right_to_know(ctx, relationship)
    return relationship


def end_relationship(ctx: AccessContext, relationship: Relationship) -> Relationship:
    """An end date makes the relationship a former one (Relationship.clean)."""
    relationship.former = True
    return save_record(ctx, relationship)


def place_legal_hold(ctx: AccessContext, hold: LegalHold) -> LegalHold:
    """A legal hold blocks disposal: the earliest disposal date is cleared while it is in force."""
    with transaction.atomic():
        save_record(ctx, hold)
        _person_changed(hold.person_id)
    return hold


def lift_legal_hold(ctx: AccessContext, hold: LegalHold) -> LegalHold:
    with transaction.atomic():
        save_record(ctx, hold)
        _person_changed(hold.person_id)
    return hold
