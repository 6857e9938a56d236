"""PATCH an incident's details, a conviction, an alias, a warning marker, a relationship; DELETE a marker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.events.models import Conviction, Incident
from safeguard.people.models import Alias, Relationship, WarningMarker
from tests.events.url_roles import conviction
from tests.helpers import ABH, audited, incident, offence
from tests.people.url_roles import alias, marker, relationship

pytestmark = pytest.mark.django_db


def _patch(client, name, pk, body):
    """PATCH as a client that read the record first (sends its version where the record has one)."""
    versioned = {"api-incident-detail": Incident, "api-conviction-detail": Conviction}.get(name)
    if versioned is not None and "version" not in body:
        current = versioned.objects.filter(pk=pk).values_list("version", flat=True).first()
        body = {**body, "version": current}
    return client.patch(reverse(name, kwargs={"pk": pk}), body, content_type="application/json")


def test_patch_an_incident(world, api):
    record = incident(world)
    response = _patch(api(world.users.om), "api-incident-detail", record.pk, {"offence": offence(ABH).code})
    assert response.status_code == 200, response.json()
    assert response.json()["offence"] == ABH and len(response.json()["people"]) == 2
    assert Incident.objects.get(pk=record.pk).offence.code == ABH
    assert audited(world.users.om, "events.incident", record.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
        ({"offence": "NO-SUCH-CODE"}, "offence"),
        ({"reference": ""}, "reference"),
        ({"reference": "TEST-INC-OTHER"}, "reference"),
        ({"local_area": 10**9}, "local_area"),
        ({"summary": "s" * 2001}, "summary"),
    ],
)
def test_incident_bad_input_is_400_and_changes_nothing(world, api, body, field):
    record = incident(world)
    incident(world, "TEST-INC-OTHER")
    response = _patch(api(world.users.om), "api-incident-detail", record.pk, body)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert Incident.objects.get(pk=record.pk).reference == record.reference
    assert not audited(world.users.om, "events.incident", record.pk)


def test_an_incident_cannot_be_moved_out_of_the_users_area(world, api):
    record = incident(world)
    response = _patch(api(world.users.om), "api-incident-detail", record.pk, {"local_area": world.away["local"][0].pk})
    assert response.status_code == 400 and "local_area" in response.json()
    assert Incident.objects.get(pk=record.pk).local_area == world.home["local"][0]


def test_patch_an_incident_refused_is_404_andaudited(world, api):
    record = incident(world)
    response = _patch(api(world.users.idva), "api-incident-detail", record.pk, {"place": "Nowhere"})
    assert response.status_code == 404
    assert audited(world.users.idva, "events.incident", record.pk, outcome="refused")
    assert Incident.objects.get(pk=record.pk).place == ""


def test_patch_a_conviction(world, api):
    record = conviction(world)
    response = _patch(api(world.users.om), "api-conviction-detail", record.pk, {"term_months": 42})
    assert response.status_code == 200 and response.json()["term_months"] == 42
    assert audited(world.users.om, "events.conviction", record.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"relevant_date": "1970-01-01"}, "relevant_date"),  # before the date of birth
        ({"relevant_date": "2999-01-01"}, "relevant_date"),
        ({"sentence_date": "2019-01-01"}, "sentence_date"),
        ({"term_months": None}, "term_months"),
        ({"offence": "NO-SUCH-CODE"}, "offence"),
        ({"kind": "caution"}, "disposal"),
    ],
)
def test_conviction_bad_input_is_400_and_changes_nothing(world, api, body, field):
    record = conviction(world)
    response = _patch(api(world.users.om), "api-conviction-detail", record.pk, body)
    assert response.status_code == 400 and field in response.json(), response.json()
    saved = Conviction.objects.get(pk=record.pk)
    assert (saved.relevant_date, saved.term_months, saved.kind) == (dt.date(2019, 2, 14), 30, "conviction")


def test_patch_a_conviction_refused(world, api):
    record = conviction(world)
    assert _patch(api(world.users.chair), "api-conviction-detail", record.pk, {"court": "X"}).status_code == 404
    assert audited(world.users.chair, "events.conviction", record.pk, outcome="refused")


def test_patch_an_alias(world, api):
    record = alias(world)
    response = _patch(api(world.users.om), "api-alias-detail", record.pk, {"family_name": "Whitwood"})
    assert response.status_code == 200 and response.json()["family_name"] == "Whitwood"
    bad = _patch(api(world.users.om), "api-alias-detail", record.pk, {"date_of_birth": "2999-01-01"})
    assert bad.status_code == 400 and "date_of_birth" in bad.json()
    assert Alias.objects.get(pk=record.pk).date_of_birth is None


def test_patch_and_delete_a_marker(world, api):
    record = marker(world)
    client = api(world.users.om)
    response = _patch(client, "api-warning-marker-detail", record.pk, {"note": "Knife", "reason": "Report"})
    assert response.status_code == 200 and response.json()["note"] == "Knife"
    bad = _patch(client, "api-warning-marker-detail", record.pk, {"note": "n" * 201})
    assert bad.status_code == 400 and "note" in bad.json()
    deleted = client.delete(reverse("api-warning-marker-detail", kwargs={"pk": record.pk}))
    assert deleted.status_code == 204
    assert not WarningMarker.objects.filter(pk=record.pk).exists()
    assert WarningMarker.history.filter(id=record.pk, history_type="-").exists()
    assert (
        AuditEvent.objects.filter(record_type="people.warningmarker", record_id=record.pk, operation="change").count()
        == 2
    )


def test_delete_a_marker_refused(world, api):
    record = marker(world)
    response = api(world.users.partner).delete(reverse("api-warning-marker-detail", kwargs={"pk": record.pk}))
    assert response.status_code == 404
    assert audited(world.users.partner, "people.warningmarker", record.pk, outcome="refused")
    assert WarningMarker.objects.filter(pk=record.pk).exists()


def test_patch_a_relationship(world, api):
    record = relationship(world)
    response = _patch(api(world.users.om), "api-relationship-detail", record.pk, {"to_date": "2024-06-01"})
    assert response.status_code == 200, response.json()
    assert response.json()["former"] is True and response.json()["other_name"] == "Karen Ashdown"
    assert audited(world.users.om, "people.relationship", record.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to_date": "2014-01-01"}, "to_date"),  # before it began
        ({"personal_connection": "none"}, "personal_connection"),  # domestic abuse needs one
        ({"kind": "nemesis"}, "kind"),
        ({"other": 1}, None),  # the people are fixed: ignored
    ],
)
def test_relationship_bad_input(world, api, body, field):
    record = relationship(world)
    response = _patch(api(world.users.om), "api-relationship-detail", record.pk, body)
    if field is None:
        assert response.status_code == 200 and response.json()["other"] == world.people.victim.pk
        return
    assert response.status_code == 400 and field in response.json(), response.json()
    saved = Relationship.objects.get(pk=record.pk)
    assert saved.to_date is None and saved.kind == "intimate_partner"


def test_a_missing_record_and_a_hidden_one_answer_alike(world, api):
    hidden = Alias.objects.create(person=world.people.away, family_name="Hidden")
    client = api(world.users.om)
    missing = _patch(client, "api-alias-detail", 10**9, {"family_name": "X"})
    refused = _patch(client, "api-alias-detail", hidden.pk, {"family_name": "X"})
    assert missing.status_code == refused.status_code == 404 and missing.json() == refused.json()
    assert Alias.objects.get(pk=hidden.pk).family_name == "Hidden"


def test_incident_and_conviction_changes_need_the_version_read(world, api):
    client = api(world.users.om)
    incident_, conviction_ = incident(world), conviction(world)
    for name, record in (("api-incident-detail", incident_), ("api-conviction-detail", conviction_)):
        url = reverse(name, kwargs={"pk": record.pk})
        missing = client.patch(url, {"place": "X", "court": "X"}, content_type="application/json")
        assert missing.status_code == 400 and "version" in missing.json()
        type(record).objects.filter(pk=record.pk).update(version=7)
        stale = client.patch(url, {"version": 1, "court": "Y", "place": "Y"}, content_type="application/json")
        assert stale.status_code == 409
        fresh = client.patch(url, {"version": 7, "court": "Z", "place": "Z"}, content_type="application/json")
        assert fresh.status_code == 200 and fresh.json()["version"] == 8
