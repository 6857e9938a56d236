"""Running a meeting at the pace of the meeting: many records in one go, all or nothing.

- ``record_attendance_list``: the attendance ticked on one form (the people expected, by agency, and any others
  named), one transaction, each attendance audited as its own record.
- ``defer_cases``: several cases deferred with one reason, each through the gate and audited, all or none.
- ``end_meeting``: end the meeting (held), after deferring the cases still listed with one reason when the
  chair chose to (the page asked first and listed them).
- ``reopen_meeting``: a held meeting back in progress within the forum's window, minutes not issued
  (``rules.reopening``).
- ``expected_people``: who the attendance form offers (the chair, the forum's coordinators, and whoever attended
  the forum's last held meeting).

Who: whoever may run the meeting (``policy.may_run_meeting``), decided by the gate for each record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record

from ..models import AgendaItem, Attendance, Meeting
from .running import MIN_TEXT, require_in_progress


@dataclass(frozen=True)
class Expected:
    """Someone the attendance form offers: a key for the form, their agency, name and role (staff when known)."""

    key: str
    agency_id: int
    name: str
    role: str = ""
    staff_id: int | None = None


def _staff_expected(user, role: str) -> Expected | None:
    if user is None or not user.agency_id:
        return None
    return Expected(f"staff:{user.pk}", user.agency_id, user.get_full_name() or user.username, role, user.pk)


def expected_people(meeting: Meeting) -> list[Expected]:
    """The chair, the forum's coordinators, and the people at the forum's last held meeting, once each, for the
    forum's member agencies, less anyone already recorded at this meeting."""
    forum = meeting.forum
    members = set(forum.member_agencies.values_list("pk", flat=True))
    found: list[Expected] = []
    for user, role in [(meeting.chair, "Chair"), *((c, "Coordinator") for c in forum.coordinators.all())]:
        if (person := _staff_expected(user, role)) is not None:
            found.append(person)
    last = (
        Meeting.objects.filter(forum=forum, status=Meeting.Status.HELD, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )
    if last is not None:
        for row in last.attendance.filter(present=True).order_by("agency__name", "name"):
            key = f"staff:{row.staff_id}" if row.staff_id else f"name:{row.agency_id}:{row.name}"
            found.append(Expected(key, row.agency_id, row.name, row.role, row.staff_id))
    recorded = {
        (f"staff:{a.staff_id}" if a.staff_id else f"name:{a.agency_id}:{a.name}") for a in meeting.attendance.all()
    }
    seen: set[str] = set()
    shown = []
    for person in found:
        if person.key in seen or person.key in recorded or person.agency_id not in members:
            continue
        seen.add(person.key)
        shown.append(person)
    return shown


@dataclass(frozen=True)
class Entry:
    """One line of the attendance: who, for which agency, present or sending apologies."""

    agency_id: int
    name: str
    role: str = ""
    present: bool = True
    staff_id: int | None = None


def record_attendance_list(ctx: AccessContext, meeting: Meeting, entries: list[Entry]) -> list[Attendance]:
    """Everyone ticked on the attendance form, recorded together: every line checked first, then each saved and
    audited in one transaction (nothing is recorded if any line is refused)."""
    if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS):
        raise ValidationError({"__all__": "Attendance can only be recorded before or during the meeting."})
    if not entries:
        raise ValidationError({"__all__": "Tick the people present or sending apologies, or name someone."})
    members = set(meeting.forum.member_agencies.values_list("pk", flat=True))
    if any(e.agency_id not in members for e in entries):
        raise ValidationError({"__all__": "Record attendance only for the forum's member agencies."})
    if any(not e.name.strip() for e in entries):
        raise ValidationError({"__all__": "Enter each person's name as signed on the attendance list."})
    saved = []
    with transaction.atomic():
        for entry in entries:
            attendance = Attendance(
                meeting=meeting,
                agency_id=entry.agency_id,
                staff_id=entry.staff_id,
                name=entry.name.strip()[:160],
                role=entry.role.strip()[:120],
                present=entry.present,
            )
            save_record(ctx, attendance, detail={"meeting": meeting.pk, "present": entry.present, "list": True})
            saved.append(attendance)
    return saved


def _reason(reason: str, field: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_TEXT:
        raise ValidationError({field: f"Enter why the cases are deferred (at least {MIN_TEXT} characters)."})
    return reason


def _defer(ctx: AccessContext, meeting: Meeting, item_ids: list[int], reason: str) -> list[AgendaItem]:
    deferred = []
    for pk in item_ids:
        with gate.changing(ctx, AgendaItem, pk, detail={"outcome": "deferred", "together": len(item_ids)}) as ch:
            item = ch.record
            if item.meeting_id != meeting.pk or item.outcome != AgendaItem.Outcome.LISTED:
                raise ValidationError({"items": "Choose only cases of this meeting still to be discussed."})
            item.outcome = AgendaItem.Outcome.DEFERRED
            item.summary = reason
            item.next_review_on = None
            ch.save()
            deferred.append(item)
    return deferred


def defer_cases(ctx: AccessContext, meeting: Meeting, *, item_ids: list[int], reason: str) -> list[AgendaItem]:
    """Defer the chosen cases, each with the same reason; all of them or, on any refusal, none."""
    require_in_progress(meeting)
    if not item_ids:
        raise ValidationError({"items": "Choose the cases to defer."})
    reason = _reason(reason, "reason")
    with transaction.atomic():
        return _defer(ctx, meeting, sorted(set(item_ids)), reason)


@dataclass(frozen=True)
class Ended:
    meeting: Meeting
    deferred: int


def end_meeting(ctx: AccessContext, meeting: Meeting, *, expected_version: int, defer_listed_with: str = "") -> Ended:
    """End the meeting (held). With ``defer_listed_with``, the cases still listed are deferred with that reason
    first, in the same transaction; without it, every case must already be heard or deferred."""
    with transaction.atomic():
        deferred: list[AgendaItem] = []
        if defer_listed_with.strip():
            require_in_progress(meeting)
            reason = _reason(defer_listed_with, "defer_reason")
            listed = list(
                meeting.items.filter(outcome=AgendaItem.Outcome.LISTED)
                .order_by("position")
                .values_list("pk", flat=True)
            )
            deferred = _defer(ctx, meeting, listed, reason)
        with gate.changing(ctx, Meeting, meeting.pk, expected_version, detail={"ended": True}) as change:
            current = change.record
            change.detail["deferred_at_end"] = len(deferred)
            current.end(still_listed=current.items.filter(outcome=AgendaItem.Outcome.LISTED).count())
            change.save()
    return Ended(change.record, len(deferred))


def reopen_meeting(ctx: AccessContext, meeting: Meeting, *, expected_version: int) -> Meeting:
    """A held meeting back in progress, within the forum's window and before its minutes are issued."""
    with gate.changing(ctx, Meeting, meeting.pk, expected_version, related=("forum",), detail={"reopened": True}) as ch:
        ch.record.reopen()
        ch.save()
    return ch.record
