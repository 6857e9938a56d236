"""Scheduling meetings from a forum's cadence: each cadence, idempotence, moves and cancellations, the task."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguard.access.gate import AccessRefused
from safeguard.audit.models import AuditEvent
from safeguard.meetings import tasks
from safeguard.meetings.models import Forum, Meeting
from safeguard.meetings.services import schedule
from tests.meetings.builders import mappa_forum

MONDAY = dt.date(2027, 3, 1)  # a Monday


def days(forum) -> list[dt.date]:
    return [timezone.localdate(m.starts_at) for m in Meeting.objects.filter(forum=forum).order_by("starts_at")]


@pytest.mark.parametrize(
    ("cadence", "expected"),
    [
        (Forum.Cadence.WEEKLY, [MONDAY + dt.timedelta(weeks=n) for n in range(4)]),
        (Forum.Cadence.FORTNIGHTLY, [MONDAY, MONDAY + dt.timedelta(weeks=2)]),
        (Forum.Cadence.FOUR_WEEKLY, [MONDAY]),
        (Forum.Cadence.MONTHLY, [MONDAY]),  # the 1st Monday of March; April's is the 5th, beyond 4 weeks
    ],
)
def test_each_cadence_schedules_its_days(world, ctx, cadence, expected):
    forum = mappa_forum(world, cadence=cadence, first_meeting_on=MONDAY)
    created = schedule.schedule_meetings(ctx(world.users.coordinator), forum, weeks=4, today=MONDAY)
    assert days(forum) == expected
    assert len(created) == len(expected)
    first = Meeting.objects.filter(forum=forum).order_by("starts_at").first()
    assert timezone.localtime(first.starts_at).time() == dt.time(10, 0)
    assert first.ends_at - first.starts_at == dt.timedelta(minutes=120)
    assert first.place == "Fictional Shire Police HQ"
    assert first.scheduled_for == MONDAY


def test_weekday_triage_skips_weekends(world, ctx):
    forum = mappa_forum(world, kind=Forum.Kind.DAILY_TRIAGE, cadence=Forum.Cadence.WEEKDAYS, first_meeting_on=MONDAY)
    schedule.schedule_meetings(ctx(world.users.marac), forum, weeks=2, today=MONDAY)
    scheduled = days(forum)
    assert len(scheduled) == 10
    assert all(d.weekday() < 5 for d in scheduled)


def test_scheduling_again_never_duplicates_a_day(world, ctx):
    forum = mappa_forum(world, cadence=Forum.Cadence.WEEKLY, first_meeting_on=MONDAY)
    coordinator = ctx(world.users.coordinator)
    schedule.schedule_meetings(coordinator, forum, weeks=4, today=MONDAY)
    assert schedule.schedule_meetings(coordinator, forum, weeks=4, today=MONDAY) == []
    more = schedule.schedule_meetings(coordinator, forum, weeks=6, today=MONDAY)
    assert len(more) == 2
    assert len(days(forum)) == len(set(days(forum))) == 6


def test_a_moved_or_cancelled_meeting_is_not_scheduled_again(world, ctx):
    forum = mappa_forum(world, cadence=Forum.Cadence.WEEKLY, first_meeting_on=MONDAY)
    coordinator = ctx(world.users.coordinator)
    first, second, *_ = schedule.schedule_meetings(coordinator, forum, weeks=4, today=MONDAY)
    moved_to = timezone.make_aware(dt.datetime.combine(MONDAY + dt.timedelta(days=2), dt.time(14, 0)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: timezone.make_aware(dt.datetime(2027, 2, 1, 9, 0)))
        schedule.move_meeting(
            coordinator,
            first,
            starts_at=moved_to,
            place="Probation office",
            reason="The room is booked for a trial.",
            expected_version=first.version,
        )
    schedule.cancel_meeting(coordinator, second, reason="Bank holiday in the area.", expected_version=second.version)
    assert schedule.schedule_meetings(coordinator, forum, weeks=4, today=MONDAY) == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.scheduled_for == MONDAY and timezone.localdate(first.starts_at) == MONDAY + dt.timedelta(days=2)
    assert first.ends_at - first.starts_at == dt.timedelta(minutes=120)
    assert "The room is booked for a trial." in first.status_reason
    assert second.status == Meeting.Status.CANCELLED and second.status_reason == "Bank holiday in the area."
    assert Meeting.objects.filter(forum=forum).count() == 4


def test_a_day_with_a_meeting_arranged_by_hand_is_not_given_another(world, ctx):
    forum = mappa_forum(world, cadence=Forum.Cadence.WEEKLY, first_meeting_on=MONDAY)
    Meeting.objects.create(forum=forum, starts_at=timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(16, 0))))
    created = schedule.schedule_meetings(ctx(world.users.coordinator), forum, weeks=2, today=MONDAY)
    assert [m.scheduled_for for m in created] == [MONDAY + dt.timedelta(weeks=1)]


def test_moving_needs_a_reason_a_future_time_and_a_free_day(world, ctx):
    forum = mappa_forum(world, cadence=Forum.Cadence.WEEKLY, first_meeting_on=timezone.localdate())
    coordinator = ctx(world.users.coordinator)
    first, second = schedule.schedule_meetings(coordinator, forum, weeks=2)
    later = second.starts_at + dt.timedelta(hours=2)
    with pytest.raises(ValidationError) as short:
        schedule.move_meeting(coordinator, first, starts_at=later, place="", reason="busy", expected_version=1)
    assert "reason" in short.value.message_dict
    with pytest.raises(ValidationError) as past:
        schedule.move_meeting(
            coordinator,
            first,
            starts_at=timezone.now() - dt.timedelta(days=1),
            place="",
            reason="The chair is unwell today.",
            expected_version=1,
        )
    assert "future" in past.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError) as clash:
        schedule.move_meeting(
            coordinator, first, starts_at=later, place="", reason="The chair is unwell today.", expected_version=1
        )
    assert "already has a meeting" in clash.value.message_dict["starts_at"][0]


def test_a_stale_form_cannot_move_a_meeting(world, ctx):
    forum = mappa_forum(world, cadence=Forum.Cadence.WEEKLY, first_meeting_on=timezone.localdate())
    coordinator = ctx(world.users.coordinator)
    (first,) = schedule.schedule_meetings(coordinator, forum, weeks=1)
    schedule.cancel_meeting(
        coordinator, Meeting.objects.get(pk=first.pk), reason="Chair unavailable", expected_version=1
    )
    with pytest.raises(ValidationError) as stale:
        schedule.cancel_meeting(
            coordinator, Meeting.objects.get(pk=first.pk), reason="Chair unavailable", expected_version=1
        )
    assert "cancelled" in str(stale.value)


def test_a_forum_without_a_start_time_cannot_be_scheduled(world, ctx):
    forum = mappa_forum(world, meeting_time=None)
    with pytest.raises(ValidationError) as missing:
        schedule.schedule_meetings(ctx(world.users.coordinator), forum)
    assert "the time meetings start" in str(missing.value)
    assert not Meeting.objects.filter(forum=forum).exists()


def test_only_the_coordinator_schedules(world, ctx):
    forum = mappa_forum(world)
    for who in (world.users.om, world.users.chair, world.users.partner, world.users.marac):
        with pytest.raises(AccessRefused):
            schedule.schedule_meetings(ctx(who), forum)
    assert not Meeting.objects.filter(forum=forum).exists()


def test_the_task_keeps_every_forum_scheduled_and_is_idempotent(world):
    ready = mappa_forum(world, cadence=Forum.Cadence.FORTNIGHTLY, first_meeting_on=MONDAY)
    unready = mappa_forum(world, name="No cadence yet", cadence="")
    first = schedule.keep_all_scheduled(MONDAY)
    assert first["created"] == 4 and unready.pk in first["skipped"] and world.marac.pk in first["skipped"]
    assert schedule.keep_all_scheduled(MONDAY)["created"] == 0
    assert AuditEvent.objects.filter(record_type="meetings.forum", record_id=ready.pk, purpose="system").count() == 1


def test_the_task_chains_itself_to_the_next_morning(world, settings):
    from django_tasks_db.models import DBTaskResult

    mappa_forum(world, cadence=Forum.Cadence.WEEKLY, first_meeting_on=timezone.localdate())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    summary = tasks.keep_meetings_scheduled.call(schedule_next=True)
    assert summary["created"] == 8
    queued = DBTaskResult.objects.get(task_path=tasks.TASK_PATH)
    assert queued.run_after > timezone.now()
    assert timezone.localtime(queued.run_after).time() == tasks.RUN_AT
    assert queued.args_kwargs["kwargs"] == {"schedule_next": True, "weeks": 8}


def test_the_command_starts_one_chain_only(world, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = StringIO()
    call_command("schedule_forum_meetings", stdout=out)
    call_command("schedule_forum_meetings", stdout=out)
    assert DBTaskResult.objects.filter(task_path=tasks.TASK_PATH).count() == 1
    assert "already queued" in out.getvalue()


def test_the_command_now_schedules_here(world):
    mappa_forum(world, cadence=Forum.Cadence.FORTNIGHTLY, first_meeting_on=timezone.localdate())
    out = StringIO()
    call_command("schedule_forum_meetings", "--now", stdout=out)
    assert "4 meetings scheduled across 1 forums; 1 forums skipped" in out.getvalue()


def test_next_run_is_strictly_after_now():
    zone = timezone.get_current_timezone()
    before = timezone.make_aware(dt.datetime(2027, 3, 1, 5, 0), zone)
    on_the_minute = timezone.make_aware(dt.datetime(2027, 3, 1, 5, 30), zone)
    assert timezone.localtime(tasks.next_run_after(before)).date() == dt.date(2027, 3, 1)
    assert timezone.localtime(tasks.next_run_after(on_the_minute)).date() == dt.date(2027, 3, 2)


def test_the_schedule_button(world, sign_in):
    forum = mappa_forum(world, first_meeting_on=timezone.localdate())
    client = sign_in(world.users.coordinator)
    response = client.post(reverse("meetings:schedule", kwargs={"pk": forum.pk}), {"weeks": "4"})
    assert response.status_code == 302
    page = client.get(response.url)
    assert "2 meetings scheduled for the next 4 weeks." in page.content.decode()
    again = client.post(reverse("meetings:schedule", kwargs={"pk": forum.pk}), {"weeks": "4"}, follow=True)
    assert "was scheduled already" in again.content.decode()
    bad = client.post(reverse("meetings:schedule", kwargs={"pk": forum.pk}), {"weeks": "99"})
    assert bad.status_code == 200 and "Enter a number of weeks from 1 to 52" in bad.content.decode()
