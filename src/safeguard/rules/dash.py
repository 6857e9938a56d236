"""The DASH risk identification checklist: scoring and grading.

Source: SafeLives, Domestic Abuse, Stalking and Harassment and Honour Based
Violence (DASH) Risk Identification Checklist (RIC), 2009 edition, and its
practice guidance, as summarised in docs/sources/risk-tools.md [C]:

- 24 questions, each answered Yes, No or Don't know; only Yes counts.
- 14 or more Yes answers is "visible high risk" and a MARAC referral [C].
- The unscored section for the professional's consideration is not part of
  the count (the assessments app records it as free text).

Below 14 there is no national band. Many areas grade 10-13 "medium" and 0-9
"standard" [L]: that is :class:`DashSettings` (``medium_from``), an area
setting, listed in :data:`DEFAULTS`.

The question topics are Safeguard's paraphrases in SafeLives' order; the
wording of the checklist is SafeLives' copyright and is not reproduced.

The Young People's DASH (ages 13-17) is shipped as :data:`DASH_YP` with the
same 24 topics and bands, marked unconfirmed: the domain reference does not
give its questions or bands, so an area should load the published version
as a new edition before relying on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from safeguard.rules.instruments import band, definition, question, register, require_code
from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE = "SafeLives DASH Risk Identification Checklist (2009)"
SOURCE_YP = "SafeLives Young People's DASH Risk Identification Checklist (ages 13-17)"

YES, NO, DONT_KNOW = "yes", "no", "dont_know"
ANSWERS = (YES, NO, DONT_KNOW)
ANSWER_LABELS = {YES: "Yes", NO: "No", DONT_KNOW: "Don't know"}

HIGH, MEDIUM, STANDARD = "high", "medium", "standard"
GRADES = (STANDARD, MEDIUM, HIGH)  # lowest first
GRADE_LABELS = {HIGH: "High (visible high risk)", MEDIUM: "Medium", STANDARD: "Standard"}

VISIBLE_HIGH_RISK_FROM = 14  # [C] SafeLives: 14 or more Yes answers
QUESTION_COUNT = 24  # [C] SafeLives DASH RIC 2009
MEDIUM_FROM = 10  # [L] local band: 10-13 medium, 0-9 standard
YOUNG_PEOPLE_AGES = (13, 17)

# Paraphrased topics, in the checklist's order (risk-tools.md); not SafeLives' wording.
TOPICS = (
    "Current injury",
    "Very frightened",
    "What is feared",
    "Isolation",
    "Depression or suicidal thoughts",
    "Separation in the past year",
    "Conflict over child contact",
    "Stalking and harassment",
    "Pregnancy or a baby in the last 18 months",
    "Abuse happening more often",
    "Abuse getting worse",
    "Controlling or jealous behaviour",
    "Weapons used",
    "Believed threats to kill",
    "Strangulation, choking, suffocation or drowning",
    "Sexual abuse",
    "Another person threatening the victim",
    "Abuser has hurt others",
    "Cruelty to animals",
    "Financial dependence",
    "Drugs, alcohol or mental health",
    "Abuser threatened or attempted suicide",
    "Breached bail, an injunction or a contact agreement",
    "Abuser's criminal history",
)


def _questions() -> list[dict[str, Any]]:
    return [question(f"q{n}", topic) for n, topic in enumerate(TOPICS, start=1)]


def _content() -> dict[str, Any]:
    return {
        "questions": _questions(),
        "answers": list(ANSWERS),
        "counts": YES,
        # Only the published band; the grades below it are DashSettings (local).
        "bands": [band(HIGH, VISIBLE_HIGH_RISK_FROM, QUESTION_COUNT)],
        "grades": list(GRADES),
    }


DASH_2009 = register(
    definition(
        code="dash",
        edition="2009",
        name="DASH risk identification checklist",
        source=SOURCE,
        status=Status.CONFIRMED,
        notes=(
            "24 questions answered Yes, No or Don't know; only Yes counts; 14 or more Yes is visible high "
            "risk (MARAC referral). Topics are Safeguard's paraphrases in SafeLives' order: the checklist "
            "wording is SafeLives' copyright. Grades below 14 are local settings, not part of the checklist."
        ),
        **_content(),
    )
)

DASH_YP = register(
    definition(
        code="dash-yp",
        edition="2009-provisional",
        name="Young People's DASH risk identification checklist",
        source=SOURCE_YP,
        status=Status.UNCONFIRMED,
        notes=(
            "UNCONFIRMED: Safeguard's reference does not give the Young People's version's questions or bands. "
            "This provisional edition repeats the adult checklist's 24 topics and its 14+ band. Load the "
            "published young people's version as a new edition before relying on it."
        ),
        ages={"min": YOUNG_PEOPLE_AGES[0], "max": YOUNG_PEOPLE_AGES[1]},
        **_content(),
    )
)


@dataclass(frozen=True)
class DashSettings:
    """An area's local DASH bands below visible high risk [L]."""

    medium_from: int = MEDIUM_FROM

    def __post_init__(self) -> None:
        if not isinstance(self.medium_from, int) or not 0 <= self.medium_from <= VISIBLE_HIGH_RISK_FROM:
            raise RuleInputError(
                "medium_from",
                f"Set the start of the medium band to a whole number from 0 to {VISIBLE_HIGH_RISK_FROM}",
            )


