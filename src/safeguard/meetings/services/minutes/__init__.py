"""After a meeting: its minutes (HTML and PDF), sharing them with the chair's permission, the meeting quality
audit and iCalendar invitations. One module per part, one function per use case, each through the gate.

- ``document``: the minutes generated from the meeting's records (MAPPA C, 2022 guidance; MARAC action plans),
  issued by the coordinator or the chair, and each reader's copy (less what the gate keeps from them), as a page
  and as a PDF marked OFFICIAL-SENSITIVE on every page;
- ``sharing``: the chair's permission to share the minutes with an agency that did not attend (old MAPPA D);
- ``quality``: the meeting quality audit (old MAPPA L, ``rules.meeting_audit``) and a forum's audited meetings;
- ``invitations``: a meeting's invitation and a forum's feed of upcoming meetings (iCalendar, RFC 5545), naming
  no case and no person.
"""

from .document import (
    MINUTES_AIM,
    MinutesCopy,
    check_minutes_access,
    issue_minutes,
    minutes_document,
    minutes_pdf,
    reader_copy,
    render_full,
)
from .invitations import forum_calendar, invitation, sequence_of
from .quality import ForumQuality, forum_quality, meeting_quality, record_quality_audit
from .sharing import check_may_share, may_share, share_minutes, shareable_agencies, shares_of

__all__ = [
    "MINUTES_AIM",
    "ForumQuality",
    "MinutesCopy",
    "check_may_share",
    "check_minutes_access",
    "forum_calendar",
    "forum_quality",
    "invitation",
    "issue_minutes",
    "may_share",
    "meeting_quality",
    "minutes_document",
    "minutes_pdf",
    "reader_copy",
    "record_quality_audit",
    "render_full",
    "sequence_of",
    "share_minutes",
    "shareable_agencies",
    "shares_of",
]
