"""MARAC referral criteria (SafeLives model).

Source: SafeLives, MARAC guidance and the referral criteria in its MARAC
toolkit, as summarised in docs/sources/domestic-abuse.md [C]. A case is
referred to MARAC when any one criterion is met:

- **visible high risk**: 14 or more Yes answers on the DASH checklist;
- **professional judgement**: the professional judges the risk high; a
  written reason is required below 14. Judgement may raise a grade, never
  lower one: at 14 or more the case is high and referred whatever is judged;
- **potential escalation**: nationally 3 domestic-abuse events in 12 months,
  known to any agency; local variants (Kent 3 in 6 months, Wolverhampton 5 in
  12) are area settings [L];
- **repeat**: any instance of abuse between the same victim and
  perpetrator(s) within 12 months of the last referral to MARAC; it need not
  be criminal (the current definition). An older crime-based definition
  survives on some forms, so the MARAC's choice is a setting. A repeat is
  re-referred whatever its score; after 12 months a new incident is a new
  referral.

Decisions where the guidance is silent (Safeguard's, documented here):

- "Within 12 months of the last referral" is counted by the corresponding
  date rule of English law (Dodds v Walker [1981] 1 WLR 1027, HL): the window
  ends at the end of the anniversary of the referral, so an incident on the
  anniversary itself is a repeat and one the day after is a new referral. A
  referral on 29 February has its anniversary on 28 February (the last day of
  the month, as Dodds v Walker holds where there is no corresponding date).
- An incident on the day of the last referral is within the window.
- The potential-escalation count includes the current incident, and the
  look-back window is counted the same way (:func:`escalation_window`).
- The guidance asks for a written reason for professional judgement below
  14; Safeguard asks for one whenever judgement is recorded, since a
  judgement on file should say why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from safeguard.rules.dash import DASH_2009, GRADES, HIGH, DashSettings, grade_for, score_dash
from safeguard.rules.dash import DEFAULT_SETTINGS as DEFAULT_DASH_SETTINGS
from safeguard.rules.dates import add_months
from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE = "SafeLives MARAC guidance: referral criteria"

VISIBLE_HIGH_RISK = "visible_high_risk"
PROFESSIONAL_JUDGEMENT = "professional_judgement"
POTENTIAL_ESCALATION = "potential_escalation"
REPEAT = "repeat"
CRITERIA = (VISIBLE_HIGH_RISK, PROFESSIONAL_JUDGEMENT, POTENTIAL_ESCALATION, REPEAT)
VHR = "visible high risk"
CRITERION_LABELS = {
    VISIBLE_HIGH_RISK: "Visible high risk",
    PROFESSIONAL_JUDGEMENT: "Professional judgement",
    POTENTIAL_ESCALATION: "Potential escalation",
    REPEAT: "Repeat",
}

REPEAT_ANY_ABUSE = "any_abuse"  # current SafeLives definition
REPEAT_CRIME = "crime"  # the older crime-based definition
REPEAT_DEFINITIONS = (REPEAT_ANY_ABUSE, REPEAT_CRIME)

VISIBLE_HIGH_RISK_FROM = 14  # [C]
ESCALATION_EVENTS = 3  # [C] national
ESCALATION_MONTHS = 12  # [C] national
REPEAT_WINDOW_MONTHS = 12  # [C]


@dataclass(frozen=True)
class MaracSettings:
    """A MARAC's referral criteria; the national defaults, changed only where the MARAC differs."""

    visible_high_risk_from: int = VISIBLE_HIGH_RISK_FROM
    escalation_events: int = ESCALATION_EVENTS
    escalation_months: int = ESCALATION_MONTHS
    repeat_window_months: int = REPEAT_WINDOW_MONTHS
    repeat_definition: str = REPEAT_ANY_ABUSE

    def __post_init__(self) -> None:
        for name in ("visible_high_risk_from", "escalation_events", "escalation_months", "repeat_window_months"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise RuleInputError(name, "Set this to a whole number of 1 or more")
        if self.repeat_definition not in REPEAT_DEFINITIONS:
            raise RuleInputError("repeat_definition", f"Choose one of: {', '.join(REPEAT_DEFINITIONS)}")

    @property
    def is_national_escalation(self) -> bool:
        return (self.escalation_events, self.escalation_months) == (ESCALATION_EVENTS, ESCALATION_MONTHS)


DEFAULTS = (
    Default("visible_high_risk_from", VISIBLE_HIGH_RISK_FROM, f"{SOURCE}: visible high risk", Status.CONFIRMED),
    Default(
        "escalation_events",
        ESCALATION_EVENTS,
        f"{SOURCE}: potential escalation (national)",
        Status.CONFIRMED,
        note="Local variants [L]: Kent 3 in 6 months, Wolverhampton 5 in 12 months.",
    ),
    Default(
        "escalation_months",
        ESCALATION_MONTHS,
        f"{SOURCE}: potential escalation (national)",
        Status.CONFIRMED,
        note="Local variants [L]: Kent 3 in 6 months, Wolverhampton 5 in 12 months.",
    ),
    Default("repeat_window_months", REPEAT_WINDOW_MONTHS, f"{SOURCE}: repeat", Status.CONFIRMED),
    Default(
        "repeat_definition",
        REPEAT_ANY_ABUSE,
        f"{SOURCE}: repeat (current definition: any abuse, need not be criminal)",
        Status.CONFIRMED,
        note="Some MARACs still use the older crime-based definition ('crime'): store which one the MARAC uses.",
    ),
)


@dataclass(frozen=True)
class MaracFinding:
    criteria: tuple[str, ...]
    refer_to_marac: bool
    grade_after_judgement: str
    repeat: bool
    working: tuple[Step, ...]


@dataclass(frozen=True)
class EscalationWindow:
    """The dates (both inclusive) within which domestic-abuse events count towards potential escalation."""

    start: date
    end: date
    working: tuple[Step, ...]


@dataclass(frozen=True)
class DashMaracResult:
    yes_count: int
    grade: str
    grade_after_judgement: str
    criteria: tuple[str, ...]
    refer_to_marac: bool
    repeat: bool
    working: tuple[Step, ...]


def _check_date(field: str, value: Any) -> None:
    if not isinstance(value, date):
        raise RuleInputError(field, "Enter a date")


def repeat_window_end(last_marac_referral: date, settings: MaracSettings = MaracSettings()) -> date:
    """The last day on which an incident is a repeat of a MARAC referral (its anniversary, inclusive)."""
    return add_months(last_marac_referral, settings.repeat_window_months)


def escalation_window(incident_date: date, settings: MaracSettings = MaracSettings()) -> EscalationWindow:
    """The look-back window for potential escalation, ending on the incident date and counted like a repeat."""
    _check_date("incident_date", incident_date)
    start = add_months(incident_date, -settings.escalation_months)
    return EscalationWindow(
        start=start,
        end=incident_date,
        working=(
            Step(
                f"Count domestic-abuse events known to any agency from {start.isoformat()} to "
                f"{incident_date.isoformat()} inclusive ({settings.escalation_months} months, with this incident)",
                f"{SOURCE}: potential escalation; corresponding date rule (Dodds v Walker [1981])",
            ),
        ),
    )


def marac_criteria(
    *,
    yes_count: int,
    professional_judgement: bool,
    reason: str,
    events_in_window: int,
    last_marac_referral: date | None,
    incident_date: date,
    incident_is_crime: bool = True,
    settings: MaracSettings = MaracSettings(),
    dash_settings: DashSettings = DEFAULT_DASH_SETTINGS,
    definition: Mapping[str, Any] = DASH_2009,
) -> MaracFinding:
    """Which MARAC referral criteria a case meets, and whether to refer it."""
    if not isinstance(yes_count, int) or yes_count < 0:
        raise RuleInputError("yes_count", "Enter the number of Yes answers on the DASH, 0 or more")
    if not isinstance(events_in_window, int) or events_in_window < 0:
        raise RuleInputError("events_in_window", "Enter the number of domestic-abuse events in the window, 0 or more")
    if professional_judgement and not (isinstance(reason, str) and reason.strip()):
        raise RuleInputError("reason", "Give the reason for your professional judgement that the risk is high")
    _check_date("incident_date", incident_date)
    if last_marac_referral is not None:
        _check_date("last_marac_referral", last_marac_referral)
        if incident_date < last_marac_referral:
            raise RuleInputError(
                "incident_date", "The incident date is before the last MARAC referral: check both dates"
            )

    criteria: list[str] = []
    steps: list[Step] = []

    threshold = settings.visible_high_risk_from
    if yes_count >= threshold:
        criteria.append(VISIBLE_HIGH_RISK)
        steps.append(Step(f"DASH {yes_count} Yes is {threshold} or more: visible high risk", f"{SOURCE}: {VHR}"))
    else:
        steps.append(Step(f"DASH {yes_count} Yes is below {threshold}: not visible high risk", f"{SOURCE}: {VHR}"))

    grade = grade_for(yes_count, definition=definition, settings=dash_settings)
    if yes_count >= threshold:
        grade = HIGH
    if professional_judgement:
        criteria.append(PROFESSIONAL_JUDGEMENT)
        raised = GRADES.index(HIGH) > GRADES.index(grade)
        steps.append(
            Step(
                "Professional judgement that the risk is high, with a written reason"
                + (f": grade raised from {grade} to high" if raised else ""),
                f"{SOURCE}: professional judgement (may raise a grade, never lower one)",
            )
        )
        grade = HIGH
    else:
        steps.append(Step("No professional judgement recorded", f"{SOURCE}: professional judgement"))

    rule = f"{settings.escalation_events} in {settings.escalation_months} months"
    where = f"{SOURCE}: potential escalation ({'national' if settings.is_national_escalation else 'area setting'})"
    if events_in_window >= settings.escalation_events:
        criteria.append(POTENTIAL_ESCALATION)
        steps.append(Step(f"{events_in_window} domestic-abuse events in the window meets {rule}", where))
    else:
        steps.append(Step(f"{events_in_window} domestic-abuse events in the window is fewer than {rule}", where))

    repeat, repeat_step = _repeat(last_marac_referral, incident_date, incident_is_crime, settings)
    steps.append(repeat_step)
    if repeat:
        criteria.append(REPEAT)

    refer = bool(criteria)
    if refer:
        met = ", ".join(CRITERION_LABELS[c].lower() for c in criteria)
        steps.append(Step(f"Criteria met: {met}: refer to MARAC", f"{SOURCE} (any one criterion)"))
    else:
        steps.append(Step("No referral criterion met: not a MARAC referral", f"{SOURCE} (any one criterion)"))
    return MaracFinding(
        criteria=tuple(criteria),
        refer_to_marac=refer,
        grade_after_judgement=grade,
        repeat=repeat,
        working=tuple(steps),
    )


def _repeat(
    last_marac_referral: date | None, incident_date: date, incident_is_crime: bool, settings: MaracSettings
) -> tuple[bool, Step]:
    source = f"{SOURCE}: repeat ({settings.repeat_definition.replace('_', ' ')} definition)"
    if last_marac_referral is None:
        return False, Step("No previous MARAC referral recorded: not a repeat", source)
    end = repeat_window_end(last_marac_referral, settings)
    if incident_date > end:
        return False, Step(
            f"Incident after {end.isoformat()}, more than {settings.repeat_window_months} months after the last "
            "MARAC referral: a new referral, not a repeat",
            f"{source}; corresponding date rule (Dodds v Walker [1981])",
        )
    if settings.repeat_definition == REPEAT_CRIME and not incident_is_crime:
        return False, Step(
            "Incident within the repeat window but not a crime: not a repeat under this MARAC's crime-based definition",
            source,
        )
    return True, Step(
        f"Incident on or before {end.isoformat()}, within {settings.repeat_window_months} months of the last MARAC "
        "referral: a repeat, re-referred whatever the score",
        f"{source}; corresponding date rule (Dodds v Walker [1981])",
    )


def assess_dash_for_marac(
    answers: Sequence[str] | Mapping[str, str],
    *,
    professional_judgement: bool,
    reason: str,
    events_in_window: int,
    last_marac_referral: date | None,
    incident_date: date,
    incident_is_crime: bool = True,
    definition: Mapping[str, Any] = DASH_2009,
    dash_settings: DashSettings = DEFAULT_DASH_SETTINGS,
    marac_settings: MaracSettings = MaracSettings(),
) -> DashMaracResult:
    """Score a DASH and apply the MARAC referral criteria: what ``POST /api/rules/dash/`` and the DASH page show."""
    score = score_dash(answers, definition=definition, settings=dash_settings)
    finding = marac_criteria(
        yes_count=score.yes_count,
        professional_judgement=professional_judgement,
        reason=reason,
        events_in_window=events_in_window,
        last_marac_referral=last_marac_referral,
        incident_date=incident_date,
        incident_is_crime=incident_is_crime,
        settings=marac_settings,
        dash_settings=dash_settings,
        definition=definition,
    )
    return DashMaracResult(
        yes_count=score.yes_count,
        grade=score.grade,
        grade_after_judgement=finding.grade_after_judgement,
        criteria=finding.criteria,
        refer_to_marac=finding.refer_to_marac,
        repeat=finding.repeat,
        working=score.working + finding.working,
    )
