"""Use cases for people: one function each, each one transaction through the gate."""

from __future__ import annotations

from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record

from . import search
from .models import Address, Alias, Person, Relationship, WarningMarker


def create_person(ctx: AccessContext, person: Person) -> Person:
    save_record(ctx, person)
    search.reindex(person)
    return person


def change_person(ctx: AccessContext, person: Person, *, expected_version: int, reason: str = "") -> Person:
    save_record(ctx, person, expected_version=expected_version, reason=reason)
    search.reindex(person)
    return person


def add_alias(ctx: AccessContext, alias: Alias) -> Alias:
    save_record(ctx, alias)
    search.reindex(alias.person)
    return alias


def add_address(ctx: AccessContext, address: Address) -> Address:
    return save_record(ctx, address)


def end_address(ctx: AccessContext, address: Address) -> Address:
    return save_record(ctx, address)


def add_warning_marker(ctx: AccessContext, marker: WarningMarker) -> WarningMarker:
    return save_record(ctx, marker)


def add_relationship(ctx: AccessContext, relationship: Relationship) -> Relationship:
    return save_record(ctx, relationship)
