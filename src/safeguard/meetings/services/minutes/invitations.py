"""iCalendar invitations (RFC 5545, iTIP RFC 5546): one meeting's, and a forum's feed of upcoming meetings.

Invitations travel by e-mail and into calendars outside Safeguard, so they carry nothing of a case: the summary
is "<forum> meeting", the place, the times, the marking, and the address of the meeting's page (the agenda and
papers are read there, behind the sign-in and the gate). No case, no person's name, no reason for a move or a
cancellation (typed text could name someone).

- UID: stable per meeting for the life of the installation (a UUID made from the forum's area, the forum and the
  meeting), so a moved or cancelled meeting updates the same calendar entry.
- DTSTART/DTEND in UTC (a calendar shows them in the reader's own time zone). DTEND is the meeting's end when it
  has one (its forum's usual length when scheduled); without one, no end is invented and the event has none.
- SEQUENCE: how many times the meeting has been moved (counted from the audit store: every move is audited by
  ``schedule.move_meeting``), plus one once cancelled, so each change supersedes the copy a calendar holds.
- METHOD:CANCEL (STATUS:CANCELLED) for a cancelled meeting's invitation, METHOD:PUBLISH otherwise (Safeguard does
  not collect replies). The feed is PUBLISH and lists cancelled upcoming meetings as STATUS:CANCELLED, so a
  calendar that imported them drops them.
- ORGANIZER (iTIP asks for one): the installation's sending address (``DEFAULT_FROM_EMAIL``), named for the forum.
- CLASS:CONFIDENTIAL, and the DESCRIPTION begins with the marking.

Downloading is an export of the meeting (or the forum), audited through the gate (``may_view_meeting``,
``may_view_forum``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import AuditEvent, Operation, Outcome

from ...models import Forum, Meeting

PRODID = "-//Safeguard//Multi-agency meetings//EN"


def meeting_title(forum_name: str) -> str:
    """ "Northtown MARAC meeting"; a forum whose name already ends in "meeting" keeps it ("Daily triage meeting",
    not "Daily triage meeting meeting")."""
    name = forum_name.strip()
    return name if name.lower().endswith("meeting") else f"{name} meeting"


UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:safeguard:meetings")  # fixed: changing it changes every UID
FEED_STATUSES = (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS, Meeting.Status.CANCELLED)


def uid_of(meeting: Meeting) -> str:
    return f"{uuid.uuid5(UID_NAMESPACE, f'{meeting.forum.area_id}/{meeting.forum_id}/{meeting.pk}')}@safeguard"


def _moves(meeting_ids: list[int]) -> dict[int, int]:
    rows = (
        AuditEvent.objects.filter(
            record_type=gate.record_type_of(Meeting()),
            record_id__in=meeting_ids,
            operation=Operation.CHANGE,
            outcome=Outcome.ALLOWED,
            detail__has_key="moved_from",
        )
        .values("record_id")
        .annotate(moves=Count("id"))
    )
    return {row["record_id"]: row["moves"] for row in rows}


def sequence_of(meeting: Meeting, moves: int | None = None) -> int:
    """The iCalendar SEQUENCE: the meeting's moves, and one more once it is cancelled."""
    if moves is None:
        moves = _moves([meeting.pk]).get(meeting.pk, 0)
    return moves + (1 if meeting.status == Meeting.Status.CANCELLED else 0)


def _description(meeting: Meeting, link: str) -> str:
    lines = [
        settings.SAFEGUARD_MARKING,
        f"{meeting_title(meeting.forum.name)}.",
    ]
    if meeting.status == Meeting.Status.CANCELLED:
        lines.append("This meeting has been cancelled.")
    lines += [
        f"The agenda and papers are in Safeguard (sign in): {link}",
        "Case details are never sent in invitations. Do not forward beyond your agency.",
    ]
    return "\n".join(lines)


def _event(meeting: Meeting, link: str, sequence: int, stamp: dt.datetime):
    from icalendar import Event

    event = Event()
    event.add("uid", uid_of(meeting))
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    if meeting.ends_at and meeting.ends_at > meeting.starts_at:
        event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    event.add("summary", meeting_title(meeting.forum.name))
    place = meeting.place or meeting.forum.meeting_place
    if place:
        event.add("location", place)
    event.add("description", _description(meeting, link))
    event.add("url", link)
    event.add("class", "CONFIDENTIAL")
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    event.add(
        "organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}", parameters={"cn": f"{meeting.forum.name} coordinator"}
    )
    return event


def _calendar(method: str, name: str):
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def invitation(ctx: AccessContext, meeting: Meeting, *, link: str) -> bytes:
    """One meeting's invitation (CANCEL once cancelled); ``link`` is the address of the meeting's page."""
    gate.authorise(ctx, Operation.EXPORT, meeting, {"format": "icalendar"})
    cancelled = meeting.status == Meeting.Status.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "PUBLISH", meeting_title(meeting.forum.name))
    calendar.add_component(_event(meeting, link, sequence_of(meeting), timezone.now()))
    return calendar.to_ical()


def upcoming(forum: Forum, now: dt.datetime | None = None) -> list[Meeting]:
    now = now or timezone.now()
    start_of_today = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    return list(
        Meeting.objects.filter(forum=forum, starts_at__gte=start_of_today, status__in=FEED_STATUSES)
        .select_related("forum")
        .order_by("starts_at", "pk")
    )


def forum_calendar(
    ctx: AccessContext, forum: Forum, *, link_for: Callable[[Meeting], str], now: dt.datetime | None = None
) -> bytes:
    """The forum's upcoming meetings (from the start of today) as one calendar; ``link_for`` gives each page."""
    meetings = upcoming(forum, now)
    gate.authorise(ctx, Operation.EXPORT, forum, {"format": "icalendar", "meetings": [m.pk for m in meetings]})
    moves = _moves([m.pk for m in meetings])
    calendar = _calendar("PUBLISH", f"{meeting_title(forum.name)}s")
    stamp = timezone.now()
    for meeting in meetings:
        calendar.add_component(
            _event(meeting, link_for(meeting), sequence_of(meeting, moves.get(meeting.pk, 0)), stamp)
        )
    return calendar.to_ical()
