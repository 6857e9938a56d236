"""A person's relationship network: partners and former partners over time, children and family, the victims
of incidents they were the perpetrator in, their co-accused, and who offended against them.

Every other person shown passes the gate's scope (the same rule as opening their record); people the user
may not see are counted, never named, and none of their links is shown. The table on the person page is
the source of truth; the SVG drawing beside it is a picture of the same rows (server-drawn, no script).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation
from safeguard.events.models import IncidentPerson, IncidentRole
from safeguard.prepared import PreparedQuery
from safeguard.rules.new_partner import is_intimate
from safeguard.rules.relationships import RelationshipKind

from .models import Person, Relationship

# The groups a link falls in, in the order the table lists them, with their words.
GROUPS = {
    "partner": "Partner",
    "former_partner": "Former partner",
    "child": "Child",
    "parent": "Parent",
    "family": "Family",
    "victim": "Victim of theirs in an incident",
    "perpetrator": "Perpetrator against them in an incident",
    "co_accused": "Co-accused in an incident",
    "other": "Other",
}
# What the other person was in an incident, by (this person's role, the other's role).
INCIDENT_GROUPS = {
    (IncidentRole.PERPETRATOR, IncidentRole.VICTIM): "victim",
    (IncidentRole.PERPETRATOR, IncidentRole.PERPETRATOR): "co_accused",
    (IncidentRole.VICTIM, IncidentRole.PERPETRATOR): "perpetrator",
}
SHORT = {"victim", "perpetrator", "co_accused"}  # "victim", "perpetrator", "co-accused" in the drawing
FAMILY = {RelationshipKind.SIBLING, RelationshipKind.OTHER_FAMILY, RelationshipKind.CO_PARENT}


@dataclass
class Link:
    other_id: int
    group: str
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    incidents: int = 0
    other: Person | None = None

    @property
    def label(self) -> str:
        return GROUPS[self.group]


@dataclass
class Node:
    person: Person
    x: int
    y: int
    groups: list[str] = field(default_factory=list)

    @property
    def kinds(self) -> str:
        return ", ".join(GROUPS[g].split(" ")[0].lower() if g in SHORT else GROUPS[g].lower() for g in self.groups)


@dataclass
class Network:
    person: Person
    links: list[Link]
    nodes: list[Node]
    hidden: int
    size: tuple[int, int] = (640, 420)
    centre: tuple[int, int] = (320, 210)
    seen: frozenset[int] = frozenset()  # every person linked whom the user may see (by the gate's scope)


def _relationship_group(relationship: Relationship, person_id: int) -> str:
    kind = relationship.kind
    if is_intimate(kind):
        return "former_partner" if relationship.former else "partner"
    outward = relationship.person_id == person_id  # "person is KIND of other"
    if kind in (RelationshipKind.CHILD, RelationshipKind.PARENT):
        other_is_child = (kind == RelationshipKind.PARENT) == outward
        return "child" if other_is_child else "parent"
    return "family" if kind in FAMILY else "other"


# The relationships a person is on either side of, with both people: their SQL written once a process.
RELATIONSHIPS = PreparedQuery(
    "person: relationships",
    Relationship,
    lambda person_id: Relationship.objects.filter(Q(person_id=person_id) | Q(other_id=person_id)).select_related(
        "person", "other"
    ),
)


def relationships_of(person: Person) -> list[Relationship]:
    """Every relationship the person is on either side of, in the order they were recorded, with the other
    person read in the same query (the person's own side is ``person`` itself): what both the relationships
    table and the network show, read once for the page."""
    rows = list(RELATIONSHIPS(person_id=person.pk))
    rows.sort(key=lambda r: r.pk)
    for r in rows:
        if r.person_id == person.pk:
            r.person = person
        else:
            r.other = person
    return rows


def _relationship_links(person: Person, relationships: list[Relationship]) -> list[Link]:
    links = []
    for r in relationships:
        other = r.other_id if r.person_id == person.pk else r.person_id
        links.append(Link(other, _relationship_group(r, person.pk), r.from_date, r.to_date))
    return links


def _incident_links(person: Person, mine: dict[int, str]) -> list[Link]:
    found: dict[tuple[int, str], Link] = {}
    if not mine:
        return []
    others = IncidentPerson.objects.filter(incident_id__in=list(mine)).exclude(person=person).order_by("pk")
    for incident_id, other, role, occurred in others.values_list(
        "incident_id", "person_id", "role", "incident__occurred_at"
    ):
        group = INCIDENT_GROUPS.get((mine[incident_id], role))
        if group is None:
            continue
        day = timezone.localdate(occurred)
        link = found.setdefault((other, group), Link(other, group, day, day))
        link.from_date, link.to_date = min(link.from_date, day), max(link.to_date, day)
        link.incidents += 1
    return list(found.values())


def _layout(people: list[Person], centre: tuple[int, int]) -> list[tuple[Person, int, int]]:
    radius = 160
    count = max(len(people), 1)
    placed = []
    for index, other in enumerate(people):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        placed.append((other, round(centre[0] + radius * math.cos(angle)), round(centre[1] + radius * math.sin(angle))))
    return placed


def network_of(
    ctx: AccessContext,
    person: Person,
    relationships: list[Relationship] | None = None,
    incident_roles: dict[int, str] | None = None,
) -> Network:
    """The person's network as this user may see it; the people shown are written to the audit.

    ``relationships`` (``relationships_of``) and ``incident_roles`` (the person's role in each of their
    incidents, by incident) are read here unless the page has read them already."""
    if relationships is None:
        relationships = relationships_of(person)
    if incident_roles is None:
        incident_roles = dict(IncidentPerson.objects.filter(person=person).values_list("incident_id", "role"))
    links = _relationship_links(person, relationships) + _incident_links(person, incident_roles)
    others = {link.other_id for link in links}
    visible = {p.pk: p for p in gate.scoped(ctx.user, Person.objects.filter(pk__in=others))} if others else {}
    shown = [link for link in links if link.other_id in visible]
    for link in shown:
        link.other = visible[link.other_id]
    order = list(GROUPS)
    shown.sort(key=lambda link: (order.index(link.group), link.from_date or dt.date.min, link.other_id))
    people = list(dict.fromkeys(link.other for link in shown if link.other is not None))
    network = Network(person, shown, [], len(others - set(visible)), seen=frozenset(visible))
    for other, x, y in _layout(people, network.centre):
        groups = list(dict.fromkeys(link.group for link in shown if link.other_id == other.pk))
        network.nodes.append(Node(other, x, y, groups))
    if people:
        gate.audit_list(ctx, Operation.VIEW, Person, [p.pk for p in people], {"network_of": person.pk})
    return network
