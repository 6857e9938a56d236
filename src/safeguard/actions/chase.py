"""Chasing open actions: the daily task's use case (``tasks.chase_actions``), also callable by hand.

For each open action the pure rule ``safeguard.rules.actions.chase`` says,
with its forum's settings (``Forum.action_reminder_days_before`` and
``Forum.action_escalate_days_overdue``), whether a reminder or an escalation
is due today:

- a **reminder** marks ``reminded_on``; the action then shows on its owner's
  "my work" (and, for a partner agency's action with no named owner, on the
  agency's staff's) tagged "due soon" until it is done or overdue. Safeguard
  sends no e-mail: the reminder is what "my work" shows at sign-in;
- an **escalation** marks ``escalated_on`` and puts "an action is overdue and
  escalated to you" on the "my work" of the chair of the forum's most recent
  held meeting; when the forum has held no meeting with a chair, of the
  forum's listed coordinators; failing those, of the area's coordinators for
  that kind of forum (the access policy's ``COORDINATOR_ROLE_FOR_FORUM``).

Idempotent: each is done once per action (the dates are only set when empty),
so running it twice in a day, or again after a failure, changes nothing more.
A new due date (``services.change_due_date``) clears both, so the new date is
chased afresh.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.policy import COORDINATOR_ROLE_FOR_FORUM
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum, Meeting
from safeguard.rules import actions as rules
from safeguard.workforce.models import Agency, Role, Staff

from .models import Action, Prompt
from .prompts import raise_prompt

CHUNK = 900  # ids per UPDATE (within SQLite's variable limit)


def escalation_recipients(forum: Forum) -> list[Staff]:
    """Who an overdue action of this forum is escalated to (see the module docstring)."""
    meeting = (
        Meeting.objects.filter(forum=forum, status=Meeting.Status.HELD, chair__isnull=False, chair__is_active=True)
        .select_related("chair")
        .order_by("-starts_at", "-pk")
        .first()
    )
    if meeting is not None:
        return [meeting.chair]
    listed = list(forum.coordinators.filter(is_active=True).order_by("pk"))
    if listed:
        return listed
    role = COORDINATOR_ROLE_FOR_FORUM.get(forum.kind)
    if role is None:
        return []
    staff = Staff.objects.filter(
        Q(agency__area_id=forum.area_id) | Q(agency__area__parent_id=forum.area_id),
        is_active=True,
        roles__icontains=f'"{role.value}"',
    )
    if role != Role.MARAC_COORDINATOR:
        staff = staff.filter(agency__kind__in=list(Agency.RESPONSIBLE_AUTHORITY))
    return list(staff.order_by("pk"))


def _reason(action: Action, days_overdue: int) -> str:
    text = action.description if len(action.description) <= 120 else action.description[:117] + "..."
    return (
        f"Action {action.pk} for {action.owner_agency}, due {action.due_on:%-d %B %Y}, "
        f"{days_overdue} day{'s' if days_overdue != 1 else ''} overdue: {text}"
    )


def chase_actions(today: dt.date | None = None, ctx: AccessContext | None = None) -> dict:
    """Remind and escalate every open action that needs it today; returns the counts."""

    today = today or timezone.localdate()
    ctx = ctx or gate.system_context()
    forums = {f.pk: f for f in Forum.objects.all()}
    if not forums:
        return {"reminded": 0, "escalated": 0, "prompts_raised": 0}
    bounds = Forum.objects.aggregate(
        remind=Max("action_reminder_days_before"), escalate=Min("action_escalate_days_overdue")
    )
    # Only the actions that may need something today: the rule then decides each with its own forum's settings.
    candidates = Action.objects.filter(status__in=list(Action.OPEN_STATUSES)).filter(
        Q(reminded_on=None, due_on__lte=today + dt.timedelta(days=bounds["remind"] or 0))
        | Q(escalated_on=None, due_on__lte=today - dt.timedelta(days=bounds["escalate"] or 0))
    )
    remind, escalate = [], []
    for pk, forum_id, status, due_on, reminded_on, escalated_on in candidates.values_list(
        "pk", "forum_id", "status", "due_on", "reminded_on", "escalated_on"
    ).iterator(chunk_size=5_000):
        forum = forums[forum_id]
        answer = rules.chase(
            status,
            due_on,
            today,
            reminded_on=reminded_on,
            escalated_on=escalated_on,
            remind_days_before=forum.action_reminder_days_before,
            escalate_days_overdue=forum.action_escalate_days_overdue,
        )
        if answer.remind:
            remind.append(pk)
        if answer.escalate:
            escalate.append((pk, answer.days_overdue))
    reminded = 0
    with transaction.atomic():
        for start in range(0, len(remind), CHUNK):
            reminded += Action.objects.filter(pk__in=remind[start : start + CHUNK], reminded_on=None).update(
                reminded_on=today
            )
    escalated = raised = 0
    recipients: dict[int, list[Staff]] = {}
    for pk, days_overdue in escalate:
        with transaction.atomic():
            if not Action.objects.filter(pk=pk, escalated_on=None).update(escalated_on=today):
                continue  # escalated already (another run got there first)
            action = Action.objects.select_related("owner_agency").get(pk=pk)
            forum = forums[action.forum_id]
            if forum.pk not in recipients:
                recipients[forum.pk] = escalation_recipients(forum)
            told = []
            for chair in recipients[forum.pk]:
                reason = _reason(action, days_overdue)
                existing = Prompt.objects.filter(
                    kind=Prompt.Kind.ACTION_ESCALATED, assigned_to=chair, person_id=action.person_id, closed_on=None
                ).first()
                reasons = list(existing.reasons) if existing else []
                if reason not in reasons:
                    reasons.append(reason)
                _prompt, new = raise_prompt(
                    ctx,
                    kind=Prompt.Kind.ACTION_ESCALATED,
                    assigned_to=chair,
                    person=action.person,
                    reasons=reasons,
                    action=action,
                )
                raised += new
                told.append(chair.pk)
            gate.audit_allowed(ctx, Operation.CHANGE, action, "escalated by the daily task", {"escalated_to": told})
            escalated += 1
    return {"reminded": reminded, "escalated": escalated, "prompts_raised": raised}


def pending_daily_run() -> bool:
    """Whether the daily chase is already queued (database backend only)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return False
    return DBTaskResult.objects.filter(task_path="safeguard.actions.tasks.chase_actions", status="READY").exists()
