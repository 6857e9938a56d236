"""Calendar arithmetic for legal periods, and the shared ``Deadline`` result.

Sources:
- Interpretation Act 1978 Sch.1: "month" means calendar month.
- Dodds v Walker [1981] 1 WLR 1027 (HL): a period of calendar months ends on
  the corresponding date of the later month; where that month has no
  corresponding date (31 August + 1 month) it ends on the last day of the
  month.
- Trow v Ind Coope (West Midlands) Ltd [1967] 2 QB 899 and Zoan v Rouamba
  [2000] 1 WLR 1509: a period "beginning with" a day includes that day, so a
  period of 12 months beginning with 30 September ends on 29 September.
- Family Law Reform Act 1969 s.9: a person attains an age at the
  commencement of the relevant anniversary of the date of birth.

Conventions where the law is silent (Safeguard's documented choices):
- **Years from 29 February.** No statute or reported case says what "one
  year" from 29 February is in a common year. :func:`add_years` follows the
  Dodds v Walker month rule (12 calendar months, no corresponding date, so
  the last day of the month): 29 February 2024 + 1 year is 28 February 2025.
  A consequence for periods *beginning with* 29 February: one year
  beginning with 29 February 2024 ends on 27 February 2025, the same day as
  one year beginning with 28 February 2024.
- **Birthdays on 29 February.** s.9 of the 1969 Act speaks of "the relevant
  anniversary" but a common year has no 29 February. :func:`age_on` treats
  the anniversary as 1 March in a common year (the person is still the
  younger age throughout 28 February). This differs from :func:`add_years`
  on purpose: an age is attained only once the anniversary has fully come,
  and the later day is the one on which no doubt remains.

These helpers are arithmetic primitives: they return plain dates and raise
``ValueError`` on impossible input. The rules that use them validate their
inputs first (naming the API field) and carry the working.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from safeguard.rules.working import Step

MONTHS_IN_YEAR = 12
FEBRUARY = 2
LEAP_DAY = 29


@dataclass(frozen=True)
class Deadline:
    """The last day on which something must be done, with the working that produced it."""

    due: dt.date
    working: tuple[Step, ...]


def add_months(d: dt.date, n: int) -> dt.date:
    """``d`` moved by ``n`` calendar months (``n`` may be negative).

    Where the target month has no corresponding day (31 January + 1 month)
    the result is the last day of that month (Dodds v Walker).
    """
    index = d.year * MONTHS_IN_YEAR + (d.month - 1) + n
    year, month0 = divmod(index, MONTHS_IN_YEAR)
    month = month0 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_years(d: dt.date, n: int) -> dt.date:
    """``d`` moved by ``n`` years of 12 calendar months.

    29 February in a year that lands on a common year becomes 28 February:
    the statutes are silent on this and it is the convention chosen here
    (the calendar-month rule of Dodds v Walker applied to 12 months).
    """
    return add_months(d, n * MONTHS_IN_YEAR)


def last_day_of_period(start: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """The last day of a period of ``years`` and ``months`` *beginning with* ``start``.

    ``start`` is day 1 of the period, so the period ends on the day before
    the corresponding date: 10 years beginning with 1 May 2020 ends on
    30 April 2030. For a start of 29 February see the module docstring.
    """
    total = years * MONTHS_IN_YEAR + months
    if total <= 0:
        raise ValueError("A period must be at least one month long")
    return add_months(start, total) - dt.timedelta(days=1)


def days_beginning_with(start: dt.date, n: int) -> dt.date:
    """The last day of a period of ``n`` days beginning with ``start`` (``start`` + n - 1)."""
    if n < 1:
        raise ValueError("A period must be at least one day long")
    return start + dt.timedelta(days=n - 1)


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Age in whole years on the day ``on`` (Family Law Reform Act 1969 s.9).

    A person attains an age at the start of the anniversary of their birth,
    so on their 18th birthday they are 18. For a person born on 29 February
    the law is not explicit about common years; the convention here is that
    the anniversary is 1 March, so they are 17 throughout 28 February of the
    year they turn 18 in a common year and 18 from 1 March.
    """
    if on < date_of_birth:
        raise ValueError("The day asked about is before the date of birth")
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (1 if before_birthday else 0)


def date_attaining_age(date_of_birth: dt.date, age: int) -> dt.date:
    """The day on which a person attains ``age`` (1 March for 29 February births in a common year)."""
    if age < 0:
        raise ValueError("An age cannot be negative")
    year = date_of_birth.year + age
    if (date_of_birth.month, date_of_birth.day) == (FEBRUARY, LEAP_DAY) and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return date_of_birth.replace(year=year)
