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

Conventions where the law is silent (Safeguard's documented choices; each is
a line of ``docs/decisions.md``). Where two readings exist, the protective one
is chosen: the requirement lasts longer and the deadline comes sooner.
- **Years from 29 February.** No statute or reported case says what "one
  year" from 29 February is in a common year. :func:`add_years` follows the
  Dodds v Walker month rule (12 calendar months, no corresponding date, so
  the last day of the month): 29 February 2024 + 1 year is 28 February 2025.
- **Periods beginning on the 29th, 30th or 31st.** A period of months
  "beginning with" a day has two candidate last days where the later month
  is shorter: the day before the corresponding date of the start (one month
  beginning 31 August: 30 September less a day, 29 September), or the
  corresponding date of the day before the start (Dodds v Walker applied to
  30 August: 30 September). :func:`last_day_of_period` takes the later of the
  two, so a notification period never ends early: one month beginning
  31 August ends on 30 September; one year beginning 29 February 2024 ends on
  28 February 2025.
- **Birthdays on 29 February.** s.9 of the 1969 Act speaks of "the relevant
  anniversary" but a common year has no 29 February. Two readings: the
  anniversary is 28 February, or it is 1 March. :func:`age_on` takes
  ``leap_birthday`` to choose: ``"1 March"`` (the default, used where a
  later age is the cautious answer, such as RFG and MATAC) or
  ``"28 February"`` (used by the notification rules for the s.82(2) halving
  and the s.91B review period, where being treated as 18 a day sooner never
  shortens the requirement).

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
    """The last day of a period of ``years`` and ``months`` *beginning with* ``start`` (the protective reading).

    ``start`` is day 1 of the period, so the period ends on the day before
    the corresponding date: 10 years beginning with 1 May 2020 ends on
    30 April 2030. Where the later month has no corresponding date the two
    readings differ; the later day is taken (see the module docstring): one
    month beginning with 31 August ends on 30 September.
    """
    total = years * MONTHS_IN_YEAR + months
    if total <= 0:
        raise ValueError("A period must be at least one month long")
    return max(_day_before_corresponding(start, total), _corresponding_of_day_before(start, total))


def _day_before_corresponding(start: dt.date, months: int) -> dt.date:
    """Reading A: the day before the corresponding date of ``start``."""
    return add_months(start, months) - dt.timedelta(days=1)


def _corresponding_of_day_before(start: dt.date, months: int) -> dt.date:
    """Reading B: the corresponding date of the day before ``start`` (Dodds v Walker applied to that day)."""
    return add_months(start - dt.timedelta(days=1), months)


def period_readings(start: dt.date, years: int = 0, months: int = 0) -> tuple[dt.date, dt.date]:
    """Both candidate last days of a period beginning with ``start``: (day before the corresponding date,
    corresponding date of the day before). They differ only for a start on the 29th, 30th or 31st."""
    total = years * MONTHS_IN_YEAR + months
    if total <= 0:
        raise ValueError("A period must be at least one month long")
    return _day_before_corresponding(start, total), _corresponding_of_day_before(start, total)


def days_beginning_with(start: dt.date, n: int) -> dt.date:
    """The last day of a period of ``n`` days beginning with ``start`` (``start`` + n - 1)."""
    if n < 1:
        raise ValueError("A period must be at least one day long")
    return start + dt.timedelta(days=n - 1)


MARCH_FIRST = "1 March"
FEBRUARY_28TH = "28 February"
LEAP_BIRTHDAY_READINGS = (MARCH_FIRST, FEBRUARY_28TH)


def age_on(date_of_birth: dt.date, on: dt.date, *, leap_birthday: str = MARCH_FIRST) -> int:
    """Age in whole years on the day ``on`` (Family Law Reform Act 1969 s.9).

    A person attains an age at the start of the anniversary of their birth,
    so on their 18th birthday they are 18. For a person born on 29 February
    the law is not explicit about common years: ``leap_birthday`` says which
    day is the anniversary then, ``"1 March"`` (17 throughout 28 February of
    the year they turn 18) or ``"28 February"`` (18 on 28 February).
    """
    if on < date_of_birth:
        raise ValueError("The day asked about is before the date of birth")
    if leap_birthday not in LEAP_BIRTHDAY_READINGS:
        raise ValueError("Choose the reading of a 29 February birthday")
    born = (date_of_birth.month, date_of_birth.day)
    if born == (FEBRUARY, LEAP_DAY) and leap_birthday == FEBRUARY_28TH and not calendar.isleap(on.year):
        born = (FEBRUARY, LEAP_DAY - 1)
    before_birthday = (on.month, on.day) < born
    return on.year - date_of_birth.year - (1 if before_birthday else 0)


def is_leap_birthday(date_of_birth: dt.date) -> bool:
    return (date_of_birth.month, date_of_birth.day) == (FEBRUARY, LEAP_DAY)


def date_attaining_age(date_of_birth: dt.date, age: int, *, leap_birthday: str = MARCH_FIRST) -> dt.date:
    """The day on which a person attains ``age`` (for 29 February births in a common year: per ``leap_birthday``)."""
    if age < 0:
        raise ValueError("An age cannot be negative")
    year = date_of_birth.year + age
    if is_leap_birthday(date_of_birth) and not calendar.isleap(year):
        return dt.date(year, 2, 28) if leap_birthday == FEBRUARY_28TH else dt.date(year, 3, 1)
    return date_of_birth.replace(year=year)
