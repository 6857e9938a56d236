"""Daily domestic-abuse triage and Operation Encompass.

Sources:
- Kirklees DRAMM (the documented daily-triage pattern; no public ODOC
  protocol was found): a meeting every weekday of police incidents and
  referrals from the previous 24 hours, 72 on a Monday [C for the pattern].
- Surrey MASH triage grades: red within 4 working hours, amber within 24,
  green within 72; a regrade needs a rationale [C].
- Operation Encompass, statutory since the Victims and Prisoners Act 2024:
  after a domestic-abuse incident the police tell the designated safeguarding
  lead of each child's school before the start of the next school day, even
  if the child was not present [C].

Decisions Safeguard had to make:
- The window ends at the meeting's start and runs back 24 hours (72 hours
  when the meeting is on a Monday and the triage does not sit at weekends;
  a triage that meets every day takes 24 hours on a Monday too, the weekend
  having had its own meetings). A meeting on the day after a bank holiday
  is not widened: Safeguard does not know bank holidays, and the coordinator
  can add an incident by hand.
- "Working hours" for the grade targets are not defined in the source: the
  targets are shown as hours from the triage, and say so.
- "The start of the next school day": the next weekday after the incident
  that is not one of the area's listed non-school days (holidays, INSET),
  at the area's school start time. No statute sets a time: the time is a
  setting, its default 08:00 chosen to be earlier than most schools open
  (Safeguard's choice), so that a notice "in time" is in time at any school.
  An incident on a school day before the start time still counts from the
  next school day, not the same day: the duty is to tell the school before
  the *next* school day begins.
- A first grade needs no reason; changing a grade does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE_DRAMM = "Kirklees DRAMM daily triage pattern"
SOURCE_MASH = "Surrey MASH triage grades"
SOURCE_ENCOMPASS = "Operation Encompass (Victims and Prisoners Act 2024)"
SOURCE_SAFEGUARD = "Safeguard's reading (the source is silent)"

WINDOW_HOURS = 24
MONDAY_WINDOW_HOURS = 72
MONDAY = 0
SATURDAY = 5
RED, AMBER, GREEN = "red", "amber", "green"
GRADES = (RED, AMBER, GREEN)
TARGET_HOURS = {RED: 4, AMBER: 24, GREEN: 72}  # [C] Surrey MASH, "working hours"
SCHOOL_DAY_STARTS = dt.time(8, 0)
MIN_REASON_LENGTH = 10

DEFAULTS = (
    Default("window_hours", WINDOW_HOURS, SOURCE_DRAMM, Status.CONFIRMED, "72 on a Monday."),
    Default("target_hours", TARGET_HOURS, SOURCE_MASH, Status.CONFIRMED, "Working hours are not defined."),
    Default(
        "school_day_starts_at",
        SCHOOL_DAY_STARTS.isoformat(timespec="minutes"),
        SOURCE_SAFEGUARD,
        Status.SAFEGUARD,
        "No statute sets a time; earlier than most schools open.",
    ),
)


@dataclass(frozen=True)
class Window:
    start: dt.datetime
    end: dt.datetime
    hours: int
    working: tuple[Step, ...]


def triage_window(meeting_starts_at: dt.datetime, *, meets_at_weekends: bool = False) -> Window:
    """The incidents a triage meeting takes: the 24 hours before it, 72 on a Monday (unless it sat at the weekend)."""
    if meeting_starts_at.tzinfo is None:
        raise RuleInputError("meeting_starts_at", "Give the meeting's start with its time zone")
    monday = meeting_starts_at.weekday() == MONDAY and not meets_at_weekends
    hours = MONDAY_WINDOW_HOURS if monday else WINDOW_HOURS
    start = meeting_starts_at - dt.timedelta(hours=hours)
    return Window(
        start,
        meeting_starts_at,
        hours,
        (
            Step(
                f"Incidents in the {hours} hours before the meeting"
                + (" (a Monday: the weekend too)" if monday else ""),
                SOURCE_DRAMM,
            ),
        ),
    )


@dataclass(frozen=True)
class GradeCheck:
    target_hours: int
    working: tuple[Step, ...]


def check_grade(new_grade: str, previous_grade: str = "", reason: str = "") -> GradeCheck:
    if new_grade not in GRADES:
        raise RuleInputError("grade", "Choose red, amber or green")
    steps = []
    if previous_grade and previous_grade != new_grade:
        if len((reason or "").strip()) < MIN_REASON_LENGTH:
            raise RuleInputError(
                "reason", f"Give the reason for changing the grade (at least {MIN_REASON_LENGTH} characters)"
            )
        steps.append(Step(f"Regraded from {previous_grade} to {new_grade} with a reason", SOURCE_MASH))
    else:
        steps.append(Step(f"Graded {new_grade}", SOURCE_MASH))
    steps.append(Step(f"Response within {TARGET_HOURS[new_grade]} hours (working hours in the source)", SOURCE_MASH))
    return GradeCheck(TARGET_HOURS[new_grade], tuple(steps))


@dataclass(frozen=True)
class EncompassDeadline:
    due_by: dt.datetime
    school_day: dt.date
    working: tuple[Step, ...]


def encompass_deadline(
    incident_at: dt.datetime,
    tz: dt.tzinfo,
    school_day_starts_at: dt.time = SCHOOL_DAY_STARTS,
    non_school_days: Iterable[dt.date] = (),
) -> EncompassDeadline:
    """The start of the next school day after the incident, in the area's local time."""
    if incident_at.tzinfo is None:
        raise RuleInputError("incident_at", "Give the incident time with its time zone")
    closed = set(non_school_days)
    local = incident_at.astimezone(tz)
    day = local.date() + dt.timedelta(days=1)
    skipped = 0
    while day.weekday() >= SATURDAY or day in closed:
        day += dt.timedelta(days=1)
        skipped += 1
        if skipped > 366:
            raise RuleInputError("non_school_days", "No school day in the next year: check the non-school days")
    due = dt.datetime.combine(day, school_day_starts_at, tzinfo=tz)
    steps = [
        Step(f"Incident on {local.date().isoformat()} at {local.time().isoformat(timespec='minutes')}"),
        Step(
            f"Next school day: {day.isoformat()}"
            + (f" ({skipped} weekend or non-school days passed over)" if skipped else ""),
            SOURCE_ENCOMPASS,
        ),
        Step(
            f"Tell the school before {school_day_starts_at.isoformat(timespec='minutes')} that day "
            "(the area's school start time; no statute sets one)",
            SOURCE_SAFEGUARD,
        ),
    ]
    return EncompassDeadline(due, day, tuple(steps))