DEFAULT_SETTINGS = DashSettings()

DEFAULTS = (
    Default(
        name="medium_from",
        value=MEDIUM_FROM,
        source="Local practice: many areas grade DASH 10-13 medium and 0-9 standard",
        status=Status.LOCAL,
        note="SafeLives publishes only the 14+ visible high risk threshold; set to 14 to have no medium band.",
    ),
    Default(
        name="dash-yp definition",
        value="dash-yp/2009-provisional",
        source=SOURCE_YP,
        status=Status.UNCONFIRMED,
        note="Same 24 topics and bands as the adult checklist until the published version is loaded.",
    ),
)


@dataclass(frozen=True)
class DashScore:
    yes_count: int
    grade: str
    working: tuple[Step, ...]


def normalise_answers(answers: Sequence[str] | Mapping[str, str], definition: Mapping[str, Any]) -> list[str]:
    """The answers as a list in question order, each one of the definition's answer codes.

    Accepts a list in question order, or a mapping from question key (q1..q24)
    to answer. Case and surrounding spaces are ignored.
    """
    questions = definition["questions"]
    total = len(questions)
    allowed = definition["answers"]
    allowed_text = ", ".join(allowed)
    if isinstance(answers, Mapping):
        missing = [n for n, q in enumerate(questions, start=1) if q["key"] not in answers]
        unknown = set(answers) - {q["key"] for q in questions}
        if unknown:
            raise RuleInputError("answers", f"Answer only questions q1 to q{total}: an unknown question key was given")
        if missing:
            raise RuleInputError(
                "answers",
                f"Give {total} answers, one for each question: question {missing[0]} has no answer",
            )
        raw: list[Any] = [answers[q["key"]] for q in questions]
    elif isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise RuleInputError("answers", f"Give the answers as a list of {total} answers, one for each question")
    else:
        raw = list(answers)
        if len(raw) != total:
            raise RuleInputError(
                "answers", f"Give {total} answers, one for each question in order: {len(raw)} were given"
            )
    cleaned: list[str] = []
    for number, answer in enumerate(raw, start=1):
        value = answer.strip().lower() if isinstance(answer, str) else None
        if value is None or value not in allowed:
            raise RuleInputError("answers", f"Answer question {number} with one of: {allowed_text}")
        cleaned.append(value)
    return cleaned


def high_from(definition: Mapping[str, Any]) -> int:
    """The lowest count in the definition's high band (14 for the 2009 checklist)."""
    high = next(b for b in definition["bands"] if b["grade"] == HIGH)
    return int(high["min"])


def grade_for(
    yes_count: int, *, definition: Mapping[str, Any] = DASH_2009, settings: DashSettings = DashSettings()
) -> str:
    """The grade for a number of Yes answers: the definition's high band, then the local medium band."""
    if yes_count >= high_from(definition):
        return HIGH
    return MEDIUM if yes_count >= min(settings.medium_from, high_from(definition)) else STANDARD


def score_dash(
    answers: Sequence[str] | Mapping[str, str],
    *,
    definition: Mapping[str, Any] = DASH_2009,
    settings: DashSettings = DashSettings(),
) -> DashScore:
    """Count the Yes answers of a DASH and grade the count."""
    require_code(definition, ("dash", "dash-yp"))
    cleaned = normalise_answers(answers, definition)
    yes_numbers = [n for n, a in enumerate(cleaned, start=1) if a == definition["counts"]]
    yes_count = len(yes_numbers)
    edition = f"{definition['source']}, edition {definition['edition']}"
    threshold = high_from(definition)
    steps = [
        Step(
            f"{len(cleaned)} answers: {yes_count} Yes, {cleaned.count(NO)} No, {cleaned.count(DONT_KNOW)} "
            "Don't know; only Yes answers count",
            edition,
        ),
        Step(
            "Yes to questions " + ", ".join(str(n) for n in yes_numbers) if yes_numbers else "No question answered Yes",
            edition,
        ),
    ]
    grade = grade_for(yes_count, definition=definition, settings=settings)
    if grade == HIGH:
        steps.append(Step(f"{yes_count} Yes is {threshold} or more: visible high risk", f"{edition}, scoring"))
    elif grade == MEDIUM:
        steps.append(
            Step(
                f"{yes_count} Yes is below {threshold} and at least {settings.medium_from}: medium",
                "Local band (area setting medium_from)",
            )
        )
    else:
        steps.append(
            Step(
                f"{yes_count} Yes is below {min(settings.medium_from, threshold)}: standard",
                "Local band (area setting medium_from)",
            )
        )
    if definition["status"] != Status.CONFIRMED:
        steps.append(Step(f"This {definition['name']} definition is unconfirmed: {definition['notes']}", edition))
    return DashScore(yes_count=yes_count, grade=grade, working=tuple(steps))
