"""Operation Encompass: which children a notice to a school is for.

Sources:
- Operation Encompass, statutory since the Victims and Prisoners Act 2024:
  after a domestic-abuse incident the police tell the designated safeguarding
  lead of each child's school, from reception to 17, even if the child was not
  present [C] (docs/sources/domestic-abuse.md).
- School Admissions Code (Department for Education, September 2021) para 2.17:
  admission authorities must provide for the admission of all children in the
  September following their fourth birthday. School year groups run from
  1 September to 31 August, so a child reaches reception on the first
  1 September after their fourth birthday (a child born on 1 September is the
  oldest of the year below) [C].

Decisions Safeguard had to make:
- A child who has not yet reached that September cannot be in reception: no
  notice is due. From that September a child may be at school; whether they
  are (deferred entry for a summer-born child, home education) is not known
  from the date of birth, so a notice is due unless the person recording it
  says the child attends no school, with the reason.
- A child aged 18 or over on the day of the incident is outside the scheme.
- A child whose date of birth is not recorded: a notice is taken to be due
  (the incident named them as a child); the page asks for the date of birth.
- Early-years settings (nurseries) are outside the scheme as the domain notes
  describe it; some areas extend Operation Encompass to them locally, which
  Safeguard does not model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.rules.working import Step

SOURCE_ENCOMPASS = "Operation Encompass (Victims and Prisoners Act 2024)"
SOURCE_ADMISSIONS = "School Admissions Code 2021, para 2.17"
SOURCE_SAFEGUARD = "Safeguard's reading (the source is silent)"

RECEPTION_AFTER_BIRTHDAY = 4  # admitted in the September following the fourth birthday
OVER_AGE = 18  # "reception to 17"
SCHOOL_YEAR_STARTS = (9, 1)  # 1 September


@dataclass(frozen=True)
class Applies:
    due: bool
    working: tuple[Step, ...]


def _age_on(date_of_birth: dt.date, day: dt.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _birthday(date_of_birth: dt.date, years: int) -> dt.date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:  # 29 February in a year that has none: the birthday is taken as 1 March
        return dt.date(date_of_birth.year + years, 3, 1)


def reception_from(date_of_birth: dt.date) -> dt.date:
    """The first 1 September strictly after the fourth birthday."""
    fourth = _birthday(date_of_birth, RECEPTION_AFTER_BIRTHDAY)
    month, day = SCHOOL_YEAR_STARTS
    september = dt.date(fourth.year, month, day)
    return september if september > fourth else dt.date(fourth.year + 1, month, day)


def notice_due(date_of_birth: dt.date | None, incident_on: dt.date) -> Applies:
    """Whether a child's school is to be told of an incident on ``incident_on``."""
    if date_of_birth is None:
        return Applies(
            True,
            (Step("Date of birth not recorded: a notice is taken to be due", SOURCE_SAFEGUARD),),
        )
    age = _age_on(date_of_birth, incident_on)
    if age >= OVER_AGE:
        return Applies(False, (Step(f"Aged {age} on the day: the scheme covers reception to 17", SOURCE_ENCOMPASS),))
    starts = reception_from(date_of_birth)
    if incident_on < starts:
        return Applies(
            False,
            (
                Step(
                    f"Not yet of reception age: reception from {starts.isoformat()}, the September after the "
                    "fourth birthday",
                    SOURCE_ADMISSIONS,
                ),
            ),
        )
    return Applies(
        True,
        (
            Step(f"Aged {age} on the day, of school age (reception from {starts.isoformat()})", SOURCE_ADMISSIONS),
            Step("The school's designated safeguarding lead is to be told", SOURCE_ENCOMPASS),
        ),
    )
