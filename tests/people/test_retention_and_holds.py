"""Retention of a person's records (review group, review, earliest disposal) and the legal holds that block it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.demo import factories as f
from safeguard.events import services as event_services
from safeguard.events.models import Conviction, IncidentPerson, IncidentRole, Offence
from safeguard.offenders.models import Nominal
from safeguard.people import retention
from safeguard.people.models import LegalHold, Person
from safeguard.rules.dates import add_years
from safeguard.workforce.models import AreaSettings
from tests.events.url_roles import incident

HUNDREDTH_BIRTHDAY = dt.date(2080, 5, 17)  # the offender was born on 17 May 1980


def _ctx(world):
    return AccessContext(world.users.om, "offender_management")


def _stored(person: Person) -> tuple:
    person.refresh_from_db()
    return (person.retention_group, person.retention_review_due, person.earliest_disposal_on)


def _place(client, person, reason="Civil claim NT-2026-001"):
    return client.post(reverse("people:place-legal-hold", args=[person.pk]), {"reason": reason})


def _lift(client, hold, reason="The claim was settled."):
    return client.post(reverse("people:lift-legal-hold", args=[hold.pk]), {"lift_reason": reason})


def _page(client, person) -> str:
    return client.get(reverse("people:person", args=[person.pk])).content.decode()


def test_a_person_with_an_active_nominal_is_group_1_until_their_100th_birthday(world, sign_in):
    offender = world.people.offender
    schedule = retention.schedule_for(offender)
    assert schedule.group == 1 and schedule.earliest_disposal_on == HUNDREDTH_BIRTHDAY
    assert not schedule.blocked_by_legal_hold
    assert schedule.next_review_on == add_years(offender.created_at.date(), 10)
    assert retention.recompute([offender.pk]) == 1
    assert _stored(offender) == (1, schedule.next_review_on, HUNDREDTH_BIRTHDAY)
    assert retention.recompute([offender.pk]) == 0, "nothing moved: nothing written"
    page = _page(sign_in(world.users.om), offender)
    assert "Group 1" in page and "17 May 2080" in page and "Blocked by a legal hold" not in page


def test_a_29_february_birth_reaches_100_on_1_march_in_a_common_year(world):
    leapling = f.person(world.home["mappa"], "Leap", "Day", dt.date(2000, 2, 29))
    f.nominal(leapling, world.home["local"][0], world.police, world.users.om)
    assert retention.schedule_for(leapling).earliest_disposal_on == dt.date(2100, 3, 1)


def test_the_group_1_age_is_the_mappa_areas_setting(world):
    AreaSettings.objects.create(area=world.home["mappa"], group1_retain_until_age=90)
    assert retention.schedule_for(world.people.offender).earliest_disposal_on == dt.date(2070, 5, 17)
    assert retention.schedule_for(world.people.away).earliest_disposal_on == dt.date(2090, 1, 1), "another area"


def test_a_closed_nominal_with_a_serious_conviction_is_group_2_worked_out_when_recorded(world):
    person = world.people.other_offender
    Nominal.objects.filter(person=person).update(status="closed")
    gbh, _ = Offence.objects.get_or_create(
        code="OAPA1861-s18",
        defaults={"description": "Wounding with intent", "statute": "OAPA 1861 s.18", "cja_schedule_15": True},
    )
    event_services.record_conviction(
        _ctx(world),
        Conviction(person=person, offence=gbh, relevant_date=dt.date(2019, 2, 14), disposal="community_order"),
    )
    group, review, disposal = _stored(person)  # the service worked it out: no recompute here
    created = person.created_at.date()
    expected = max(add_years(dt.date(2019, 2, 14), 10), add_years(created, 6))
    assert group == 2 and disposal == expected == review


def test_a_victim_only_person_has_no_group_until_recorded_as_a_suspect(world, sign_in):
    victim = world.people.victim
    incident(world)  # the victim of a recorded domestic-abuse incident
    assert retention.schedule_for(victim) is None
    retention.recompute([victim.pk])
    assert _stored(victim) == (None, None, None)
    assert "Retention follows the records this person appears in" in _page(sign_in(world.users.om), victim)

    link = IncidentPerson(incident=incident(world), person=victim, role=IncidentRole.PERPETRATOR)
    event_services.add_person_to_incident(_ctx(world), link)
    group, _, disposal = _stored(victim)
    assert group == 3 and disposal == add_years(victim.created_at.date(), 6)


def test_placing_a_legal_hold_blocks_disposal(world, sign_in):
    offender = world.people.offender
    retention.recompute([offender.pk])
    assert _stored(offender)[2] == HUNDREDTH_BIRTHDAY
    client = sign_in(world.users.om)
    response = _place(client, offender)
    assert response.status_code == 302 and response["Location"] == f"/people/{offender.pk}/"

    hold = LegalHold.objects.get(person=offender)
    assert hold.in_force and hold.placed_by == world.users.om and hold.placed_on == timezone.localdate()
    assert hold.reason == "Civil claim NT-2026-001"
    group, review, disposal = _stored(offender)
    assert group == 1 and review is not None and disposal is None
    schedule = retention.schedule_for(offender)
    assert schedule.blocked_by_legal_hold and schedule.earliest_disposal_on is None
    page = _page(client, offender)
    # The earliest disposal is blocked (the working still names the review date, the hundredth birthday).
    earliest = 'Earliest disposal</dt><dd class="govuk-summary-list__value">'
    assert f"{earliest}Blocked by a legal hold" in page
    assert "Civil claim NT-2026-001" in page and reverse("people:lift-legal-hold", args=[hold.pk]) in page


def test_a_legal_hold_needs_a_reason(world, sign_in):
    response = _place(sign_in(world.users.om), world.people.offender, reason="")
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert not LegalHold.objects.exists()


def test_lifting_a_hold_needs_a_reason_and_restores_the_disposal_date(world, sign_in):
    offender = world.people.offender
    client = sign_in(world.users.om)
    _place(client, offender)
    hold = LegalHold.objects.get()

    response = _lift(client, hold, reason="   ")
    assert response.status_code == 200
    assert response.context["form"].errors["lift_reason"] == ["Enter why the hold can be lifted."]
    hold.refresh_from_db()
    assert hold.in_force and hold.lifted_by is None
    assert _stored(offender)[2] is None

    response = _lift(client, hold)
    assert response.status_code == 302
    hold.refresh_from_db()
    assert not hold.in_force and hold.lifted_on == timezone.localdate() and hold.lifted_by == world.users.om
    assert hold.lift_reason == "The claim was settled."
    assert _stored(offender)[2] == HUNDREDTH_BIRTHDAY
    page = _page(client, offender)
    assert "Blocked by a legal hold" not in page and "17 May 2080" in page
    assert "The claim was settled." in page


def test_a_lifted_hold_cannot_be_lifted_again(world, sign_in):
    client = sign_in(world.users.om)
    _place(client, world.people.offender)
    hold = LegalHold.objects.get()
    _lift(client, hold)
    assert client.get(reverse("people:lift-legal-hold", args=[hold.pk])).status_code == 404
    assert _lift(client, hold, reason="Again").status_code == 404


def test_one_hold_lifted_while_another_is_in_force_still_blocks(world, sign_in):
    offender = world.people.offender
    client = sign_in(world.users.om)
    _place(client, offender, reason="Civil claim one")
    _place(client, offender, reason="Inquiry two")
    first = LegalHold.objects.get(reason="Civil claim one")
    _lift(client, first)
    assert _stored(offender)[2] is None
    assert retention.schedule_for(offender).blocked_by_legal_hold


def test_a_hold_can_be_placed_on_a_victim_only_person_without_error(world, sign_in):
    client = sign_in(world.users.marac)
    assert _place(client, world.people.victim).status_code == 302
    assert _stored(world.people.victim) == (None, None, None)
    assert "Retention follows the records" in _page(client, world.people.victim)


def test_the_person_page_works_the_schedule_out_as_schedule_for_does(world, sign_in):
    """The page works retention out from what it has read already (convictions, incidents, holds): the same
    schedule as ``schedule_for`` reads for itself, whichever facts decide it."""
    offender, other, victim = world.people.offender, world.people.other_offender, world.people.victim
    Nominal.objects.filter(person=other).update(status="closed")
    gbh, _ = Offence.objects.get_or_create(
        code="OAPA1861-s18",
        defaults={"description": "Wounding with intent", "statute": "OAPA 1861 s.18", "cja_schedule_15": True},
    )
    Conviction.objects.create(
        person=other, offence=gbh, relevant_date=dt.date(2019, 2, 14), disposal="community_order", cja_schedule_15=True
    )
    IncidentPerson.objects.create(incident=incident(world), person=other, role=IncidentRole.PERPETRATOR)  # 30 days ago
    LegalHold.objects.create(person=offender, reason="Inquiry", placed_by=world.users.om)
    LegalHold.objects.create(person=other, reason="Settled", placed_by=world.users.om, lifted_on=dt.date(2026, 1, 5))
    client = sign_in(world.users.om)
    shown = {}
    for person in (offender, other, victim):
        response = client.get(reverse("people:person", args=[person.pk]))
        shown[person] = response.context["retention"]
        assert shown[person] == retention.schedule_for(person)
    assert shown[offender].group == 1 and shown[offender].blocked_by_legal_hold
    assert shown[other].group == 2 and not shown[other].blocked_by_legal_hold
    assert shown[victim] is None
