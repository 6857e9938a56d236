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
- Foreign travel "at least 7 days before departure": counted in clear days
  (R v Turner [1910] 1 KB 346: "at least" so many days between two events
  excludes both days), so seven whole days lie between the day of notice and
  the day of departure: for a departure on the 8th the notice is due by the
  last day of the month before. The other reading (whole days counted back,
  notice on the 1st in time) gives a later deadline and is named in the
  working. The hour limits (24 and 12 hours) run to the time of departure,
  which Safeguard does not hold, so the date shown is the latest calendar day
  and the working states the hour limit.

Readings chosen where the law is silent (each a line of ``docs/decisions.md``;
the protective one: the requirement lasts longer, the deadline comes sooner):
- travel notice in clear days (above);
- a period beginning on the 29th, 30th or 31st ends on the later candidate
  day (``rules.dates.last_day_of_period``);
- a person born on 29 February attains an age on 28 February in a common
  year for the s.82(2) halving and the s.91B review period;
- "in respect of two or more offences" sentenced to consecutive terms: each
  term may follow one earlier term only (a chain); two terms following the
  same term are refused rather than guessed at.

Modelled where the caller gives the facts:
- consecutive and partly concurrent terms (s.82(3)-(4)): ``terms``;
- a conditional discharge runs from the date of the order (Sentencing Act
  2020 s.80): ``sentenced_on``;
- time in custody or detention during a 3-day period (s.83(6), s.84(5)) and
  the periodic extension (s.85(3)-(4)): ``detained`` periods;
- the further qualifying date set by a chief officer (s.91B(4)-(6)) with its
  reason.

Not modelled: advance notice of a change (s.84(2)-(4)); time outside the UK
during a period (the record holds no such dates).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from safeguard.rules.dates import (
    FEBRUARY_28TH,
    MARCH_FIRST,
    MONTHS_IN_YEAR,
    Deadline,
    add_years,
    age_on,
    days_beginning_with,
    is_leap_birthday,
    last_day_of_period,
    period_readings,
)
from safeguard.rules.working import Default, RuleInputError, Status, Step

