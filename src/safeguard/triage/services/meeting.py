"""The day's triage meeting: found or opened from the forum's cadence, and its incidents loaded.

Decisions Safeguard had to make (the sources are silent):
- The window (rules.triage) is taken in the area's local time (Europe/London): it runs from the meeting's
  clock time the day before (the Friday on a Monday). On the two days a year the clocks change that is 23 or
  25 hours rather than 24, so that one day's window starts where the last one ended and no incident falls
  between two meetings (Journey 8: "every DA incident since yesterday 09:30"). The window includes its start
  and stops short of its end: an incident at the very minute the meeting starts is the next meeting's.
- An incident is triaged once (TriageCase.incident is one-to-one): on the first meeting whose window holds
  it. An incident recorded after its window's meeting was loaded, or from outside the forum's area, is added
  by hand with a reason.
- The victim is the incident's first person in the victim role (the one recorded first); an incident with no
  victim is still triaged, and the page says no victim is recorded.
- The victim and the incident's children (triage.services.encompass) are put on open cases of the triage
  forum while triaged, so that the partner agencies at the meeting (children's services among them) see
  them; those cases close once the meeting is held and every triage case of theirs there is finished
  (graded, with an outcome). The perpetrator is not: partners see them only through their own forums.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation
from safeguard.events.models import Incident, IncidentRole
from safeguard.meetings.models import Forum, ForumCase, Meeting
from safeguard.rules import cadence
from safeguard.rules.triage import MIN_REASON_LENGTH, Window, triage_window
from safeguard.workforce.models import Area

from ..models import TriageCase
from .clock import LOCAL, local_day_bounds
from .encompass import children_of_cases, encompass_for_cases


def _audit_refusal(ctx: AccessContext, incident: Incident) -> None:
    """Write the gate's refusal of an incident the user may not see (the caller answers as if none existed)."""
    try:
        gate.check(ctx, Operation.VIEW, incident)
    except gate.AccessRefused as refused:
        gate.record_refusal(refused)


def triage_forums() -> QuerySet[Forum]:
    return Forum.objects.filter(kind=Forum.Kind.DAILY_TRIAGE).select_related("area")


def visible_triage_forums(user) -> list[Forum]:
    """The triage forums whose board the user may open (a handful per area: decided one by one)."""
    return [forum for forum in triage_forums() if gate.decide(user, Operation.VIEW, forum)]


def area_ids(forum: Forum) -> list[int]:
    """The local areas the forum hears incidents for: its covers, or else every local area of its MAPPA area."""
    covers = list(forum.covers.values_list("pk", flat=True))
    if covers:
        return covers
    return list(Area.objects.filter(parent_id=forum.area_id).values_list("pk", flat=True))


@dataclass(frozen=True)
class Day:
    """What the forum's settings say about one day: whether it meets, and its meeting if there is one."""

    forum: Forum
    day: dt.date
    meets: bool
    meeting: Meeting | None
    next_day: dt.date | None
    problem: str = ""
    note: str = ""


def meeting_on(forum: Forum, day: dt.date) -> Meeting | None:
    """The forum's meeting on a local day (the first, if the scheduler made more than one), not a cancelled one."""
    start, end = local_day_bounds(day)
    return (
        Meeting.objects.filter(forum=forum, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "pk")
        .first()
    )


def day_of(forum: Forum, day: dt.date) -> Day:
    """Whether the forum meets on a day: its meeting that day, else its cadence, unless the scheduler's meeting
    for that day was cancelled or moved (meetings.services.schedule keeps the cadence day on the meeting)."""
    meeting = meeting_on(forum, day)
    if meeting is None:
        planned = Meeting.objects.filter(forum=forum, scheduled_for=day).first()
        if planned is not None and planned.status == Meeting.Status.CANCELLED:
            why = f": {planned.status_reason}" if planned.status_reason else ""
            return Day(forum, day, False, None, None, note=f"The triage for this day was cancelled{why}.")
        if planned is not None:
            moved = timezone.localtime(planned.starts_at, LOCAL)
            return Day(forum, day, False, None, moved.date(), note=f"This day's triage was moved to {moved:%-d %B %Y}.")
    if not forum.cadence or forum.meeting_time is None:
        return Day(
            forum,
            day,
            meeting is not None,
            meeting,
            None,
            "The forum has no cadence or meeting time set: an administrator sets them in the forum's settings.",
        )
    first = forum.first_meeting_on or day
    meets = bool(cadence.meeting_days(forum.cadence, first, day, day))
    try:
        following = cadence.next_meeting_day(forum.cadence, first, day + dt.timedelta(days=1))
    except ValueError:
        following = None
    return Day(forum, day, meets or meeting is not None, meeting, following)


