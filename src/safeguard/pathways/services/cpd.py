"""Chairs' and panel members' CPD: events an area runs, who attended, and (where the event says so) the
attendance counted as a completion of its course in competence (``workforce.competence``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.rules.competence import Completion
from safeguard.workforce.models import Course, Staff

from ..models import CpdAttendance, CpdEvent


def record_event(
    ctx: AccessContext,
    *,
    course: Course,
    title: str,
    audience: str,
    held_on: dt.date,
    hours: Decimal,
    delivered_by: str,
    counts_in_competence: bool,
) -> CpdEvent:
    """A CPD event of the user's MAPPA area (their supervisors and MAPPA coordinators record it)."""
    if held_on > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError({"held_on": "The date must be within the next year."})
    if hours <= 0:
        raise ValidationError({"hours": "Enter the length of the session in hours, like 2.5."})
    event = CpdEvent(
        area_id=ctx.user.mappa_area_id,
        course=course,
        title=title.strip(),
        audience=audience,
        held_on=held_on,
        hours=hours,
        delivered_by=delivered_by.strip(),
        counts_in_competence=counts_in_competence,
        recorded_by=ctx.user,
    )
    return save_record(ctx, event, reason="CPD event recorded", detail={"course": course.code})


def record_attendance(ctx: AccessContext, event: CpdEvent, *, staff: Staff) -> CpdAttendance:
    """A member of staff of the event's area attended it (once), on a day that has come."""
    if event.held_on > timezone.localdate():
        raise ValidationError({"staff": "Record attendance on or after the day of the event."})
    if staff.mappa_area_id != event.area_id:
        raise ValidationError({"staff": "Choose a member of staff of the event's area."})
    if event.attendance.filter(staff=staff).exists():
        raise ValidationError({"staff": "Their attendance is already recorded."})
    return save_record(
        ctx,
        CpdAttendance(event=event, staff=staff, recorded_by=ctx.user),
        reason="Attended",
        detail={"event": event.pk},
    )


def counted_completions(staff_ids: Iterable[int]) -> list[tuple[int, Completion]]:
    """Attendance at events that count in competence, as completions of their course on the day."""
    rows = CpdAttendance.objects.filter(staff_id__in=list(staff_ids), event__counts_in_competence=True).values_list(
        "staff_id", "event__course__code", "event__held_on"
    )
    return [(staff_id, Completion(course=code, completed_on=held_on)) for staff_id, code, held_on in rows]
