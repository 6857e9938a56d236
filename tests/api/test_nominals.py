"""Nominals through the API: filters, opening, changes with reasons, and the history of who changed what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.events.models import Conviction
from safeguard.offenders.models import Nominal
from tests.helpers import offence

pytestmark = pytest.mark.django_db

NOMINALS = reverse("api-nominal-list")


def detail(nominal):
    return reverse("api-nominal-detail", kwargs={"pk": nominal.pk})


def refs(response):
    return {row["reference"] for row in response.json()["results"]}


def test_nominal_list_is_scoped_and_filtered(world, api):
    mine, other, away = world.nominals.mine, world.nominals.other, world.nominals.away
    client = api(world.users.coordinator)
    assert refs(client.get(NOMINALS)) == {mine.reference, other.reference}
    assert refs(client.get(NOMINALS, {"offender_manager": world.users.om.pk})) == {mine.reference}
    assert refs(client.get(NOMINALS, {"local_area": world.home["local"][1].pk})) == {other.reference}
    Nominal.objects.filter(pk=other.pk).update(management_level=3, mappa_category="2", status="closed")
    assert refs(client.get(NOMINALS, {"management_level": 3})) == {other.reference}
    assert refs(client.get(NOMINALS, {"mappa_category": "1"})) == {mine.reference}
    assert refs(client.get(NOMINALS, {"status": "active"})) == {mine.reference}
    assert refs(api(world.users.away_om).get(NOMINALS)) == {away.reference}
    assert refs(api(world.users.analyst).get(NOMINALS)) == set()
    event = AuditEvent.objects.filter(record_type="offenders.nominal", actor_id=world.users.coordinator.pk).latest("id")
    assert event.detail == {"filters": {"status": "active"}, "shown": [mine.pk]}


@pytest.mark.parametrize(("param", "value"), [("mappa_category", "9"), ("management_level", "7"), ("status", "x")])
def test_unknown_filter_codes_are_400_by_name(world, api, param, value):
    response = api(world.users.om).get(NOMINALS, {param: value})
    assert response.status_code == 400 and param in response.json()


def test_retrieve_a_nominal_shows_the_person_name_only_to_those_who_see_the_person(world, api):
    body = api(world.users.om).get(detail(world.nominals.mine)).json()
    assert body["person_name"] == "Jonathan Smith" and body["offender_manager"] == world.users.om.pk


def open_body(world, **changes):
    body = {
        "person": world.people.other_offender.pk,
        "mappa_category": "2",
        "management_level": 1,
        "local_area": world.home["local"][0].pk,
        "lead_agency": world.police.pk,
        "location": "community",
        "rosh": "medium",
        "managed_from": "2026-01-05",
    }
    body.update(changes)
    return body


def test_open_a_nominal(world, api):
    response = api(world.users.coordinator).post(
        NOMINALS, open_body(world, offender_manager=world.users.om2.pk), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("NOM-") and body["allocated_on"] is not None
    assert AuditEvent.objects.filter(
        operation=Operation.CREATE, record_type="offenders.nominal", record_id=body["id"], outcome=Outcome.ALLOWED
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mappa_category": "9"}, "mappa_category"),
        ({"management_level": 4}, "management_level"),
        ({"location": "custody"}, "release_date"),  # custody needs a release date
        ({"lead_agency": "housing"}, "lead_agency"),  # not police, probation or a prison
        ({"managed_from": "05/01/2026"}, "managed_from"),
        ({"location_detail": "d" * 121}, "location_detail"),
        ({"offender_manager": "away_om"}, "offender_manager"),  # not an offender manager of the area
        ({"person": 10**9}, "person"),
    ],
)
def test_open_bad_input_is_400_by_field_and_saves_nothing(world, api, changes, field):
    if changes.get("lead_agency") == "housing":
        changes["lead_agency"] = world.housing.pk
    if changes.get("offender_manager") == "away_om":
        changes["offender_manager"] = world.users.away_om.pk
    before = Nominal.objects.count()
    response = api(world.users.coordinator).post(NOMINALS, open_body(world, **changes), content_type="application/json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert Nominal.objects.count() == before


def test_release_before_the_latest_sentence_is_refused(world, api):
    Conviction.objects.create(
        person=world.people.other_offender,
        offence=offence(),
        relevant_date="2024-01-10",
        sentence_date="2024-02-01",
        disposal="imprisonment",
        term_months=24,
    )
    before = Nominal.objects.count()
    body = open_body(world, location="custody", release_date="2024-01-15")
    response = api(world.users.coordinator).post(NOMINALS, body, content_type="application/json")
    assert response.status_code == 400 and "release_date" in response.json()
    assert Nominal.objects.count() == before


def test_a_change_of_level_needs_a_reason(world, api):
    nominal = world.nominals.mine
    client = api(world.users.om)
    response = client.patch(detail(nominal), {"version": 1, "management_level": 2}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    nominal.refresh_from_db()
    assert nominal.management_level == 1 and nominal.version == 1
    response = client.patch(
        detail(nominal),
        {"version": 1, "management_level": 2, "reason": "Escalated after new intelligence from the MARAC."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["management_level"] == 2 and response.json()["version"] == 2
    event = AuditEvent.objects.filter(operation=Operation.CHANGE, record_type="offenders.nominal").latest("id")
    assert event.record_id == nominal.pk and event.detail == {"fields": ["management_level"]}


def test_a_change_with_a_stale_version_is_a_conflict(world, api):
    nominal = world.nominals.mine
    client = api(world.users.om)
    assert (
        client.patch(detail(nominal), {"version": 1, "rosh": "low"}, content_type="application/json").status_code == 200
    )
    response = client.patch(detail(nominal), {"version": 1, "rosh": "medium"}, content_type="application/json")
    assert response.status_code == 409
    nominal.refresh_from_db()
    assert nominal.rosh == "low"


def test_a_change_that_changes_nothing_is_400(world, api):
    response = api(world.users.om).patch(
        detail(world.nominals.mine), {"version": 1, "rosh": "high"}, content_type="application/json"
    )
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_history_lists_who_changed_which_field_from_what_to_what_when_and_why(world, api):
    nominal = world.nominals.mine
    client = api(world.users.coordinator)
    response = client.patch(
        detail(nominal),
        {"version": 1, "offender_manager": world.users.om2.pk, "reason": "Olivia moves to the south team."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    history = client.get(reverse("api-nominal-history", kwargs={"pk": nominal.pk}))
    assert history.status_code == 200
    latest = history.json()["results"][0]
    assert latest["who"] == str(world.users.coordinator)
    assert latest["why"] == "Olivia moves to the south team."
    assert latest["kind"] == "Changed" and latest["when"]
    changes = {c["field"]: (c["old"], c["new"]) for c in latest["changes"]}
    assert changes["offender_manager"] == (str(world.users.om), str(world.users.om2))
    assert AuditEvent.objects.filter(
        operation=Operation.VIEW, record_type="offenders.nominal", record_id=nominal.pk, detail={"page": "history"}
    ).exists()