def window_of(meeting: Meeting) -> Window:
    """The meeting's window: a triage that meets every day takes 24 hours on a Monday too (rules.triage)."""
    weekends = cadence.meets_at_weekends(meeting.forum.cadence)
    return triage_window(timezone.localtime(meeting.starts_at, LOCAL), meets_at_weekends=weekends)


def incidents_in_window(meeting: Meeting) -> QuerySet[Incident]:
    """Domestic-abuse incidents in the forum's area within the meeting's window, not yet triaged anywhere."""
    window = window_of(meeting)
    return Incident.objects.filter(
        domestic_abuse=True,
        local_area_id__in=area_ids(meeting.forum),
        occurred_at__gte=window.start,
        occurred_at__lt=window.end,
        triage__isnull=True,
    ).order_by("occurred_at", "pk")


def victim_of(incident: Incident):
    link = incident.people.filter(role=IncidentRole.VICTIM).select_related("person").order_by("pk").first()
    return link.person if link else None


@dataclass(frozen=True)
class Loaded:
    meeting: Meeting
    added: list[TriageCase]


def open_day(ctx: AccessContext, forum: Forum, day: dt.date) -> Loaded:
    """Open the forum's meeting for the day (when the scheduler has not) and load its incidents."""
    found = day_of(forum, day)
    if found.problem and found.meeting is None:
        raise ValidationError({"__all__": found.problem})
    if not found.meets:
        raise ValidationError({"__all__": found.note or "The triage does not meet on this day (its cadence)."})
    with transaction.atomic():
        meeting = meeting_on(forum, day)
        if meeting is None:
            starts = dt.datetime.combine(day, forum.meeting_time, tzinfo=LOCAL)
            meeting = Meeting(
                forum=forum,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=forum.meeting_minutes) if forum.meeting_minutes else None,
                place=forum.meeting_place,
                # The cadence day, as the scheduler keeps it, so that scheduling later does not add another.
                scheduled_for=None if Meeting.objects.filter(forum=forum, scheduled_for=day).exists() else day,
            )
            save_record(ctx, meeting, detail={"opened": "triage of the day"})
        return load(ctx, meeting)


def load(ctx: AccessContext, meeting: Meeting) -> Loaded:
    """Load the window's incidents into triage cases. Running it again adds only what is new."""
    changing = gate.changing(ctx, Meeting, meeting.pk, related=("forum",), detail={"loaded": "triage window"})
    with changing as change:
        locked = change.record
        added = [_add_case(ctx, locked, incident) for incident in incidents_in_window(locked)]
        # People added to the meeting's incidents since (a child recorded later) join the forum's cases too.
        cases = list(locked.triage_cases.exclude(DONE).select_related("incident"))
        day = timezone.localtime(locked.starts_at, LOCAL).date()
        for person_id in sorted(set().union(set(), *people_of(cases).values())):
            open_forum_case(ctx, locked.forum, person_id, day)
    return Loaded(locked, added)


def _add_case(ctx: AccessContext, meeting: Meeting, incident: Incident, reason: str = "") -> TriageCase:
    victim = victim_of(incident)
    case = TriageCase(meeting=meeting, incident=incident, victim=victim, added_by_hand_reason=reason)
    save_record(ctx, case, detail={"added_by_hand": bool(reason)})
    day = timezone.localtime(meeting.starts_at, LOCAL).date()
    for person_id in sorted(people_of([case])[case.pk]):
        open_forum_case(ctx, meeting.forum, person_id, day)
    return case


