"""A person's relationships in both directions, read as sentences.

A Relationship reads "person is KIND of other"; on the other person's page the
same row is read from their side. Names of people the user may not see are
withheld (the gate's scope decides), the relationship itself is still shown.
"""

from __future__ import annotations

from collections.abc import Set

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.rules.relationships import PersonalConnection, RelationshipKind

from ..models import Person, Relationship
from ..network import relationships_of

PHRASES = {
    RelationshipKind.SPOUSE_OR_CIVIL_PARTNER: "spouse or civil partner of",
    RelationshipKind.INTIMATE_PARTNER: "intimate partner of",
    RelationshipKind.FIANCE: "fiancé or fiancée of",
    RelationshipKind.PARENT: "parent of",
    RelationshipKind.CHILD: "son or daughter of",
    RelationshipKind.SIBLING: "brother or sister of",
    RelationshipKind.OTHER_FAMILY: "family member of",
    RelationshipKind.CO_PARENT: "parent of the same child as",
    RelationshipKind.FRIEND_OR_ACQUAINTANCE: "friend or acquaintance of",
    RelationshipKind.ASSOCIATE: "associate of",
    RelationshipKind.STRANGER: "stranger to",
    RelationshipKind.NOT_KNOWN: "related in a way not known to",
}
WITHHELD = "a person outside your access"


def sentence(relationship: Relationship, subject: str, obj: str) -> str:
    former = "former " if relationship.former else ""
    return f"{subject} is {former}{PHRASES[RelationshipKind(relationship.kind)]} {obj}"


def relationship_rows(
    user, person: Person, relationships: list[Relationship] | None = None, seen: Set[int] | None = None
) -> list[dict]:
    """The person's relationships as sentences. ``relationships`` (``network.relationships_of``) and ``seen``
    (the people linked to the person whom the user may see, by the gate's scope: ``Network.seen``) are read
    here unless the page has read them already."""
    if relationships is None:
        relationships = relationships_of(person)
    # Those recorded from this person's side first, then those from the other's (the order of the sort's ties).
    sides = [(r, r.other, True) for r in relationships if r.person_id == person.pk]
    sides += [(r, r.person, False) for r in relationships if r.person_id != person.pk]
    if seen is None:
        others = [other.pk for _, other, _ in sides]
        seen = set(gate.scoped(user, Person.objects.filter(pk__in=others)).values_list("pk", flat=True))
    rows = []
    for relationship, other, outward in sides:
        shown = other.pk in seen
        other_name = other.full_name if shown else WITHHELD
        subject, obj = (person.full_name, other_name) if outward else (other_name, person.full_name)
        rows.append(
            {
                "relationship": relationship,
                "other": other if shown else None,
                "sentence": sentence(relationship, subject[:1].upper() + subject[1:], obj),
                "connection": PersonalConnection(relationship.personal_connection).label,
                "connected": relationship.personal_connection != PersonalConnection.NONE,
                "may_change": gate.decide(user, Operation.CHANGE, relationship).allowed,
            }
        )
    rows.sort(key=lambda row: (row["relationship"].former, row["sentence"]))
    return rows
