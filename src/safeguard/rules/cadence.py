"""When a forum meets: meeting days from its cadence.

Sources: SafeLives (MARAC fortnightly or monthly; some weekly) [C/L]; MATAC
every four weeks (Northumbria model) [C]; the daily triage every weekday
(Kirklees DRAMM pattern) [C]; MAPPA Level 2/3 meetings as the area sets.
An area whose triage also sits at weekends sets the cadence "every day"
(Safeguard's option: the DRAMM pattern is weekdays; the demo meets daily so
that its tour works on any day).

Decisions Safeguard had to make:
- "Monthly" is the same weekday in the same week of the month as the first
  meeting (the 2nd Tuesday, say); where the first meeting fell in a month's
  fifth week, the last such weekday of each month is used.
- Bank holidays are not known to Safeguard: the coordinator moves a meeting
  that falls on one (``skip`` lets the caller pass the days the area closes).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from safeguard.rules.working import RuleInputError

DAILY = "daily"
WEEKDAYS = "weekdays"
WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
FOUR_WEEKLY = "four_weekly"
MONTHLY = "monthly"
CADENCES = (DAILY, WEEKDAYS, WEEKLY, FORTNIGHTLY, FOUR_WEEKLY, MONTHLY)
STEP_DAYS = {WEEKLY: 7, FORTNIGHTLY: 14, FOUR_WEEKLY: 28}
MAX_MEETINGS = 400  # a sanity limit on one call, not guidance
SATURDAY = 5


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[min(nth, len(days)) - 1]


def meeting_days(
    cadence: str, first: dt.date, from_day: dt.date, until: dt.date, skip: Iterable[dt.date] = ()
) -> list[dt.date]:
    """The forum's meeting days from ``from_day`` to ``until`` inclusive, counted from its ``first`` meeting."""
    if cadence not in CADENCES:
        raise RuleInputError("cadence", f"Choose a cadence: {', '.join(CADENCES)}")
    if until < from_day:
        raise RuleInputError("until", "The end of the range must be on or after its start")
    closed = set(skip)
    found: list[dt.date] = []
    if cadence in (DAILY, WEEKDAYS):
        day = max(first, from_day)
        while day <= until and len(found) < MAX_MEETINGS:
            if (cadence == DAILY or day.weekday() < SATURDAY) and day not in closed:
                found.append(day)
            day += dt.timedelta(days=1)
        return found
    if cadence in STEP_DAYS:
        step = STEP_DAYS[cadence]
        day = first
        if from_day > first:
            day = first + dt.timedelta(days=-(-(from_day - first).days // step) * step)
        while day <= until and len(found) < MAX_MEETINGS:
            if day not in closed:
                found.append(day)
            day += dt.timedelta(days=step)
        return found
    nth = (first.day - 1) // 7 + 1
    year, month = first.year, first.month
    while len(found) < MAX_MEETINGS:
        day = _nth_weekday(year, month, first.weekday(), nth)
        if day > until:
            break
        if day >= from_day and day >= first and day not in closed:
            found.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return found


def meets_at_weekends(cadence: str) -> bool:
    """Whether a forum of this cadence may sit on a Saturday or Sunday: only "every day" always does.

    (Weekly and longer cadences meet on the weekday of their first meeting; only the daily triage's window
    depends on this: ``rules.triage.triage_window``.)"""
    return cadence == DAILY


def next_meeting_day(cadence: str, first: dt.date, on_or_after: dt.date) -> dt.date:
    days = meeting_days(cadence, first, on_or_after, on_or_after + dt.timedelta(days=62))
    if not days:
        raise RuleInputError("cadence", "No meeting day falls in the next two months")
    return days[0]
