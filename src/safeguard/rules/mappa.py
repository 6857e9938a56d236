"""MAPPA: which category the recorded facts support, and the review deadlines.

Sources:
- Criminal Justice Act 2003 ss.325-327 (legislation.gov.uk, revised text):
  s.327(2) Category 1 (subject to SOA 2003 Part 2 notification), s.327(3)-(4)
  Category 2 (murder or a Schedule 15 offence with 12 months' or more
  custody, or a hospital or guardianship order), s.325(2)(b) Category 3
  (others the Responsible Authority considers may cause serious harm).
- MAPPA Guidance (Ministry of Justice / HMPPS, chapters updated 2018-2024):
  one category per offender ("The offender can only fall into one category",
  MAPPA A notes); categories end with the notification period (1) or the
  licence or order (2); Category 3 by decision only.
- Review intervals (Level 2 every 16 weeks, Level 3 every 8 weeks), the level
  set at least 6 months before release and identification within 3 days of
  sentence are widely quoted but not found in the guidance text (domain file
  ``mappa.md`` [R]): :class:`MappaSettings` fields listed in ``DEFAULTS``.

Decisions where the law and guidance are silent:
- A qualifying Category 2 conviction with no licence or order end recorded
  is treated as still running: the end is unknown, not past, and removing a
  person from MAPPA on missing data is the riskier error. The working says
  so and ``eligibility_ends`` is None.
- Murder carries a mandatory life sentence, so a murder conviction meets the
  12-month custody test whatever custody figure is recorded.
- ``eligibility_ends`` is when MAPPA eligibility on these facts ends: where
  Category 1 ends before a Category 2 licence, the offender moves to
  Category 2 and the later day is given (the working says which applies
  when).
- "Within 3 days of sentence" is counted with the day of sentence excluded
  (sentence + 3), the ordinary reading of a period "of" an event; the
  notification counting "beginning with" does not appear in this guidance.

Not modelled (record as a decision): guardianship orders, findings of not
guilty by insanity or unfitness to plead, s.327(4A) child abduction offences,
people disqualified from working with children, and Category 4.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.rules.dates import Deadline, add_months
from safeguard.rules.working import Default, RuleInputError, Status, Step

__all__ = [
    "DEFAULTS",
    "CategoryFinding",
    "ConvictionFacts",
    "Deadline",
    "MappaFacts",
    "MappaSettings",
    "identification_due",
    "level_set_by",
    "review_due",
    "supported_category",
]

CJA_S327_2 = "CJA 2003 s.327(2)"
CJA_S327_3 = "CJA 2003 s.327(3)-(4)"
CJA_S325 = "CJA 2003 s.325(2)(b)"
GUIDANCE = "MAPPA Guidance, categories"
ONE_CATEGORY = "MAPPA Guidance (MAPPA A notes): the offender can only fall into one category"
UNCONFIRMED = "Widely quoted; not found in the MAPPA Guidance text"

CATEGORY_2_CUSTODY_MONTHS = 12
LEVELS = (1, 2, 3)
DAYS_IN_WEEK = 7


@dataclass(frozen=True)
class MappaSettings:
    """Intervals widely quoted but not confirmed in the guidance text (see ``DEFAULTS``)."""

    level2_review_weeks: int = 16
    level3_review_weeks: int = 8
    level_before_release_months: int = 6
    identify_within_days_of_sentence: int = 3


_DEFAULT_SETTINGS = MappaSettings()

DEFAULTS = (
    Default(
        "level2_review_weeks",
        _DEFAULT_SETTINGS.level2_review_weeks,
        UNCONFIRMED,
        Status.UNCONFIRMED,
        "A Level 2 case is reviewed at a meeting at least this often.",
    ),
    Default(
        "level3_review_weeks",
        _DEFAULT_SETTINGS.level3_review_weeks,
        UNCONFIRMED,
        Status.UNCONFIRMED,
        "A Level 3 case is reviewed at a meeting at least this often.",
    ),
    Default(
        "level_before_release_months",
        _DEFAULT_SETTINGS.level_before_release_months,
        UNCONFIRMED,
        Status.UNCONFIRMED,
        "The management level is set at least this long before release.",
    ),
    Default(
        "identify_within_days_of_sentence",
        _DEFAULT_SETTINGS.identify_within_days_of_sentence,
        UNCONFIRMED,
        Status.UNCONFIRMED,
        "Eligible offenders are identified and the ViSOR record made within this many days after sentence.",
    ),
)


@dataclass(frozen=True)
class ConvictionFacts:
    """One conviction as it bears on Category 2.

    ``custody_months`` is None when no custody was imposed; record a life
    sentence or IPP as 12 or more, or set ``indeterminate``.
    ``licence_or_order_end`` is None when the end of the licence or hospital
    order is not recorded.
    """

    is_murder: bool
    schedule_15: bool
    custody_months: int | None
    hospital_order: bool
    licence_or_order_end: dt.date | None
    relevant_date: dt.date
    indeterminate: bool = False


@dataclass(frozen=True)
class MappaFacts:
    notification_end: dt.date | None
    notification_indefinite: bool
    on_register: bool  # subject to SOA 2003 Part 2 notification
    convictions: tuple[ConvictionFacts, ...] = ()


@dataclass(frozen=True)
class CategoryFinding:
    """The category the recorded facts support; a finding, not the decision itself."""

    category: str | None  # "1", "2" or None
    category3_candidate: bool  # only a prompt for a decision, never a category
    eligibility_ends: dt.date | None  # None when indefinite, unknown, or no category
    eligibility_ends_indefinite: bool
    working: tuple[Step, ...]


def _qualifies_for_category_2(conviction: ConvictionFacts) -> tuple[bool, str]:
    """Whether one conviction meets s.327(3)-(4), and why (without the licence test)."""
    if not (conviction.is_murder or conviction.schedule_15):
        return False, "not murder or a Schedule 15 offence"
    offence = "murder" if conviction.is_murder else "a Schedule 15 offence"
    if conviction.is_murder:
        return True, "murder (a mandatory life sentence)"
    if conviction.indeterminate:
        return True, f"{offence} with an indeterminate sentence"
    if conviction.custody_months is not None and conviction.custody_months >= CATEGORY_2_CUSTODY_MONTHS:
        return True, f"{offence} with {conviction.custody_months} months' custody (12 or more)"
    if conviction.hospital_order:
        return True, f"{offence} with a hospital order"
    if conviction.custody_months is not None:
        return False, f"{offence} with {conviction.custody_months} months' custody (less than 12)"
    return False, f"{offence} without custody or a hospital order"


def _category_1(facts: MappaFacts, on: dt.date, steps: list[Step]) -> tuple[bool, dt.date | None]:
    """Whether notification supports Category 1 on ``on``, and its end where one is known (s.327(2))."""
    if not facts.on_register:
        steps.append(Step("Not subject to notification: not Category 1", CJA_S327_2))
        return False, None
    if facts.notification_indefinite:
        steps.append(Step("Subject to notification for an indefinite period: Category 1", CJA_S327_2))
        return True, None
    if facts.notification_end is None:
        steps.append(
            Step("Subject to notification, end of the period not recorded: Category 1 (record the end)", CJA_S327_2)
        )
        return True, None
    if on <= facts.notification_end:
        steps.append(
            Step(f"Subject to notification until {facts.notification_end.isoformat()}: Category 1", CJA_S327_2)
        )
        return True, facts.notification_end
    steps.append(
        Step(
            f"The notification period ended on {facts.notification_end.isoformat()}: not Category 1 "
            "(the register flag should be reviewed)",
            CJA_S327_2,
        )
    )
    return False, None


def _category_2_ends(facts: MappaFacts, on: dt.date, steps: list[Step]) -> list[dt.date | None]:
    """The end of each conviction that supports Category 2 on ``on`` (None: not recorded, so still running)."""
    running_ends: list[dt.date | None] = []
    for index, conviction in enumerate(facts.convictions, start=1):
        qualifies, why = _qualifies_for_category_2(conviction)
        label = f"Conviction {index} ({conviction.relevant_date.isoformat()})"
        if not qualifies:
            steps.append(Step(f"{label}: {why}: does not support Category 2", CJA_S327_3))
            continue
        end = conviction.licence_or_order_end
        if end is None:
            running_ends.append(None)
            steps.append(
                Step(
                    f"{label}: {why}; the end of the licence or order is not recorded, so it is treated as still "
                    "running: supports Category 2 (record the end)",
                    CJA_S327_3,
                )
            )
        elif on <= end:
            running_ends.append(end)
            steps.append(
                Step(f"{label}: {why}; licence or order runs until {end.isoformat()}: supports Category 2", CJA_S327_3)
            )
        else:
            steps.append(
                Step(f"{label}: {why}; the licence or order ended on {end.isoformat()}: no longer Category 2", GUIDANCE)
            )
    return running_ends


def _category_1_finding(
    facts: MappaFacts,
    cat1_end: dt.date | None,
    running_ends: list[dt.date | None],
    steps: list[Step],
) -> CategoryFinding:
    """Category 1, and when eligibility ends (Category 2 may run on after it: one category at a time)."""
    cat2 = bool(running_ends)
    cat2_unknown = None in running_ends
    cat2_end = None if cat2_unknown or not cat2 else max(e for e in running_ends if e is not None)
    if cat2:
        steps.append(
            Step("Also meets Category 2, but an offender falls into one category only: Category 1", ONE_CATEGORY)
        )
    indefinite = facts.notification_indefinite
    ends: dt.date | None = None
    if not indefinite and cat1_end is not None:
        if cat2 and cat2_unknown:
            steps.append(
                Step(
                    f"After {cat1_end.isoformat()} Category 2 would apply; its end is unknown, so the end of "
                    "eligibility is unknown",
                    GUIDANCE,
                )
            )
        elif cat2 and cat2_end is not None and cat2_end > cat1_end:
            ends = cat2_end
            steps.append(
                Step(f"After {cat1_end.isoformat()} Category 2 applies until {cat2_end.isoformat()}", GUIDANCE)
            )
        else:
            ends = cat1_end
    if indefinite:
        steps.append(Step("Eligibility does not end while the notification period is indefinite", GUIDANCE))
    elif ends is not None:
        steps.append(Step(f"Eligible for MAPPA until {ends.isoformat()}", GUIDANCE))
    return CategoryFinding("1", False, ends, indefinite, tuple(steps))


def supported_category(facts: MappaFacts, on: dt.date) -> CategoryFinding:
    """The MAPPA category the facts support on ``on`` (1 wins over 2; 3 is never automatic)."""
    steps: list[Step] = []
    cat1, cat1_end = _category_1(facts, on, steps)
    running_ends = _category_2_ends(facts, on, steps)
    if cat1:
        return _category_1_finding(facts, cat1_end, running_ends, steps)

    if running_ends:
        cat2_end = None if None in running_ends else max(e for e in running_ends if e is not None)
        if cat2_end is not None:
            steps.append(Step(f"Category 2 until the licence or order ends on {cat2_end.isoformat()}", GUIDANCE))
        return CategoryFinding("2", False, cat2_end, False, tuple(steps))

    candidate = bool(facts.convictions)
    if candidate:
        steps.append(
            Step(
                "Nothing supports Category 1 or 2. Category 3 needs a decision that the offender may cause serious "
                "harm and needs Level 2 or 3 management: this is only a prompt to consider it",
                CJA_S325,
            )
        )
    else:
        steps.append(Step("No conviction recorded: no MAPPA category is supported", GUIDANCE))
    return CategoryFinding(None, candidate, None, False, tuple(steps))


def _positive(field: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuleInputError(field, "Settings must be whole numbers, 1 or more")
    return value


def review_due(level: int, last_review_on: dt.date, settings: MappaSettings = MappaSettings()) -> Deadline | None:
    """The last day for the next Level 2 or 3 review meeting; None for Level 1 (no formal meetings)."""
    if isinstance(level, bool) or level not in LEVELS:
        raise RuleInputError("level", "Choose a management level of 1, 2 or 3")
    level = int(level)
    if level == 1:
        return None
    weeks = _positive(
        f"level{level}_review_weeks", settings.level2_review_weeks if level == 2 else settings.level3_review_weeks
    )
    due = last_review_on + dt.timedelta(weeks=weeks)
    steps = (
        Step(f"Level {level}: review at least every {weeks} weeks (setting; unconfirmed)", UNCONFIRMED),
        Step(f"{weeks} weeks after the last review on {last_review_on.isoformat()}: by {due.isoformat()}", UNCONFIRMED),
    )
    return Deadline(due, steps)


def level_set_by(release_on: dt.date, settings: MappaSettings = MappaSettings()) -> Deadline:
    """The last day to set the management level: at least N months before release (a date before release)."""
    months = _positive("level_before_release_months", settings.level_before_release_months)
    due = add_months(release_on, -months)
    steps = (
        Step(f"Set the level at least {months} months before release (setting; unconfirmed)", UNCONFIRMED),
        Step(f"{months} calendar months before release on {release_on.isoformat()}: by {due.isoformat()}", UNCONFIRMED),
    )
    return Deadline(due, steps)


def identification_due(sentence_on: dt.date, settings: MappaSettings = MappaSettings()) -> Deadline:
    """The last day to identify an eligible offender and make the ViSOR record after sentence."""
    days = _positive("identify_within_days_of_sentence", settings.identify_within_days_of_sentence)
    due = sentence_on + dt.timedelta(days=days)
    steps = (
        Step(f"Identify and make the ViSOR record within {days} days of sentence (setting; unconfirmed)", UNCONFIRMED),
        Step(
            f"Counted from the day after sentence on {sentence_on.isoformat()} (Safeguard's reading): "
            f"by {due.isoformat()}",
            UNCONFIRMED,
        ),
    )
    return Deadline(due, steps)
