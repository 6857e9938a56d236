"""Scheduling a forum's meetings from its cadence (``rules.cadence``), and moving or cancelling one.

Each meeting made from the cadence keeps the cadence day it was made for
(``Meeting.scheduled_for``, unique per forum), so scheduling again never
makes a second meeting for a day: not when the first has been moved to
another day, not when it has been cancelled. A day on which the forum already
has a meeting (one arranged by hand, say) is not given another.

A meeting needs a start time, so a forum whose cadence, first day or start
time is not set cannot be scheduled: the coordinator is told which setting is
missing. Bank holidays are not known (``rules.cadence``): the coordinator
moves a meeting that falls on one.

The coordinator schedules with the forum page's button (through the gate);
the background task (``meetings.tasks``) keeps every forum's next
``DEFAULT_WEEKS`` weeks scheduled as a system process.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation
from safeguard.rules import cadence as cadence_rules
from safeguard.rules.working import RuleInputError

from ..models import Forum, Meeting

DEFAULT_WEEKS = 8  # the brief: keep the next 8 weeks scheduled
MAX_WEEKS = 52  # a sanity limit on one request, not guidance
MIN_REASON_LENGTH = 10


def missing_settings(forum: Forum) -> list[str]:
    """The settings a forum needs before meetings can be scheduled, in plain words."""
    missing = []
    if not forum.cadence:
        missing.append("the cadence")
    if not forum.first_meeting_on:
        missing.append("the day the cadence is counted from")
    if not forum.meeting_time:
        missing.append("the time meetings start")
    return missing


def _starts_at(forum: Forum, day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, forum.meeting_time))


def _ends_at(forum: Forum, starts_at: dt.datetime) -> dt.datetime | None:
    return starts_at + dt.timedelta(minutes=forum.meeting_minutes) if forum.meeting_minutes else None


def _taken_days(forum: Forum, from_day: dt.date, until: dt.date) -> set[dt.date]:
    """Cadence days already used by a meeting (moved or cancelled ones too), and days with any meeting."""
    taken = set(
        Meeting.objects.filter(forum=forum, scheduled_for__range=(from_day, until)).values_list(
            "scheduled_for", flat=True
        )
    )
    window = (
        timezone.make_aware(dt.datetime.combine(from_day, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min)),
    )
    for starts_at in Meeting.objects.filter(forum=forum, starts_at__gte=window[0], starts_at__lt=window[1]).values_list(
        "starts_at", flat=True
    ):
        taken.add(timezone.localdate(starts_at))
    return taken


def _create_missing(forum: Forum, from_day: dt.date, weeks: int) -> list[Meeting]:
    """The meetings the cadence asks for from ``from_day`` for ``weeks`` weeks that do not exist yet.

    Call with the forum's row locked (``gate.changing`` or ``gate.locked``), so that two runs at once cannot
    both create a day (the unique constraint on (forum, scheduled_for) would refuse the second anyway).
    """
    until = from_day + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    try:
        days = cadence_rules.meeting_days(forum.cadence, forum.first_meeting_on, from_day, until)
    except RuleInputError as err:
        raise ValidationError({"__all__": err.message}) from None
    taken = _taken_days(forum, from_day, until)
    created = []
    for day in days:
        if day in taken:
            continue
        starts_at = _starts_at(forum, day)
        created.append(
            Meeting(
                forum=forum,
                starts_at=starts_at,
                ends_at=_ends_at(forum, starts_at),
                place=forum.meeting_place,
                scheduled_for=day,
            )
        )
    return Meeting.objects.bulk_create(created)


def schedule_meetings(
    ctx: AccessContext, forum: Forum, *, weeks: int = DEFAULT_WEEKS, today: dt.date | None = None
) -> list[Meeting]:
    """The coordinator schedules the forum's meetings for the next ``weeks`` weeks; returns those created."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError({"weeks": f"Enter a number of weeks from 1 to {MAX_WEEKS}."})
    missing = missing_settings(forum)
    if missing:
        raise ValidationError(
            {"__all__": f"Meetings cannot be scheduled until the forum's settings give {', '.join(missing)}."}
        )
    today = today or timezone.localdate()
    with gate.changing(ctx, Forum, forum.pk, detail={"weeks": weeks, "from": today.isoformat()}) as change:
        created = _create_missing(change.record, today, weeks)
        change.detail["scheduled"] = [m.pk for m in created]
    return created


def keep_all_scheduled(today: dt.date, weeks: int = DEFAULT_WEEKS) -> dict:
    """Every forum's next ``weeks`` weeks scheduled (the background task); forums missing settings are skipped.

    A system process, not a person: each forum's new meetings are audited as one event by the system.
    """
    summary = {"forums": 0, "created": 0, "skipped": []}
    for forum in Forum.objects.order_by("pk"):
        if missing_settings(forum):
            summary["skipped"].append(forum.pk)
            continue
        with transaction.atomic():
            created = _create_missing(gate.locked(Forum, forum.pk), today, weeks)
            if created:
                gate.audit_system(
                    Operation.CHANGE,
                    gate.record_type_of(forum),
                    forum.pk,
                    "scheduled from the cadence",
                    {"scheduled": [m.pk for m in created], "weeks": weeks, "from": today.isoformat()},
                )
        summary["forums"] += 1
        summary["created"] += len(created)
    return summary


# Moving and cancelling --------------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": f"Give the reason (at least {MIN_REASON_LENGTH} characters)."})
    return reason


def coordinated(meeting: Meeting) -> Forum:
    """What moving or cancelling a meeting is decided on: its forum (the coordinator's, not the chair's)."""
    return meeting.forum


def _still_to_hold(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            {"__all__": f"This meeting is {meeting.get_status_display().lower()}: only a scheduled one can change."}
        )


def move_meeting(
    ctx: AccessContext,
    meeting: Meeting,
    *,
    starts_at: dt.datetime,
    place: str,
    reason: str,
    expected_version: int,
) -> Meeting:
    """Move a scheduled meeting to another day or time (and place), with the reason; the coordinator only."""
    reason = _reason(reason)
    _still_to_hold(meeting)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The new date and time must be in the future."})
    day = timezone.localdate(starts_at)
    clash = (
        Meeting.objects.filter(forum=meeting.forum)
        .exclude(pk=meeting.pk)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(
            starts_at__gte=timezone.make_aware(dt.datetime.combine(day, dt.time.min)),
            starts_at__lt=timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)),
        )
    )
    if clash.exists():
        raise ValidationError({"starts_at": "The forum already has a meeting on that day: choose another day."})
    before = timezone.localtime(meeting.starts_at)
    duration = meeting.ends_at - meeting.starts_at if meeting.ends_at else None
    meeting.starts_at = starts_at
    meeting.ends_at = starts_at + duration if duration else None
    meeting.place = place.strip()
    meeting.status_reason = f"Moved from {before:%-d %B %Y %H:%M}: {reason}"
    save_record(
        ctx,
        meeting,
        expected_version=expected_version,
        detail={"moved_from": before.isoformat(), "to": timezone.localtime(starts_at).isoformat()},
        on=coordinated,
    )
    return meeting


def cancel_meeting(ctx: AccessContext, meeting: Meeting, *, reason: str, expected_version: int) -> Meeting:
    """Cancel a scheduled meeting with the reason; its cadence day is not scheduled again."""
    reason = _reason(reason)
    _still_to_hold(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.status_reason = reason
    save_record(ctx, meeting, expected_version=expected_version, detail={"cancelled": True}, on=coordinated)
    return meeting
