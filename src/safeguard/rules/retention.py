"""Retention of police information: the review group and the review and disposal dates.

Sources:
- College of Policing, Police Information and Records Management Code of
  Practice (2023), which replaced the Management of Police Information (MoPI)
  Code: decisions to retain are recorded; information is kept for at least
  six years; the National Retention Assessment Criteria apply [C].
- The three review groups are the ones commonly cited from MoPI practice and
  are not confirmed from the 2023 Code (domain file ``data-protection.md``
  [R]): Group 1, certain public protection matters including MAPPA-managed
  offenders, retained until the subject is 100 and reviewed every 10 years;
  Group 2, other sexual, violent or serious offences, reviewed after a
  10-year clear period; Group 3, all other offences, a 6-year clear period.
  A new qualifying event restarts the clear period; a legal hold blocks
  disposal. The values are :class:`RetentionSettings` fields with ``DEFAULTS``.

Safeguard's readings where the sources are silent:
- "Retain until the subject is 100": disposal may be considered from the day
  the subject attains 100 (1 March for a 29 February birth in a common
  year; see ``rules.dates.age_on``). Without a date of birth no disposal
  date is given: the record is kept and reviewed.
- Group 1 reviews fall every 10 years from the last review, or from the
  record's creation when there has been none.
- Groups 2 and 3: the review falls at the end of the clear period (and never
  before the 6-year minimum). When a review on or after that day kept the
  record, the next review is one clear period after that review: the groups
  as cited set no re-review interval, so the same period is reused.
- The end of a clear period of N years after an event is the event + N
  years (the day of the event excluded, as for any period "after" an event).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.rules.dates import add_years, date_attaining_age
from safeguard.rules.working import Default, RuleInputError, Status, Step

__all__ = [
    "DEFAULTS",
    "RetentionGroupFinding",
    "RetentionSchedule",
    "RetentionSettings",
    "retention_group",
    "retention_schedule",
]

CODE = "College of Policing, Police Information and Records Management Code (2023)"
GROUPS = "Review groups as commonly cited from MoPI practice (unconfirmed)"
SAFEGUARD = "Safeguard's reading (the sources are silent)"

GROUP_NUMBERS = (1, 2, 3)


@dataclass(frozen=True)
class RetentionSettings:
    """The review groups' values (unconfirmed) and the Code's minimum (see ``DEFAULTS``)."""

    group1_retain_until_age: int = 100
    group1_review_years: int = 10
    group2_clear_years: int = 10
    group3_clear_years: int = 6
    minimum_retention_years: int = 6


_DEFAULT_SETTINGS = RetentionSettings()

DEFAULTS = (
    Default(
        "group1_retain_until_age",
        _DEFAULT_SETTINGS.group1_retain_until_age,
        GROUPS,
        Status.UNCONFIRMED,
        "Group 1 (public protection, including MAPPA-managed offenders): retain until the subject reaches this age.",
    ),
    Default(
        "group1_review_years",
        _DEFAULT_SETTINGS.group1_review_years,
        GROUPS,
        Status.UNCONFIRMED,
        "Group 1 records are reviewed at least this often.",
    ),
    Default(
        "group2_clear_years",
        _DEFAULT_SETTINGS.group2_clear_years,
        GROUPS,
        Status.UNCONFIRMED,
        "Group 2 (other sexual, violent or serious offences): review after a clear period of this many years.",
    ),
    Default(
        "group3_clear_years",
        _DEFAULT_SETTINGS.group3_clear_years,
        GROUPS,
        Status.UNCONFIRMED,
        "Group 3 (all other offences): clear period of this many years.",
    ),
    Default(
        "minimum_retention_years",
        _DEFAULT_SETTINGS.minimum_retention_years,
        CODE,
        Status.CONFIRMED,
        "No record is disposed of before it is this many years old.",
    ),
)


@dataclass(frozen=True)
class RetentionGroupFinding:
    group: int
    working: tuple[Step, ...]


@dataclass(frozen=True)
class RetentionSchedule:
    group: int
    next_review_on: dt.date
    earliest_disposal_on: dt.date | None  # None under a legal hold, or group 1 without a date of birth
    blocked_by_legal_hold: bool
    working: tuple[Step, ...]


def retention_group(
    mappa_managed: bool, public_protection: bool, sexual_violent_or_serious: bool
) -> RetentionGroupFinding:
    """The review group a record falls into; the most protective group that applies wins."""
    if mappa_managed or public_protection:
        why = "a MAPPA-managed offender" if mappa_managed else "a public protection matter"
        return RetentionGroupFinding(1, (Step(f"Concerns {why}: Group 1", GROUPS),))
    if sexual_violent_or_serious:
        return RetentionGroupFinding(2, (Step("A sexual, violent or serious offence: Group 2", GROUPS),))
    return RetentionGroupFinding(3, (Step("Any other offence: Group 3", GROUPS),))


def _check_settings(settings: RetentionSettings) -> None:
    for name in (
        "group1_retain_until_age",
        "group1_review_years",
        "group2_clear_years",
        "group3_clear_years",
        "minimum_retention_years",
    ):
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise RuleInputError(name, "Retention settings must be whole numbers of years, 1 or more")


def retention_schedule(
    group: int,
    *,
    record_created_on: dt.date,
    last_qualifying_event_on: dt.date,
    last_review_on: dt.date | None = None,
    date_of_birth: dt.date | None = None,
    legal_hold: bool = False,
    settings: RetentionSettings = RetentionSettings(),
) -> RetentionSchedule:
    """When a record is next reviewed and the earliest day it may be disposed of."""
    if group not in GROUP_NUMBERS:
        raise RuleInputError("group", "Choose a retention group of 1, 2 or 3")
    if last_review_on is not None and last_review_on < record_created_on:
        raise RuleInputError("last_review_on", "A review cannot be before the record was created: check the dates")
    _check_settings(settings)

    minimum = add_years(record_created_on, settings.minimum_retention_years)
    steps = [
        Step(
            f"Kept at least {settings.minimum_retention_years} years from creation: not before {minimum.isoformat()}",
            CODE,
        )
    ]
    disposal: dt.date | None

    if group == 1:
        base = last_review_on or record_created_on
        next_review = add_years(base, settings.group1_review_years)
        steps.append(
            Step(
                f"Group 1: reviewed every {settings.group1_review_years} years from the "
                f"{'last review' if last_review_on else 'creation of the record'}: "
                f"next review {next_review.isoformat()}",
                GROUPS,
            )
        )
        if date_of_birth is None:
            disposal = None
            steps.append(
                Step(
                    f"Group 1 is kept until the subject is {settings.group1_retain_until_age}; no date of birth is "
                    "recorded, so no disposal date can be given: keep and review",
                    GROUPS,
                )
            )
        else:
            at_age = date_attaining_age(date_of_birth, settings.group1_retain_until_age)
            disposal = max(at_age, minimum)
            steps.append(
                Step(
                    f"Group 1: kept until the subject is {settings.group1_retain_until_age}, on {at_age.isoformat()}",
                    GROUPS,
                )
            )
            if at_age < minimum:
                steps.append(Step(f"The minimum retention governs: not before {minimum.isoformat()}", CODE))
    else:
        years = settings.group2_clear_years if group == 2 else settings.group3_clear_years
        clear_end = add_years(last_qualifying_event_on, years)
        steps.append(
            Step(
                f"Group {group}: a clear period of {years} years after the last qualifying event "
                f"(a new event restarts it): ends {clear_end.isoformat()}",
                GROUPS,
            )
        )
        disposal = max(clear_end, minimum)
        if clear_end < minimum:
            steps.append(Step(f"The minimum retention governs: not before {minimum.isoformat()}", CODE))
        if last_review_on is not None and last_review_on >= disposal:
            disposal = add_years(last_review_on, years)
            steps.append(
                Step(
                    f"A review on {last_review_on.isoformat()} kept the record: the next review is one clear period "
                    f"later, {disposal.isoformat()}",
                    SAFEGUARD,
                )
            )
        next_review = disposal

    if legal_hold:
        steps.append(Step("A legal hold is in place: the record may not be disposed of while it lasts", CODE))
        return RetentionSchedule(group, next_review, None, True, tuple(steps))
    if disposal is not None:
        steps.append(Step(f"Earliest disposal, subject to review: {disposal.isoformat()}", CODE))
    return RetentionSchedule(group, next_review, disposal, False, tuple(steps))
