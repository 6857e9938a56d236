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


@pytest.mark.parametrize(("days_ahead", "on_time"), [(9, True), (8, True), (7, False)])
def test_foreign_travel_is_late_without_seven_clear_days(world, days_ahead, on_time):
    # Corrected: notice 7 days ahead was accepted; "at least 7 days" is read as 7 clear days (R v Turner), so the
    # notice is due 8 days ahead (7 whole days between the notice and the departure).
    departure = dt.date(2026, 8, 10)
    trip = Notification(person=world.people.offender, kind="travel", departure_on=departure, destination="Spain")
    trip.notified_on = departure - dt.timedelta(days=days_ahead)
    check = timeliness(trip)
    assert check.due == dt.date(2026, 8, 2)
    assert check.on_time is on_time


@pytest.mark.parametrize("change", ["bank_account", "identity_doc", "child_household"])
@pytest.mark.parametrize(
    ("notified", "on_time"), [(dt.date(2026, 2, 28), True), (dt.date(2026, 3, 1), True), (dt.date(2026, 3, 2), False)]
)
def test_the_2012_regulations_changes_are_flagged_late_after_three_days(world, change, notified, on_time):
    n = Notification(person=world.people.offender, kind="change", change=change, event_on=MOVED, notified_on=notified)
    check = timeliness(n)
    assert check.due == dt.date(2026, 3, 1)
    assert check.on_time is on_time
    assert any("SI 2012/1876" in step.source for step in check.working)


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
    assert "Late: due by 1 March 2026" in page
