"""Choosing a meeting's chair from eligible staff (``workforce.competence``), refusing an ineligible one.

Who may chair a forum's meetings, on the meeting day:

- a chair of the forum's MAPPA area (``competence.chair_candidates``: active
  staff of its Responsible Authority agencies holding the chair role);
- eligible to chair the forum's MAPPA level (``competence.chair_refusal``:
  the area's chair rank for the level and the chair training), where the
  forum has a level: its own ``chair_level``, else its type's (Level 2 or 3);
  a forum with neither sets no rank, and the page says so;
- holding the forum's own ``chair_courses`` as well, counting on the day.

Competence is worked out for the meeting day, not today: a course that stops
counting before the meeting makes the chair ineligible for it. The reason an
eligible chair qualifies is kept on the meeting (``Meeting.chair_reason``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation
from safeguard.rules.competence import COURSES, POLICE_RANKS, PROBATION_GRADES
from safeguard.workforce import competence as workforce_competence
from safeguard.workforce.models import AreaSettings, Staff

from ..models import Meeting
from .agenda import meeting_day
from .forums import chair_level_for

REASON_LENGTH = Meeting._meta.get_field("chair_reason").max_length


@dataclass(frozen=True)
class ChairOption:
    staff: Staff
    eligible: bool
    reason: str  # why they qualify, or why they may not chair


def _rank_label(code: str | None) -> str:
    if code is None:
        return "no recognised rank"
    return POLICE_RANKS.get(code) or PROBATION_GRADES.get(code, code)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _forum_course_gaps(forum, answer) -> list[str]:
    missing = [c for c in forum.chair_courses or [] if c not in answer.valid_courses]
    return [f"{COURSES.get(c, c)}: not counting on the day; this forum's chair must hold it" for c in missing]


def assess(forum, member: Staff, on: dt.date, candidate_ids: set[int] | None = None) -> ChairOption:
    """Whether ``member`` may chair ``forum``'s meeting on day ``on``, with the reason either way."""
    area_id = forum.area_id
    if candidate_ids is None:
        candidate_ids = set(workforce_competence.chair_candidates(area_id).values_list("pk", flat=True))
    if member.pk not in candidate_ids:
        return ChairOption(
            member,
            False,
            "Not a chair of this MAPPA area: a chair is active staff of one of the area's police, probation or "
            "prison agencies holding the chair role.",
        )
    level = chair_level_for(forum)
    answer = workforce_competence.competence_of(member, on)
    refusal = workforce_competence.chair_refusal(member, level, on) if level is not None else None
    gaps = _forum_course_gaps(forum, answer)
    if refusal or gaps:
        text = refusal or f"May not chair this forum's meetings on {_day(on)}."
        if gaps:
            text = text.rstrip(".") + ("; " if refusal else ": ") + "; ".join(gaps) + "."
        return ChairOption(member, False, text)
    rank = _rank_label(answer.rank)
    if answer.rank in PROBATION_GRADES and answer.chair_rank:
        rank += f", treated as {POLICE_RANKS[answer.chair_rank]}"
    forum_courses = [COURSES.get(c, c) for c in forum.chair_courses or []]
    if level is not None:
        area = AreaSettings.for_area(area_id).competence_settings()
        held = ", ".join(sorted({COURSES[c] for c in area.chair_courses} | set(forum_courses)))
        text = (
            f"{rank}: Level {level} chairs need {POLICE_RANKS[area.chair_min_rank(level)]} or above (area setting); "
            f"{held} counting on {_day(on)}."
        )
    else:
        held = f"; {', '.join(sorted(forum_courses))} counting on {_day(on)}" if forum_courses else ""
        text = f"{rank}: a chair of the area (the forum sets no MAPPA chair level, so no rank){held}."
    return ChairOption(member, True, text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…")


def chair_options(ctx: AccessContext, meeting: Meeting) -> list[ChairOption]:
    """Every chair of the area the user may see, eligible or not, with the reason (audited as a list)."""
    forum = meeting.forum
    candidates = gate.scoped(ctx.user, workforce_competence.chair_candidates(forum.area_id))
    people = list(candidates.order_by("last_name", "first_name", "pk"))
    if people:
        gate.audit_list(ctx, Operation.VIEW, Staff, [p.pk for p in people], {"page": "chair", "meeting": meeting.pk})
    ids = {p.pk for p in people}
    on = meeting_day(meeting)
    return [assess(forum, p, on, ids) for p in people]


def set_chair(ctx: AccessContext, meeting: Meeting, member: Staff, *, expected_version: int) -> Meeting:
    """Set the meeting's chair: the forum's coordinator; an ineligible choice is refused with the reason."""
    if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS):
        raise ValidationError({"__all__": "The chair of a meeting that has been held or cancelled cannot change."})
    gate.check(ctx, Operation.CHANGE, meeting.forum)
    # The choice shows the member of staff's competence either way: audited before it is judged, so a
    # refused choice leaves its trace too.
    with transaction.atomic():
        gate.authorise(ctx, Operation.VIEW, member, {"page": "chair", "meeting": meeting.pk})
    option = assess(meeting.forum, member, meeting_day(meeting))
    if not option.eligible:
        raise ValidationError({"chair": option.reason})
    with transaction.atomic():
        meeting.chair = member
        meeting.chair_reason = option.reason
        save_record(ctx, meeting, expected_version=expected_version, detail={"chair": member.pk})
    return meeting


def chair_still_eligible(meeting: Meeting) -> ChairOption | None:
    """The meeting's chair assessed again on the meeting day (None when no chair is set)."""
    if meeting.chair_id is None:
        return None
    return assess(meeting.forum, meeting.chair, meeting_day(meeting))
