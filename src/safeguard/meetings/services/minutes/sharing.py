"""Sharing a meeting's minutes beyond the agencies that attended: only with the chair's permission (old MAPPA D).

MAPPA Guidance: minutes are confidential; onward sharing beyond the attendee's agency needs the chair's
permission. Here the permission is a ``MinutesShare`` (the agency, the reason, who permitted it, when), given by
the meeting's chair only (``may_share_minutes``); it lets staff of that agency read the minutes
(``may_view_minutes``) as the gate lets them see each case.

Which agencies may be given the minutes: those whose staff the gate lets open the meeting at all
(``may_view_meeting``): the forum's member agencies that did not attend, and the Responsible Authority
agencies of the forum's area. Staff of any other agency cannot see the forum's meetings or people in Safeguard,
so a permission for them would give them nothing; the page says so. (Letting such an agency read minutes would
be a change to the access policy, not to this page.)

Minutes are shared once issued: a draft is not the chair's to send.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation
from safeguard.workforce.models import Agency

from ...models import Meeting, MinutesShare

MIN_REASON = 10  # the same floor as the other reasons of the meetings (running.MIN_TEXT)


def shares_of(meeting: Meeting) -> list[MinutesShare]:
    return list(meeting.shares.select_related("agency", "permitted_by").order_by("permitted_at", "pk"))


def may_share(user, meeting: Meeting) -> bool:
    """Does the page offer this user the "Share with another agency" form (the gate decides again on saving)?"""
    return gate.decide(user, Operation.CREATE, MinutesShare(meeting=meeting)).allowed


def shareable_agencies(meeting: Meeting) -> QuerySet:
    """The agencies the chair may give the minutes to: those that can open the meeting, less those that already
    have the minutes (attended, or shared with)."""
    attended = meeting.attendance.filter(present=True).values("agency_id")
    shared = meeting.shares.values("agency_id")
    kinds = list(Agency.RESPONSIBLE_AUTHORITY)
    return (
        Agency.objects.filter(
            Q(pk__in=meeting.forum.member_agencies.values("pk")) | Q(area_id=meeting.forum.area_id, kind__in=kinds)
        )
        .exclude(pk__in=attended)
        .exclude(pk__in=shared)
        .order_by("name")
    )


def share_minutes(ctx: AccessContext, meeting: Meeting, *, agency: Agency | None, reason: str) -> MinutesShare:
    """The chair permits an agency that did not attend to read the minutes, with the reason."""
    if meeting.minutes_issued_at is None:
        raise ValidationError({"__all__": "Issue the minutes before sharing them."})
    if agency is None:
        raise ValidationError({"agency": "Choose the agency to share the minutes with."})
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": f"Give the reason for sharing (at least {MIN_REASON} characters)."})
    if meeting.attendance.filter(present=True, agency=agency).exists():
        raise ValidationError({"agency": f"{agency} attended the meeting: it has the minutes already."})
    if meeting.shares.filter(agency=agency).exists():
        raise ValidationError({"agency": f"The minutes have already been shared with {agency}."})
    if not shareable_agencies(meeting).filter(pk=agency.pk).exists():
        raise ValidationError(
            {
                "agency": "Choose one of the forum's member agencies or a Responsible Authority agency of the area: "
                "staff of other agencies cannot see the forum's meetings in Safeguard."
            }
        )
    share = MinutesShare(meeting=meeting, agency=agency, reason=reason, permitted_by=ctx.user)
    with transaction.atomic():
        save_record(ctx, share, detail={"meeting": meeting.pk, "agency": agency.pk})
    return share


def check_may_share(ctx: AccessContext, meeting: Meeting) -> None:
    """Refuse anyone but the chair before the sharing page is shown: audited against the meeting, a 404."""
    decision = gate.decide(ctx.user, Operation.CREATE, MinutesShare(meeting=meeting))
    if not decision.allowed:
        refused = gate.AccessRefused(ctx, Operation.CREATE, gate.record_type_of(meeting), meeting.pk, decision.reason)
        if not transaction.get_connection().in_atomic_block:
            gate.record_refusal(refused)
        raise refused
