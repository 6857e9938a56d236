"""The day's window: 24 hours before the meeting (72 on a Monday), its edges, and the forum's area."""

import datetime as dt

from safeguard.meetings.models import Meeting
from safeguard.triage.services import meeting as m

from .builders import at, incident, past_weekday, triage_forum

MONDAY, TUESDAY = 0, 1


def _meeting(forum, day):
    return Meeting.objects.create(forum=forum, starts_at=at(day))


def _refs(queryset):
    return {i.reference for i in queryset}


def test_exactly_24_hours_before_is_in_a_second_more_is_out(world):
    forum = triage_forum(world)
    day = past_weekday(TUESDAY)
    meeting = _meeting(forum, day)
    before = day - dt.timedelta(days=1)
    edge = incident(world, at(before, 9, 30))
    too_early = incident(world, at(before, 9, 29, 59))
    last_second = incident(world, at(day, 9, 29, 59))
    at_start = incident(world, at(day, 9, 30))  # the next meeting's
    found = _refs(m.incidents_in_window(meeting))
    assert found == {edge.reference, last_second.reference}
    assert too_early.reference not in found and at_start.reference not in found
    assert m.window_of(meeting).hours == 24


def test_a_monday_takes_the_weekend(world):
    forum = triage_forum(world)
    monday = past_weekday(MONDAY)
    meeting = _meeting(forum, monday)
    friday = monday - dt.timedelta(days=3)
    friday_edge = incident(world, at(friday, 9, 30))
    thursday_night = incident(world, at(friday, 9, 29, 59))
    saturday = incident(world, at(monday - dt.timedelta(days=2), 23, 0))
    sunday = incident(world, at(monday - dt.timedelta(days=1), 3, 15))
    found = _refs(m.incidents_in_window(meeting))
    assert found == {friday_edge.reference, saturday.reference, sunday.reference}
    assert thursday_night.reference not in found
    assert m.window_of(meeting).hours == 72


def test_a_triage_that_meets_every_day_takes_24_hours_on_a_monday(world):
    """The weekend had its own meetings: Monday's window starts at Sunday's meeting, not Friday's."""
    forum = triage_forum(world)
    forum.cadence = "daily"
    forum.save()
    monday = past_weekday(MONDAY)
    meeting = _meeting(forum, monday)
    sunday_edge = incident(world, at(monday - dt.timedelta(days=1), 9, 30))
    saturday = incident(world, at(monday - dt.timedelta(days=2), 23, 0))
    found = _refs(m.incidents_in_window(meeting))
    assert found == {sunday_edge.reference}
    assert saturday.reference not in found
    assert m.window_of(meeting).hours == 24


def test_windows_meet_across_the_clock_changes():
    """Each weekday's window starts where the last one ended, through both of 2026's clock changes."""
    from safeguard.rules.triage import triage_window

    day, previous = dt.date(2026, 1, 5), None
    while day < dt.date(2027, 1, 1):
        if day.weekday() < 5:
            window = triage_window(at(day))
            if previous is not None:
                assert window.start == previous.end, day
            previous = window
        day += dt.timedelta(days=1)
    spring = triage_window(at(dt.date(2026, 3, 30)))  # the Monday after the clocks went forward
    utc = dt.UTC
    assert spring.end.astimezone(utc) - spring.start.astimezone(utc) == dt.timedelta(hours=71)  # real hours


def test_only_domestic_abuse_in_the_forums_area(world):
    northtown, southvale = world.home["local"]
    forum = triage_forum(world)
    forum.covers.set([northtown])
    day = past_weekday(TUESDAY)
    meeting = _meeting(forum, day)
    when = at(day, 6, 0)
    covered = incident(world, when)
    incident(world, when, domestic_abuse=False)
    incident(world, when, local_area=southvale)
    incident(world, when, local_area=world.away["local"][0])
    assert _refs(m.incidents_in_window(meeting)) == {covered.reference}


def test_a_forum_covering_nothing_hears_its_whole_mappa_area(world):
    northtown, southvale = world.home["local"]
    forum = triage_forum(world)
    day = past_weekday(TUESDAY)
    meeting = _meeting(forum, day)
    when = at(day, 6, 0)
    both = {incident(world, when).reference, incident(world, when, local_area=southvale).reference}
    incident(world, when, local_area=world.away["local"][0])
    assert _refs(m.incidents_in_window(meeting)) == both
