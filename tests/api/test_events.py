"""Incidents and convictions through the API: offences by code, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Operation
from safeguard.events.models import Conviction, Incident, IncidentPerson
from tests.helpers import ABH, ASSAULT, incident, offence

pytestmark = pytest.mark.django_db

INCIDENTS = reverse("api-incident-list")


def incident_body(world, **changes):
    body = {
        "reference": "TEST-INC-0200",
        "occurred_at": "2025-06-01T21:30:00Z",
        "local_area": world.home["local"][0].pk,
        "domestic_abuse": True,
        "offence": offence(ABH).code,
        "summary": "Fictional summary.",
        "people": [
            {"person": world.people.offender.pk, "role": "perpetrator"},
            {"person": world.people.victim.pk, "role": "victim"},
        ],
    }
    body.update(changes)
    return body


def test_record_an_incident_with_its_people(world, api):
    response = api(world.users.marac).post(INCIDENTS, incident_body(world), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["offence"] == ABH and body["recorded_by"] == world.police.pk
    assert {(p["person"], p["role"]) for p in body["people"]} == {
        (world.people.offender.pk, "perpetrator"),
        (world.people.victim.pk, "victim"),
    }
    created = Incident.objects.get(pk=body["id"])
    assert AuditEvent.objects.filter(
        operation=Operation.CREATE, record_type="events.incident", record_id=created.pk, actor_id=world.users.marac.pk
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"offence": "NO-SUCH-CODE"}, "offence"),
        ({"occurred_at": (timezone.now() + dt.timedelta(days=2)).isoformat()}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"people": []}, "people"),
        ({"people": [{"person": 10**9, "role": "victim"}]}, "people"),
        ({"people": [{"person": 1, "role": "bystander"}]}, "people"),
        ({"reference": "R" * 31}, "reference"),
        ({"local_area": 10**9}, "local_area"),
        ({"summary": "s" * 2001}, "summary"),
    ],
)
def test_incident_bad_input_is_400_by_field_and_saves_nothing(world, api, changes, field):
    before = (Incident.objects.count(), IncidentPerson.objects.count(), AuditEvent.objects.count())
    response = api(world.users.om).post(INCIDENTS, incident_body(world, **changes), content_type="application/json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert (Incident.objects.count(), IncidentPerson.objects.count(), AuditEvent.objects.count()) == before


def test_an_incident_with_a_person_the_user_may_not_record_on_is_not_half_saved(world, api):
    """The gate refuses the second person after the incident was saved: all of it rolls back."""
    body = incident_body(world, people=[{"person": world.people.victim.pk, "role": "victim"}])
    before = (Incident.objects.count(), IncidentPerson.objects.count())
    # The IDVA may see the victim (MARAC) but may not record incidents: refused, nothing kept.
    response = api(world.users.idva).post(INCIDENTS, body, content_type="application/json")
    assert response.status_code == 404
    assert (Incident.objects.count(), IncidentPerson.objects.count()) == before


def test_duplicate_reference_is_refused_on_the_field(world, api):
    incident(world, "TEST-INC-0200")
    response = api(world.users.om).post(INCIDENTS, incident_body(world), content_type="application/json")
    assert response.status_code == 400 and "reference" in response.json()


def test_incident_list_filters_by_date_range_and_domestic_abuse(world, api):
    recent = incident(world, "TEST-INC-RECENT", days_ago=5, domestic_abuse=True)
    older = incident(world, "TEST-INC-OLDER", days_ago=60, domestic_abuse=False)
    client = api(world.users.om)
    all_ids = [r["id"] for r in client.get(INCIDENTS).json()["results"]]
    assert all_ids == [recent.pk, older.pk]
    since = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert [r["id"] for r in client.get(INCIDENTS, {"occurred_from": since}).json()["results"]] == [recent.pk]
    assert [r["id"] for r in client.get(INCIDENTS, {"occurred_to": since}).json()["results"]] == [older.pk]
    assert [r["id"] for r in client.get(INCIDENTS, {"domestic_abuse": "false"}).json()["results"]] == [older.pk]
    event = AuditEvent.objects.filter(record_type="events.incident").latest("id")
    assert event.detail == {"filters": {"domestic_abuse": "false"}, "shown": [older.pk]}
    bad = client.get(INCIDENTS, {"occurred_from": "last week"})
    assert bad.status_code == 400 and "occurred_from" in bad.json()


def test_incident_list_and_detail_are_scoped(world, api):
    found = incident(world)
    assert api(world.users.analyst).get(INCIDENTS).json()["results"] == []
    assert api(world.users.away_om).get(INCIDENTS).json()["results"] == []
    # An IDVA sees it through the victim, but not the perpetrator's name.
    body = api(world.users.idva).get(reverse("api-incident-detail", kwargs={"pk": found.pk})).json()
    names = {p["role"]: p["name"] for p in body["people"]}
    assert names == {"victim": "Karen Ashdown", "perpetrator": None}


def convictions_url(person):
    return reverse("api-person-convictions", kwargs={"pk": person.pk})


def test_record_and_list_convictions_by_offence_code(world, api):
    offence(ABH)
    client = api(world.users.om)
    url = convictions_url(world.people.offender)
    response = client.post(
        url,
        {"offence": ABH, "relevant_date": "2019-03-04", "disposal": "imprisonment", "term_months": 18},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["offence"] == ABH and response.json()["cja_schedule_15"] is True  # from the offence list
    listed = client.get(url).json()["results"]
    assert [c["offence"] for c in listed] == [ABH]
    assert AuditEvent.objects.filter(record_type="events.conviction", operation=Operation.CREATE).exists()
    assert AuditEvent.objects.filter(record_type="events.conviction", record_id=None).latest("id").detail["shown"] == [
        listed[0]["id"]
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"offence": "NO-SUCH-CODE"}, "offence"),
        ({"relevant_date": "2999-01-01"}, "relevant_date"),
        ({"sentence_date": "2019-01-01"}, "sentence_date"),  # before the conviction
        ({"disposal": "flogging"}, "disposal"),
        ({"disposal": "imprisonment"}, "term_months"),
        ({"relevant_date": "1970-01-01"}, "relevant_date"),  # before the date of birth
        ({"court": "c" * 121}, "court"),
        ({"term_months": -3}, "term_months"),
    ],
)
def test_conviction_bad_input_is_400_by_field_and_saves_nothing(world, api, changes, field):
    offence(ASSAULT)
    body = {"offence": ASSAULT, "relevant_date": "2019-03-04", "disposal": "community_order", **changes}
    response = api(world.users.om).post(convictions_url(world.people.offender), body, content_type="application/json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert Conviction.objects.count() == 0


def test_a_conviction_records_the_term_it_follows_and_refuses_another_persons_alike(world, api):
    """s.82(3)-(4): a term consecutive to another of the same person; a missing and another person's conviction
    get the same refusal, so the API reveals no record."""
    offence(ABH)
    client = api(world.users.om)
    url = convictions_url(world.people.offender)
    body = {"offence": ABH, "relevant_date": "2019-03-04", "disposal": "imprisonment", "term_months": 18}
    first = client.post(url, body, content_type="application/json").json()["id"]
    second = client.post(url, {**body, "consecutive_to": first}, content_type="application/json")
    assert second.status_code == 201, second.json()
    assert second.json()["consecutive_to"] == first and second.json()["overlap_months"] == 0
    theirs = Conviction.objects.create(
        person=world.people.other_offender,
        offence=offence(ABH),
        relevant_date=dt.date(2019, 3, 4),
        disposal="imprisonment",
        term_months=18,
    )
    answers = [
        client.post(url, {**body, "consecutive_to": pk}, content_type="application/json").json()
        for pk in (theirs.pk, 999_999)
    ]
    assert answers[0] == answers[1] and "consecutive_to" in answers[0]
