"""Release pathways: the checklist of what must be in place when a nominal leaves custody (a pure rule).

Source: the PCC's response quoted in docs/sources/interventions-and-release.md ("a smooth transition on
release", "pathways for those leaving prisons", "increase the rate of community substance misuse treatment
take-up") and Safeguard's own requirement (docs/requirements.md, "Release pathways"): the checklist opens
12 weeks before the release date; accommodation is in place on the day of release; a substance misuse
treatment appointment within 3 weeks of release.

Where no source sets a date (GP registration, benefits, identification, employment, training or
education), the item is due on the day of release: the protective reading (it is in place when the person
leaves, not some time after), recorded in docs/decisions.md. Every offset is in ``DEFAULTS`` with its
status; the functions take a mapping of changed values, so that an area's settings can replace them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from safeguard.rules.working import RuleInputError

ACCOMMODATION = "accommodation"
SUBSTANCE_MISUSE = "substance_misuse"
GP = "gp"
BENEFITS = "benefits"
IDENTIFICATION = "identification"
EMPLOYMENT = "employment"

PATHWAYS = {
    ACCOMMODATION: "Accommodation on the day of release",
    SUBSTANCE_MISUSE: "Substance misuse treatment appointment",
    GP: "GP registration",
    BENEFITS: "Benefits claim",
    IDENTIFICATION: "Identification documents",
    EMPLOYMENT: "Employment, training or education",
}


@dataclass(frozen=True)
class Default:
    value: int
    status: str  # "requirement": Safeguard's requirement from the seeds; "protective": no source, the safe reading


# Days after the release date each item is due (0: on the day), and the weeks before release the list opens.
DEFAULTS: dict[str, Default] = {
    "window_weeks": Default(12, "requirement"),
    ACCOMMODATION: Default(0, "requirement"),
    SUBSTANCE_MISUSE: Default(21, "requirement"),
    GP: Default(0, "protective"),
    BENEFITS: Default(0, "protective"),
    IDENTIFICATION: Default(0, "protective"),
    EMPLOYMENT: Default(0, "protective"),
}

TO_ARRANGE = "to_arrange"
ARRANGED = "arranged"
NOT_POSSIBLE = "not_possible"
ITEM_STATUSES = {TO_ARRANGE: "To arrange", ARRANGED: "Arranged", NOT_POSSIBLE: "Cannot be arranged"}


def setting(settings: Mapping[str, int] | None, name: str) -> int:
    value = (settings or {}).get(name, DEFAULTS[name].value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleInputError(name, "Enter a whole number of days or weeks, 0 or more")
    return value


def opens_on(release_date: dt.date, settings: Mapping[str, int] | None = None) -> dt.date:
    """The first day the release checklist is worked on."""
    return release_date - dt.timedelta(weeks=setting(settings, "window_weeks"))


def in_window(release_date: dt.date | None, today: dt.date, settings: Mapping[str, int] | None = None) -> bool:
    """A release from today to the end of the window (a past release date is not an upcoming release)."""
    return release_date is not None and today <= release_date and opens_on(release_date, settings) <= today


def due_dates(release_date: dt.date, settings: Mapping[str, int] | None = None) -> dict[str, dt.date]:
    """Each pathway's due date, from the release date."""
    return {name: release_date + dt.timedelta(days=setting(settings, name)) for name in PATHWAYS}


def is_gap(status: str, due_on: dt.date, release_date: dt.date, today: dt.date) -> bool:
    """A gap: an item that cannot be arranged, or still to arrange when it is due or the release has come.

    An item still to arrange on the day of release is a gap even when due after it: a nominal leaves custody
    with a plan in place or with a known gap, never an unknown one.
    """
    if status not in ITEM_STATUSES:
        raise RuleInputError("status", "Choose the item's status")
    if status == NOT_POSSIBLE:
        return True
    return status == TO_ARRANGE and (due_on <= today or release_date <= today)
