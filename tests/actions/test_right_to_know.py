"""The Right to Know prompt: raised once per new intimate partner of a person under management, never for a
former partner; by a recorded relationship, a domestic-abuse incident together, or a merge."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safeguard.actions import services as action_services
from safeguard.actions.models import Prompt
from safeguard.demo import factories as f
from safeguard.events import services as events
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.matching import merge
from safeguard.meetings.models import Forum, ForumCase
from safeguard.people import services as people
from safeguard.people.models import Relationship
from tests.helpers import ctx_for, incident

pytestmark = pytest.mark.django_db

RTK = Prompt.Kind.RIGHT_TO_KNOW


def _partner(world, given="Nadia"):
    return f.person(world.home["mappa"], given, "Fairweather", dt.date(1990, 4, 4))


def _relate(world, other, *, former=False, kind="intimate_partner", started=None):
    found = Relationship(
        person=world.people.offender, other=other, kind=kind, former=former, from_date=started or dt.date.today()
    )
    return people.add_relationship(ctx_for(world.users.om), found)


def _prompts(world):
    return Prompt.objects.filter(kind=RTK, person=world.people.offender)


def test_a_new_partner_prompts_the_offender_manager_once(world):
    partner = _partner(world)
    relationship = _relate(world, partner)
    [prompt] = _prompts(world)
    assert (prompt.assigned_to, prompt.partner, prompt.nominal) == (world.users.om, partner, world.nominals.mine)
    assert any("Intimate partner".lower() in line for line in prompt.reasons)
    relationship.domestic_abuse, relationship.personal_connection = True, "intimate_relationship"
    people.change_relationship(ctx_for(world.users.om), relationship, reason="Abuse disclosed")
    events.record_incident(
        ctx_for(world.users.om),
        Incident(
            reference="RTK-1",
            occurred_at=dt.datetime.now(dt.UTC),
            local_area=world.home["local"][0],
            domestic_abuse=True,
            recorded_by=world.police,
        ),
        [(world.people.offender, IncidentRole.PERPETRATOR), (partner, IncidentRole.VICTIM)],
    )
    assert _prompts(world).count() == 1, "once per partner, whatever brings the partner up again"


def test_a_former_partner_never_prompts(world):
    _relate(world, _partner(world), former=True, started=dt.date.today() - dt.timedelta(days=1))
    assert not _prompts(world).exists()


def test_a_partner_from_before_management_or_a_relative_does_not_prompt(world):
    _relate(world, _partner(world), started=dt.date.today() - dt.timedelta(days=400))
    _relate(world, _partner(world, "Bea"), kind="sibling")
    assert not _prompts(world).exists()


def test_a_second_new_partner_prompts_again_and_the_forum_coordinator_too(world):
    matac = Forum.objects.create(name="Shire MATAC", kind=Forum.Kind.MATAC, area=world.home["mappa"])
    matac.coordinators.set([world.users.coordinator])
    ForumCase.objects.create(forum=matac, person=world.people.offender, opened_on=dt.date.today())
    first, second = _partner(world), _partner(world, "Imogen")
    _relate(world, first)
    _relate(world, second)
    assert sorted((p.partner_id, p.assigned_to_id) for p in _prompts(world)) == sorted(
        (partner.pk, user.pk) for partner in (first, second) for user in (world.users.om, world.users.coordinator)
    )


def test_a_domestic_abuse_incident_with_a_victim_not_yet_related_prompts(world):
    found = incident(world, "RTK-2", days_ago=0)
    IncidentPerson.objects.filter(incident=found, role=IncidentRole.VICTIM).delete()
    partner = _partner(world)
    events.add_person_to_incident(
        ctx_for(world.users.om), IncidentPerson(incident=found, person=partner, role="victim")
    )
    assert [p.partner_id for p in _prompts(world)] == [partner.pk]


def test_a_merge_that_brings_a_partner_prompts(world):
    partner, duplicate = _partner(world), _partner(world)
    Relationship.objects.create(person=duplicate, other=world.people.offender, kind="intimate_partner")
    assert not _prompts(world).exists()
    merge.request_merge(
        ctx_for(world.users.coordinator), kept=partner, merged=duplicate, reason="Same person, same DOB"
    )
    assert [p.partner_id for p in _prompts(world)] == [partner.pk]


def test_not_needed_needs_a_reason_and_closes_the_pair_for_everyone(world):
    matac = Forum.objects.create(name="Shire MATAC", kind=Forum.Kind.MATAC, area=world.home["mappa"])
    matac.coordinators.set([world.users.coordinator])
    ForumCase.objects.create(forum=matac, person=world.people.offender, opened_on=dt.date.today())
    _relate(world, _partner(world))
    mine = _prompts(world).get(assigned_to=world.users.om)
    with pytest.raises(ValidationError):
        action_services.decide_prompt(ctx_for(world.users.om), mine, decision=Prompt.Decision.NOT_NEEDED)
    action_services.decide_prompt(
        ctx_for(world.users.om), mine, decision=Prompt.Decision.NOT_NEEDED, rationale="Partner already told by police"
    )
    assert set(_prompts(world).values_list("decision", flat=True)) == {Prompt.Decision.NOT_NEEDED}


def test_the_database_holds_one_prompt_per_partner_and_member_of_staff(world):
    partner = _partner(world)
    _relate(world, partner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Prompt.objects.create(kind=RTK, assigned_to=world.users.om, person=world.people.offender, partner=partner)


def test_a_marac_perpetrator_who_is_no_nominal_prompts_the_marac_coordinator(world):
    from safeguard.referrals.models import Referral

    perpetrator = f.person(world.home["mappa"], "Vince", "Harlow", dt.date(1984, 7, 7))
    referral = Referral.objects.create(
        kind=Referral.Kind.MARAC,
        forum=world.marac,
        person=world.people.victim,
        status=Referral.Status.ACCEPTED,
        referring_agency=world.police,
        referred_by=world.users.marac,
    )
    referral.perpetrators.add(perpetrator)
    world.marac.coordinators.set([world.users.marac])
    partner = _partner(world)
    people.add_relationship(ctx_for(world.users.marac), Relationship(person=partner, other=perpetrator, kind="fiance"))
    [prompt] = Prompt.objects.filter(kind=RTK, person=perpetrator)
    assert (prompt.assigned_to, prompt.partner, prompt.nominal) == (world.users.marac, partner, None)
    assert "perpetrator on a MARAC case" in prompt.reasons[0]


def test_the_prompt_page_shows_the_partner_and_asks_the_reason_for_not_needed(client, world):
    from django.urls import reverse

    from tests.conftest import verified_client

    partner = _partner(world)
    _relate(world, partner)
    prompt = _prompts(world).get()
    verified_client(client, world.users.om)
    url = reverse("actions:prompt", args=[prompt.pk])
    page = client.get(url).content.decode()
    assert "Consider a Clare&#x27;s Law Right to Know disclosure" in page
    assert f'New intimate partner: <a class="govuk-link" href="/people/{partner.pk}/">' in page
    page = client.post(url, {"decision": "not_needed", "decision_rationale": ""}).content.decode()
    assert "There is a problem" in page and "Give the reason a disclosure is not needed" in page
    client.post(url, {"decision": "considered", "decision_rationale": ""})
    prompt.refresh_from_db()
    assert prompt.decision == Prompt.Decision.CONSIDERED and prompt.closed_on is not None
