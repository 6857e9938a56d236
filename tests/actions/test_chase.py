"""The daily chase: reminders and escalations at their boundaries, once each, to the right people."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from safeguard.actions import tasks
from safeguard.actions.chase import chase_actions, escalation_recipients
from safeguard.actions.models import Action, Prompt
from safeguard.audit.models import AuditEvent
from tests.actions.records import make_action


def _today() -> dt.date:
    return timezone.localdate()


def _due(aw, days_from_today: int, case=None, **kw) -> Action:
    world_case = case or aw.marac_case
    return make_action(world_case, kw.pop("agency"), _today() + dt.timedelta(days=days_from_today), **kw)


@pytest.fixture
def clean(world, aw):
    """The records without their three standing actions, so each test counts only its own."""
    Action.objects.update(status=Action.Status.CANCELLED)
    return aw


@pytest.mark.parametrize(("days", "reminded"), [(3, False), (2, True), (1, True), (0, True), (-1, True)])
def test_reminder_from_two_days_before(world, clean, days, reminded):
    action = _due(clean, days, agency=world.police, owner=world.users.om, created_by=world.users.marac)
    summary = chase_actions(_today())
    assert (Action.objects.get(pk=action.pk).reminded_on == _today()) is reminded
    assert summary["reminded"] == int(reminded)


@pytest.mark.parametrize(("days_overdue", "escalated"), [(6, False), (7, True), (8, True)])
def test_escalation_from_seven_days_overdue(world, clean, days_overdue, escalated):
    action = _due(clean, -days_overdue, agency=world.police, owner=world.users.om, created_by=world.users.marac)
    chase_actions(_today())
    assert (Action.objects.get(pk=action.pk).escalated_on == _today()) is escalated
    prompts = Prompt.objects.filter(kind=Prompt.Kind.ACTION_ESCALATED, action=action)
    assert prompts.exists() is escalated


def test_a_second_run_changes_nothing(world, clean):
    action = _due(clean, -10, agency=world.police, owner=world.users.om, created_by=world.users.marac)
    first = chase_actions(_today())
    assert first == {"reminded": 1, "escalated": 1, "prompts_raised": 1}
    events = AuditEvent.objects.count()
    assert chase_actions(_today()) == {"reminded": 0, "escalated": 0, "prompts_raised": 0}
    assert AuditEvent.objects.count() == events
    assert Prompt.objects.filter(action=action).count() == 1


def test_the_forums_own_settings_are_used(world, clean):
    world.marac.action_escalate_days_overdue = 3
    world.marac.action_reminder_days_before = 0
    world.marac.save()
    early = _due(clean, 1, agency=world.police, owner=world.users.om, created_by=world.users.marac)
    late = _due(clean, -3, agency=world.police, owner=world.users.om, created_by=world.users.marac)
    chase_actions(_today())
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.reminded_on is None  # a reminder on the day only
    assert late.escalated_on == _today()


def test_closed_actions_are_not_chased(world, clean):
    done = _due(clean, -10, agency=world.police, owner=world.users.om, created_by=world.users.marac)
    Action.objects.filter(pk=done.pk).update(status=Action.Status.COMPLETE, completed_on=_today())
    assert chase_actions(_today()) == {"reminded": 0, "escalated": 0, "prompts_raised": 0}


def test_escalated_to_the_chair_of_the_last_held_meeting(world, clean):
    action = _due(
        clean, -9, case=clean.mappa_case, agency=world.police, owner=world.users.om, created_by=world.users.coordinator
    )
    chase_actions(_today())
    prompt = Prompt.objects.get(kind=Prompt.Kind.ACTION_ESCALATED, action=action)
    assert prompt.assigned_to == world.users.chair and prompt.person == world.people.offender
    assert f"Action {action.pk}" in prompt.reasons[0] and "9 days overdue" in prompt.reasons[0]


def test_without_a_held_meeting_the_forums_coordinators_then_the_areas(world, clean):
    assert escalation_recipients(world.marac) == [world.users.marac]  # the area's MARAC coordinator
    world.marac.coordinators.set([world.users.coordinator])
    assert escalation_recipients(world.marac) == [world.users.coordinator]  # listed on the forum


def test_two_overdue_actions_of_one_person_share_the_chairs_prompt(world, clean):
    one = _due(
        clean, -8, case=clean.mappa_case, agency=world.police, owner=world.users.om, created_by=world.users.chair
    )
    two = _due(clean, -12, case=clean.mappa_case, agency=world.probation, created_by=world.users.chair)
    summary = chase_actions(_today())
    assert summary["escalated"] == 2 and summary["prompts_raised"] == 1
    prompt = Prompt.objects.get(kind=Prompt.Kind.ACTION_ESCALATED, assigned_to=world.users.chair, closed_on=None)
    assert len(prompt.reasons) == 2
    assert {f"Action {one.pk}" in r or f"Action {two.pk}" in r for r in prompt.reasons} == {True}


def test_the_command_runs_now_and_says_no_email_is_sent(world, clean):
    _due(clean, -10, agency=world.police, owner=world.users.om, created_by=world.users.marac)
    out = StringIO()
    call_command("chase_actions", "--now", stdout=out)
    assert "1 reminded, 1 escalated" in out.getvalue() and "No e-mail is sent" in out.getvalue()


def test_the_task_runs(world, clean):
    _due(clean, 1, agency=world.police, owner=world.users.om, created_by=world.users.marac)
    result = tasks.chase_actions.enqueue()
    assert result.status == "SUCCESSFUL" and result.return_value["reminded"] == 1


def test_the_command_starts_one_daily_chain_only(world, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = StringIO()
    call_command("chase_actions", stdout=out)
    call_command("chase_actions", stdout=out)
    queued = DBTaskResult.objects.filter(task_path="safeguard.actions.tasks.chase_actions")
    assert queued.count() == 1 and queued.get().args_kwargs["kwargs"] == {"schedule_next": True}
    assert queued.get().run_after == tasks.next_run_after(timezone.now(), tasks.CHASE_AT)
    assert "already scheduled" in out.getvalue()


def test_next_run_times():
    london = dt.timezone(dt.timedelta(0))
    before = dt.datetime(2026, 11, 23, 6, 14, tzinfo=london)
    at = dt.datetime(2026, 11, 23, 6, 15, tzinfo=london)
    assert timezone.localtime(tasks.next_run_after(before, tasks.CHASE_AT)).date() == dt.date(2026, 11, 23)
    assert timezone.localtime(tasks.next_run_after(at, tasks.CHASE_AT)).date() == dt.date(2026, 11, 24)
