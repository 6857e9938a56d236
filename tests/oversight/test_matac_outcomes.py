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
from safeguard.actions.models import Action
from safeguard.assessments.rfg_ranking import score_person
from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.meetings.models import Forum, ForumCase
from safeguard.oversight.models import OversightSettings
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


# --- Tactics used (issue 15 item 5) ----------------------------------------------------------------------------
#
# The MATAC cases and their actions, by hand (cancelled actions are not used; an empty tactic is "not recorded"):
#   P (2025 cohort; a further DA crime; still serial): disruption x2 (one complete), support x1, enforcement x1
#     cancelled, one action set before tactics were recorded.
#   Q (2026): disruption x1, diversion x1 (complete).
#   R (2026, taken on with Q): disruption x1, support x1; DA records after adoption on 1 April 2026 (against D,
#     a crime) and 1 May 2026 (against E): a further DA crime, and still serial (two records, two victims).
#   S (2026): disruption x1 and an enforcement action cancelled.
#   T (2026): one action with no tactic recorded only.
# With the area's threshold at 3, the 2026 cohort by tactic (with it / further DA crime / still serial):
#   support 1/1/1, prevention 0/0/0, diversion 1/0/0, disruption 3 (Q, R, S)/1/1, enforcement 0/0/0;
#   the 2025 cohort: support 1/1/1, disruption 1/1/1, the rest 0.


def _case(forum, referral):
    case = ForumCase.objects.create(forum=forum, person=referral.person, opened_on=referral.decided_at.date())
    Referral.objects.filter(pk=referral.pk).update(forum_case=case)
    return case


def _action(world, case, tactic, status=Action.Status.OPEN):
    return Action.objects.create(
        forum=case.forum,
        forum_case=case,
        person=case.person,
        description=f"A {tactic or 'untagged'} action",
        owner_agency=world.police,
        due_on=TODAY,
        status=status,
        tactic=tactic,
        created_by=world.users.marac,
    )


@pytest.fixture
def with_tactics(adopted):
    w = adopted
    home = w.home["mappa"]
    OversightSettings.objects.update_or_create(area=home, defaults={"small_number_threshold": 3})
    forum = w.rp.forum
    p, q = _case(forum, w.rp), _case(forum, w.rq)
    for tactic, status in (
        ("disruption", Action.Status.OPEN),
        ("disruption", Action.Status.COMPLETE),
        ("support", Action.Status.IN_PROGRESS),
        ("enforcement", Action.Status.CANCELLED),
        ("", Action.Status.OPEN),
    ):
        _action(w, p, tactic, status)
    _action(w, q, "disruption")
    _action(w, q, "diversion", Action.Status.COMPLETE)
    r, s, t = (f.person(home, name, "Tactic", dt.date(1985, 1, 1)) for name in ("Rae", "Sol", "Tam"))
    d, e = (f.person(home, name, "Tactic", dt.date(1990, 1, 1)) for name in ("Dee", "Eve"))
    _record(w, r, d, at(2026, 4, 1), crime=True)
    _record(w, r, e, at(2026, 5, 1))
    w.rr, w.rs, w.rt = (_taken_on(w, forum, person, at(2026, 3, 1, 10)) for person in (r, s, t))
    cases = {name: _case(forum, referral) for name, referral in (("r", w.rr), ("s", w.rs), ("t", w.rt))}
    _action(w, cases["r"], "disruption")
    _action(w, cases["r"], "support")
    _action(w, cases["s"], "disruption")
    _action(w, cases["s"], "enforcement", Action.Status.CANCELLED)
    _action(w, cases["t"], "")
    return w


def test_tactics_used_by_each_perpetrator_by_hand(with_tactics):
    w = with_tactics
    found = {o.referral_id: o for o in matac.outcomes_of(matac.taken_on(w.home["mappa"].pk), TODAY)}
    p, q, r, s, t = (found[x.pk] for x in (w.rp, w.rq, w.rr, w.rs, w.rt))
    assert (p.tactics, p.untagged) == ({"disruption": 2, "support": 1}, 1)
    assert p.tactics_used == [("Support", 1), ("Disruption", 2)]  # in the list's order
    assert (q.tactics, q.untagged) == ({"disruption": 1, "diversion": 1}, 0)
    assert (r.tactics, r.untagged) == ({"disruption": 1, "support": 1}, 0)
    assert (r.crimes_after, r.records_after, r.still_serial) == (1, 2, True)
    assert (s.tactics, s.untagged) == ({"disruption": 1}, 0)
    assert (t.tactics, t.untagged, t.tactics_used) == ({}, 1, [])


def test_outcomes_by_tactic_by_hand_and_suppressed(with_tactics):
    m = matac.build_outcomes(with_tactics.home["mappa"].pk, TODAY)
    assert m.threshold == 3
    by_year = {c.year: {row.tactic: [x.text for x in row.figures] for row in c.tactics} for c in m.cohorts}
    few = "fewer than 3"
    assert by_year[2025] == {
        "support": [few, few, few],
        "prevention": ["0", "0", "0"],
        "diversion": ["0", "0", "0"],
        "disruption": [few, few, few],
        "enforcement": ["0", "0", "0"],
    }
    assert by_year[2026] == {
        "support": [few, few, few],
        "prevention": ["0", "0", "0"],
        "diversion": [few, "0", "0"],
        "disruption": ["3", few, few],
        "enforcement": ["0", "0", "0"],
    }
    cohort_2026 = next(c for c in m.cohorts if c.year == 2026)
    assert cohort_2026.figures[0].text == "4"  # Q, R, S and T taken on (A's referral was declined)
    labels = ["Support", "Prevention", "Diversion", "Disruption", "Enforcement"]
    assert [row.label for row in cohort_2026.tactics] == labels


def test_the_page_shows_tactics_by_name_only_where_the_gate_allows(with_tactics, client):
    verified_client(client, with_tactics.users.analyst)
    page = client.get(reverse("oversight:matac-outcomes")).content.decode()
    assert "Outcomes by tactic" in page and "Taken on in 2026" in page
    assert "Disruption: 2" not in page and "Rae Tactic" not in page
    client.logout()
    verified_client(client, with_tactics.users.coordinator)
    page = client.get(reverse("oversight:matac-outcomes")).content.decode()
    assert "Support: 1<br>Disruption: 2<br>Not recorded: 1" in page  # P
    assert "Tam Tactic" in page and "Not recorded: 1" in page and "None recorded" not in page
    assert "not recorded in Safeguard yet" not in page
