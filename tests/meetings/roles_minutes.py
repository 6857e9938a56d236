"""Role cases for the minutes pages (collected by tests/meetings/url_roles.py).

The records come from ``tests.meetings.minutes_fixtures.minutes_records(world)``: a MAPPA Level 3 forum (police,
probation, housing and the IDVA service) coordinated by the MAPPA coordinator and chaired by ``chair``, whose
meetings the police (``om``, ``supervisor``), probation (the chair) and housing (``partner``) attend while the
IDVA service sends apologies. Refusals are 404s, never 403s.
"""

from __future__ import annotations

from safeguard.rules import meeting_audit
from tests.meetings.minutes_fixtures import minutes_records
from tests.url_matrix import RoleCase

MEETING = "meetings.meeting"
FORUM = "meetings.forum"

# The minutes: the agencies that attended, and those who run the meeting (its coordinator and its chair).
READ = ("coordinator", "chair", "om", "partner", "supervisor")
NOT_READ = ("idva", "away_om", "analyst", "admin", "norole")
# Issuing and the quality audit: those who run the meeting.
RUN = ("coordinator", "chair")
NOT_RUN = ("om", "partner", "supervisor", "idva", "analyst")
# Sharing: the chair only.
SHARE = ("chair",)
NOT_SHARE = ("coordinator", "om", "partner", "idva")
# The forum's audits and invitations: whoever may see the forum and its meetings.
SEE = ("coordinator", "chair", "om", "partner", "idva", "supervisor")
NOT_SEE = ("away_om", "analyst", "admin", "norole")


def _issued(world) -> dict:
    return {"pk": minutes_records(world).issued.meeting.pk}


def _held(world) -> dict:
    return {"pk": minutes_records(world).held.meeting.pk}


def _forum(world) -> dict:
    return {"pk": minutes_records(world).forum.pk}


CASES: list[RoleCase] = [
    RoleCase(
        "meetings:minutes",
        allowed=READ,
        refused=NOT_READ,
        kwargs=_issued,
        record=lambda world: (MEETING, minutes_records(world).issued.meeting.pk),
    ),
    RoleCase(
        "meetings:minutes-pdf",
        allowed=READ,
        refused=NOT_READ,
        kwargs=_issued,
        record=lambda world: (MEETING, minutes_records(world).issued.meeting.pk),
    ),
    RoleCase(
        "meetings:minutes-issue",
        method="post",
        data=lambda world: {"version": minutes_records(world).held.meeting.version},
        allowed=RUN,
        refused=NOT_RUN,
        ok_status=(302,),
        kwargs=_held,
        record=lambda world: (MEETING, minutes_records(world).held.meeting.pk),
    ),
    RoleCase(
        "meetings:minutes-share",
        allowed=SHARE,
        refused=NOT_SHARE,
        kwargs=_issued,
        record=lambda world: (MEETING, minutes_records(world).issued.meeting.pk),
    ),
    RoleCase(
        "meetings:minutes-share",
        label="post",
        method="post",
        data=lambda world: {"agency": world.idva_service.pk, "reason": "The IDVA supports the former victim."},
        allowed=SHARE,
        refused=NOT_SHARE,
        ok_status=(302,),
        kwargs=_issued,
    ),
    RoleCase(
        "meetings:quality-audit",
        allowed=RUN,
        refused=NOT_RUN,
        kwargs=_issued,
        record=lambda world: (MEETING, minutes_records(world).issued.meeting.pk),
    ),
    RoleCase(
        "meetings:quality-audit",
        label="post",
        method="post",
        data=lambda world: {
            "version": minutes_records(world).issued.meeting.version,
            **dict.fromkeys(meeting_audit.ITEMS, "3"),
        },
        allowed=RUN,
        refused=NOT_RUN,
        ok_status=(302,),
        kwargs=_issued,
    ),
    RoleCase(
        "meetings:forum-quality",
        allowed=SEE,
        refused=NOT_SEE,
        kwargs=_forum,
        record=lambda world: (FORUM, minutes_records(world).forum.pk),
    ),
    RoleCase(
        "meetings:invitation",
        allowed=SEE,
        refused=NOT_SEE,
        kwargs=lambda world: {"pk": minutes_records(world).upcoming.pk},
        record=lambda world: (MEETING, minutes_records(world).upcoming.pk),
    ),
    RoleCase(
        "meetings:calendar",
        allowed=SEE,
        refused=NOT_SEE,
        kwargs=_forum,
        record=lambda world: (FORUM, minutes_records(world).forum.pk),
    ),
]
