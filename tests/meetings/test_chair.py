"""The chair chosen from eligible staff: each refusal reason, the reason an eligible chair qualifies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.access.gate import AccessRefused
from safeguard.demo import factories as f
from safeguard.meetings.models import Forum, Meeting
from safeguard.meetings.services import chair as chair_services
from safeguard.meetings.services import running
from safeguard.workforce.models import Course, Role, TrainingCompletion
from tests.meetings.builders import at, mappa_forum, train_chair


@pytest.fixture
def meeting(world):
    return Meeting.objects.create(forum=mappa_forum(world), starts_at=at(timezone.localdate() + dt.timedelta(days=7)))


def test_an_eligible_chair_is_set_with_the_reason_they_qualify(world, ctx, meeting):
    train_chair(world.users.chair, world.users.supervisor)
    chair_services.set_chair(ctx(world.users.coordinator), meeting, world.users.chair, expected_version=1)
    meeting.refresh_from_db()
    assert meeting.chair == world.users.chair and meeting.version == 2
    assert meeting.chair_reason.startswith(
        "Senior Probation Officer (SPO), treated as Inspector: Level 2 chairs need Inspector or above (area setting)"
    )
    assert "MAPPA chair training and CPD counting on" in meeting.chair_reason


def test_a_chair_without_chair_training_is_refused_with_the_reason(world, ctx, meeting):
    with pytest.raises(ValidationError) as refused:
        chair_services.set_chair(ctx(world.users.coordinator), meeting, world.users.chair, expected_version=1)
    reason = refused.value.message_dict["chair"][0]
    assert reason.startswith("May not chair Level 2 meetings on")
    assert "MAPPA chair training and CPD: not completed" in reason
    meeting.refresh_from_db()
    assert meeting.chair is None and meeting.version == 1


def test_a_level_3_forum_needs_the_level_3_rank(world, ctx):
    forum = mappa_forum(world, name="Level 3", kind=Forum.Kind.MAPPA_LEVEL_3)
    meeting = Meeting.objects.create(forum=forum, starts_at=at(timezone.localdate() + dt.timedelta(days=7)))
    train_chair(world.users.chair, world.users.supervisor)
    option = chair_services.assess(forum, world.users.chair, timezone.localdate())
    assert not option.eligible and "Chairing Level 3 meetings needs Chief Inspector or above" in option.reason
    ci = f.staff("ci", world.police, [Role.CHAIR], rank="Detective Chief Inspector")
    train_chair(ci, world.users.supervisor)
    chair_services.set_chair(ctx(world.users.coordinator), meeting, ci, expected_version=1)
    assert Meeting.objects.get(pk=meeting.pk).chair_reason.startswith("Chief Inspector: Level 3 chairs need")


def test_only_chairs_of_the_area_may_chair(world, meeting):
    train_chair(world.users.om, world.users.supervisor)
    not_a_chair = chair_services.assess(meeting.forum, world.users.om, timezone.localdate())
    assert not not_a_chair.eligible and not_a_chair.reason.startswith("Not a chair of this MAPPA area")
    elsewhere = f.staff("away_chair", world.away["mappa"].agencies.first(), [Role.CHAIR], rank="Chief Inspector")
    train_chair(elsewhere, world.users.supervisor)
    assert not chair_services.assess(meeting.forum, elsewhere, timezone.localdate()).eligible


def test_the_forum_may_require_a_further_course(world, meeting):
    forum = meeting.forum
    forum.chair_courses = ["da_cpd"]
    forum.save()
    train_chair(world.users.chair, world.users.supervisor)
    option = chair_services.assess(forum, world.users.chair, timezone.localdate())
    assert not option.eligible
    assert "Domestic abuse CPD: not counting on the day; this forum's chair must hold it" in option.reason
    TrainingCompletion.objects.create(
        staff=world.users.chair,
        course=Course.objects.get(code="da_cpd"),
        completed_on=timezone.localdate() - dt.timedelta(days=5),
        recorded_by=world.users.supervisor,
    )
    assert chair_services.assess(forum, world.users.chair, timezone.localdate()).eligible


def test_competence_is_judged_on_the_meeting_day(world, ctx, meeting):
    meeting_day = timezone.localdate(meeting.starts_at)
    completion = train_chair(world.users.chair, world.users.supervisor)
    completion.expires_on = meeting_day  # no longer counts on the day of the meeting
    completion.save()
    assert chair_services.assess(meeting.forum, world.users.chair, timezone.localdate()).eligible
    with pytest.raises(ValidationError) as refused:
        chair_services.set_chair(ctx(world.users.coordinator), meeting, world.users.chair, expected_version=1)
    assert "expired on" in refused.value.message_dict["chair"][0]
    completion.expires_on = meeting_day + dt.timedelta(days=1)
    completion.save()
    chair_services.set_chair(ctx(world.users.coordinator), meeting, world.users.chair, expected_version=1)


def test_a_meeting_whose_chair_has_lapsed_does_not_start(world, ctx):
    forum = mappa_forum(world)
    meeting = Meeting.objects.create(forum=forum, starts_at=at(timezone.localdate()), chair=world.users.chair)
    with pytest.raises(ValidationError) as refused:
        running.start_meeting(ctx(world.users.coordinator), meeting, expected_version=1)
    assert "The chair is no longer eligible" in str(refused.value)
    meeting.chair = None
    meeting.save(update_fields=["chair"])  # the guard reads the meeting's row as locked, not the caller's copy
    with pytest.raises(ValidationError) as none:
        running.start_meeting(ctx(world.users.coordinator), meeting, expected_version=1)
    assert "Set the chair" in str(none.value)


def test_only_the_coordinator_sets_the_chair(world, ctx, meeting):
    train_chair(world.users.chair, world.users.supervisor)
    for who in (world.users.chair, world.users.om, world.users.marac):
        with pytest.raises(AccessRefused):
            chair_services.set_chair(ctx(who), meeting, world.users.chair, expected_version=1)


def test_the_chair_page_lists_every_chair_and_refuses_an_ineligible_one(world, sign_in, meeting):
    ci = f.staff("ci", world.police, [Role.CHAIR], rank="Chief Inspector", first="Carys", last="Inspector")
    train_chair(ci, world.users.supervisor)
    client = sign_in(world.users.coordinator)
    url = reverse("meetings:chair", kwargs={"pk": meeting.pk})
    page = client.get(url).content.decode()
    assert "Carys Inspector" in page and "Eligible" in page and "Not eligible" in page
    refused = client.post(url, {"version": 1, "chair": world.users.chair.pk})
    body = refused.content.decode()
    assert refused.status_code == 200 and "There is a problem" in body
    assert "MAPPA chair training and CPD: not completed" in body
    done = client.post(url, {"version": 1, "chair": ci.pk})
    assert done.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).chair == ci


def test_the_marac_coordinator_chooses_the_marac_chair(world, ctx):
    meeting = Meeting.objects.create(forum=world.marac, starts_at=at(timezone.localdate() + dt.timedelta(days=7)))
    ci = f.staff("ci", world.police, [Role.CHAIR], rank="Detective Inspector")
    train_chair(ci, world.users.supervisor)
    chair_services.set_chair(ctx(world.users.marac), meeting, ci, expected_version=1)
    assert Meeting.objects.get(pk=meeting.pk).chair == ci


def test_a_forum_without_a_chair_level_needs_a_chair_of_the_area_and_its_own_courses_only(world):
    forum = world.marac
    ci = f.staff("di", world.police, [Role.CHAIR], rank="Detective Inspector")
    option = chair_services.assess(forum, ci, timezone.localdate())
    assert option.eligible and "the forum sets no MAPPA chair level, so no rank" in option.reason
    assert "MAPPA chair training" not in option.reason
    forum.chair_courses = ["da_cpd"]
    assert not chair_services.assess(forum, ci, timezone.localdate()).eligible
