"""A person's relationships in both directions, read as sentences.

A Relationship reads "person is KIND of other"; on the other person's page the
same row is read from their side. Names of people the user may not see are
withheld (the gate's scope decides), the relationship itself is still shown.
"""

from __future__ import annotations

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.rules.relationships import PersonalConnection, RelationshipKind

from ..models import Person, Relationship

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


def relationship_rows(user, person: Person) -> list[dict]:
    outgoing = list(person.relationships_from.select_related("other"))
    incoming = list(person.relationships_to.select_related("person"))
    others = [r.other for r in outgoing] + [r.person for r in incoming]
    visible = set(gate.scoped(user, Person.objects.filter(pk__in=[p.pk for p in others])).values_list("pk", flat=True))
    sides = [(r, r.other, True) for r in outgoing] + [(r, r.person, False) for r in incoming]
    rows = []
    for relationship, other, outward in sides:
        shown = other.pk in visible
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
