"""The person page's prepared queries (safeguard.prepared) are kept, not refused: the person's incidents and
convictions. The check mode (on in the tests) compares each cached call with the ORM's."""

from __future__ import annotations

from safeguard.people.views import record


def test_the_person_pages_queries_are_kept(world, sign_in):
    client = sign_in(world.users.om)
    for person in (world.people.offender, world.people.victim, world.people.offender):
        assert client.get(f"/people/{person.pk}/").status_code == 200
    for query in (record.INCIDENT_LINKS, record.CONVICTIONS):
        assert [shape for shape in query._shapes.values() if not isinstance(shape, str)], query
        assert not query.refused(), query.refused()
