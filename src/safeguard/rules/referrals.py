"""Referrals into a forum as a state machine: which transitions exist, and what each needs.

Sources: Safeguard requirements, docs/requirements.md (the states: draft, submitted, screening, accepted,
declined, withdrawn, listed, "with timers and a recorded decision and
rationale"); MAPPA Guidance (referral to Level 2/3 by any Responsible Authority
or Duty-to-Co-operate agency; screening by the coordinator sets the level) [C];
SafeLives MARAC referral and listing [C].

The machine (every other move is refused):

    draft      -> submitted (submit), withdrawn
    submitted  -> screening (screen), withdrawn
    screening  -> accepted (accept), declined (decline), withdrawn
    accepted   -> listed (list on a meeting), withdrawn
    listed     -> accepted (taken off a meeting's agenda before it is heard)

Decisions Safeguard had to make (the guidance is silent):
- A rationale is required to accept, decline, withdraw or de-list; submitting,
  starting screening and listing are recorded without one. Declined and
  withdrawn are final: a new referral is made instead, so the record of the
  decision is never reopened.
- A MAPPA referral is accepted only with the level set (2 or 3); the
  coordinator may set a level other than the one sought, and the working says so.
- Timers: how long a referral has waited in its state is always shown. A
  screening target exists only where the forum sets one (no national figure
  is published), so a referral is "over the target" only against that setting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.rules.working import RuleInputError, Step

SOURCE = "Safeguard requirements, forums: referrals"
SOURCE_MAPPA = "MAPPA Guidance: screening of referrals to Level 2/3 sets the level"
SOURCE_SAFEGUARD = "Safeguard's reading (the guidance is silent)"

DRAFT = "draft"
SUBMITTED = "submitted"
SCREENING = "screening"
ACCEPTED = "accepted"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
LISTED = "listed"
STATES = (DRAFT, SUBMITTED, SCREENING, ACCEPTED, DECLINED, WITHDRAWN, LISTED)
FINAL = frozenset({DECLINED, WITHDRAWN})
OPEN = frozenset({DRAFT, SUBMITTED, SCREENING, ACCEPTED})

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, WITHDRAWN}),
    SUBMITTED: frozenset({SCREENING, WITHDRAWN}),
    SCREENING: frozenset({ACCEPTED, DECLINED, WITHDRAWN}),
    ACCEPTED: frozenset({LISTED, WITHDRAWN}),
    LISTED: frozenset({ACCEPTED}),
    DECLINED: frozenset(),
    WITHDRAWN: frozenset(),
}
NEEDS_RATIONALE = frozenset({(SCREENING, ACCEPTED), (SCREENING, DECLINED), (LISTED, ACCEPTED)}) | frozenset(
    (state, WITHDRAWN) for state in (DRAFT, SUBMITTED, SCREENING, ACCEPTED)
)
MIN_RATIONALE_LENGTH = 10  # the same floor as a nominal's reasons (offenders.services)
MAPPA_LEVELS = (2, 3)

LABELS = {
    DRAFT: "draft",
    SUBMITTED: "submitted",
    SCREENING: "in screening",
    ACCEPTED: "accepted",
    DECLINED: "declined",
    WITHDRAWN: "withdrawn",
    LISTED: "listed for a meeting",
}


@dataclass(frozen=True)
class Transition:
    from_state: str
    to_state: str
    working: tuple[Step, ...]


def allowed_next(state: str) -> frozenset[str]:
    if state not in TRANSITIONS:
        raise RuleInputError("status", f"Unknown referral state: use one of {', '.join(STATES)}")
    return TRANSITIONS[state]


def transition(
    from_state: str, to_state: str, *, rationale: str = "", kind: str = "", level_set: int | None = None
) -> Transition:
    """Check one move of a referral; raise RuleInputError naming the field when it is not allowed."""
    if to_state not in TRANSITIONS:
        raise RuleInputError("to_status", f"Unknown referral state: use one of {', '.join(STATES)}")
    if to_state not in allowed_next(from_state):
        options = ", ".join(LABELS[s] for s in sorted(TRANSITIONS[from_state])) or "none: the decision is final"
        raise RuleInputError(
            "to_status", f"A referral {LABELS[from_state]} cannot become {LABELS[to_state]} (next: {options})"
        )
    steps = [Step(f"From {LABELS[from_state]} to {LABELS[to_state]}: allowed", SOURCE)]
    if (from_state, to_state) in NEEDS_RATIONALE:
        if len((rationale or "").strip()) < MIN_RATIONALE_LENGTH:
            raise RuleInputError(
                "rationale", f"Give the reason for this decision (at least {MIN_RATIONALE_LENGTH} characters)"
            )
        steps.append(Step("The decision's rationale is recorded", SOURCE_SAFEGUARD))
    if kind == "mappa" and to_state == ACCEPTED and from_state == SCREENING:
        if level_set not in MAPPA_LEVELS:
            raise RuleInputError("level_set", "Set the management level: 2 or 3")
        steps.append(Step(f"Screening sets Level {level_set}", SOURCE_MAPPA))
    return Transition(from_state, to_state, tuple(steps))


@dataclass(frozen=True)
class Timer:
    days_in_state: int
    target_days: int | None
    over_target: bool
    working: tuple[Step, ...]


def screening_timer(state: str, since: dt.date, today: dt.date, target_days: int | None) -> Timer:
    """How long a referral has waited in its state; over the forum's screening target where one is set."""
    if today < since:
        raise RuleInputError("today", "Today cannot be before the date the referral entered its state")
    days = (today - since).days
    waiting = state in (SUBMITTED, SCREENING)
    over = bool(waiting and target_days is not None and days > target_days)
    steps = [Step(f"{LABELS.get(state, state).capitalize()} for {days} days")]
    if not waiting:
        pass
    elif target_days is None:
        steps.append(Step("The forum sets no screening target (no national figure exists)", SOURCE_SAFEGUARD))
    else:
        steps.append(
            Step(
                f"The forum's screening target is {target_days} days: "
                + ("over it" if over else "within it (exactly the target is within it)"),
                "Forum setting",
            )
        )
    return Timer(days, target_days, over, tuple(steps))
