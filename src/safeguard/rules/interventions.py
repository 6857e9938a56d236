"""An intervention or programme referral's steps: which status may follow which (a pure rule).

Source: Safeguard's own requirement (docs/requirements.md, "Interventions and programmes"), drawn from the
HMICFRS/PCC response quoted in docs/sources/interventions-and-release.md ("offering programmes like Healthy
Relationships, 7 Pathways"; "domestic abuse perpetrator programmes to support the behaviour change work").
No national guidance sets a referral's statuses: these are the steps the requirement names, in order.

A referral moves forward only; completed, dropped out and refused are final (a new referral is made
instead). Sessions attended is a status of its own, repeated as sessions are counted. Dropping out and a
refusal need a reason (the figures count them, and a reader asks why).
"""

from __future__ import annotations

from safeguard.rules.working import RuleInputError

REFERRED = "referred"
ASSESSED = "assessed"
ACCEPTED = "accepted"
STARTED = "started"
ATTENDING = "attending"
COMPLETED = "completed"
DROPPED_OUT = "dropped_out"
REFUSED = "refused"

STATUSES = {
    REFERRED: "Referred",
    ASSESSED: "Assessed",
    ACCEPTED: "Accepted",
    STARTED: "Started",
    ATTENDING: "Sessions attended",
    COMPLETED: "Completed",
    DROPPED_OUT: "Dropped out",
    REFUSED: "Refused",
}
FINAL = frozenset({COMPLETED, DROPPED_OUT, REFUSED})
NEEDS_REASON = frozenset({DROPPED_OUT, REFUSED})
# A refusal (by the provider after assessment, or by the offender) comes before a start; dropping out after it.
NEXT: dict[str, frozenset[str]] = {
    REFERRED: frozenset({ASSESSED, REFUSED}),
    ASSESSED: frozenset({ACCEPTED, REFUSED}),
    ACCEPTED: frozenset({STARTED, REFUSED}),
    STARTED: frozenset({ATTENDING, COMPLETED, DROPPED_OUT}),
    ATTENDING: frozenset({ATTENDING, COMPLETED, DROPPED_OUT}),
    COMPLETED: frozenset(),
    DROPPED_OUT: frozenset(),
    REFUSED: frozenset(),
}
STARTED_STATUSES = frozenset({STARTED, ATTENDING, COMPLETED, DROPPED_OUT})


def next_statuses(status: str) -> list[str]:
    """The statuses a referral in ``status`` may move to, in the order of the lifecycle."""
    if status not in NEXT:
        raise RuleInputError("status", "Choose a status of the referral")
    return [name for name in STATUSES if name in NEXT[status]]


def check_move(status: str, to_status: str, reason: str = "", sessions: int | None = None) -> None:
    """Refuse a move the lifecycle does not allow, a drop-out or refusal without a reason, and a session
    count that is missing or negative when sessions are recorded."""
    if to_status not in next_statuses(status):
        if status in FINAL:
            raise RuleInputError(
                "to_status", f"The referral is {STATUSES[status].lower()}: make a new referral instead"
            )
        raise RuleInputError("to_status", "Choose one of the next steps listed")
    if to_status in NEEDS_REASON and len(reason.strip()) < 3:
        raise RuleInputError("reason", f"Give the reason it was {STATUSES[to_status].lower()}")
    if to_status == ATTENDING and (sessions is None or sessions < 1):
        raise RuleInputError("sessions_attended", "Enter the number of sessions attended so far, 1 or more")
