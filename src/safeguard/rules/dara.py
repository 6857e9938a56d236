"""DARA: the College of Policing Domestic Abuse Risk Assessment, recorded as the officer's graded judgement.

Source: College of Policing, Domestic Abuse Risk Assessment (DARA), launched
26 November 2022 for frontline officers, with more focus on coercive control;
rollout is partial, so forces use DASH and DARA side by side
(docs/sources/risk-tools.md [C for the tool, R for its structure]).

What is not confirmed: the number of questions and their wording. Safeguard
therefore ships no DARA questions. :data:`DARA_2022` holds *Safeguard's own
recording prompts*, themes for the officer's narrative (coercive control,
physical harm, escalation, the victim's own view, ...), clearly not the
College's questions, and the grade is the officer's judgement (standard,
medium or high) with a written rationale: DARA is not a count. An area with
the licensed form can load it as a new edition.

A high DARA grade is not itself one of the MARAC referral criteria in
Safeguard's reference (those are DASH-based); a high grade reaches MARAC as
professional judgement, with the rationale as its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safeguard.rules.instruments import definition, level, register, require_code
from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE = "College of Policing, Domestic Abuse Risk Assessment (DARA), launched 26 November 2022"

STANDARD, MEDIUM, HIGH = "standard", "medium", "high"

# Safeguard's recording prompts (not the College's questions).
THEMES = (
    ("coercive_control", "Coercive and controlling behaviour", "Controlling behaviour described, and its effect."),
    ("physical_harm", "Physical harm", "Injuries, strangulation, weapons or threats of physical harm."),
    ("escalation", "Escalation", "Is the abuse happening more often or getting worse?"),
    ("victim_view", "The victim's own view", "How the victim sees the risk, in their own words where possible."),
    ("stalking", "Stalking and harassment", "Following, monitoring or unwanted contact."),
    ("children_and_others", "Children and others at risk", "Children or other people in the household or at risk."),
    ("perpetrator", "The perpetrator's circumstances", "History, substances, mental health, access to the victim."),
)

DARA_2022 = register(
    definition(
        code="dara",
        edition="2022",
        name="Domestic Abuse Risk Assessment (DARA)",
        source=SOURCE,
        status=Status.UNCONFIRMED,
        notes=(
            "UNCONFIRMED structure: the College's question count and wording are not in Safeguard's reference and "
            "are not reproduced. The themes are Safeguard's recording prompts for the officer's narrative, not "
            "the College's questions. The grade is the officer's judgement with a written rationale, not a count."
        ),
        grades=[level(STANDARD, "Standard"), level(MEDIUM, "Medium"), level(HIGH, "High")],
        themes=[
            {"key": key, "topic": topic, "prompt": prompt, "kind": "safeguard_recording_prompt"}
            for key, topic, prompt in THEMES
        ],
    )
)

DEFAULTS = (
    Default(
        name="dara definition",
        value="dara/2022",
        source=SOURCE,
        status=Status.UNCONFIRMED,
        note="Question count not confirmed: Safeguard records themes and the officer's graded judgement only.",
    ),
)


@dataclass(frozen=True)
class DaraResult:
    grade: str
    rationale: str
    notes: dict[str, str]
    working: tuple[Step, ...]


def grade_dara(
    grade: str, rationale: str, notes: Mapping[str, str], definition: Mapping[str, Any] = DARA_2022
) -> DaraResult:
    """Record a DARA: the officer's grade, the rationale for it, and narrative notes under the themes."""
    require_code(definition, ("dara",))
    grades = [g["key"] for g in definition["grades"]]
    value = grade.strip().lower() if isinstance(grade, str) else None
    if value not in grades:
        raise RuleInputError("grade", f"Choose the grade: {', '.join(grades)}")
    if not isinstance(rationale, str) or not rationale.strip():
        raise RuleInputError("rationale", "Give the rationale for the grade: DARA grading is your judgement")
    themes = {t["key"]: t["topic"] for t in definition["themes"]}
    if not isinstance(notes, Mapping):
        raise RuleInputError("notes", "Give the notes as text under each theme")
    if set(notes) - set(themes):
        raise RuleInputError("notes", f"Record notes only under the themes: {', '.join(themes)}")
    for key, text in notes.items():
        if not isinstance(text, str):
            raise RuleInputError("notes", f"The notes under '{themes[key]}' must be text")
    kept = {key: notes[key].strip() for key in themes if key in notes and notes[key].strip()}
    covered = [themes[k] for k in kept]
    steps = [
        Step(
            "Notes recorded under: " + ", ".join(covered) if covered else "No theme notes recorded",
            "Safeguard's recording prompts (not the College's questions)",
        ),
        Step(f"Grade {value}: the officer's judgement, with a written rationale", f"{SOURCE}; grading by judgement"),
    ]
    if definition["status"] != Status.CONFIRMED:
        steps.append(Step(f"This DARA definition is unconfirmed: {definition['notes']}", definition["source"]))
    return DaraResult(grade=value, rationale=rationale.strip(), notes=kept, working=tuple(steps))
