"""The person page's prepared queries (safeguard.prepared) are kept, not refused: the person's incidents,
convictions, addresses, other names, warning markers, legal holds, notifications, assessments, relationships and
nominals. The check mode (on in the tests) compares each cached call with the ORM's."""

from __future__ import annotations

import pytest

from safeguard.access import gate, policy
from safeguard.offenders.models import Nominal
from safeguard.people import network
from safeguard.people.views import record
from tests.helpers import EVERY_SIGNED_IN

KEPT = (
    record.INCIDENT_LINKS,
    record.CONVICTIONS,
    record.ADDRESSES,
    record.ALIASES,
    record.MARKERS,
    record.HOLDS,
    record.NOTIFICATIONS,
    record.ASSESSMENTS,
    record.NOMINALS,
    network.RELATIONSHIPS,
)


def test_the_person_pages_queries_are_kept(world, sign_in):
    client = sign_in(world.users.om)
    for person in (world.people.offender, world.people.victim, world.people.offender):
        assert client.get(f"/people/{person.pk}/").status_code == 200
    for query in KEPT:
        assert [shape for shape in query._shapes.values() if not isinstance(shape, str)], query
        assert not query.refused(), query.refused()


@pytest.mark.parametrize("who", EVERY_SIGNED_IN)
def test_the_nominals_shown_are_the_gates_for_the_real_user(world, who):
    user = getattr(world.users, who)
    for person in (world.people.offender, world.people.other_offender, world.people.away, world.people.victim):
        for _ in range(2):  # the second call runs the kept SQL (compared with the ORM's in check mode)
            with policy.remembering():
                orm = gate.scoped(user, Nominal.objects.filter(person=person)).select_related("offender_manager")
                expected = [(n.pk, n.offender_manager_id) for n in orm]
            with policy.remembering():
                shown = record.nominals_of(user, person)
            assert [(n.pk, n.offender_manager_id) for n in shown] == expected, (who, person)
            assert all(n.offender_manager == m.offender_manager for n, m in zip(shown, orm, strict=True))
