"""Changing a recorded conviction, an incident's details, and the people in an incident."""

import datetime as dt

from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.events.models import Conviction, Incident, IncidentPerson
from tests.events.url_roles import conviction, conviction_data, incident, incident_details
from tests.helpers import audited, error_page

# Convictions -----------------------------------------------------------------


def test_change_a_conviction(world, sign_in):
    record = conviction(world)
    client = sign_in(world.users.om)
    url = f"/convictions/{record.pk}/edit/"
    page = client.get(url).content.decode()
    assert "Change a conviction or caution" in page and 'value="Northtown Crown Court"' in page
    assert audited(world.users.om, "events.conviction", record.pk, "view")
    response = client.post(url, conviction_data(world, term_months="36", court="Otherton Crown Court"))
    assert response.status_code == 302 and response["Location"] == f"/people/{world.people.offender.pk}/"
    record.refresh_from_db()
    assert record.term_months == 36 and record.court == "Otherton Crown Court"
    assert audited(world.users.om, "events.conviction", record.pk)
    person_page = client.get(response["Location"]).content.decode()
    assert "The conviction has been changed" in person_page and f"/convictions/{record.pk}/edit/" in person_page


def test_conviction_before_birth_is_refused_and_nothing_changes(world, sign_in):
    record = conviction(world)
    response = sign_in(world.users.om).post(
        f"/convictions/{record.pk}/edit/", conviction_data(world, relevant_date_2="1979", court="Changed")
    )
    page = error_page(response, "cannot be before the date of birth")
    assert 'href="#id_relevant_date_0"' in page
    record.refresh_from_db()
    assert record.relevant_date == dt.date(2019, 2, 14) and record.court == "Northtown Crown Court"


def test_conviction_needs_a_term_for_imprisonment(world, sign_in):
    record = conviction(world)
    response = sign_in(world.users.om).post(f"/convictions/{record.pk}/edit/", conviction_data(world, term_months=""))
    error_page(response, "Enter the custodial term in months")
    record.refresh_from_db()
    assert record.term_months == 30


def test_change_conviction_refused_for_the_chair_andaudited(world, sign_in):
    record = conviction(world)
    client = sign_in(world.users.chair)
    assert client.get(f"/convictions/{record.pk}/edit/").status_code == 404
    assert client.post(f"/convictions/{record.pk}/edit/", conviction_data(world, court="X")).status_code == 404
    assert audited(world.users.chair, "events.conviction", record.pk, "change", "refused")
    record.refresh_from_db()
    assert record.court == "Northtown Crown Court"
    person_page = client.get(f"/people/{world.people.offender.pk}/").content.decode()
    assert "/edit/" not in person_page.split("Incidents and convictions")[1]


# Incident details ------------------------------------------------------------


def test_change_an_incidents_details(world, sign_in):
    record = incident(world)
    client = sign_in(world.users.marac)
    url = f"/incidents/{record.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'value="NT/2025/000123"' in page and "Change what happened" in page
    assert audited(world.users.marac, "events.incident", record.pk, "view")
    response = client.post(url, incident_details(world, place="Car park", reference="NT/2025/000124"))
    assert response.status_code == 302 and response["Location"] == f"/incidents/{record.pk}/"
    record.refresh_from_db()
    assert record.place == "Car park" and record.reference == "NT/2025/000124"
    assert record.occurred_at == dt.datetime(2025, 1, 3, 21, 30, tzinfo=dt.UTC)
    assert audited(world.users.marac, "events.incident", record.pk)
    shown = client.get(response["Location"]).content.decode()
    assert "Incident NT/2025/000124 has been changed" in shown and f"/incidents/{record.pk}/edit/" in shown


def test_the_form_starts_with_the_incidents_local_date_and_time(world, sign_in):
    record = incident(world)
    Incident.objects.filter(pk=record.pk).update(occurred_at=dt.datetime(2025, 7, 1, 20, 15, tzinfo=dt.UTC))
    page = sign_in(world.users.om).get(f"/incidents/{record.pk}/edit/").content.decode()
    assert 'value="21:15"' in page, "20:15 UTC is 21:15 in London in summer"


def _unchanged(record):
    before = (record.reference, record.occurred_at, record.place, record.local_area_id)
    record.refresh_from_db()
    return (record.reference, record.occurred_at, record.place, record.local_area_id) == before


def test_incident_in_the_future_is_refused(world, sign_in):
    record = incident(world)
    next_year = str(timezone.localdate().year + 1)
    response = sign_in(world.users.om).post(
        f"/incidents/{record.pk}/edit/", incident_details(world, occurred_on_2=next_year, place="Moved")
    )
    page = error_page(response, "must be now or in the past")
    assert 'href="#id_occurred_on_0"' in page
    assert _unchanged(record)


def test_incident_detail_bad_input_by_field(world, sign_in):
    record = incident(world)
    other = Incident.objects.create(
        reference="NT/2025/000555",
        occurred_at=timezone.now(),
        local_area=world.home["local"][0],
        recorded_by=world.police,
    )
    client = sign_in(world.users.om)
    url = f"/incidents/{record.pk}/edit/"
    error_page(client.post(url, incident_details(world, reference=other.reference)), "already recorded")
    error_page(client.post(url, incident_details(world, reference="")), "Enter the police reference")
    error_page(client.post(url, incident_details(world, occurred_time="9pm")), "Enter the time as hours and minutes")
    error_page(client.post(url, incident_details(world, local_area=str(world.away["local"][0].pk))), "Choose an area")
    error_page(client.post(url, incident_details(world, offence="999999")), "Choose an offence from the list")
    assert _unchanged(record)


