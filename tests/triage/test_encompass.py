"""Operation Encompass: which children, the deadline across weekends and non-school days, in time or late."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguard.demo import factories as f
from safeguard.meetings.models import Meeting
from safeguard.people.models import Relationship
from safeguard.triage import services
from safeguard.triage.models import EncompassNotice, TriageCase

from .builders import at, incident, past_weekday

FRIDAY, MONDAY, TUESDAY = 4, 0, 1


def _case_on(triage, world, occurred_at, people=()):
    """A case on a Monday meeting for an incident at ``occurred_at`` (its window holds any time given here)."""
    meeting = Meeting.objects.create(forum=triage.forum, starts_at=occurred_at + dt.timedelta(days=3))
    found = incident(world, occurred_at, people=people)
    return TriageCase.objects.create(meeting=meeting, incident=found, victim=triage.victim)


def _notice(triage, case, child, sent_at, **fields):
    fields.setdefault("school", "Northtown Primary School")
    return services.record_notice(
        triage.ctx,
        case,
        child,
        school=fields["school"],
        safeguarding_lead="Ms Head",
        child_present=True,
        childs_voice="Said she hid upstairs.",
        circumstances="Shouting and a broken door.",
        sent_at=sent_at,
        no_school_reason=fields.get("no_school_reason", ""),
    )


def test_deadline_across_a_weekend_at_the_forums_school_start(world, triage):
    triage.forum.school_day_starts_at = dt.time(8, 45)
    triage.forum.save()
    friday = past_weekday(FRIDAY, 3)
    case = _case_on(triage, world, at(friday, 20, 0), [(triage.child, "child_present")])
    deadline = services.encompass_for(case).deadline
    assert deadline.due_by == at(friday + dt.timedelta(days=3), 8, 45)  # Monday, 08:45


def test_a_listed_non_school_day_is_passed_over(world, triage):
    friday = past_weekday(FRIDAY, 3)
    monday = friday + dt.timedelta(days=3)
    triage.forum.non_school_days = [monday.isoformat()]
    triage.forum.save()
    case = _case_on(triage, world, at(friday, 20, 0), [(triage.child, "child_present")])
    assert services.encompass_for(case).deadline.due_by == at(monday + dt.timedelta(days=1), 8, 0)  # default 08:00


def test_a_malformed_non_school_day_is_shown_not_guessed(world, triage):
    triage.forum.non_school_days = ["next Friday"]
    triage.forum.save()
    position = services.encompass_for(TriageCase.objects.get(pk=triage.case.pk))
    assert position.deadline is None and "not a date" in position.problem


def test_in_time_and_late(world, triage):
    friday = past_weekday(FRIDAY, 3)
    monday = friday + dt.timedelta(days=3)
    brother = f.person(world.home["mappa"], "Leo", "Example", dt.date(friday.year - 12, 6, 1))
    case = _case_on(triage, world, at(friday, 20, 0), [(triage.child, "child_present"), (brother, "child_present")])
    now = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    assert services.encompass_for(case).status(now) == (
        "Encompass notice due by " + f"{monday.day} {monday:%B %Y} at 8am",
        "yellow",
    )
    in_time = _notice(triage, case, triage.child, at(monday, 7, 59))
    assert in_time.in_time and in_time.due_by == at(monday, 8, 0)
    late = _notice(triage, case, brother, at(monday, 8, 1))
    assert not late.in_time
    position = services.encompass_for(case)
    assert position.due == [] and position.late == [late]
    assert position.status(now) == ("Encompass notice sent late", "orange")


def test_overdue_is_flagged(world, triage):
    friday = past_weekday(FRIDAY, 3)
    case = _case_on(triage, world, at(friday, 20, 0), [(triage.child, "child_present")])
    text, colour = services.encompass_for(case).status(at(friday + dt.timedelta(days=3), 8, 1))
    assert text.startswith("Encompass notice due by") and text.endswith(": overdue") and colour == "red"


def test_the_victims_children_under_18_with_a_date_of_birth(world, triage):
    friday = past_weekday(FRIDAY, 3)
    mappa = world.home["mappa"]
    son = f.person(mappa, "Sam", "Example", dt.date(friday.year - 10, 1, 1))
    grown = f.person(mappa, "Adult", "Example", dt.date(friday.year - 25, 1, 1))
    unknown = f.person(mappa, "Nodate", "Example")
    daughter = f.person(mappa, "Ivy", "Example", dt.date(friday.year - 6, 1, 1))
    Relationship.objects.create(person=son, other=triage.victim, kind="child")
    Relationship.objects.create(person=grown, other=triage.victim, kind="child")
    Relationship.objects.create(person=unknown, other=triage.victim, kind="child")
    Relationship.objects.create(person=triage.victim, other=daughter, kind="parent")
    case = _case_on(triage, world, at(friday, 20, 0))
    children = {c.person.pk: c for c in services.encompass_for(case).children}
    assert set(children) == {son.pk, daughter.pk}
    assert children[son.pk].present is None and "relationship" in children[son.pk].why


def test_a_child_before_reception_needs_no_notice(world, triage):
    friday = past_weekday(FRIDAY, 3)
    baby = f.person(world.home["mappa"], "Baby", "Example", friday - dt.timedelta(days=300))
    case = _case_on(triage, world, at(friday, 20, 0), [(baby, "child_present")])
    position = services.encompass_for(case)
    assert position.due == []
    assert position.status(at(friday, 21)) == ("No child of school age", "grey")
    assert services.encompass_for(TriageCase.objects.get(pk=triage.case.pk)).due  # Mia, 8, still due


def test_notice_checks(world, triage):
    case = triage.case
    child = triage.child
    with pytest.raises(ValidationError) as err:
        _notice(triage, case, child, None)
    assert "sent_at" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        _notice(triage, case, child, case.incident.occurred_at - dt.timedelta(minutes=1))
    assert "after the incident" in err.value.message_dict["sent_at"][0]
    with pytest.raises(ValidationError) as err:
        _notice(triage, case, child, dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
    assert "now or in the past" in err.value.message_dict["sent_at"][0]
    with pytest.raises(ValidationError) as err:
        _notice(triage, case, child, case.incident.occurred_at, school="")
    assert "school" in err.value.message_dict
    with pytest.raises(ValidationError):
        _notice(triage, case, world.people.other_offender, case.incident.occurred_at)  # not this incident's child
    _notice(triage, case, child, case.incident.occurred_at + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="already recorded"):
        _notice(triage, case, child, case.incident.occurred_at + dt.timedelta(hours=2))


def test_a_child_at_no_school(world, triage):
    notice = _notice(triage, triage.case, triage.child, None, school="", no_school_reason="Home educated.")
    assert not notice.told_school and notice.school == ""
    assert EncompassNotice.objects.get(pk=notice.pk).no_school_reason == "Home educated."
    assert services.encompass_for(triage.case).due == []