NOT_FOUND = "No incident has that police reference, or it is not one you may see: check the reference."


def add_by_hand(ctx: AccessContext, meeting: Meeting, *, reference: str, reason: str) -> TriageCase:
    """Add one incident to a meeting by its police reference, with the reason (outside the window or area)."""
    errors = {}
    if len(reason.strip()) < MIN_REASON_LENGTH:
        errors["reason"] = f"Give the reason for adding the incident (at least {MIN_REASON_LENGTH} characters)"
    incident = Incident.objects.filter(reference__iexact=reference.strip()).select_related("local_area").first()
    if incident is None:
        errors["reference"] = NOT_FOUND
    elif not gate.decide(ctx.user, Operation.VIEW, incident):
        # The same answer as no such incident (a refusal never says the record exists), and audited.
        _audit_refusal(ctx, incident)
        errors["reference"] = NOT_FOUND
        incident = None
    elif not incident.domestic_abuse:
        errors["reference"] = "That incident is not marked as domestic abuse: mark it on the incident's page first."
    else:
        earlier = TriageCase.objects.filter(incident=incident).select_related("meeting").first()
        if earlier is not None:
            on = timezone.localtime(earlier.meeting.starts_at, LOCAL)
            errors["reference"] = f"That incident is already on the triage of {on:%-d %B %Y}."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)
        gate.check(ctx, Operation.CHANGE, locked)
        gate.authorise(ctx, Operation.VIEW, incident, {"page": "add to triage"})
        return _add_case(ctx, locked, incident, reason.strip())


# The triage forum's cases: open while a person is being triaged --------------------------------


def people_of(cases: list[TriageCase]) -> dict[int, set[int]]:
    """The people each case safeguards and shows to the partners at the meeting: the victim and the children."""
    children = children_of_cases(cases)
    found = {}
    for case in cases:
        people = {person.pk for person, _, _ in children[case.incident_id]}
        if case.victim_id:
            people.add(case.victim_id)
        found[case.pk] = people
    return found


def open_forum_case(ctx: AccessContext, forum: Forum, person_id: int, day: dt.date) -> ForumCase:
    """The person's open case on the triage forum, opened if there is none.

    The gate has no rule of its own for a ForumCase: the caller has passed it for the meeting (CHANGE), and
    the opening is audited here.
    """
    existing = ForumCase.objects.filter(forum=forum, person_id=person_id, closed_on=None).first()
    if existing is not None:
        return existing
    case = ForumCase.objects.create(forum=forum, person_id=person_id, opened_on=day)
    gate.audit_allowed(ctx, Operation.CREATE, case, "opened for the daily triage")
    return case


DONE = (
    Q(meeting__status=Meeting.Status.HELD)
    & ~Q(grade="")
    & (Q(marac_referral__isnull=False) | Q(safeguarding_referral_to__isnull=False) | ~Q(no_further_action_reason=""))
)


def finished(case: TriageCase) -> bool:
    """Graded, with an outcome: a MARAC referral, a safeguarding referral, or no further action."""
    return bool(
        case.grade and (case.marac_referral_id or case.safeguarding_referral_to_id or case.no_further_action_reason)
    )


def sweep_forum_cases(ctx: AccessContext, forum: Forum) -> int:
    """Close the triage forum's open cases of people no longer being triaged (every case of theirs finished
    at a held meeting). Returns how many were closed."""
    live = list(TriageCase.objects.filter(meeting__forum=forum).exclude(DONE).select_related("incident"))
    still = set().union(*people_of(live).values()) if live else set()
    closed = 0
    for forum_case in ForumCase.objects.filter(forum=forum, closed_on=None).exclude(person_id__in=still):
        forum_case.closed_on = timezone.localdate()
        forum_case.save(update_fields=["closed_on"])
        gate.audit_allowed(ctx, Operation.CHANGE, forum_case, "triage finished", {"closed": True})
        closed += 1
    return closed