def test_change_incident_refused_andaudited(world, sign_in):
    record = incident(world)
    client = sign_in(world.users.partner)  # sees the incident through the victim, may not change it
    page = client.get(f"/incidents/{record.pk}/").content.decode()
    assert "/edit/" not in page and "Add or remove people" not in page
    assert client.post(f"/incidents/{record.pk}/edit/", incident_details(world, place="X")).status_code == 404
    assert audited(world.users.partner, "events.incident", record.pk, "change", "refused")
    assert _unchanged(record)


# People in an incident -------------------------------------------------------


def test_add_a_person_with_a_role(world, sign_in):
    record = incident(world)
    client = sign_in(world.users.om)
    url = f"/incidents/{record.pk}/people/"
    found = client.post(url, {"action": "find", "find_name": "Peter Quill"}).content.decode()
    assert f"?person={world.people.other_offender.pk}" in found
    chosen = client.get(f"{url}?person={world.people.other_offender.pk}").content.decode()
    assert "Role of Peter Quill" in chosen
    response = client.post(url, {"action": "add", "person": str(world.people.other_offender.pk), "role": "witness"})
    assert response.status_code == 302 and response["Location"] == f"/incidents/{record.pk}/"
    assert IncidentPerson.objects.filter(incident=record, person=world.people.other_offender, role="witness").exists()
    event = AuditEvent.objects.filter(actor_id=world.users.om.pk, record_type="events.incident", operation="change")
    assert event.get().detail["people_added"] == [[world.people.other_offender.pk, "witness"]]
    assert "Peter Quill has been added" in client.get(response["Location"]).content.decode()


def test_adding_needs_a_role_and_not_the_same_one_twice(world, sign_in):
    record = incident(world)
    client = sign_in(world.users.om)
    url = f"/incidents/{record.pk}/people/"
    offender = str(world.people.offender.pk)
    page = error_page(client.post(url, {"action": "add", "person": offender, "role": ""}), "Choose their role")
    assert 'href="#id_role"' in page
    error_page(client.post(url, {"action": "add", "person": offender, "role": "perpetrator"}), "already has this role")
    assert IncidentPerson.objects.filter(incident=record).count() == 2


def test_adding_someone_out_of_sight_is_404(world, sign_in):
    record = incident(world)
    response = sign_in(world.users.om).post(
        f"/incidents/{record.pk}/people/", {"action": "add", "person": str(world.people.away.pk), "role": "witness"}
    )
    assert response.status_code == 404
    assert IncidentPerson.objects.filter(incident=record).count() == 2


def test_remove_a_person_but_never_the_last(world, sign_in):
    record = incident(world)
    client = sign_in(world.users.supervisor)
    url = f"/incidents/{record.pk}/people/"
    victim = IncidentPerson.objects.get(incident=record, person=world.people.victim)
    asked = client.post(url, {"action": "remove", "link": str(victim.pk)}).content.decode()
    assert "Are you sure you want to remove" in asked and "No, go back" in asked
    assert IncidentPerson.objects.filter(incident=record).count() == 2  # nothing removed yet
    response = client.post(url, {"action": "remove", "link": str(victim.pk), "confirmed": "yes"})
    assert response.status_code == 302
    assert list(IncidentPerson.objects.filter(incident=record).values_list("person_id", flat=True)) == [
        world.people.offender.pk
    ]
    event = AuditEvent.objects.get(
        actor_id=world.users.supervisor.pk, record_type="events.incident", operation="change"
    )
    assert event.detail["people_removed"] == [[world.people.victim.pk, "victim"]]
    page = client.get(url).content.decode()
    assert "must have at least one person" in page and 'value="remove"' not in page
    last = IncidentPerson.objects.get(incident=record)
    error_page(client.post(url, {"action": "remove", "link": str(last.pk)}), "must have at least one person")
    assert IncidentPerson.objects.filter(incident=record).count() == 1


def test_people_page_refused_andaudited(world, sign_in):
    record = incident(world)
    victim = IncidentPerson.objects.get(incident=record, person=world.people.victim)
    client = sign_in(world.users.idva)
    response = client.post(f"/incidents/{record.pk}/people/", {"action": "remove", "link": str(victim.pk)})
    assert response.status_code == 404
    assert audited(world.users.idva, "events.incident", record.pk, "change", "refused")
    assert IncidentPerson.objects.filter(incident=record).count() == 2


def test_a_link_of_another_incident_is_404(world, sign_in):
    record = incident(world)
    other = Incident.objects.create(
        reference="NT/2025/000777",
        occurred_at=timezone.now(),
        local_area=world.home["local"][0],
        recorded_by=world.police,
    )
    link = IncidentPerson.objects.create(incident=other, person=world.people.offender, role="witness")
    response = sign_in(world.users.om).post(f"/incidents/{record.pk}/people/", {"action": "remove", "link": link.pk})
    assert response.status_code == 404
    assert Conviction.objects.count() == 0 and IncidentPerson.objects.filter(pk=link.pk).exists()


def test_a_stale_conviction_change_is_refused_not_overwritten(world, sign_in):
    from safeguard.events.models import Conviction
    from tests.events.url_roles import conviction

    record = conviction(world)
    client = sign_in(world.users.om)
    page = client.get(f"/convictions/{record.pk}/edit/").content.decode()
    assert 'name="version"' in page
    Conviction.objects.filter(pk=record.pk).update(version=record.version + 1, court="Changed elsewhere")
    data = {
        "kind": record.kind,
        "offence": str(record.offence_id),
        "relevant_date": record.relevant_date.isoformat(),
        "disposal": record.disposal,
        "term_months": str(record.term_months or ""),
        "court": "My change",
        "version": str(record.version),
    }
    page = client.post(f"/convictions/{record.pk}/edit/", data).content.decode()
    assert "Someone else changed this record" in page
    assert Conviction.objects.get(pk=record.pk).court == "Changed elsewhere"
