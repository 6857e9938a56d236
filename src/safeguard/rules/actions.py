"""Chasing multi-agency actions: overdue, reminded, escalated to the chair; completion rates by agency.

Sources: SafeLives MARAC guidance: the chair asks for timed actions, each with
an owner agency, a due date and a completion return; open actions come back
on the next agenda [C]. MAPPA minutes record every action with its rationale [C].

Decisions Safeguard had to make (the guidance sets no reminder or escalation
times): a reminder goes to the owner ``remind_days_before`` days before the due
date (default 2), and an action still open ``escalate_days_overdue`` days after
its due date (default 7) is escalated to the forum's chair. Both are settings of
the forum, their defaults Safeguard's choice. "Overdue" means open after its
due date: an action due today is not overdue today. The completion rate of an
agency counts actions due in the period: complete (on or before the due date,
and late) over all of them, cancelled actions left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE = "SafeLives MARAC guidance: timed actions"
SOURCE_SAFEGUARD = "Safeguard's choice (no guidance sets reminder or escalation times)"
REMIND_DAYS_BEFORE = 2
ESCALATE_DAYS_OVERDUE = 7
OPEN, IN_PROGRESS, COMPLETE, CANCELLED = "open", "in_progress", "complete", "cancelled"
OPEN_STATUSES = frozenset({OPEN, IN_PROGRESS})

DEFAULTS = (
    Default("remind_days_before", REMIND_DAYS_BEFORE, SOURCE_SAFEGUARD, Status.SAFEGUARD),
    Default("escalate_days_overdue", ESCALATE_DAYS_OVERDUE, SOURCE_SAFEGUARD, Status.SAFEGUARD),
)


@dataclass(frozen=True)
class Chase:
    overdue: bool
    days_overdue: int
    remind: bool
    escalate: bool
    working: tuple[Step, ...]


def chase(
    status: str,
    due_on: dt.date,
    today: dt.date,
    *,
    reminded_on: dt.date | None = None,
    escalated_on: dt.date | None = None,
    remind_days_before: int = REMIND_DAYS_BEFORE,
    escalate_days_overdue: int = ESCALATE_DAYS_OVERDUE,
) -> Chase:
    """What chasing one action needs today: a reminder (once), an escalation (once), or nothing."""
    for name, value in (("remind_days_before", remind_days_before), ("escalate_days_overdue", escalate_days_overdue)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RuleInputError(name, "Enter a whole number of days, 0 or more")
    if status not in OPEN_STATUSES:
        return Chase(False, 0, False, False, (Step(f"The action is {status.replace('_', ' ')}: nothing to chase"),))
    days_overdue = max(0, (today - due_on).days)
    overdue = today > due_on
    remind = reminded_on is None and today >= due_on - dt.timedelta(days=remind_days_before)
    escalate = escalated_on is None and overdue and days_overdue >= escalate_days_overdue
    steps = [
        Step(
            f"Due {due_on.isoformat()}: " + (f"overdue by {days_overdue} days" if overdue else "not overdue"),
            SOURCE,
        ),
        Step(
            f"Reminder {remind_days_before} days before the due date"
            + (": send it now" if remind else (f": sent {reminded_on.isoformat()}" if reminded_on else ": not yet")),
            SOURCE_SAFEGUARD,
        ),
        Step(
            f"Escalate to the chair {escalate_days_overdue} days after the due date"
            + (": escalate now" if escalate else (f": escalated {escalated_on.isoformat()}" if escalated_on else "")),
            SOURCE_SAFEGUARD,
        ),
    ]
    return Chase(overdue, days_overdue, remind, escalate, tuple(steps))


@dataclass(frozen=True)
class ActionFacts:
    agency: str
    status: str
    due_on: dt.date
    completed_on: dt.date | None = None


@dataclass(frozen=True)
class CompletionRate:
    agency: str
    due: int
    complete: int
    complete_on_time: int
    open_overdue: int
    rate_percent: Decimal | None
    on_time_percent: Decimal | None


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def completion_rates(
    actions: Iterable[ActionFacts], start: dt.date, end: dt.date, today: dt.date
) -> list[CompletionRate]:
    """Per agency, of the actions due from ``start`` to ``end``: how many are complete, and on time."""
    if end < start:
        raise RuleInputError("end", "The end of the period must be on or after its start")
    by_agency: dict[str, list[ActionFacts]] = {}
    for a in actions:
        if a.status == CANCELLED or not start <= a.due_on <= end:
            continue
        by_agency.setdefault(a.agency, []).append(a)
    rates = []
    for agency in sorted(by_agency):
        listed = by_agency[agency]
        done = [a for a in listed if a.status == COMPLETE]
        on_time = [a for a in done if a.completed_on is not None and a.completed_on <= a.due_on]
        overdue = [a for a in listed if a.status in OPEN_STATUSES and a.due_on < today]
        rates.append(
            CompletionRate(
                agency,
                len(listed),
                len(done),
                len(on_time),
                len(overdue),
                _percent(len(done), len(listed)),
                _percent(len(on_time), len(listed)),
            )
        )
    return rates
