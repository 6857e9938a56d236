"""Relationship types between people.

Source: Domestic Abuse Act 2021 ss.1-2 (personally connected); the Home Office
Homicide Index relationship groups (partner or ex-partner; parent; son or
daughter; other family; friend or acquaintance; stranger; not known). No
national code list for relationships exists (see domain/domestic-abuse.md),
so this controlled list is Safeguard's, mapped onto those groups.
"""

from enum import StrEnum


class RelationshipKind(StrEnum):
    SPOUSE_OR_CIVIL_PARTNER = "spouse_or_civil_partner"
    INTIMATE_PARTNER = "intimate_partner"
    FIANCE = "fiance"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    OTHER_FAMILY = "other_family"
    CO_PARENT = "co_parent"
    FRIEND_OR_ACQUAINTANCE = "friend_or_acquaintance"
    ASSOCIATE = "associate"
    STRANGER = "stranger"
    NOT_KNOWN = "not_known"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def choices_list(cls) -> list[tuple[str, str]]:
        return [(k.value, k.label) for k in cls]


_LABELS = {
    RelationshipKind.SPOUSE_OR_CIVIL_PARTNER: "Spouse or civil partner",
    RelationshipKind.INTIMATE_PARTNER: "Intimate partner",
    RelationshipKind.FIANCE: "Fiancé or fiancée",
    RelationshipKind.PARENT: "Parent",
    RelationshipKind.CHILD: "Son or daughter",
    RelationshipKind.SIBLING: "Brother or sister",
    RelationshipKind.OTHER_FAMILY: "Other family member",
    RelationshipKind.CO_PARENT: "Parent of the same child",
    RelationshipKind.FRIEND_OR_ACQUAINTANCE: "Friend or acquaintance",
    RelationshipKind.ASSOCIATE: "Associate",
    RelationshipKind.STRANGER: "Stranger",
    RelationshipKind.NOT_KNOWN: "Not known",
}

HOMICIDE_INDEX_GROUP = {
    RelationshipKind.SPOUSE_OR_CIVIL_PARTNER: "Partner or ex-partner",
    RelationshipKind.INTIMATE_PARTNER: "Partner or ex-partner",
    RelationshipKind.FIANCE: "Partner or ex-partner",
    RelationshipKind.PARENT: "Parent",
    RelationshipKind.CHILD: "Son or daughter",
    RelationshipKind.SIBLING: "Other family",
    RelationshipKind.OTHER_FAMILY: "Other family",
    RelationshipKind.CO_PARENT: "Other family",
    RelationshipKind.FRIEND_OR_ACQUAINTANCE: "Friend or acquaintance",
    RelationshipKind.ASSOCIATE: "Friend or acquaintance",
    RelationshipKind.STRANGER: "Stranger",
    RelationshipKind.NOT_KNOWN: "Not known",
}


class PersonalConnection(StrEnum):
    """Domestic Abuse Act 2021 s.2(1)(a)-(g)."""

    NONE = "none"
    MARRIED_OR_CIVIL_PARTNERS = "married_or_civil_partners"
    AGREED_TO_MARRY = "agreed_to_marry"
    INTIMATE_RELATIONSHIP = "intimate_relationship"
    PARENTAL_RELATIONSHIP = "parental_relationship"
    RELATIVES = "relatives"

    @property
    def label(self) -> str:
        return _CONNECTION_LABELS[self]

    @classmethod
    def choices_list(cls) -> list[tuple[str, str]]:
        return [(k.value, k.label) for k in cls]


_CONNECTION_LABELS = {
    PersonalConnection.NONE: "Not personally connected",
    PersonalConnection.MARRIED_OR_CIVIL_PARTNERS: "Are or have been married or civil partners (s.2(1)(a)-(b))",
    PersonalConnection.AGREED_TO_MARRY: "Have agreed to marry or enter a civil partnership (s.2(1)(c)-(d))",
    PersonalConnection.INTIMATE_RELATIONSHIP: "Are or have been in an intimate personal relationship (s.2(1)(e))",
    PersonalConnection.PARENTAL_RELATIONSHIP: "Each has or had a parental relationship to the same child (s.2(1)(f))",
    PersonalConnection.RELATIVES: "Are relatives (s.2(1)(g))",
}

DEFAULT_CONNECTION = {
    RelationshipKind.SPOUSE_OR_CIVIL_PARTNER: PersonalConnection.MARRIED_OR_CIVIL_PARTNERS,
    RelationshipKind.INTIMATE_PARTNER: PersonalConnection.INTIMATE_RELATIONSHIP,
    RelationshipKind.FIANCE: PersonalConnection.AGREED_TO_MARRY,
    RelationshipKind.PARENT: PersonalConnection.RELATIVES,
    RelationshipKind.CHILD: PersonalConnection.RELATIVES,
    RelationshipKind.SIBLING: PersonalConnection.RELATIVES,
    RelationshipKind.OTHER_FAMILY: PersonalConnection.RELATIVES,
    RelationshipKind.CO_PARENT: PersonalConnection.PARENTAL_RELATIONSHIP,
}
