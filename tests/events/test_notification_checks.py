"""A recorded change or trip is shown as in time or late, by the rule it follows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.events.models import Notification
from safeguard.events.notification_checks import timeliness
from safeguard.rules import notification

MOVED = dt.date(2026, 2, 27)  # 3 days beginning with 27 February 2026: the last day is 1 March


@pytest.mark.parametrize(("notified", "on_time"), [(dt.date(2026, 3, 1), True), (dt.date(2026, 3, 2), False)])
def test_a_change_of_address_is_in_time_within_three_days_beginning_with_the_move(world, notified, on_time):
    n = Notification(
        person=world.people.offender, kind="change", change="home_address", event_on=MOVED, notified_on=notified
    )
    check = timeliness(n)
    assert check.due == notification.change_notification_due(MOVED, "home_address").due == dt.date(2026, 3, 1)
    assert check.on_time is on_time


def test_foreign_travel_is_late_when_notified_less_than_seven_days_ahead(world):
    departure = dt.date(2026, 8, 10)
    early = Notification(person=world.people.offender, kind="travel", departure_on=departure, destination="Spain")
    early.notified_on = departure - dt.timedelta(days=7)
    assert timeliness(early).on_time is True
    early.notified_on = departure - dt.timedelta(days=6)
    assert timeliness(early).on_time is False


def test_a_periodic_notification_has_no_deadline_of_its_own(world):
    n = Notification(person=world.people.offender, kind="periodic", notified_on=dt.date(2026, 1, 5))
    assert timeliness(n).on_time is None


def test_the_person_page_marks_a_late_change(world, sign_in):
    person = world.people.offender
    Notification.objects.create(
        person=person,
        kind="change",
        change="home_address",
        event_on=MOVED,
        notified_on=dt.date(2026, 3, 4),
        recorded_by=world.users.om,
    )
    page = sign_in(world.users.om).get(reverse("people:person", args=[person.pk])).content.decode()
    assert "Late: due by 1 Mar 2026" in page