__all__ = [
    "DEFAULTS",
    "ChangeKind",
    "Deadline",
    "Disposal",
    "NotificationPeriod",
    "NotificationSettings",
    "Detention",
    "QualifyingDate",
    "Term",
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
S82_3 = "SOA 2003 s.82(3)-(4)"
S83_6 = "SOA 2003 s.83(6)"
S84 = "SOA 2003 s.84(1)"
S84_5 = "SOA 2003 s.84(5), s.83(6)"
S85 = "SOA 2003 s.85(1)"
S85_3 = "SOA 2003 s.85(3)-(4)"
SA2020_S80 = "Sentencing Act 2020 s.80"
REGS_2012_CHANGES = "SI 2012/1876, made under SOA 2003 s.84(1)"
TURNER = "R v Turner [1910] 1 KB 346 (clear days)"
DODDS = "Dodds v Walker [1981] 1 WLR 1027, applied to the day before the start"
S131 = "SOA 2003 s.131"
REGS_2012 = "SOA 2003 (Notification Requirements) (England and Wales) Regulations 2012"
S91A = "SOA 2003 s.91A(2) (Remedial Order 2012)"
S91B = "SOA 2003 s.91B(2)-(3) (Remedial Order 2012)"
S91B_4 = "SOA 2003 s.91B(4)-(6) (Remedial Order 2012)"
CANNOT_WORK_OUT_RELEVANT = "Cannot be worked out: record the first notification after release"
FLRA_S9 = "Family Law Reform Act 1969 s.9"
DOMAIN = "Safeguard's notes on the notification requirements"

PART_2_COMMENCEMENT = dt.date(2004, 5, 1)
ADULT_AGE = 18

INDEFINITE_TERM_MONTHS = 30  # imprisonment for 30 months or more: indefinite
SHORT_TERM_MONTHS = 6  # 6 months or less: 7 years; more than 6 and less than 30: 10 years
CONDITIONAL_DISCHARGE_MAX_MONTHS = 36  # a conditional discharge cannot exceed 3 years (Sentencing Act 2020 s.80)

TEN_YEARS = 10 * MONTHS_IN_YEAR
SEVEN_YEARS = 7 * MONTHS_IN_YEAR
FIVE_YEARS = 5 * MONTHS_IN_YEAR
TWO_YEARS = 2 * MONTHS_IN_YEAR

NOTIFY_WITHIN_DAYS = 3  # ss.83(1), 84(1)
PERIODIC_YEARS = 1  # s.85(1)
NO_FIXED_ABODE_DAYS = 7  # 2012 Regulations: weekly
TRAVEL_NOTICE_DAYS = 7  # 2012 Regulations [C]: "at least 7 days before", counted in clear days
TRAVEL_CHANGE_HOURS = 24  # 2012 Regulations [C]
HOURS_IN_DAY = 24

S83_6_ASSUMED = (
    "No time in custody or detention is recorded within the period; time outside the UK (also disregarded) is not "
    "held by the record"
)
S85_3_ASSUMED = (
    "No custody or detention is recorded at the end of the year; if in custody, in hospital or outside the UK when "
    "it ends, it runs on until 3 days beginning with release or return"
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
# s.82(2) halves "10 years, 7 years, 5 years or 2 years": these rows, never the conditional discharge row,
# whatever the length of the discharge.
HALVED_ROWS = frozenset({ROW_MIDDLE_TERM, ROW_SHORT_TERM, ROW_HOSPITAL, ROW_CAUTION, ROW_OTHER})


class ChangeKind(StrEnum):
    NEW_NAME = "new_name"
    NEW_HOME_ADDRESS = "new_home_address"
    UNNOTIFIED_ADDRESS_STAY = "unnotified_address_stay"
    RELEASE_FROM_CUSTODY = "release_from_custody"
    BANK_OR_CARD_ACCOUNT = "bank_or_card_account"
    IDENTITY_DOCUMENT = "identity_document"
    CHILD_IN_HOUSEHOLD = "child_in_household"


# Short forms accepted as well as the ChangeKind values.
CHANGE_KIND_ALIASES = {
    "name": ChangeKind.NEW_NAME,
    "home_address": ChangeKind.NEW_HOME_ADDRESS,
    "address": ChangeKind.NEW_HOME_ADDRESS,
    "stay": ChangeKind.UNNOTIFIED_ADDRESS_STAY,
    "release": ChangeKind.RELEASE_FROM_CUSTODY,
    "release_from_hospital": ChangeKind.RELEASE_FROM_CUSTODY,
    "bank_account": ChangeKind.BANK_OR_CARD_ACCOUNT,
    "card_account": ChangeKind.BANK_OR_CARD_ACCOUNT,
    "passport": ChangeKind.IDENTITY_DOCUMENT,
    "child_household": ChangeKind.CHILD_IN_HOUSEHOLD,
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
# Added by the 2012 Regulations under s.84(1), with the same 3-day deadline.
_REGS_2012_CHANGE_TEXT = {
    ChangeKind.BANK_OR_CARD_ACCOUNT: "a bank, building society or other account, or a debit or credit card, opened, "
    "held or changed",
    ChangeKind.IDENTITY_DOCUMENT: "a passport or other identity document obtained, held or changed",
    ChangeKind.CHILD_IN_HOUSEHOLD: "living or staying for 12 hours or more in a household where a child under 18 "
    "lives or stays",
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
    term_months: int | None = None  # the term the table was read with (the aggregate for combined terms)
    starts_on: dt.date | None = None  # the first day of the period (the order's date for a conditional discharge)


@dataclass(frozen=True)
class Term:
    """One custodial term of several (s.82(3)-(4)).

    ``consecutive_to`` is the index (from 0) of the earlier term in the same
    list that this one follows; None for a term that follows none.
    ``overlap_months`` is, for partly concurrent terms, how long this term
    overlaps the one it follows (0: wholly consecutive).
    """

    term_months: int
    consecutive_to: int | None = None
    overlap_months: int = 0


@dataclass(frozen=True)
class Detention:
    """Days in custody or detained in hospital, first and last day inclusive, as the record holds them."""

    start: dt.date
    end: dt.date

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class TravelDeadlines:
    """Deadlines for one trip abroad. ``*_by`` dates are the latest calendar day; hour limits also apply."""

    departure_on: dt.date
    notify_by: dt.date  # at least 7 clear days before departure [C; clear days: Safeguard's reading]
    change_notify_by: dt.date  # if the details change: at least 24 hours before departure [C]
    change_notice_hours: int
    late_notify_by: dt.date  # details not known 7 days ahead: fallback [R]
    late_notice_hours: int
    return_notify_by: dt.date | None  # on return to the UK [R]; None until a return date is given
    working: tuple[Step, ...]
    notify_by_other_reading: dt.date | None = None  # whole days counted back (the later deadline, not used)


@dataclass(frozen=True)
class QualifyingDate:
    """When an offender on indefinite notification may first apply for a review (ss.91A-91B).

    ``qualifying_date`` is None when it cannot be worked out from the record
    (no first notification after release): ``reason`` then says what to record.
    """

    eligible: bool  # False while an SHPO, interim SHPO or SOPO is in force (s.91A(2)(b)), or when not known
    qualifying_date: dt.date | None  # the application may be made on or after this day
    further: bool  # True when it follows a refusal (s.91B(3))
    reason: str
    working: tuple[Step, ...]
    known: bool = True  # False: the relevant notification is not in the record (a data task)


def _disposal(value: str) -> Disposal:
    try:
        return Disposal(str(value).strip().lower())
    except ValueError:
        choices = ", ".join(d.value for d in Disposal)
        raise RuleInputError("disposal_type", f"Choose a disposal from: {choices}") from None


def _whole_months(field: str, value: object, what: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RuleInputError(field, f"Enter the {what} as a whole number of months, {minimum} or more")
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


def _months(n: int) -> str:
    return f"{n} month{'s' if n != 1 else ''}"


# Consecutive and partly concurrent terms (s.82(3)-(4)) -------------------------------


def _checked_terms(terms: object) -> list[Term]:
    if not isinstance(terms, list | tuple) or not terms:
        raise RuleInputError("terms", "Give the terms as a list of one or more terms")
    checked: list[Term] = []
    followed: dict[int, int] = {}
    for i, term in enumerate(terms):
        where = f"terms[{i}]"
        if not isinstance(term, Term):
            raise RuleInputError(where, "Give each term with its length in months")
        months = _whole_months(f"{where}.term_months", term.term_months, "custodial term")
        after = term.consecutive_to
        if after is not None:
            if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after < i:
                raise RuleInputError(
                    f"{where}.consecutive_to", "A term can only follow an earlier term in the list: give its number"
                )
            if after in followed:
                raise RuleInputError(
                    f"{where}.consecutive_to",
                    f"Term {after + 1} is already followed by term {followed[after] + 1}: make this term follow that "
                    "one instead",
                )
            followed[after] = i
            overlap = _whole_months(f"{where}.overlap_months", term.overlap_months, "overlap", minimum=0)
            if overlap >= min(months, checked[after].term_months):
                raise RuleInputError(
                    f"{where}.overlap_months",
                    "Partly concurrent terms overlap for less than either term: for wholly concurrent terms leave "
                    "consecutive_to blank",
                )
        elif term.overlap_months:
            raise RuleInputError(f"{where}.overlap_months", "An overlap applies only to a term that follows another")
        checked.append(term)
    return checked


def aggregate_terms(terms: list[Term] | tuple[Term, ...]) -> tuple[int, tuple[Step, ...]]:
    """The term s.82(1) is read with: the longest aggregate among the chains of consecutive terms.

    s.82(4): consecutive terms count as their aggregate; partly concurrent
    terms X and Y overlapping for Z count as X + Y - Z. Each offence in a
    chain is treated as sentenced to the chain's aggregate, so the longest
    chain governs how long the person is subject to the requirements.
    """
    checked = _checked_terms(list(terms) if isinstance(terms, tuple) else terms)
    chain_of = list(range(len(checked)))
    totals: dict[int, int] = {}
    parts: dict[int, list[str]] = {}
    for i, term in enumerate(checked):
        if term.consecutive_to is None:
            totals[i], parts[i] = term.term_months, [_months(term.term_months)]
            continue
        head = chain_of[term.consecutive_to]
        chain_of[i] = head
        totals[head] += term.term_months - term.overlap_months
        if term.overlap_months:
            parts[head].append(f"{_months(term.term_months)} less an overlap of {_months(term.overlap_months)}")
        else:
            parts[head].append(_months(term.term_months))
    best = max(totals, key=lambda h: (totals[h], -h))
    steps = []
    for head in sorted(totals):
        if len(parts[head]) > 1:
            steps.append(Step(f"Terms combined: {' + '.join(parts[head])} = {_months(totals[head])}", S82_3))
    if len(totals) > 1:
        steps.append(
            Step(
                f"Terms not following one another run concurrently; the longest, {_months(totals[best])}, governs "
                "how long the requirements last",
                S82_3,
            )
        )
    return totals[best], tuple(steps)


def _custodial_term(
    disposal: Disposal, term_months: int | None, terms: list[Term] | tuple[Term, ...] | None, steps: list[Step]
) -> int | None:
    if terms is not None:
        if term_months is not None:
            raise RuleInputError("terms", "Give either one term (term_months) or the list of terms, not both")
        if disposal not in CUSTODIAL_TERMS:
            raise RuleInputError("terms", "Terms apply only to imprisonment or detention: leave blank")
        term_months, combined = aggregate_terms(terms)
        steps.extend(combined)
    if disposal in CUSTODIAL_TERMS:
        if term_months is None:
            raise RuleInputError("term_months", "Enter the length of the custodial term in months")
        term_months = _whole_months("term_months", term_months, "custodial term")
        steps.append(
            Step(
                f"Custodial term of {_months(term_months)}; detention counts as imprisonment",
                S131,
            )
        )
        return term_months
    if term_months is not None and disposal not in INDETERMINATE:
        raise RuleInputError("term_months", "A custodial term applies only to imprisonment or detention: leave blank")
    if term_months is not None:
        steps.append(Step("A minimum term does not change the period for a life or IPP sentence", S82))
    return None


def _discharge(disposal: Disposal, discharge_months: int | None) -> int | None:
    if disposal == Disposal.CONDITIONAL_DISCHARGE:
        if discharge_months is None:
            raise RuleInputError("discharge_months", "Enter the period of the conditional discharge in months")
        discharge_months = _whole_months("discharge_months", discharge_months, "period of the conditional discharge")
        if discharge_months > CONDITIONAL_DISCHARGE_MAX_MONTHS:
            raise RuleInputError(
                "discharge_months", "A conditional discharge cannot be longer than 3 years (36 months): check the order"
            )
        return discharge_months
    if discharge_months is not None:
        raise RuleInputError("discharge_months", "A discharge period applies only to a conditional discharge")
    return None


def under_18_on(date_of_birth: dt.date, relevant_date: dt.date) -> tuple[bool, tuple[Step, ...]]:
    """Under 18 on the relevant date, the 29 February birthday read protectively (28 February in a common year)."""
    age = age_on(date_of_birth, relevant_date, leap_birthday=FEBRUARY_28TH)
    steps = [
        Step(f"{'Under 18' if age < ADULT_AGE else 'Aged 18 or over'} on the relevant date", f"{S82_2}; {FLRA_S9}")
    ]
    if is_leap_birthday(date_of_birth) and age != age_on(date_of_birth, relevant_date, leap_birthday=MARCH_FIRST):
        steps.append(
            Step(
                "Born on 29 February: in a common year the birthday is read as 28 February (the person attains the "
                "age a day sooner), not 1 March, because that reading never shortens the requirements",
                f"{FLRA_S9}; Safeguard's reading where the law is silent (docs/decisions.md)",
            )
        )
    return age < ADULT_AGE, tuple(steps)


def _period_end_steps(start: dt.date, total: int, end: dt.date) -> list[Step]:
    steps = [
        Step(
            f"The period begins with {start.isoformat()} (day 1), so the requirements apply until {end.isoformat()} "
            "inclusive",
            S82,
        )
    ]
    earlier, later = period_readings(start, months=total)
    if earlier != later:
        steps.append(
            Step(
                f"The start has no corresponding day in the last month: one reading ends the period on "
                f"{earlier.isoformat()} (the day before the corresponding date), the other on {later.isoformat()} "
                "(the corresponding date of the day before the start); the later is taken so the requirements never "
                "end early",
                f"{DODDS}; Safeguard's reading where the law is silent (docs/decisions.md)",
            )
        )
    return steps


def notification_period(
    relevant_date: dt.date,
    date_of_birth: dt.date,
    disposal_type: str,
    term_months: int | None = None,
    discharge_months: int | None = None,
    *,
    terms: list[Term] | tuple[Term, ...] | None = None,
    sentenced_on: dt.date | None = None,
) -> NotificationPeriod:
    """The notification period for one conviction, finding or caution (SOA 2003 s.82).

    ``term_months`` is the custodial term in whole months for imprisonment or
    detention. A term passed in weeks or days (26 weeks is less than 6
    months) must be entered so that it falls in the same row: a term over 6
    but under 7 months as 7, a term over 29 but under 30 months as 29.
    ``terms`` replaces ``term_months`` where consecutive or partly concurrent
    terms were passed (s.82(3)-(4)). ``discharge_months`` is the period of a
    conditional discharge, which is never halved and runs from the date of the
    order, ``sentenced_on`` where it was made after the conviction.
    """
    disposal = _disposal(disposal_type)
    if relevant_date < date_of_birth:
        raise RuleInputError("relevant_date", "The relevant date cannot be before the date of birth: check both dates")
    if sentenced_on is not None and sentenced_on < relevant_date:
        raise RuleInputError("sentenced_on", "The date of sentence cannot be before the date of conviction")
    steps: list[Step] = []
    term_months = _custodial_term(disposal, term_months, terms, steps)
    discharge_months = _discharge(disposal, discharge_months)
    under_18, age_steps = under_18_on(date_of_birth, relevant_date)
    steps.extend(age_steps)

    row, total = _row_for(disposal, term_months, discharge_months)
    if total is None:
        steps.append(Step(f"Row: {row}. Period: indefinite, beginning with the relevant date", S82))
        return NotificationPeriod(True, 0, 0, None, under_18, False, row, tuple(steps), term_months, relevant_date)

    start = relevant_date
    if disposal == Disposal.CONDITIONAL_DISCHARGE:
        start = sentenced_on or relevant_date
        when = (
            f"the order made on {start.isoformat()}, after the conviction"
            if start != relevant_date
            else "the order, made on the relevant date (no later date of sentence recorded)"
        )
        steps.append(
            Step(
                f"Row: {row}. Period: the period of the discharge, {_describe(total)}, beginning with the date of "
                f"{when}; not halved for under-18s: s.82(2) halves only the 10, 7, 5 and 2 year periods, never "
                "this row, whatever the discharge's length",
                f"{S82}; {SA2020_S80}",
            )
        )
    else:
        steps.append(Step(f"Row: {row}. Period: {_describe(total)} beginning with the relevant date", S82))

    halved = under_18 and row in HALVED_ROWS
    if halved:
        total //= 2
        steps.append(Step(f"Under 18 on the relevant date: the period is halved to {_describe(total)}", S82_2))

    end = last_day_of_period(start, months=total)
    steps.extend(_period_end_steps(start, total, end))
    years, months = divmod(total, MONTHS_IN_YEAR)
    return NotificationPeriod(False, years, months, end, under_18, halved, row, tuple(steps), term_months, start)


# Deadlines (ss.83-85) -------------------------------------------------------------------


def _checked_detention(detained: object) -> tuple[Detention, ...]:
    if detained is None:
        return ()
    if not isinstance(detained, list | tuple):
        raise RuleInputError("detained", "Give the periods in custody or detention as a list")
    for i, period in enumerate(detained):
        if not isinstance(period, Detention):
            raise RuleInputError(f"detained[{i}]", "Give each period with its first and last day")
        if period.end < period.start:
            raise RuleInputError(f"detained[{i}].end", "The last day in custody cannot be before the first")
    return tuple(sorted(detained, key=lambda p: p.start))


def _holding(detained: tuple[Detention, ...], day: dt.date) -> Detention | None:
    return next((p for p in detained if p.holds(day)), None)


def three_days_disregarding(start: dt.date, detained: tuple[Detention, ...]) -> tuple[dt.date, list[Step]]:
    """The last of 3 days beginning with ``start`` that are not spent in custody or detention (s.83(6))."""
    counted: list[dt.date] = []
    skipped: list[Detention] = []
    day = start
    while len(counted) < NOTIFY_WITHIN_DAYS:
        held = _holding(detained, day)
        if held is None:
            counted.append(day)
            day += dt.timedelta(days=1)
        else:
            skipped.append(held)
            day = held.end + dt.timedelta(days=1)
    steps = [
        Step(
            f"In custody or detained from {p.start.isoformat()} to {p.end.isoformat()} (the record's dates): that "
            "time is disregarded",
            S84_5,
        )
        for p in skipped
    ]
    return counted[-1], steps


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


def change_kind(value: str) -> ChangeKind:
    text_kind = str(value).strip().lower()
    try:
        return CHANGE_KIND_ALIASES.get(text_kind) or ChangeKind(text_kind)
    except ValueError:
        choices = ", ".join(k.value for k in ChangeKind)
        raise RuleInputError("change_kind", f"Choose the kind of change from: {choices}") from None


def change_notification_due(
    event_on: dt.date, change_kind_value: str, *, detained: list[Detention] | tuple[Detention, ...] | None = None
) -> Deadline:
    """Last day to notify a change (s.84(1)): 3 days beginning with the event.

    The changes the 2012 Regulations added under s.84(1) (bank and card
    accounts, passports and identity documents, a household with a child)
    carry the same deadline. Time in custody or detained in hospital within
    those 3 days is disregarded (s.84(5), applying s.83(6)) where the record
    holds the dates (``detained``).
    """
    kind = change_kind(change_kind_value)
    periods = _checked_detention(detained)
    if kind in _REGS_2012_CHANGE_TEXT:
        first = Step(f"Event: {_REGS_2012_CHANGE_TEXT[kind]}", REGS_2012_CHANGES)
    else:
        text, paragraph = _CHANGE_TEXT[kind]
        first = Step(f"Event: {text}", f"SOA 2003 {paragraph}")
    due, skipped = three_days_disregarding(event_on, periods)
    steps = [
        first,
        *skipped,
        Step(
            f"Within the period of 3 days beginning with {event_on.isoformat()} (day 1)"
            f"{', not counting the days in custody' if skipped else ''}: by {due.isoformat()}",
            S84,
        ),
    ]
    if not skipped:
        steps.append(Step(S83_6_ASSUMED, S84_5))
    return Deadline(due, tuple(steps))


def periodic_notification_due(
    last_notified_on: dt.date,
    no_fixed_abode: bool = False,
    *,
    detained: list[Detention] | tuple[Detention, ...] | None = None,
) -> Deadline:
    """Last day for the next periodic notification (s.85(1)), extended under s.85(3)-(4).

    Every notification under s.83, s.84 or s.85 restarts the period. "Within
    the period of one year after" excludes the day of the last notification,
    so the year ends on its anniversary: the due date is the last
    notification + 1 year. With no sole or main residence the period is 7
    days (2012 Regulations), due the last notification + 7 days. Where the
    record holds a period in custody or detention covering that day, the
    period runs on until 3 days beginning with the day of release.
    """
    periods = _checked_detention(detained)
    if no_fixed_abode:
        due = last_notified_on + dt.timedelta(days=NO_FIXED_ABODE_DAYS)
        steps = [
            Step("No sole or main residence in the UK: notify every 7 days", f"SOA 2003 s.85(5)-(6); {REGS_2012}"),
            Step(f"Within 7 days after the last notification: by {due.isoformat()}", S85),
        ]
    else:
        due = add_years(last_notified_on, PERIODIC_YEARS)
        steps = [
            Step("Each notification under s.83, s.84 or s.85 starts a new year", S85),
            Step(
                "'Within the period of one year after': the day of the last notification is excluded, so the year "
                f"ends on its anniversary: by {due.isoformat()}",
                S85,
            ),
        ]
    held = _holding(periods, due)
    if held is None:
        steps.append(Step(S85_3_ASSUMED, S85_3))
        return Deadline(due, tuple(steps))
    extended = days_beginning_with(held.end + dt.timedelta(days=1), NOTIFY_WITHIN_DAYS)
    steps.append(
        Step(
            f"In custody or detained when the period ends ({held.start.isoformat()} to {held.end.isoformat()}, the "
            f"record's dates): it runs on until 3 days beginning with the day of release, "
            f"{(held.end + dt.timedelta(days=1)).isoformat()}: by {extended.isoformat()}",
            S85_3,
        )
    )
    return Deadline(extended, tuple(steps))


def _days_back_for_hours(hours: int) -> int:
    return max(1, math.ceil(hours / HOURS_IN_DAY))


def foreign_travel_deadlines(
    departure_on: dt.date,
    settings: NotificationSettings = NotificationSettings(),
    *,
    returned_on: dt.date | None = None,
) -> TravelDeadlines:
    """Deadlines for notifying one trip abroad (2012 Regulations; fallback and return from settings).

    "At least 7 days before departure" is counted in clear days (R v Turner):
    seven whole days lie between the notice and the departure, so the notice
    is due by the departure less 8 days.
    """
    if returned_on is not None and returned_on < departure_on:
        raise RuleInputError("returned_on", "The day of return cannot be before the day of departure")
    if settings.travel_fallback_hours < 1 or settings.travel_return_days < 1:
        raise RuleInputError("settings", "Travel settings must be 1 or more")
    notify_by = departure_on - dt.timedelta(days=TRAVEL_NOTICE_DAYS + 1)
    other_reading = departure_on - dt.timedelta(days=TRAVEL_NOTICE_DAYS)
    change_by = departure_on - dt.timedelta(days=_days_back_for_hours(TRAVEL_CHANGE_HOURS))
    late_by = departure_on - dt.timedelta(days=_days_back_for_hours(settings.travel_fallback_hours))
    steps = [
        Step(
            f"All travel abroad is notified at least 7 days before departure, counted in clear days (7 whole days "
            f"between the day of notice and the day of departure): by {notify_by.isoformat()}",
            f"{REGS_2012}; {TURNER}",
        ),
        Step(
            f"The other reading (days counted back from the departure, the day of notice included) would accept "
            f"notice on {other_reading.isoformat()}; the earlier deadline is taken",
            "Safeguard's reading where the law is silent (docs/decisions.md)",
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
        notify_by_other_reading=other_reading,
    )


# Review of indefinite notification (ss.91A-91F) ----------------------------------------


def _day_after_period(start: dt.date, years: int) -> dt.date:
    """The day after the end of a period of ``years`` beginning with ``start`` (protective end, rules.dates)."""
    return last_day_of_period(start, years=years) + dt.timedelta(days=1)


def _further_date(
    qualifying: dt.date,
    last_refusal_on: dt.date | None,
    further_qualifying_date: dt.date | None,
    further_reason: str,
    steps: list[Step],
) -> tuple[dt.date, bool]:
    if last_refusal_on is None:
        if further_qualifying_date is not None:
            raise RuleInputError(
                "further_qualifying_date", "A further qualifying date follows a determination: record its date first"
            )
        return qualifying, False
    if last_refusal_on < qualifying:
        raise RuleInputError(
            "last_refusal_on",
            "A review can only be refused after the qualifying date: check the date of the determination",
        )
    if further_qualifying_date is not None:
        if further_qualifying_date <= last_refusal_on:
            raise RuleInputError(
                "further_qualifying_date", "The further qualifying date must be after the day of the determination"
            )
        if not further_reason.strip():
            raise RuleInputError("further_reason", "Give the chief officer's reason for the further qualifying date")
        steps.append(
            Step(
                f"The chief officer set the further qualifying date {further_qualifying_date.isoformat()}, giving as "
                f"the reason: {further_reason.strip()} (the Act's limits on that date are not checked here)",
                S91B_4,
            )
        )
        return further_qualifying_date, True
    further = _day_after_period(last_refusal_on, REVIEW_AFTER_REFUSAL_YEARS)
    steps.append(
        Step(
            "After a determination to keep the requirements, the further qualifying date is the day after the "
            f"end of 8 years beginning with the day of the determination: {further.isoformat()}",
            S91B,
        )
    )
    return further, True


def indefinite_review_qualifying_date(
    first_notification_after_release: dt.date | None,
    under_18_on_relevant_date: bool,
    last_refusal_on: dt.date | None = None,
    shpo_in_force: bool = False,
    *,
    further_qualifying_date: dt.date | None = None,
    further_reason: str = "",
) -> QualifyingDate:
    """The first day an offender on indefinite notification may apply for a review (s.91B).

    The qualifying date is "the day after the end of the 15 year period (8
    years if under 18 on the relevant date) beginning with the day" of the
    relevant notification: the first notification after release from the
    custody the requirement follows. It is never guessed from another
    notification: without it the answer is "cannot be worked out", for a
    person to record it. After a refusal the further qualifying date is the
    day after the end of the 8 year period beginning with the day of the
    determination, or the later date a chief officer set with a reason
    (s.91B(4)-(6)). No application may be made while an SHPO, interim SHPO or
    SOPO is in force (s.91A(2)(b)); the date is still given, for when the
    order ends.
    """
    if first_notification_after_release is None:
        step = Step(
            f"{CANNOT_WORK_OUT_RELEVANT}: the qualifying date runs from the first notification after release from "
            "the custody the requirement follows, and the record does not show it (never guessed from another "
            "notification)",
            S91B,
        )
        return QualifyingDate(False, None, False, CANNOT_WORK_OUT_RELEVANT, (step,), known=False)
    years = REVIEW_UNDER_18_YEARS if under_18_on_relevant_date else REVIEW_ADULT_YEARS
    first = _day_after_period(first_notification_after_release, years)
    steps = [
        Step(
            f"{'Under 18' if under_18_on_relevant_date else 'Aged 18 or over'} on the relevant date: the day after "
            f"the end of {years} years beginning with the first notification after release "
            f"({first_notification_after_release.isoformat()}): {first.isoformat()}",
            S91B,
        )
    ]
    qualifying, further = _further_date(first, last_refusal_on, further_qualifying_date, further_reason, steps)
    if shpo_in_force:
        reason = "Not eligible: an SHPO, interim SHPO or SOPO is in force"
        steps.append(Step(f"{reason}; an application can be made only once it ends", S91A))
        return QualifyingDate(False, qualifying, further, reason, tuple(steps))
    reason = f"May apply on or after {qualifying.isoformat()}"
    steps.append(Step("No SHPO, interim SHPO or SOPO recorded as in force", S91A))
    return QualifyingDate(True, qualifying, further, reason, tuple(steps))
