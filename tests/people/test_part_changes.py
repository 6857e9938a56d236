"""Changing a person's other names, warning markers and relationships; removing a marker; ending a relationship."""

import datetime as dt

from safeguard.audit.models import AuditEvent
from safeguard.people.models import Alias, Relationship, WarningMarker
from safeguard.people.search import find_people
from tests.helpers import audited, error_page
from tests.people.url_roles import alias, marker, relationship, relationship_data


def _url(world, part, pk, action="edit"):
    return f"/people/{world.people.offender.pk}/{part}/{pk}/{action}/"


# Other names -----------------------------------------------------------------


def test_change_an_alias_and_find_by_the_new_name(world, sign_in):
    record = alias(world)
    client = sign_in(world.users.om)
    person_page = client.get(f"/people/{world.people.offender.pk}/").content.decode()
    assert _url(world, "names", record.pk) in person_page
    assert 'value="Blackwood"' in client.get(_url(world, "names", record.pk)).content.decode()
    assert audited(world.users.om, "people.alias", record.pk, "view")
    response = client.post(_url(world, "names", record.pk), {"kind": "previous", "family_name": "Whitwood"})
    assert response.status_code == 302 and response["Location"] == f"/people/{world.people.offender.pk}/"
    record.refresh_from_db()
    assert record.family_name == "Whitwood" and record.kind == "previous"
    assert audited(world.users.om, "people.alias", record.pk)
    assert [m.person for m in find_people(world.users.om, name="Whitwood")] == [world.people.offender]
    assert "The name has been changed" in client.get(response["Location"]).content.decode()


def test_alias_bad_input_saves_nothing(world, sign_in):
    record = alias(world)
    client = sign_in(world.users.om)
    next_year = str(dt.date.today().year + 1)
    data = {"kind": "alias", "family_name": "Whitwood", "date_of_birth_0": "1", "date_of_birth_1": "1"}
    error_page(client.post(_url(world, "names", record.pk), data | {"date_of_birth_2": next_year}), "today or in")
    error_page(client.post(_url(world, "names", record.pk), {"kind": "alias", "family_name": ""}), "last name used")
    record.refresh_from_db()
    assert record.family_name == "Blackwood"


def test_alias_change_refused_andaudited(world, sign_in):
    record = alias(world)
    client = sign_in(world.users.chair)
    response = client.post(_url(world, "names", record.pk), {"kind": "alias", "family_name": "Whitwood"})
    assert response.status_code == 404
    assert audited(world.users.chair, "people.alias", record.pk, "change", "refused")
    assert Alias.objects.get(pk=record.pk).family_name == "Blackwood"
    assert _url(world, "names", record.pk) not in client.get(f"/people/{world.people.offender.pk}/").content.decode()


def test_alias_of_someone_else_is_404(world, sign_in):
    record = Alias.objects.create(person=world.people.victim, family_name="Other")
    assert sign_in(world.users.om).get(_url(world, "names", record.pk)).status_code == 404


# Warning markers -------------------------------------------------------------


