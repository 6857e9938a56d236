"""People through the API: scoped lists, searches despite a typo, records and changes through the gate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.matching.models import CandidatePair
from safeguard.people.models import Address, Alias, Person, Relationship, WarningMarker

pytestmark = pytest.mark.django_db

LIST = reverse("api-person-list")
SEARCH = reverse("api-person-search")


def detail(person):
    return reverse("api-person-detail", kwargs={"pk": person.pk})


def names(response):
    return {row["family_name"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("om", {"Smith", "Ashdown", "Quill"}),
        ("chair", {"Smith", "Ashdown", "Quill"}),
        ("idva", {"Ashdown"}),  # through the MARAC their service sits on
        ("partner", {"Ashdown"}),
        ("away_om", {"Distant"}),
        ("analyst", set()),
        ("admin", set()),
        ("norole", set()),
    ],
)
def test_list_is_scoped_per_role(world, api, who, expected):
    response = api(getattr(world.users, who)).get(LIST)
    assert response.status_code == 200
    assert names(response) == expected


def test_list_is_audited_once_with_the_ids_shown(world, api):
    before = AuditEvent.objects.count()
    response = api(world.users.idva).get(LIST)
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.record_type == "people.person" and event.record_id is None
    assert event.actor_id == world.users.idva.pk and event.outcome == Outcome.ALLOWED
    assert event.detail["shown"] == [world.people.victim.pk]


def test_list_is_paginated_25_a_page(world, api):
    area = world.home["mappa"]
    Person.objects.bulk_create([Person(given_name="Pat", family_name=f"Bulk{i:02d}", area=area) for i in range(30)])
    first = api(world.users.om).get(LIST).json()
    assert first["count"] == 33 and len(first["results"]) == 25 and first["next"]
    second = api(world.users.om).get(LIST, {"page": 2}).json()
    assert len(second["results"]) == 8
    assert AuditEvent.objects.latest("id").detail["shown"] == [r["id"] for r in second["results"]]


def test_search_finds_a_name_despite_a_typo(world, api):
    response = api(world.users.om).post(SEARCH, {"name": "Jonathon Smyth"}, content_type="application/json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["id"] == world.people.offender.pk
    assert results[0]["matched_on"] == "name" and results[0]["score"] > 0
    event = AuditEvent.objects.latest("id")
    assert event.operation == Operation.SEARCH
    assert event.detail["criteria"]["name"] == "Jonathon Smyth"
    assert world.people.offender.pk in event.detail["shown"]


def test_search_by_identifier_and_never_by_query_parameters(world, api):
    client = api(world.users.om)
    by_body = client.post(SEARCH, {"identifier": "2004/0012345d"}, content_type="application/json").json()
    assert [r["id"] for r in by_body["results"]] == [world.people.offender.pk]
    searches = AuditEvent.objects.filter(operation=Operation.SEARCH).count()
    by_query = client.get(LIST, {"name": "Jonathan Smiht", "date_of_birth": "1980-05-17"})
    assert by_query.status_code == 400
    assert set(by_query.json()) == {"name", "date_of_birth"}
    assert AuditEvent.objects.filter(operation=Operation.SEARCH).count() == searches


def test_search_never_finds_people_outside_scope(world, api):
    response = api(world.users.idva).post(SEARCH, {"name": "Jonathan Smith"}, content_type="application/json")
    assert response.json()["results"] == []
    response = api(world.users.analyst).post(SEARCH, {"name": "Karen Ashdown"}, content_type="application/json")
    assert response.json()["results"] == []


def test_search_needs_a_criterion_and_a_real_date(world, api):
    client = api(world.users.om)
    assert client.post(SEARCH, {}, content_type="application/json").status_code == 400
    response = client.post(SEARCH, {"date_of_birth": "17/05/1980"}, content_type="application/json")
    assert response.status_code == 400 and "date_of_birth" in response.json()


def test_retrieve_shows_the_person_with_their_parts_and_audits_the_view(world, api):
    Alias.objects.create(person=world.people.offender, family_name="Smyth")
    response = api(world.users.om).get(detail(world.people.offender))
    assert response.status_code == 200
    body = response.json()
    assert body["pnc_id"] == "2004/0012345D" and body["version"] == 1
    assert [a["family_name"] for a in body["aliases"]] == ["Smyth"]
    assert AuditEvent.objects.filter(
        actor_id=world.users.om.pk,
        operation=Operation.VIEW,
        record_type="people.person",
        record_id=world.people.offender.pk,
        outcome=Outcome.ALLOWED,
    ).exists()


def test_create_validates_identifiers_audits_and_indexes_the_name(world, api):
    client = api(world.users.om)
    response = client.post(
        LIST,
        {"given_name": "Robin", "family_name": "Testcase", "pnc_id": "04/12345d", "date_of_birth": "1991-04-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["pnc_id"] == "2004/0012345D" or body["pnc_id"].endswith("/0012345D")
    person = Person.objects.get(pk=body["id"])
    assert person.area == world.home["mappa"]
    assert AuditEvent.objects.filter(
        operation=Operation.CREATE, record_type="people.person", record_id=person.pk, actor_id=world.users.om.pk
    ).exists()
    found = client.post(SEARCH, {"name": "Robin Testcaes"}, content_type="application/json").json()
    assert person.pk in [r["id"] for r in found["results"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"pnc_id": "2004/0012345X"}, "pnc_id"),  # wrong check letter
        ({"cro_number": "not a cro"}, "cro_number"),
        ({"nomis_number": "12345"}, "nomis_number"),
        ({"crn": "XX"}, "crn"),
        ({"date_of_birth": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, "date_of_birth"),
        ({"date_of_birth": "1980-02-30"}, "date_of_birth"),
        ({"gender": "unknown-code"}, "gender"),
        ({"ethnicity": "ZZ"}, "ethnicity"),
        ({"given_name": "A" * 81}, "given_name"),
        ({"family_name": ""}, "family_name"),
    ],
)
def test_create_bad_input_is_400_by_field_and_saves_nothing(world, api, payload, field):
    before = (Person.objects.count(), AuditEvent.objects.count())
    body = {"given_name": "Robin", "family_name": "Testcase", **payload}
    response = api(world.users.om).post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_an_identifier_held_by_a_record_out_of_sight_is_sent_for_review_revealing_nothing(world, api):
    """The away offender manager may not see the home area's offender, who holds this PNC ID: the answer
    neither refuses on the field nor names the record; the pair waits for a reviewer who may see both."""
    holder = world.people.offender
    response = api(world.users.away_om).post(
        LIST,
        {"given_name": "Another", "family_name": "Person", "pnc_id": "2004/0012345D"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["pnc_id"] is None and body["identifiers_for_review"] == ["pnc_id"]
    text = response.content.decode()
    assert holder.family_name not in text and f'"id":{holder.pk},' not in text.replace(" ", "")
    pair = CandidatePair.objects.get(source="identifier")
    assert {pair.first_id, pair.second_id} == {holder.pk, body["id"]} and pair.held_identifier == "2004/0012345D"


def test_malformed_json_is_400_and_saves_nothing(world, api):
    before = Person.objects.count()
    response = api(world.users.om).post(LIST, '{"given_name": "Robin",', content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert Person.objects.count() == before


def test_change_with_the_current_version_raises_it_and_audits(world, api):
    person = world.people.offender
    response = api(world.users.om).patch(
        detail(person), {"version": 1, "middle_names": "Andrew"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2 and response.json()["middle_names"] == "Andrew"
    person.refresh_from_db()
    assert person.version == 2 and person.middle_names == "Andrew"
    assert AuditEvent.objects.filter(
        operation=Operation.CHANGE, record_type="people.person", record_id=person.pk, outcome=Outcome.ALLOWED
    ).exists()


def test_change_with_a_stale_version_is_a_conflict_and_changes_nothing(world, api):
    person = world.people.offender
    client = api(world.users.om)
    client.patch(detail(person), {"version": 1, "middle_names": "First"}, content_type="application/json")
    response = client.patch(detail(person), {"version": 1, "middle_names": "Second"}, content_type="application/json")
    assert response.status_code == 409
    assert "changed this record" in response.json()["detail"]
    person.refresh_from_db()
    assert person.middle_names == "First" and person.version == 2


def test_change_needs_a_version(world, api):
    response = api(world.users.om).patch(
        detail(world.people.offender), {"middle_names": "Andrew"}, content_type="application/json"
    )
    assert response.status_code == 400 and "version" in response.json()


def test_change_with_a_bad_identifier_saves_nothing(world, api):
    person = world.people.offender
    response = api(world.users.om).patch(
        detail(person), {"version": 1, "middle_names": "X", "crn": "bad"}, content_type="application/json"
    )
    assert response.status_code == 400 and "crn" in response.json()
    person.refresh_from_db()
    assert person.middle_names == "" and person.version == 1


def test_refused_user_learns_nothing_from_field_errors(world, api):
    """A change by someone who may not record on the person is a 404 before the body is read."""
    response = api(world.users.chair).patch(
        detail(world.people.offender), {"version": 1, "crn": "bad"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_parts_recorded_under_a_person(world, api):
    client = api(world.users.om)
    person = world.people.offender
    url = reverse("api-person-aliases", kwargs={"pk": person.pk})
    assert client.post(url, {"family_name": "Smythe"}, content_type="application/json").status_code == 201
    url = reverse("api-person-addresses", kwargs={"pk": person.pk})
    response = client.post(
        url,
        {"line_1": "1 Fictional Street", "postcode": "ZZ1 1ZZ", "from_date": "2024-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    url = reverse("api-person-warning-markers", kwargs={"pk": person.pk})
    assert client.post(url, {"code": "WE"}, content_type="application/json").status_code == 201
    assert (person.aliases.count(), person.addresses.count(), person.warning_markers.count()) == (1, 1, 1)
    alias = person.aliases.get()
    assert AuditEvent.objects.filter(
        operation=Operation.CREATE, record_type="people.alias", record_id=alias.pk
    ).exists()
    # The alias is searchable at once.
    found = client.post(SEARCH, {"name": "Smythe"}, content_type="application/json").json()["results"]
    assert person.pk in [r["id"] for r in found]


@pytest.mark.parametrize(
    ("url_name", "payload", "field", "model"),
    [
        (
            "api-person-addresses",
            {"line_1": "1 Fictional Street", "postcode": "NOT A POSTCODE", "from_date": "2024-01-01"},
            "postcode",
            Address,
        ),
        (
            "api-person-addresses",
            {"line_1": "1 Fictional Street", "postcode": "ZZ1 1ZZ", "from_date": "2024-05-01", "to_date": "2024-01-01"},
            "to_date",
            Address,
        ),
        ("api-person-addresses", {"kind": "home", "from_date": "2024-01-01"}, "line_1", Address),
        ("api-person-warning-markers", {"code": "XX"}, "code", WarningMarker),
        ("api-person-warning-markers", {"code": "VI", "note": "n" * 201}, "note", WarningMarker),
        ("api-person-aliases", {"family_name": "Smyth", "date_of_birth": "2999-01-01"}, "date_of_birth", Alias),
    ],
)
def test_parts_bad_input(world, api, url_name, payload, field, model):
    before = model.objects.count()
    url = reverse(url_name, kwargs={"pk": world.people.offender.pk})
    response = api(world.users.om).post(url, payload, content_type="application/json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert model.objects.count() == before


def test_relationships_recorded_and_listed_with_names_only_for_people_in_scope(world, api):
    url = reverse("api-person-relationships", kwargs={"pk": world.people.offender.pk})
    response = api(world.users.om).post(
        url,
        {
            "other": world.people.victim.pk,
            "kind": "intimate_partner",
            "former": True,
            "domestic_abuse": True,
            "personal_connection": "intimate_relationship",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["other_name"] == "Karen Ashdown"
    listed = api(world.users.om).get(url).json()["results"]
    assert [(r["person"], r["other"]) for r in listed] == [(world.people.offender.pk, world.people.victim.pk)]
    # From the victim's side, an IDVA sees the relationship but not the offender's name.
    victim_url = reverse("api-person-relationships", kwargs={"pk": world.people.victim.pk})
    seen = api(world.users.idva).get(victim_url).json()["results"]
    assert seen[0]["person_name"] is None and seen[0]["other_name"] == "Karen Ashdown"
    event = AuditEvent.objects.filter(record_type="people.relationship").latest("id")
    assert event.detail["shown"] == [listed[0]["id"]]


def test_relationship_bad_input_saves_nothing(world, api):
    url = reverse("api-person-relationships", kwargs={"pk": world.people.offender.pk})
    client = api(world.users.om)
    cases = [
        ({"other": world.people.away.pk, "kind": "associate"}, "other"),  # not a person the user may see
        ({"other": world.people.offender.pk, "kind": "associate"}, "other"),  # the same person
        ({"other": world.people.victim.pk, "kind": "lodger"}, "kind"),
        ({"other": world.people.victim.pk, "kind": "associate", "domestic_abuse": True}, "personal_connection"),
    ]
    for payload, field in cases:
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 400 and field in response.json(), (payload, response.json())
    assert Relationship.objects.count() == 0
