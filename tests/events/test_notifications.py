"""Recording a notification made at a police station (SOA 2003 Part 2): each kind's own required facts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Outcome
from safeguard.events.models import Notification
from tests.events.url_roles import notification_data


def _url(person) -> str:
    return reverse("events:record-notification", kwargs={"person_pk": person.pk})


def _post(client, world, **changes):
    return client.post(_url(world.people.offender), notification_data(world, **changes))


def _errors(response) -> dict:
    assert response.status_code == 200, f"expected the form again, got {response.status_code}"
    assert "govuk-error-summary" in response.content.decode()
    return response.context["form"].errors


def _days_ago(n: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


def test_the_form_offers_the_kinds_as_radios(world, sign_in):
    page = sign_in(world.users.om).get(_url(world.people.offender)).content.decode()
    assert 'type="radio"' in page and "Foreign travel" in page and "Periodic notification (s.85)" in page


def test_record_a_periodic_notification(world, sign_in):
    client = sign_in(world.users.om)
    response = _post(client, world, notified_on=_days_ago(2))
    assert response.status_code == 302 and response["Location"] == f"/people/{world.people.offender.pk}/"
    saved = Notification.objects.get(person=world.people.offender)
    assert saved.kind == "periodic" and saved.notified_on == timezone.localdate() - dt.timedelta(days=2)
    assert saved.recorded_by == world.users.om and saved.police_station == "Northtown"
    assert AuditEvent.objects.filter(
        actor_id=world.users.om.pk, record_type="events.notification", record_id=saved.pk, operation="create"
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "The notification has been recorded" in page and "Periodic notification (s.85)" in page


def test_a_change_without_its_date_is_an_error_on_event_on(world, sign_in):
    errors = _errors(_post(sign_in(world.users.om), world, kind="change", change="home_address"))
    assert list(errors) == ["event_on"] and errors["event_on"] == ["Enter the date of the change."]
    assert not Notification.objects.exists()


def test_a_change_without_what_changed_is_an_error_on_change(world, sign_in):
    errors = _errors(_post(sign_in(world.users.om), world, kind="change", event_on=_days_ago(1)))
    assert list(errors) == ["change"]
    assert not Notification.objects.exists()


def test_a_change_after_the_date_notified_is_refused(world, sign_in):
    response = _post(
        sign_in(world.users.om), world, kind="change", change="name", event_on=_days_ago(1), notified_on=_days_ago(2)
    )
    assert _errors(response)["event_on"] == ["The change must be on or before the date notified."]
    assert 'href="#id_event_on_0"' in response.content.decode()
    assert not Notification.objects.exists()


def test_a_change_with_its_date_is_recorded(world, sign_in):
    response = _post(sign_in(world.users.om), world, kind="change", change="home_address", event_on=_days_ago(2))
    assert response.status_code == 302
    saved = Notification.objects.get()
    assert saved.change == "home_address" and saved.event_on == timezone.localdate() - dt.timedelta(days=2)


def test_travel_without_departure_is_an_error_on_departure_on(world, sign_in):
    errors = _errors(_post(sign_in(world.users.om), world, kind="travel", destination="Spain"))
    assert list(errors) == ["departure_on"] and errors["departure_on"] == ["Enter the date of departure."]
    assert not Notification.objects.exists()


def test_travel_needs_a_destination_and_a_return_after_departure(world, sign_in):
    errors = _errors(
        _post(
            sign_in(world.users.om),
            world,
            kind="travel",
            departure_on="2027-01-10",
            return_on="2027-01-09",
        )
    )
    assert set(errors) == {"destination", "return_on"}
    assert not Notification.objects.exists()


def test_travel_with_its_details_is_recorded(world, sign_in):
    response = _post(
        sign_in(world.users.om),
        world,
        kind="travel",
        departure_on="2027-01-10",
        return_on="2027-01-10",
        destination="Spain",
    )
    assert response.status_code == 302
    assert Notification.objects.get().destination == "Spain"


def test_a_notification_cannot_be_in_the_future(world, sign_in):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    errors = _errors(_post(sign_in(world.users.om), world, notified_on=tomorrow))
    assert list(errors) == ["notified_on"]


def test_a_half_typed_date_names_the_field(world, sign_in):
    response = sign_in(world.users.om).post(
        _url(world.people.offender),
        {"kind": "periodic", "notified_on_0": "3", "notified_on_1": "", "notified_on_2": "2026"},
    )
    assert _errors(response)["notified_on"] == ["Date notified must include a day, month and year"]


def test_a_partner_is_refused_even_for_a_person_they_can_see(world, sign_in):
    client = sign_in(world.users.partner)
    victim = world.people.victim  # on the MARAC the partner's agency sits on
    assert client.get(reverse("people:person", args=[victim.pk])).status_code == 200
    assert client.get(_url(victim)).status_code == 404
    response = client.post(_url(victim), notification_data(world))
    assert response.status_code == 404
    assert not Notification.objects.exists()
    assert (
        AuditEvent.objects.filter(
            actor_id=world.users.partner.pk, record_type="people.person", record_id=victim.pk, outcome=Outcome.REFUSED
        ).count()
        == 2
    )


def test_the_person_page_offers_recording_only_to_those_who_may(world, sign_in, client):
    url = _url(world.people.offender)
    assert url in sign_in(world.users.om).get(f"/people/{world.people.offender.pk}/").content.decode()
    client.logout()
    assert url not in sign_in(world.users.chair).get(f"/people/{world.people.offender.pk}/").content.decode()
