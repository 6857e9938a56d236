"""Loading the day's incidents: idempotent, once per incident, the victim, adding by hand, opening the day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguard.access.gate import AccessContext
from safeguard.audit.models import AuditEvent, Outcome
from safeguard.meetings.models import Forum, ForumCase, Meeting
from safeguard.triage import services
from safeguard.triage.models import TriageCase

from .builders import at, incident, past_weekday, triage_forum

TUESDAY = 1


@pytest.fixture
def setup(world):
    forum = triage_forum(world)
    forum.member_agencies.set([world.police, world.housing])
    day = past_weekday(TUESDAY)
    return forum, day, AccessContext.system(world.users.marac)


def test_loading_twice_adds_nothing_the_second_time(world, setup):
    forum, day, ctx = setup
    meeting = Meeting.objects.create(forum=forum, starts_at=at(day))
    first = incident(world, at(day, 1, 0), people=[(world.people.victim, "victim")])
    incident(world, at(day, 2, 0))
    assert len(services.load(ctx, meeting).added) == 2
    assert services.load(ctx, meeting).added == []
    later = incident(world, at(day, 8, 0))  # recorded after the first load, still in the window
    assert [c.incident for c in services.load(ctx, meeting).added] == [later]
    assert TriageCase.objects.filter(meeting=meeting).count() == 3
    assert TriageCase.objects.get(incident=first).victim == world.people.victim


def test_an_incident_is_triaged_once_on_the_first_meeting_whose_window_holds_it(world, setup):
    forum, day, ctx = setup
    morning = Meeting.objects.create(forum=forum, starts_at=at(day, 9, 30))
    extra = Meeting.objects.create(forum=forum, starts_at=at(day, 11, 0))  # windows overlap
    early = incident(world, at(day, 8, 0))
    between = incident(world, at(day, 10, 0))
    services.load(ctx, morning)
    added = services.load(ctx, extra).added
    assert [c.incident for c in added] == [between]
    assert TriageCase.objects.get(incident=early).meeting == morning


def test_an_incident_without_a_victim_is_still_triaged(world, setup):
    forum, day, ctx = setup
    meeting = Meeting.objects.create(forum=forum, starts_at=at(day))
    incident(world, at(day, 3, 0), people=[(world.people.offender, "perpetrator")])
    (case,) = services.load(ctx, meeting).added
    assert case.victim is None


def test_loading_is_audited_and_needs_the_coordinator(world, setup):
    from safeguard.access.gate import AccessRefused

    forum, day, ctx = setup
    meeting = Meeting.objects.create(forum=forum, starts_at=at(day))
    incident(world, at(day, 3, 0))
    (case,) = services.load(ctx, meeting).added
    assert AuditEvent.objects.filter(
        record_type="triage.triagecase", record_id=case.pk, actor_id=world.users.marac.pk, outcome=Outcome.ALLOWED
    ).exists()
    with pytest.raises(AccessRefused):
        services.load(AccessContext.system(world.users.partner), meeting)


def test_adding_by_hand(world, setup):
    forum, day, ctx = setup
    meeting = Meeting.objects.create(forum=forum, starts_at=at(day))
    old = incident(world, at(day - dt.timedelta(days=5), 22, 0))
    with pytest.raises(ValidationError) as err:
        services.add_by_hand(ctx, meeting, reference=old.reference, reason="")
    assert "reason" in err.value.message_dict
    case = services.add_by_hand(ctx, meeting, reference=old.reference.lower(), reason="Recorded late by the force.")
    assert case.meeting == meeting and case.added_by_hand_reason == "Recorded late by the force."
    with pytest.raises(ValidationError) as err:
        services.add_by_hand(ctx, meeting, reference=old.reference, reason="Recorded late by the force.")
    assert "already on the triage" in err.value.message_dict["reference"][0]
    not_da = incident(world, at(day, 3, 0), domestic_abuse=False)
    with pytest.raises(ValidationError) as err:
        services.add_by_hand(ctx, meeting, reference=not_da.reference, reason="Believed domestic abuse.")
    assert "not marked as domestic abuse" in err.value.message_dict["reference"][0]


def test_a_reference_the_user_may_not_see_is_answered_as_unknown_and_audited(world, setup):
    forum, day, ctx = setup
    meeting = Meeting.objects.create(forum=forum, starts_at=at(day))
    away = incident(world, at(day, 3, 0), local_area=world.away["local"][0])
    forum.coordinators.add(world.users.partner)  # a coordinator who may not see the away incident
    partner = AccessContext.system(world.users.partner)
    with pytest.raises(ValidationError) as hidden:
        services.add_by_hand(partner, meeting, reference=away.reference, reason="Neighbouring force's incident.")
    with pytest.raises(ValidationError) as unknown:
        services.add_by_hand(partner, meeting, reference="NO/SUCH/1", reason="Neighbouring force's incident.")
    assert hidden.value.message_dict["reference"] == unknown.value.message_dict["reference"]
    assert AuditEvent.objects.filter(
        record_type="events.incident", record_id=away.pk, actor_id=world.users.partner.pk, outcome=Outcome.REFUSED
    ).exists()


def test_opening_the_day(world, setup):
    forum, day, ctx = setup
    incident(world, at(day, 4, 0))
    loaded = services.open_day(ctx, forum, day)
    assert loaded.meeting.starts_at == at(day) and loaded.meeting.place == forum.meeting_place
    assert loaded.meeting.ends_at == at(day, 10, 30)
    assert len(loaded.added) == 1
    again = services.open_day(ctx, forum, day)
    assert again.meeting == loaded.meeting and again.added == []
    assert Meeting.objects.filter(forum=forum).count() == 1


def test_a_day_the_forum_does_not_meet_or_cannot(world, setup):
    forum, day, ctx = setup
    saturday = day + dt.timedelta(days=4)
    with pytest.raises(ValidationError, match="does not meet"):
        services.open_day(ctx, forum, saturday)
    assert services.day_of(forum, saturday).next_day == saturday + dt.timedelta(days=2)
    forum.meeting_time = None
    forum.save()
    with pytest.raises(ValidationError, match="meeting time"):
        services.open_day(ctx, forum, day)


def test_the_victim_and_children_are_on_the_triage_forum_until_the_triage_is_done(world, triage):
    forum, case = triage.forum, triage.case
    open_people = set(ForumCase.objects.filter(forum=forum, closed_on=None).values_list("person_id", flat=True))
    assert open_people == {triage.victim.pk, triage.child.pk}
    ctx = triage.ctx
    services.grade_case(ctx, case, grade="amber", reason="", expected_version=case.version)
    closed = services.close_meeting(ctx, triage.meeting, expected_version=triage.meeting.version)
    assert closed.unfinished == 1  # graded, but no outcome yet: still open
    assert ForumCase.objects.filter(forum=forum, closed_on=None).count() == 2
    case.refresh_from_db()
    services.record_no_further_action(
        ctx, case, reason="Both parties safe; advice given.", expected_version=case.version
    )
    assert not ForumCase.objects.filter(forum=forum, closed_on=None).exists()
    assert Forum.objects.get(pk=forum.pk).cases.count() == 2


def test_a_cancelled_or_moved_day_is_not_opened_again(world, setup):
    forum, day, ctx = setup
    Meeting.objects.create(
        forum=forum, starts_at=at(day), scheduled_for=day, status=Meeting.Status.CANCELLED, status_reason="Bank holiday"
    )
    with pytest.raises(ValidationError, match="cancelled: Bank holiday"):
        services.open_day(ctx, forum, day)
    following = day + dt.timedelta(days=1)
    Meeting.objects.create(forum=forum, starts_at=at(following + dt.timedelta(days=1)), scheduled_for=following)
    assert "moved to" in services.day_of(forum, following).note
    assert not services.day_of(forum, following).meets


def test_an_opened_day_keeps_its_cadence_day_for_the_scheduler(world, setup):
    forum, day, ctx = setup
    assert services.open_day(ctx, forum, day).meeting.scheduled_for == day
