"""Building a forum meeting's agenda for the coordinator.

Sources:
- SafeLives MARAC guidance, the meeting [C]: introductions; the
  confidentiality statement read and signed; incomplete actions from last
  time; new cases with children first, then adult-only cases; cases reaching
  12 months; other business.
- MAPPA: accepted referrals are listed; Level 2 and 3 cases are reviewed at
  the area's interval (rules.mappa, a setting) [R].
- Safeguard requirements (docs/requirements.md): "accepted referrals, Level 2/3 reviews due, MARAC cases
  with children first, cases reaching 12 months, incomplete actions first".

Decisions Safeguard had to make:
- One order for every forum: cases with incomplete actions first (the oldest
  action due first), then new cases (accepted referrals) with children, then
  new cases without, then reviews due by the meeting day (earliest due
  first), then cases reaching 12 months since they were opened (the
  anniversary within 30 days either side of the meeting, Safeguard's choice
  of horizon, a parameter, so that a four-weekly or monthly forum sees every
  case once as it reaches 12 months), each
  case once, in the first section it qualifies for; its other reasons are kept.
- Within a section, ties go by the date the case entered the forum, then its
  id, so the agenda is the same every time it is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from safeguard.rules.dates import add_months
from safeguard.rules.working import RuleInputError, Step

SOURCE_MARAC = "SafeLives MARAC guidance: the meeting agenda"
SOURCE_ISSUE = "Safeguard requirements, forums: the agenda"
TWELVE_MONTHS = 12
TWELVE_MONTH_HORIZON_DAYS = 30  # Safeguard's choice: cases whose 12 months fall within 30 days of the meeting

ACTIONS = "actions"
NEW_WITH_CHILDREN = "new_children"
NEW = "new"
REVIEW = "review"
TWELVE = "twelve_months"
SECTIONS = (ACTIONS, NEW_WITH_CHILDREN, NEW, REVIEW, TWELVE)
SECTION_TITLES = {
    ACTIONS: "Incomplete actions from last time",
    NEW_WITH_CHILDREN: "New cases with children",
    NEW: "New cases",
    REVIEW: "Reviews due",
    TWELVE: "Cases reaching 12 months",
}


@dataclass(frozen=True)
class Candidate:
    """A forum case that might go on the agenda, with the facts the rule orders by."""

    case_id: Hashable
    opened_on: dt.date
    accepted_referral: bool = False
    has_children: bool = False
    review_due: dt.date | None = None
    open_actions_due: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Item:
    case_id: Hashable
    section: str
    why: str
    other_reasons: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Agenda:
    items: tuple[Item, ...]
    working: tuple[Step, ...]


def _reasons(c: Candidate, meeting_on: dt.date, horizon_days: int) -> list[tuple[str, str, tuple[dt.date, ...]]]:
    found: list[tuple[str, str, tuple[dt.date, ...]]] = []
    if c.open_actions_due:
        oldest = min(c.open_actions_due)
        n = len(c.open_actions_due)
        found.append(
            (ACTIONS, f"{n} incomplete action{'s' if n != 1 else ''}, the first due {oldest.isoformat()}", (oldest,))
        )
    if c.accepted_referral:
        section = NEW_WITH_CHILDREN if c.has_children else NEW
        found.append((section, "New referral, accepted" + (", with children" if c.has_children else ""), ()))
    if c.review_due is not None and c.review_due <= meeting_on:
        found.append((REVIEW, f"Review due {c.review_due.isoformat()}", (c.review_due,)))
    anniversary = add_months(c.opened_on, TWELVE_MONTHS)
    if abs((anniversary - meeting_on).days) <= horizon_days:
        found.append((TWELVE, f"12 months since the case was opened, on {anniversary.isoformat()}", (anniversary,)))
    return found


def build_agenda(
    candidates: Iterable[Candidate], meeting_on: dt.date, horizon_days: int = TWELVE_MONTH_HORIZON_DAYS
) -> Agenda:
    """The meeting's agenda: each case once, in the first section it qualifies for, in a fixed order."""
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, int) or horizon_days < 0:
        raise RuleInputError("horizon_days", "Enter the horizon as a whole number of days, 0 or more")
    placed: list[tuple[int, tuple[dt.date, ...], dt.date, str, Item]] = []
    seen: set[Hashable] = set()
    skipped = 0
    for c in candidates:
        if c.case_id in seen:
            raise RuleInputError("candidates", "Each case may be offered once")
        seen.add(c.case_id)
        reasons = _reasons(c, meeting_on, horizon_days)
        if not reasons:
            skipped += 1
            continue
        reasons.sort(key=lambda r: SECTIONS.index(r[0]))
        section, why, key = reasons[0]
        item = Item(c.case_id, section, why, tuple(r[1] for r in reasons[1:]))
        placed.append((SECTIONS.index(section), key, c.opened_on, str(c.case_id), item))
    placed.sort(key=lambda p: (p[0], p[1], p[2], p[3]))
    counts = {s: sum(1 for p in placed if p[4].section == s) for s in SECTIONS}
    working = [
        Step(
            "Order: incomplete actions first, new cases with children, new cases, reviews due, cases reaching "
            "12 months",
            f"{SOURCE_MARAC}; {SOURCE_ISSUE}",
        ),
        Step(", ".join(f"{SECTION_TITLES[s]}: {n}" for s, n in counts.items())),
        Step(
            f"Cases reaching 12 months: the anniversary within {horizon_days} days either side of the meeting "
            "(Safeguard's choice of horizon)",
        ),
    ]
    if skipped:
        working.append(Step(f"{skipped} open cases with nothing due at this meeting are not listed"))
    return Agenda(tuple(p[4] for p in placed), tuple(working))
