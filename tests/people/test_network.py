"""The relationship network on the person page: partners over time, children, victims, co-accused; scoped."""

import datetime as dt

import pytest

from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f
from safeguard.events.models import IncidentPerson, IncidentRole
from safeguard.people.models import Relationship
from safeguard.people.network import network_of
from tests.conftest import verified_client
from tests.helpers import ctx_for, incident

pytestmark = pytest.mark.django_db


def _world_network(world):
    offender = world.people.offender
    partner = f.person(world.home["mappa"], "Nadia", "Fairweather", dt.date(1990, 4, 4))
    ex = f.person(world.home["mappa"], "Erin", "Oldfield", dt.date(1982, 1, 1))
    child = f.person(world.home["mappa"], "Milo", "Smith", dt.date(2015, 1, 1))
    Relationship.objects.create(person=offender, other=partner, kind="intimate_partner", from_date=dt.date(2026, 1, 2))
    Relationship.objects.create(
        person=ex, other=offender, kind="spouse_or_civil_partner", former=True, to_date=dt.date(2024, 5, 1)
    )
    Relationship.objects.create(person=child, other=offender, kind="child")
    found = incident(world, "NET-1")  # the offender against the world's victim
    IncidentPerson.objects.create(incident=found, person=world.people.other_offender, role=IncidentRole.PERPETRATOR)
    Relationship.objects.create(person=offender, other=world.people.away, kind="associate")
    return partner, ex, child


def test_the_network_names_each_link_in_its_group(world):
    partner, ex, child = _world_network(world)
    network = network_of(ctx_for(world.users.om), world.people.offender)
    rows = [(link.other, link.group) for link in network.links]
    assert rows[:3] == [(partner, "partner"), (ex, "former_partner"), (child, "child")]
    assert (world.people.victim, "victim") in rows
    assert (world.people.other_offender, "co_accused") in rows
    assert network.hidden == 1, "the other area's person is counted, not named"
    assert world.people.away not in [n.person for n in network.nodes]
    event = AuditEvent.objects.filter(reason="scoped list").latest("pk")
    assert event.detail["network_of"] == world.people.offender.pk
    assert world.people.away.pk not in event.detail["shown"]


def test_from_the_other_side_the_child_sees_a_parent(world):
    _, _, child = _world_network(world)
    network = network_of(ctx_for(world.users.om), child)
    assert [(link.other, link.group) for link in network.links] == [(world.people.offender, "parent")]


def test_the_person_page_shows_the_table_and_counts_who_is_withheld(client, world):
    _world_network(world)
    verified_client(client, world.users.om)
    page = client.get(f"/people/{world.people.offender.pk}/").content.decode()
    assert 'id="network-table"' in page and "Nadia Fairweather" in page and "Former partner" in page
    assert "1 other person you may not see is linked to this person" in page
    assert "Farah" not in page.split('id="network"')[1]
    assert 'role="img"' in page and "style=" not in page.split('id="network"')[1]
