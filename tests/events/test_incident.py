import datetime as dt

from safeguard.audit.models import AuditEvent
from safeguard.events.models import Incident, IncidentPerson
from tests.events.url_roles import incident, incident_data
from tests.helpers import error_page

URL = "/incidents/new/"


def test_form_starts_with_the_person_and_finds_others(world, sign_in):
    client = sign_in(world.users.om)
    offender, victim = world.people.offender, world.people.victim
    page = client.get(f"{URL}?person={offender.pk}").content.decode()
    assert "Jonathan Smith" in page and "Role of Jonathan Smith" in page
    assert str(world.home["local"][0]) in page and "Otherland" not in page.split("Local authority area")[1]
    found = client.post(f"{URL}?person={offender.pk}", {"action": "find", "find_name": "Ashdown"}).content.decode()
    assert f"?person={offender.pk}&amp;person={victim.pk}" in found
    both = client.get(f"{URL}?person={offender.pk}&person={victim.pk}").content.decode()
    assert "Role of Karen Ashdown" in both


def test_record_an_incident_with_two_people(world, sign_in):
    client = sign_in(world.users.marac)
    offender, victim = world.people.offender, world.people.victim
    data = incident_data(world, person=[str(offender.pk), str(victim.pk)], **{f"role_{victim.pk}": "victim"})
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == f"/people/{offender.pk}/"
    saved = Incident.objects.get(reference="NT/2025/000999")
    assert saved.domestic_abuse and saved.recorded_by == world.police
    assert saved.occurred_at == dt.datetime(2025, 1, 3, 21, 30, tzinfo=dt.UTC), "21:30 in London in winter is UTC"
    roles = set(IncidentPerson.objects.filter(incident=saved).values_list("person_id", "role"))
    assert roles == {(offender.pk, "perpetrator"), (victim.pk, "victim")}
    events = AuditEvent.objects.filter(actor_id=world.users.marac.pk, record_type="events.incident", record_id=saved.pk)
    assert events.filter(operation="create", outcome="allowed").exists()
    assert events.filter(operation="change", outcome="allowed").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Incident NT/2025/000999 has been recorded" in page and "Domestic abuse" in page


def test_incident_in_the_future_is_refused(world, sign_in):
    next_year = str(dt.date.today().year + 1)
    response = sign_in(world.users.om).post(URL, incident_data(world, occurred_on_2=next_year))
    page = error_page(response, "must be now or in the past")
    assert 'href="#id_occurred_on_0"' in page
    assert not Incident.objects.exists()


def test_incident_needs_a_role_a_time_and_a_person(world, sign_in):
    client = sign_in(world.users.om)
    role = f"role_{world.people.offender.pk}"
    error_page(client.post(URL, incident_data(world, **{role: ""})), "Choose the role of Jonathan Smith")
    error_page(client.post(URL, incident_data(world, occurred_time="25:00")), "Enter the time as hours and minutes")
    error_page(client.post(URL, incident_data(world, person=[])), "Add at least one person to the incident")
    assert not Incident.objects.exists()


def test_incident_reference_must_be_new(world, sign_in):
    incident(world)
    response = sign_in(world.users.om).post(URL, incident_data(world, reference="NT/2025/000123"))
    error_page(response, "An incident with this police reference is already recorded")
    assert Incident.objects.count() == 1


def test_incident_area_must_be_in_the_users_area(world, sign_in):
    response = sign_in(world.users.om).post(URL, incident_data(world, local_area=str(world.away["local"][0].pk)))
    error_page(response, "Choose an area")
    assert not Incident.objects.exists()


def test_incident_page_names_only_people_the_user_may_see(world, sign_in, client):
    event = incident(world)
    page = sign_in(world.users.om).get(f"/incidents/{event.pk}/").content.decode()
    assert "Jonathan Smith" in page and "Karen Ashdown" in page and "Suspect or perpetrator" in page
    assert f"/people/{world.people.victim.pk}/" in page
    client.logout()
    page = sign_in(world.users.partner).get(f"/incidents/{event.pk}/").content.decode()
    assert "Karen Ashdown" in page and "Jonathan Smith" not in page and "A person outside your access" in page
    shown = AuditEvent.objects.get(actor_id=world.users.partner.pk, record_type="people.person", operation="view")
    assert shown.detail["shown"] == [world.people.victim.pk]


def test_incident_page_refused_outside_the_area(world, sign_in):
    event = incident(world)
    assert sign_in(world.users.away_om).get(f"/incidents/{event.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=world.users.away_om.pk, record_type="events.incident", record_id=event.pk, outcome="refused"
    ).exists()
