"""MATAC outcomes against hand counts (today: 6 December 2026).

P (the world's offender) was taken on by the MATAC on 1 June 2025 (12 months passed: "after" is to 1 June 2026).
P's DA records, as perpetrator: 1 June 2024 (A: the day a year before adoption, not counted before), 1 September
2024 (A, crime), 1 March 2025 (B), 1 June 2025 12:00 (A, crime: the adoption day counts after), 1 June 2026
23:00 (A: the last day after), 2 June 2026 (B, crime: beyond). Before: 2; after: 2, of which 1 crime; still a
serial perpetrator (five records against A and B within three years of 1 June 2026).

Q was taken on on 1 March 2026 (12 months not yet passed: "after" is to today), with one record (C, 1 December
2025) before and none after: not a serial perpetrator.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.access import gate
from safeguard.assessments.rfg_ranking import score_person
from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.meetings.models import Forum
from safeguard.oversight.services import matac_outcomes as matac
from safeguard.referrals.models import Referral
from tests import helpers
from tests.conftest import verified_client
from tests.oversight.builders import at

TODAY = dt.date(2026, 12, 6)


def _record(world, perpetrator, victim, when, crime=False):
    incident = Incident.objects.create(
        reference=f"MATAC-{Incident.objects.count() + 1}",
        occurred_at=when,
        local_area=world.home["local"][0],
        domestic_abuse=True,
        offence=helpers.offence() if crime else None,
        recorded_by=world.police,
    )
    IncidentPerson.objects.create(incident=incident, person=perpetrator, role=IncidentRole.PERPETRATOR)
    IncidentPerson.objects.create(incident=incident, person=victim, role=IncidentRole.VICTIM)


def _taken_on(world, forum, person, decided, status=Referral.Status.ACCEPTED):
    return Referral.objects.create(
        kind=Referral.Kind.MATAC,
        forum=forum,
        person=person,
        status=status,
        referring_agency=world.police,
        referred_by=world.users.coordinator,
        decided_at=decided,
        rfg_score=30,
    )


@pytest.fixture
def adopted(world):
    home = world.home["mappa"]
    forum = Forum.objects.create(name="Fictional Shire MATAC", kind=Forum.Kind.MATAC, area=home)
    p = world.people.offender
    a, b, c = (f.person(home, name, "Matac", dt.date(1990, 1, 1)) for name in ("Ada", "Bea", "Cai"))
    q = f.person(home, "Quin", "Matac", dt.date(1985, 1, 1))
    _record(world, p, a, at(2024, 6, 1))
    _record(world, p, a, at(2024, 9, 1), crime=True)
    _record(world, p, b, at(2025, 3, 1))
    _record(world, p, a, at(2025, 6, 1, 12), crime=True)
    _record(world, p, a, at(2026, 6, 1, 23))
    _record(world, p, b, at(2026, 6, 2), crime=True)
    _record(world, q, c, at(2025, 12, 1))
    world.rp = _taken_on(world, forum, p, at(2025, 6, 1, 10))
    world.rq = _taken_on(world, forum, q, at(2026, 3, 1, 10), status=Referral.Status.LISTED)
    _taken_on(world, forum, a, at(2026, 1, 1), status=Referral.Status.DECLINED)  # not taken on
    world.q = q
    return world


def test_each_perpetrator_by_hand(adopted):
    found = {o.referral_id: o for o in matac.outcomes_of(matac.taken_on(adopted.home["mappa"].pk), TODAY)}
    assert set(found) == {adopted.rp.pk, adopted.rq.pk}
    p = found[adopted.rp.pk]
    assert (p.adopted_on, p.after_on, p.full_year) == (dt.date(2025, 6, 1), dt.date(2026, 6, 1), True)
    assert (p.records_before, p.records_after, p.crimes_after, p.still_serial) == (2, 2, 1, True)
    assert p.rfg_before == score_person(adopted.people.offender.pk, dt.date(2025, 6, 1)).total
    assert p.rfg_after == score_person(adopted.people.offender.pk, dt.date(2026, 6, 1)).total
    q = found[adopted.rq.pk]
    assert (q.adopted_on, q.after_on, q.full_year) == (dt.date(2026, 3, 1), TODAY, False)
    assert (q.records_before, q.records_after, q.crimes_after, q.still_serial) == (1, 0, 0, False)


def test_cohorts_are_suppressed(adopted):
    m = matac.build_outcomes(adopted.home["mappa"].pk, TODAY)
    assert [c.year for c in m.cohorts] == [2025, 2026]
    assert [x.text for x in m.cohorts[0].figures] == [
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
    ]
    assert [x.text for x in m.cohorts[1].figures] == ["fewer than 5", "0", "fewer than 5", "0", "0", "0"]
    assert m.cohorts[0].median_before == "" and m.lines == [] and not m.named


def test_names_only_where_the_gate_allows(adopted, client):
    verified_client(client, adopted.users.analyst)
    page = client.get(reverse("oversight:matac-outcomes")).content.decode()
    assert "By year of adoption" in page and "Smith" not in page and "Quin" not in page
    client.logout()
    verified_client(client, adopted.users.coordinator)
    page = client.get(reverse("oversight:matac-outcomes")).content.decode()
    assert "Jonathan Smith" in page and "Quin Matac" in page
    shown = AuditEvent.objects.filter(record_type="referrals.referral").latest("pk")
    assert sorted(shown.detail["shown"]) == sorted([adopted.rp.pk, adopted.rq.pk])


def test_refused_outside_the_roles(adopted):
    with pytest.raises(gate.AccessRefused):
        matac.matac_outcomes(gate.AccessContext(user=adopted.users.om, purpose="oversight"))