def test_change_a_marker_note_with_a_reason(world, sign_in):
    record = marker(world)
    client = sign_in(world.users.coordinator)
    data = {"note": "Carries a knife", "from_date_0": "2", "from_date_1": "3", "from_date_2": "2024"}
    response = client.post(_url(world, "warning-markers", record.pk), data | {"reason": "Intelligence report"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.note == "Carries a knife" and record.from_date == dt.date(2024, 3, 2) and record.code == "VI"
    assert audited(world.users.coordinator, "people.warningmarker", record.pk)
    history = client.get(f"/people/{world.people.offender.pk}/history/").content.decode()
    assert "Warning marker changed" in history and "Intelligence report" in history


def test_marker_needs_a_real_start_date(world, sign_in):
    record = marker(world)
    data = {"note": "Changed", "from_date_0": "31", "from_date_1": "2", "from_date_2": "2024"}
    response = sign_in(world.users.om).post(_url(world, "warning-markers", record.pk), data)
    page = error_page(response, "must be a real date")
    assert 'href="#id_from_date_0"' in page
    record.refresh_from_db()
    assert record.note == "Assaulted an officer"


def test_remove_a_marker_keeps_its_history(world, sign_in):
    record = marker(world)
    pk = record.pk
    client = sign_in(world.users.om)
    url = _url(world, "warning-markers", pk, "remove")
    assert url in client.get(f"/people/{world.people.offender.pk}/").content.decode()
    error_page(client.post(url, {"reason": ""}), "Enter why the warning marker is being removed")
    assert WarningMarker.objects.filter(pk=pk).exists()
    response = client.post(url, {"reason": "Recorded against the wrong person"})
    assert response.status_code == 302
    assert not WarningMarker.objects.filter(pk=pk).exists()
    removed = WarningMarker.history.filter(id=pk, history_type="-").get()
    assert removed.history_change_reason == "Recorded against the wrong person"
    assert removed.history_user == world.users.om
    event = AuditEvent.objects.get(actor_id=world.users.om.pk, record_type="people.warningmarker", operation="change")
    assert event.record_id == pk and event.detail["removed"] is True
    page = client.get(response["Location"]).content.decode()
    assert "The warning marker Violent has been removed" in page and "Warning: Violent" not in page
    history = client.get(f"/people/{world.people.offender.pk}/history/").content.decode()
    assert "Warning marker removed" in history


def test_remove_marker_refused_andaudited(world, sign_in):
    record = marker(world)
    response = sign_in(world.users.away_om).post(
        _url(world, "warning-markers", record.pk, "remove"), {"reason": "Not mine to remove"}
    )
    assert response.status_code == 404
    assert audited(world.users.away_om, "people.warningmarker", record.pk, "change", "refused")
    assert WarningMarker.objects.filter(pk=record.pk).exists()


# Relationships ---------------------------------------------------------------


def test_change_a_relationship_from_either_side(world, sign_in):
    record = relationship(world)
    client = sign_in(world.users.marac)
    victim_page = client.get(f"/people/{world.people.victim.pk}/").content.decode()
    url = f"/people/{world.people.victim.pk}/relationships/{record.pk}/edit/"
    assert url in victim_page
    page = client.get(url).content.decode()
    assert "Jonathan Smith is the … of Karen Ashdown" in page
    response = client.post(url, relationship_data(world, kind="spouse_or_civil_partner"))
    assert response.status_code == 302 and response["Location"] == f"/people/{world.people.victim.pk}/"
    record.refresh_from_db()
    assert record.kind == "spouse_or_civil_partner" and record.former
    assert audited(world.users.marac, "people.relationship", record.pk)
    history = client.get(f"/people/{world.people.offender.pk}/history/").content.decode()
    assert "Relationship with Karen Ashdown changed" in history and "Victim&#x27;s statement" in history


def test_relationship_bad_input_saves_nothing(world, sign_in):
    record = relationship(world)
    client = sign_in(world.users.om)
    url = _url(world, "relationships", record.pk)
    ends_first = relationship_data(world, to_date_0="1", to_date_1="1", to_date_2="2014")
    page = error_page(client.post(url, ends_first), "The end date must be the same as or after the start date")
    assert 'href="#id_to_date_0"' in page
    no_ground = relationship_data(world, personal_connection="none")
    error_page(client.post(url, no_ground), "Domestic abuse needs the two people to be personally connected")
    error_page(client.post(url, relationship_data(world, kind="")), "Choose the relationship")
    record.refresh_from_db()
    assert record.kind == "intimate_partner" and not record.former and record.to_date is None


def test_end_a_relationship(world, sign_in):
    record = relationship(world)
    client = sign_in(world.users.om)
    url = _url(world, "relationships", record.pk, "end")
    assert url in client.get(f"/people/{world.people.offender.pk}/").content.decode()
    response = client.post(url, {"to_date_0": "30", "to_date_1": "6", "to_date_2": "2024"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.to_date == dt.date(2024, 6, 30) and record.former
    assert audited(world.users.om, "people.relationship", record.pk)
    assert "The relationship has been ended" in client.get(response["Location"]).content.decode()


def test_ending_before_it_began_or_in_the_future_is_refused(world, sign_in):
    record = relationship(world)
    client = sign_in(world.users.om)
    url = _url(world, "relationships", record.pk, "end")
    error_page(client.post(url, {"to_date_0": "1", "to_date_1": "1", "to_date_2": "2014"}), "after the start date")
    next_year = str(dt.date.today().year + 1)
    error_page(client.post(url, {"to_date_0": "1", "to_date_1": "1", "to_date_2": next_year}), "today or in the past")
    error_page(client.post(url, {}), "Enter the date the relationship ended")
    record.refresh_from_db()
    assert record.to_date is None and not record.former


def test_relationship_change_needs_both_people(world, sign_in):
    """The away person is outside the home recorders' area: the relationship may not be changed by them."""
    record = Relationship.objects.create(person=world.people.offender, other=world.people.away, kind="associate")
    client = sign_in(world.users.om)
    assert client.get(_url(world, "relationships", record.pk)).status_code == 404
    assert audited(world.users.om, "people.relationship", record.pk, "change", "refused")
    assert (
        _url(world, "relationships", record.pk)
        not in client.get(f"/people/{world.people.offender.pk}/").content.decode()
    )


def test_relationship_of_other_people_is_404(world, sign_in):
    record = Relationship.objects.create(person=world.people.victim, other=world.people.other_offender, kind="sibling")
    assert sign_in(world.users.om).get(_url(world, "relationships", record.pk)).status_code == 404
