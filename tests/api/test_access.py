"""The API keeps the gate's promises: 404 for what a user may not see, refusals audited, sign-in required."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.events.models import Incident, IncidentPerson
from safeguard.people.models import Person
from tests.conftest import verified_client
from tests.helpers import offence

pytestmark = pytest.mark.django_db


def person_url(person):
    return reverse("api-person-detail", kwargs={"pk": person.pk})


@pytest.mark.parametrize("who", ["away_om", "analyst", "admin", "partner", "norole"])
def test_a_record_outside_scope_is_404_with_a_refused_audit_row(world, api, who):
    user = getattr(world.users, who)
    response = api(user).get(person_url(world.people.offender))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert AuditEvent.objects.filter(
        actor_id=user.pk,
        operation=Operation.VIEW,
        record_type="people.person",
        record_id=world.people.offender.pk,
        outcome=Outcome.REFUSED,
    ).exists()


def test_a_hidden_record_and_a_missing_one_answer_alike(world, api):
    client = api(world.users.away_om)
    hidden = client.get(person_url(world.people.offender))
    missing = client.get(reverse("api-person-detail", kwargs={"pk": 10**12}))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    skip = {"Set-Cookie"}
    assert {k: v for k, v in hidden.headers.items() if k not in skip} == {
        k: v for k, v in missing.headers.items() if k not in skip
    }
    # The probe for a missing record is audited too.
    assert AuditEvent.objects.filter(record_id=10**12, outcome=Outcome.REFUSED, reason="no such record").exists()


@pytest.mark.django_db(transaction=True)
def test_refusal_row_outlives_the_rolled_back_request(world):
    """With real transactions: the refused write is rolled back, its refusal audit row is committed."""
    offence()
    client = verified_client(Client(), world.users.idva)
    body = {
        "reference": "TEST-INC-0300",
        "occurred_at": "2025-06-01T21:30:00Z",
        "local_area": world.home["local"][0].pk,
        "people": [{"person": world.people.victim.pk, "role": "victim"}],
    }
    response = client.post(reverse("api-incident-list"), body, content_type="application/json")
    assert response.status_code == 404
    assert not Incident.objects.filter(reference="TEST-INC-0300").exists()
    assert IncidentPerson.objects.count() == 0
    refused = AuditEvent.objects.filter(actor_id=world.users.idva.pk, outcome=Outcome.REFUSED)
    assert refused.filter(operation=Operation.CREATE, record_type="events.incident").count() == 1
    # Nothing "allowed" from the rolled-back request survives either.
    assert not AuditEvent.objects.filter(actor_id=world.users.idva.pk, outcome=Outcome.ALLOWED).exists()

    response = client.get(person_url(world.people.offender))
    assert response.status_code == 404
    assert refused.filter(operation=Operation.VIEW, record_id=world.people.offender.pk).count() == 1


def test_not_signed_in_is_refused_as_json(world, client):
    response = client.get(reverse("api-person-list"))
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_password_only_session_is_signed_out(world, client):
    client.force_login(world.users.om)  # no second factor
    response = client.get(reverse("api-nominal-list"))
    assert response.status_code in (401, 403)
    assert "_auth_user_id" not in client.session


def test_session_writes_need_the_csrf_token(world):
    client = verified_client(Client(enforce_csrf_checks=True), world.users.om)
    body = json.dumps({"given_name": "Robin", "family_name": "Testcase"})
    response = client.post(reverse("api-person-list"), body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_id_too_long_for_the_database_is_not_found(world, api):
    response = api(world.users.om).get(f"/api/people/{'9' * 25}/")
    assert response.status_code == 404


def test_only_json_is_spoken(world, api):
    response = api(world.users.om).post(
        reverse("api-person-list"), {"given_name": "Robin", "family_name": "Testcase"}
    )  # form-encoded
    assert response.status_code == 415


def test_answers_are_not_cached(world, api):
    response = api(world.users.om).get(reverse("api-person-list"))
    assert response["Cache-Control"] == "no-store"


def test_an_oversized_body_is_refused_and_saves_nothing(world, api):
    before = Person.objects.count()
    body = json.dumps({"given_name": "Robin", "family_name": "Testcase", "middle_names": "x" * (2 * 1024 * 1024)})
    response = api(world.users.om).post(reverse("api-person-list"), body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large."}
    assert Person.objects.count() == before
