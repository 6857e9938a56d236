"""Sex offender notification ("the register"): periods and deadlines.

Sources (legislation.gov.uk, revised text):
- Sexual Offences Act 2003 (SOA 2003) Part 2: s.82 (notification period and
  its table; s.82(2) halving for under-18s), s.83 (initial notification),
  s.84 (changes), s.85 (periodic notification), s.131 (references to
  imprisonment include detention of young offenders).
- Sexual Offences Act 2003 (Notification Requirements) (England and Wales)
  Regulations 2012 (SI 2012/1876): weekly notification where there is no
  sole or main residence; all foreign travel notified at least 7 days before
  departure, and again at least 24 hours before departure if the details
  change (in force 13 August 2012).
- Sexual Offences Act 2003 (Remedial) Order 2012 (SI 2012/1883), inserting
  ss.91A-91F: review of indefinite notification; s.91B(2)-(3) qualifying
  and further qualifying dates.
- Safeguard domain file ``notification.md`` marks the 12-hour late-travel
  fallback and the notice on return (within 3 days) as unconfirmed for
  England and Wales: they are :class:`NotificationSettings` fields listed in
  ``DEFAULTS``.

How days are counted (see also ``rules.dates``):
- "within the period of 3 days beginning with" a day (ss.83-84): that day is
  day 1, so the last day is the day + 2.
- A notification period in the s.82 table runs "beginning with" the relevant
  date; ``end_date`` is the last day on which the requirements apply.
- s.85 "within the period of one year after" the last notification: "after"
  excludes the day of the notification, so the year runs from the next day
  and ends on the anniversary: the due date is the last notification + 1
  year (28 February when the last notification was on 29 February and the
  next year is a common year).
- Foreign travel "at least 7 days before departure": Safeguard counts whole
  calendar days back from the departure date (notice on the 1st is in time
  for a departure on the 8th). Whether the regulations mean 7 *clear* days
  is not settled by the text held; the hour limits (24 and 12 hours) run to
  the time of departure, which Safeguard does not hold, so the date shown is
  the latest calendar day and the working states the hour limit.

Not modelled (the caller supplies the figure the law gives, and the working
says so): combining several terms (s.82(3)-(4)); advance notice of a change
(s.84(2)-(4)); time in custody, hospital or abroad *during* a change period
(s.84(5) applying s.83(6)); extension of the periodic deadline while in
custody, hospital or abroad at its end (s.85(3)-(4)); any further qualifying
date set under s.91B(4)-(6), whose text was not confirmed for this module.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from safeguard.rules.dates import (
    MONTHS_IN_YEAR,
    Deadline,
    add_years,
    age_on,
    days_beginning_with,
    last_day_of_period,
)
from safeguard.rules.working import Default, RuleInputError, Status, Step

__all__ = [
    "DEFAULTS",
    "ChangeKind",
    "Deadline",
    "Disposal",
    "NotificationPeriod",
    "NotificationSettings",
    "QualifyingDate",
    "TravelDeadlines",
    "change_notification_due",
    "foreign_travel_deadlines",
    "indefinite_review_qualifying_date",
    "initial_notification_due",
    "notification_period",
    "periodic_notification_due",
]

S82 = "SOA 2003 s.82(1) table"
S82_2 = "SOA 2003 s.82(2)"
S83 = "SOA 2003 s.83(1)"
S83_6 = "SOA 2003 s.83(6)"
S84 = "SOA 2003 s.84(1)"
S85 = "SOA 2003 s.85(1)"
S131 = "SOA 2003 s.131"
REGS_2012 = "SOA 2003 (Notification Requirements) (England and Wales) Regulations 2012"
S91A = "SOA 2003 s.91A(2) (Remedial Order 2012)"
S91B = "SOA 2003 s.91B(2)-(3) (Remedial Order 2012)"
FLRA_S9 = "Family Law Reform Act 1969 s.9"
DOMAIN = "Safeguard domain file notification.md"

PART_2_COMMENCEMENT = dt.date(2004, 5, 1)
ADULT_AGE = 18

INDEFINITE_TERM_MONTHS = 30  # imprisonment for 30 months or more: indefinite
SHORT_TERM_MONTHS = 6  # 6 months or less: 7 years; more than 6 and less than 30: 10 years
CONDITIONAL_DISCHARGE_MAX_MONTHS = 36  # a conditional discharge cannot exceed 3 years (Sentencing Act 2020 s.80)

TEN_YEARS = 10 * MONTHS_IN_YEAR
SEVEN_YEARS = 7 * MONTHS_IN_YEAR
FIVE_YEARS = 5 * MONTHS_IN_YEAR
TWO_YEARS = 2 * MONTHS_IN_YEAR
HALVED_PERIODS = frozenset({TEN_YEARS, SEVEN_YEARS, FIVE_YEARS, TWO_YEARS})  # s.82(2)

NOTIFY_WITHIN_DAYS = 3  # ss.83(1), 84(1)
PERIODIC_YEARS = 1  # s.85(1)
NO_FIXED_ABODE_DAYS = 7  # 2012 Regulations: weekly
TRAVEL_NOTICE_DAYS = 7  # 2012 Regulations [C]
TRAVEL_CHANGE_HOURS = 24  # 2012 Regulations [C]
HOURS_IN_DAY = 24

S83_6_ASSUMED = "Assumes no time in custody, in hospital or outside the UK within the period: such time is disregarded"
S85_3_ASSUMED = (
    "If in custody, in hospital or outside the UK when the period ends, it runs on until 3 days beginning with "
    "release or return"
)

REVIEW_ADULT_YEARS = 15  # s.91B(2)(a)
REVIEW_UNDER_18_YEARS = 8  # s.91B(2)(b)
REVIEW_AFTER_REFUSAL_YEARS = 8  # s.91B(3)


class Disposal(StrEnum):
    LIFE = "life"
    IPP = "ipp"
    IMPRISONMENT = "imprisonment"
    DETENTION = "detention"
    HOSPITAL_ORDER = "hospital_order"
    HOSPITAL_ORDER_WITH_RESTRICTION = "hospital_order_with_restriction"
    CAUTION = "caution"
    CONDITIONAL_DISCHARGE = "conditional_discharge"
    OTHER = "other"
    COMMUNITY_ORDER = "community_order"
    FINE = "fine"


CUSTODIAL_TERMS = frozenset({Disposal.IMPRISONMENT, Disposal.DETENTION})
INDETERMINATE = frozenset({Disposal.LIFE, Disposal.IPP})
ANY_OTHER_DESCRIPTION = frozenset({Disposal.OTHER, Disposal.COMMUNITY_ORDER, Disposal.FINE})

ROW_INDEFINITE_SENTENCE = (
    "imprisonment for life, imprisonment for public protection, or imprisonment for a term of 30 months or more"
)
ROW_RESTRICTION_ORDER = "admitted to a hospital subject to a restriction order"
ROW_MIDDLE_TERM = "imprisonment for a term of more than 6 months but less than 30 months"
ROW_SHORT_TERM = "imprisonment for a term of 6 months or less"
ROW_HOSPITAL = "admitted to a hospital without being subject to a restriction order"
ROW_CAUTION = "cautioned (s.80(1)(d))"
ROW_CONDITIONAL_DISCHARGE = "an order for conditional discharge"
ROW_OTHER = "a person of any other description"


class ChangeKind(StrEnum):
    NEW_NAME = "new_name"
    NEW_HOME_ADDRESS = "new_home_address"
    UNNOTIFIED_ADDRESS_STAY = "unnotified_address_stay"
    RELEASE_FROM_CUSTODY = "release_from_custody"


# Short forms accepted as well as the ChangeKind values.
CHANGE_KIND_ALIASES = {
    "name": ChangeKind.NEW_NAME,
    "home_address": ChangeKind.NEW_HOME_ADDRESS,
    "address": ChangeKind.NEW_HOME_ADDRESS,
    "stay": ChangeKind.UNNOTIFIED_ADDRESS_STAY,
    "release": ChangeKind.RELEASE_FROM_CUSTODY,
    "release_from_hospital": ChangeKind.RELEASE_FROM_CUSTODY,
}

_CHANGE_TEXT = {
    ChangeKind.NEW_NAME: ("using a name not notified", "s.84(1)(a)"),
    ChangeKind.NEW_HOME_ADDRESS: ("a change of home address", "s.84(1)(b)"),
    ChangeKind.UNNOTIFIED_ADDRESS_STAY: (
        "having stayed for a qualifying period (7 days, or two or more stays adding up to 7 days in 12 months) "
        "at an address not notified; the day given is the day the qualifying period was completed",
        "s.84(1)(c), (6)",
    ),
    ChangeKind.RELEASE_FROM_CUSTODY: ("release from custody, imprisonment or detention in a hospital", "s.84(1)(d)"),
}


@dataclass(frozen=True)
class NotificationSettings:
    """Foreign-travel values not confirmed for England and Wales (see ``DEFAULTS``)."""

    travel_fallback_hours: int = 12
    travel_return_days: int = 3


_DEFAULT_SETTINGS = NotificationSettings()

DEFAULTS = (
    Default(
        "travel_fallback_hours",
        _DEFAULT_SETTINGS.travel_fallback_hours,
        "Northern Ireland travel regulations (SR 2014/185 reg.7); not confirmed for England and Wales",
        Status.UNCONFIRMED,
        "Where the travel details are not known 7 days ahead, notice at least this many hours before departure.",
    ),
    Default(
        "travel_return_days",
        _DEFAULT_SETTINGS.travel_return_days,
        "Widely cited; no primary source confirmed for England and Wales",
        Status.UNCONFIRMED,
        "Notice on return to the UK within this many days, counted beginning with the day of return.",
    ),
)


@dataclass(frozen=True)
class NotificationPeriod:
    """How long the notification requirements last (s.82)."""

    indefinite: bool
    years: int
    months: int
    end_date: dt.date | None  # last day on which the requirements apply; None when indefinite
    under_18: bool  # under 18 on the relevant date
    halved: bool  # s.82(2) applied
    table_row: str
    working: tuple[Step, ...]


@dataclass(frozen=True)
class TravelDeadlines:
    """Deadlines for one trip abroad. ``*_by`` dates are the latest calendar day; hour limits also apply."""

    departure_on: dt.date
    notify_by: dt.date  # at least 7 days before departure [C]
    change_notify_by: dt.date  # if the details change: at least 24 hours before departure [C]
    change_notice_hours: int
    late_notify_by: dt.date  # details not known 7 days ahead: fallback [R]
    late_notice_hours: int
    return_notify_by: dt.date | None  # on return to the UK [R]; None until a return date is given
    working: tuple[Step, ...]


@dataclass(frozen=True)
class QualifyingDate:
    """When an offender on indefinite notification may first apply for a review (ss.91A-91B)."""

    eligible: bool  # False while an SHPO, interim SHPO or SOPO is in force (s.91A(2)(b))
    qualifying_date: dt.date  # the application may be made on or after this day
    further: bool  # True when it follows a refusal (s.91B(3))
    reason: str
    working: tuple[Step, ...]


def _disposal(value: str) -> Disposal:
    try:
        return Disposal(str(value).strip().lower())
    except ValueError:
        choices = ", ".join(d.value for d in Disposal)
        raise RuleInputError("disposal_type", f"Choose a disposal from: {choices}") from None


def _whole_months(field: str, value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuleInputError(field, f"Enter the {what} as a whole number of months, 1 or more")
    return value


def _row_for(disposal: Disposal, term_months: int | None, discharge_months: int | None) -> tuple[str, int | None]:
    """The s.82(1) row and its period in months (None for indefinite, the discharge for conditional discharge)."""
    if disposal in INDETERMINATE:
        return ROW_INDEFINITE_SENTENCE, None
    if disposal == Disposal.HOSPITAL_ORDER_WITH_RESTRICTION:
        return ROW_RESTRICTION_ORDER, None
    if disposal in CUSTODIAL_TERMS and term_months is not None:
        if term_months >= INDEFINITE_TERM_MONTHS:
            return ROW_INDEFINITE_SENTENCE, None
        if term_months > SHORT_TERM_MONTHS:
            return ROW_MIDDLE_TERM, TEN_YEARS
        return ROW_SHORT_TERM, SEVEN_YEARS
    if disposal == Disposal.HOSPITAL_ORDER:
        return ROW_HOSPITAL, SEVEN_YEARS
    if disposal == Disposal.CAUTION:
        return ROW_CAUTION, TWO_YEARS
    if disposal == Disposal.CONDITIONAL_DISCHARGE:
        return ROW_CONDITIONAL_DISCHARGE, discharge_months
    return ROW_OTHER, FIVE_YEARS


def _describe(total_months: int) -> str:
    years, months = divmod(total_months, MONTHS_IN_YEAR)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts)


def notification_period(
    relevant_date: dt.date,
    date_of_birth: dt.date,
    disposal_type: str,
    term_months: int | None = None,
    discharge_months: int | None = None,
) -> NotificationPeriod:
    """The notification period for one conviction, finding or caution (SOA 2003 s.82).

    ``term_months`` is the custodial term in whole months for imprisonment or
    detention. A term passed in weeks or days (26 weeks is less than 6
    months) must be entered so that it falls in the same row: a term over 6
    but under 7 months as 7, a term over 29 but under 30 months as 29.
    ``discharge_months``
    is the period of a conditional discharge, which is not halved for
    under-18s and is taken to begin with the relevant date.
    """
    disposal = _disposal(disposal_type)
    if relevant_date < date_of_birth:
        raise RuleInputError("relevant_date", "The relevant date cannot be before the date of birth: check both dates")
    steps: list[Step] = []

    if disposal in CUSTODIAL_TERMS:
        if term_months is None:
            raise RuleInputError("term_months", "Enter the length of the custodial term in months")
        term_months = _whole_months("term_months", term_months, "custodial term")
        steps.append(
            Step(
                f"Custodial term of {term_months} month{'s' if term_months != 1 else ''}; "
                "detention counts as imprisonment",
                S131,
            )
        )
    elif term_months is not None and disposal not in INDETERMINATE:
        raise RuleInputError("term_months", "A custodial term applies only to imprisonment or detention: leave blank")
    elif term_months is not None:
        steps.append(Step("A minimum term does not change the period for a life or IPP sentence", S82))

    if disposal == Disposal.CONDITIONAL_DISCHARGE:
        if discharge_months is None:
            raise RuleInputError("discharge_months", "Enter the period of the conditional discharge in months")
        discharge_months = _whole_months("discharge_months", discharge_months, "period of the conditional discharge")
        if discharge_months > CONDITIONAL_DISCHARGE_MAX_MONTHS:
            raise RuleInputError(
                "discharge_months", "A conditional discharge cannot be longer than 3 years (36 months): check the order"
            )
    elif discharge_months is not None:
        raise RuleInputError("discharge_months", "A discharge period applies only to a conditional discharge")

    under_18 = age_on(date_of_birth, relevant_date) < ADULT_AGE
    steps.append(Step(f"{'Under 18' if under_18 else 'Aged 18 or over'} on the relevant date", f"{S82_2}; {FLRA_S9}"))

    row, total = _row_for(disposal, term_months, discharge_months)
    if total is None:
        steps.append(Step(f"Row: {row}. Period: indefinite, beginning with the relevant date", S82))
        return NotificationPeriod(True, 0, 0, None, under_18, False, row, tuple(steps))

    if disposal == Disposal.CONDITIONAL_DISCHARGE:
        steps.append(
            Step(
                f"Row: {row}. Period: the period of the discharge, {_describe(total)}, taken as beginning with the "
                "relevant date (check the order if sentence was passed on a later day); not halved for under-18s",
                S82,
            )
        )
    else:
        steps.append(Step(f"Row: {row}. Period: {_describe(total)} beginning with the relevant date", S82))

    halved = under_18 and total in HALVED_PERIODS
    if halved:
        total //= 2
        steps.append(Step(f"Under 18 on the relevant date: the period is halved to {_describe(total)}", S82_2))

    end = last_day_of_period(relevant_date, months=total)
    steps.append(
        Step(
            f"The relevant date is day 1 of the period, so the requirements apply until {end.isoformat()} inclusive",
            S82,
        )
    )
    years, months = divmod(total, MONTHS_IN_YEAR)
    return NotificationPeriod(False, years, months, end, under_18, halved, row, tuple(steps))


def initial_notification_due(relevant_date: dt.date, released_on: dt.date | None = None) -> Deadline:
    """Last day for the initial notification (s.83(1)): 3 days beginning with the relevant date.

    ``released_on`` is the day of release or return for a person who was in
    custody, detained in hospital or outside the UK on the relevant date:
    that time is disregarded (s.83(6)), so the 3 days begin with that day.
    A relevant date before Part 2 came into force (1 May 2004) counts from
    commencement, as s.83(1) says.
    """
    if released_on is not None and released_on < relevant_date:
        raise RuleInputError(
            "released_on", "The day of release or return cannot be before the relevant date: check both dates"
        )
    steps = []
    start = relevant_date
    if relevant_date < PART_2_COMMENCEMENT:
        start = PART_2_COMMENCEMENT
        steps.append(Step("The relevant date is before Part 2 came into force: count from 1 May 2004", S83))
    if released_on is not None and released_on > start:
        start = released_on
        steps.append(
            Step(
                "Time in custody, detained in hospital or outside the UK is disregarded: "
                "the period begins with the day of release or return",
                S83_6,
            )
        )
    due = days_beginning_with(start, NOTIFY_WITHIN_DAYS)
    steps.append(
        Step(
            f"Within the period of 3 days beginning with {start.isoformat()} (day 1): by {due.isoformat()}",
            S83,
        )
    )
    return Deadline(due, tuple(steps))


def change_notification_due(event_on: dt.date, change_kind: str) -> Deadline:
    """Last day to notify a change (s.84(1)): 3 days beginning with the event.

    Time in custody, in hospital or outside the UK within those 3 days is
    disregarded (s.84(5), applying s.83(6)); this date assumes there was none.
    """
    text_kind = str(change_kind).strip().lower()
    try:
        kind = CHANGE_KIND_ALIASES.get(text_kind) or ChangeKind(text_kind)
    except ValueError:
        choices = ", ".join(k.value for k in ChangeKind)
        raise RuleInputError("change_kind", f"Choose the kind of change from: {choices}") from None
    text, paragraph = _CHANGE_TEXT[kind]
    due = days_beginning_with(event_on, NOTIFY_WITHIN_DAYS)
    steps = (
        Step(f"Event: {text}", f"SOA 2003 {paragraph}"),
        Step(
            f"Within the period of 3 days beginning with {event_on.isoformat()} (day 1): by {due.isoformat()}",
            S84,
        ),
        Step(S83_6_ASSUMED, "SOA 2003 s.84(5), s.83(6)"),
    )
    return Deadline(due, steps)


def periodic_notification_due(last_notified_on: dt.date, no_fixed_abode: bool = False) -> Deadline:
    """Last day for the next periodic notification (s.85(1)).

    Every notification under s.83, s.84 or s.85 restarts the period. "Within
    the period of one year after" excludes the day of the last notification,
    so the year ends on its anniversary: the due date is the last
    notification + 1 year. With no sole or main residence the period is 7
    days (2012 Regulations), due the last notification + 7 days.
    """
    if no_fixed_abode:
        due = last_notified_on + dt.timedelta(days=NO_FIXED_ABODE_DAYS)
        steps = (
            Step("No sole or main residence in the UK: notify every 7 days", f"SOA 2003 s.85(5)-(6); {REGS_2012}"),
            Step(f"Within 7 days after the last notification: by {due.isoformat()}", S85),
            Step(S85_3_ASSUMED, "SOA 2003 s.85(3)-(4)"),
        )
        return Deadline(due, steps)
    due = add_years(last_notified_on, PERIODIC_YEARS)
    steps = (
        Step("Each notification under s.83, s.84 or s.85 starts a new year", S85),
        Step(
            "'Within the period of one year after': the day of the last notification is excluded, so the year "
            f"ends on its anniversary: by {due.isoformat()}",
            S85,
        ),
        Step(S85_3_ASSUMED, "SOA 2003 s.85(3)-(4)"),
    )
    return Deadline(due, steps)


def _days_back_for_hours(hours: int) -> int:
    return max(1, math.ceil(hours / HOURS_IN_DAY))


def foreign_travel_deadlines(
    departure_on: dt.date,
    settings: NotificationSettings = NotificationSettings(),
    *,
    returned_on: dt.date | None = None,
) -> TravelDeadlines:
    """Deadlines for notifying one trip abroad (2012 Regulations; fallback and return from settings)."""
    if returned_on is not None and returned_on < departure_on:
        raise RuleInputError("returned_on", "The day of return cannot be before the day of departure")
    if settings.travel_fallback_hours < 1 or settings.travel_return_days < 1:
        raise RuleInputError("settings", "Travel settings must be 1 or more")
    notify_by = departure_on - dt.timedelta(days=TRAVEL_NOTICE_DAYS)
    change_by = departure_on - dt.timedelta(days=_days_back_for_hours(TRAVEL_CHANGE_HOURS))
    late_by = departure_on - dt.timedelta(days=_days_back_for_hours(settings.travel_fallback_hours))
    steps = [
        Step(
            f"All travel abroad is notified at least 7 days before departure: by {notify_by.isoformat()}",
            REGS_2012,
        ),
        Step(
            f"If the details change, notify again at least 24 hours before the time of departure: "
            f"by {change_by.isoformat()} and no later than 24 hours before departure",
            REGS_2012,
        ),
        Step(
            f"If the details are not known 7 days ahead, notify at least {settings.travel_fallback_hours} hours "
            f"before departure: by {late_by.isoformat()} (setting; unconfirmed for England and Wales)",
            DOMAIN,
        ),
    ]
    return_by = None
    if returned_on is not None:
        return_by = days_beginning_with(returned_on, settings.travel_return_days)
        steps.append(
            Step(
                f"On return, notify within {settings.travel_return_days} days beginning with the day of return: "
                f"by {return_by.isoformat()} (setting; unconfirmed for England and Wales)",
                DOMAIN,
            )
        )
    return TravelDeadlines(
        departure_on=departure_on,
        notify_by=notify_by,
        change_notify_by=change_by,
        change_notice_hours=TRAVEL_CHANGE_HOURS,
        late_notify_by=late_by,
        late_notice_hours=settings.travel_fallback_hours,
        return_notify_by=return_by,
        working=tuple(steps),
    )


def indefinite_review_qualifying_date(
    first_notification_after_release: dt.date,
    under_18_on_relevant_date: bool,
    last_refusal_on: dt.date | None = None,
    shpo_in_force: bool = False,
) -> QualifyingDate:
    """The first day an offender on indefinite notification may apply for a review (s.91B).

    The qualifying date is "the day after the end of the 15 year period (8
    years if under 18 on the relevant date) beginning with the day" of the
    first notification after release from custody: that day + 15 (or 8)
    years. After a refusal the further qualifying date is the day after the
    end of the 8 year period beginning with the day of the determination.
    No application may be made while an SHPO, interim SHPO or SOPO is in
    force (s.91A(2)(b)); the date is still given, for when the order ends.
    """
    years = REVIEW_UNDER_18_YEARS if under_18_on_relevant_date else REVIEW_ADULT_YEARS
    first = add_years(first_notification_after_release, years)
    steps = [
        Step(
            f"{'Under 18' if under_18_on_relevant_date else 'Aged 18 or over'} on the relevant date: the day after "
            f"the end of {years} years beginning with the first notification after release: {first.isoformat()}",
            S91B,
        )
    ]
    qualifying, further = first, False
    if last_refusal_on is not None:
        if last_refusal_on < first:
            raise RuleInputError(
                "last_refusal_on",
                "A review can only be refused after the qualifying date: check the date of the determination",
            )
        qualifying, further = add_years(last_refusal_on, REVIEW_AFTER_REFUSAL_YEARS), True
        steps.append(
            Step(
                "After a determination to keep the requirements, the further qualifying date is the day after the "
                f"end of 8 years beginning with the day of the determination: {qualifying.isoformat()}",
                S91B,
            )
        )
    if shpo_in_force:
        reason = "Not eligible: an SHPO, interim SHPO or SOPO is in force"
        steps.append(Step(f"{reason}; an application can be made only once it ends", S91A))
        return QualifyingDate(False, qualifying, further, reason, tuple(steps))
    reason = f"May apply on or after {qualifying.isoformat()}"
    steps.append(Step("No SHPO, interim SHPO or SOPO recorded as in force", S91A))
    return QualifyingDate(True, qualifying, further, reason, tuple(steps))
