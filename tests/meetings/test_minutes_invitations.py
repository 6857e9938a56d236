"""iCalendar invitations: they parse, name no case or person, keep one UID per meeting, count moves in SEQUENCE,
cancel with METHOD:CANCEL, and the forum's feed lists the upcoming meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.meetings.models import Attendance
from safeguard.meetings.services import minutes, schedule
from safeguard.people.models import Person
from safeguard.workforce.models import Staff
from tests.conftest import verified_client
from tests.meetings import minutes_fixtures as mf


@pytest.fixture
def records(world):
    return mf.minutes_records(world)


def download(client, user, name, pk) -> tuple[bytes, Calendar]:
    verified_client(client, user)
    response = client.get(reverse(name, kwargs={"pk": pk}))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content, Calendar.from_ical(response.content)


def names_in_the_world() -> set[str]:
    names = set()
    for given, middle, family in Person.objects.values_list("given_name", "middle_names", "family_name"):
        names |= {given, family, *middle.split()}
    names |= set(Attendance.objects.values_list("name", flat=True))
    for first, last in Staff.objects.values_list("first_name", "last_name"):
        names |= {first, last}
    return {n for n in names if n}


def test_a_meetings_invitation(world, records, client):
    meeting = records.upcoming
    raw, calendar = download(client, world.users.om, "meetings:invitation", meeting.pk)
    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Fictional Shire MAPPA Level 3 meeting"
    assert event["DTSTART"].dt == meeting.starts_at and event["DTSTART"].dt.utcoffset() == dt.timedelta(0)
    assert event["DTEND"].dt == meeting.ends_at
    assert event["LOCATION"] == mf.PLACE
    assert event["CLASS"] == "CONFIDENTIAL" and event["STATUS"] == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0
    description = str(event["DESCRIPTION"])
    assert description.startswith("OFFICIAL-SENSITIVE\n")
    assert f"/forums/meetings/{meeting.pk}/" in description and str(event["URL"]).endswith(
        f"/forums/meetings/{meeting.pk}/"
    )
    assert "ORGANIZER" in event
    again, calendar_again = download(client, world.users.coordinator, "meetings:invitation", meeting.pk)
    assert calendar_again.walk("VEVENT")[0]["UID"] == event["UID"]
    assert AuditEvent.objects.filter(
        actor_id=world.users.om.pk,
        operation=Operation.EXPORT,
        record_type="meetings.meeting",
        record_id=meeting.pk,
        outcome=Outcome.ALLOWED,
    ).exists()


def test_invitations_name_no_case_and_no_person(world, records, client):
    text = b"".join(
        [
            download(client, world.users.coordinator, "meetings:invitation", m.pk)[0]
            for m in (records.upcoming, records.moved, records.cancelled, records.held.meeting, records.issued.meeting)
        ]
        + [download(client, world.users.coordinator, "meetings:calendar", records.forum.pk)[0]]
    ).decode()
    unfolded = text.replace("\r\n ", "")
    found = sorted(name for name in names_in_the_world() if name in unfolded)
    assert found == []
    assert "Jonathan" not in unfolded and "Smith" not in unfolded  # the offender on the held meetings' agendas


def test_moving_a_meeting_keeps_its_uid_and_raises_its_sequence(world, records, client):
    meeting = records.upcoming
    first = download(client, world.users.coordinator, "meetings:invitation", meeting.pk)[1].walk("VEVENT")[0]
    schedule.move_meeting(
        mf.ctx_for(world.users.coordinator),
        meeting,
        starts_at=meeting.starts_at + dt.timedelta(hours=3),
        place="Fictional Shire Probation, Room 1",
        reason="The police room is needed for training.",
        expected_version=meeting.version,
    )
    moved = download(client, world.users.coordinator, "meetings:invitation", meeting.pk)[1].walk("VEVENT")[0]
    assert moved["UID"] == first["UID"] and int(moved["SEQUENCE"]) == 1
    assert moved["DTSTART"].dt == first["DTSTART"].dt + dt.timedelta(hours=3)
    assert moved["LOCATION"] == "Fictional Shire Probation, Room 1"
    twice = download(client, world.users.coordinator, "meetings:invitation", records.moved.pk)[1].walk("VEVENT")[0]
    assert int(twice["SEQUENCE"]) == 2


def test_a_cancelled_meeting_is_sent_as_a_cancellation(world, records, client):
    raw, calendar = download(client, world.users.partner, "meetings:invitation", records.cancelled.pk)
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert "This meeting has been cancelled." in str(event["DESCRIPTION"])
    assert "leave" not in raw.decode()  # the reason typed for the cancellation stays in Safeguard


def test_the_forums_feed_lists_its_upcoming_meetings(world, records, client):
    raw, calendar = download(client, world.users.idva, "meetings:calendar", records.forum.pk)
    assert calendar["METHOD"] == "PUBLISH"
    events = calendar.walk("VEVENT")
    starts = [e["DTSTART"].dt for e in events]
    assert starts == [records.upcoming.starts_at, records.moved.starts_at, records.cancelled.starts_at]
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert [int(e["SEQUENCE"]) for e in events] == [0, 2, 1]
    assert len({e["UID"] for e in events}) == 3
    event = AuditEvent.objects.get(
        actor_id=world.users.idva.pk, operation=Operation.EXPORT, record_type="meetings.forum"
    )
    assert sorted(event.detail["meetings"]) == sorted([records.upcoming.pk, records.moved.pk, records.cancelled.pk])


def test_a_meeting_with_no_end_has_no_invented_end(world, records):
    meeting = records.upcoming
    meeting.ends_at = None
    raw = minutes.invitation(mf.ctx_for(world.users.coordinator), meeting, link="https://example.invalid/m/")
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert "DTEND" not in event and "DURATION" not in event


@pytest.mark.parametrize("who", ["away_om", "analyst", "norole"])
def test_invitations_are_refused_to_those_who_may_not_see_the_forum(world, records, client, who):
    verified_client(client, getattr(world.users, who))
    assert client.get(reverse("meetings:invitation", kwargs={"pk": records.upcoming.pk})).status_code == 404
    assert client.get(reverse("meetings:calendar", kwargs={"pk": records.forum.pk})).status_code == 404


def test_the_feed_leaves_out_past_meetings(world, records):
    later = timezone.now() + dt.timedelta(days=15)
    meetings = minutes.invitations.upcoming(records.forum, later)
    assert [m.pk for m in meetings] == [records.moved.pk, records.cancelled.pk]
