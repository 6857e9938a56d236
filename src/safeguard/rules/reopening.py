"""Reopening a meeting recorded as held: a daily triage closed, or a forum's meeting ended.

Sources: none. Neither the MAPPA Guidance, SafeLives' MARAC guidance nor the
daily-triage pattern (Kirklees DRAMM) says whether a meeting once held may be
reopened, or for how long. The law is silent too.

Decisions Safeguard had to make (the protective reading, docs/decisions.md):
- A held meeting may be reopened, by whoever may run it, only within a window
  after it was recorded as held. The window is a forum setting; its default
  (24 hours) is Safeguard's choice: long enough to undo a close pressed by
  mistake the same day, short enough that what partners were told stays what
  was decided. Every reopening is audited.
- A meeting whose minutes have been issued is not reopened: the minutes went
  out to the agencies as the record of the meeting, and reopening would let
  the record and what was sent differ. Corrections after issue are recorded
  at the next meeting.
- A meeting with no recorded time of holding (held before Safeguard kept it)
  is not reopened: the window cannot be counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE_SAFEGUARD = "Safeguard's reading (the guidance is silent)"
REOPEN_WITHIN_HOURS = 24

DEFAULTS = (
    Default(
        "reopen_within_hours",
        REOPEN_WITHIN_HOURS,
        SOURCE_SAFEGUARD,
        Status.SAFEGUARD,
        "No guidance says whether or for how long a held meeting may be reopened.",
    ),
)


@dataclass(frozen=True)
class Reopening:
    allowed: bool
    until: dt.datetime | None
    reason: str
    working: tuple[Step, ...]


def may_reopen(
    held_at: dt.datetime | None, now: dt.datetime, within_hours: int, minutes_issued: bool = False
) -> Reopening:
    """Whether a meeting held at ``held_at`` may be reopened at ``now`` (``within_hours`` after it was held)."""
    if within_hours < 0:
        raise RuleInputError("within_hours", "Give the reopening window as hours, 0 or more")
    if held_at is not None and (held_at.tzinfo is None or now.tzinfo is None):
        raise RuleInputError("held_at", "Give the times with their time zone")
    if minutes_issued:
        reason = "Its minutes have been issued: record any correction at the next meeting."
        return Reopening(False, None, reason, (Step(reason, SOURCE_SAFEGUARD),))
    if held_at is None:
        reason = "It has no recorded time of closing, so the reopening window cannot be counted."
        return Reopening(False, None, reason, (Step(reason, SOURCE_SAFEGUARD),))
    until = held_at + dt.timedelta(hours=within_hours)
    window = Step(f"A held meeting may be reopened within {within_hours} hours of closing", SOURCE_SAFEGUARD)
    if now >= until:
        return Reopening(False, until, "The time allowed for reopening it has passed.", (window,))
    return Reopening(True, until, "", (window,))