@dataclass(frozen=True)
class LeftUndone:
    """What closing a triage leaves undone (counts only: the pages list the cases the user may see)."""

    ungraded: int
    no_outcome: int
    notices_unsent: int

    @property
    def anything(self) -> bool:
        return bool(self.ungraded or self.no_outcome or self.notices_unsent)

    def sentence(self) -> str:
        parts = []
        if self.ungraded:
            parts.append(f"{self.ungraded} case{_s(self.ungraded)} left ungraded")
        if self.no_outcome:
            parts.append(f"{self.no_outcome} case{_s(self.no_outcome)} without an outcome")
        if self.notices_unsent:
            parts.append(f"{self.notices_unsent} school notice{_s(self.notices_unsent)} unsent")
        return ", ".join(parts)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def left_undone(meeting: Meeting) -> LeftUndone:
    """Ungraded cases, cases without an outcome (a MARAC or safeguarding referral, or no further action), and
    Operation Encompass notices still to record, on the meeting."""
    cases = list(meeting.triage_cases.select_related("incident", "meeting__forum"))
    encompass = encompass_for_cases(cases) if cases else {}
    return LeftUndone(
        ungraded=sum(1 for c in cases if not c.grade),
        no_outcome=sum(1 for c in cases if not _has_outcome(c)),
        notices_unsent=sum(len(encompass[c.pk].due) for c in cases),
    )


def _has_outcome(case: TriageCase) -> bool:
    return bool(case.marac_referral_id or case.safeguarding_referral_to_id or case.no_further_action_reason)


@dataclass(frozen=True)
class Closed:
    meeting: Meeting
    unfinished: int
    left: LeftUndone


def close_meeting(ctx: AccessContext, meeting: Meeting, *, expected_version: int) -> Closed:
    """Mark the day's triage held; the finished cases' people leave the triage forum's open cases. What was left
    undone is counted and said (the page asked first); a close can be reopened within the forum's window."""
    with gate.changing(ctx, Meeting, meeting.pk, expected_version, related=("forum",), detail={"status": "held"}) as ch:
        locked = ch.record
        if locked.status == Meeting.Status.HELD:
            raise ValidationError({"__all__": "This triage meeting has already been closed."})
        now = timezone.now()
        locked.status = Meeting.Status.HELD
        locked.held_at = now
        if locked.ends_at is None or locked.ends_at > now:
            locked.ends_at = max(now, locked.starts_at)
        left = left_undone(locked)
        ch.detail.update(
            {"ungraded": left.ungraded, "no_outcome": left.no_outcome, "notices_unsent": left.notices_unsent}
        )
        ch.save()
        sweep_forum_cases(ctx, locked.forum)
        unfinished = sum(1 for c in locked.triage_cases.all() if not finished(c))
    return Closed(locked, unfinished, left)


def reopen_meeting(ctx: AccessContext, meeting: Meeting, *, expected_version: int) -> Meeting:
    """Reopen a closed triage within the forum's window (rules.reopening): its cases can be graded and given
    outcomes again, and the people of its unfinished cases are back on the triage forum's open cases."""
    with gate.changing(ctx, Meeting, meeting.pk, expected_version, related=("forum",), detail={"reopened": True}) as ch:
        locked = ch.record
        locked.reopen()
        ch.save()
        cases = list(locked.triage_cases.select_related("incident"))
        day = timezone.localtime(locked.starts_at, LOCAL).date()
        for person_id in sorted(set().union(set(), *people_of(cases).values())):
            open_forum_case(ctx, locked.forum, person_id, day)
    return locked


def meetings_of(forum: Forum) -> QuerySet[Meeting]:
    """The forum's meetings, newest first, with their triage counts."""
    return (
        Meeting.objects.filter(forum=forum)
        .annotate(
            cases=Count("triage_cases"),
            ungraded=Count("triage_cases", filter=Q(triage_cases__grade="")),
            red=Count("triage_cases", filter=Q(triage_cases__grade="red")),
            amber=Count("triage_cases", filter=Q(triage_cases__grade="amber")),
            green=Count("triage_cases", filter=Q(triage_cases__grade="green")),
        )
        .order_by("-starts_at")
    )
