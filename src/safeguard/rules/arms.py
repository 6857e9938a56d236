"""ARMS (Active Risk Management System): a structured record of a dynamic assessment.

Source: ARMS, the police and probation dynamic assessment of men convicted
of sexual offences, in use in England and Wales since 2014 and done at home
visits (docs/sources/risk-tools.md [C]). It has seven risk factors and four
protective factors. Its output is **not a risk label** but priorities for
work that feed the risk management plan.

ARMS content is licensed. Public material names six factors: risk factors
opportunity to offend, sexual preoccupation and offence-related sexual
interest; protective factors positive routine, social investment and
commitment to desist. The other five (four risk, one protective) are not
named in Safeguard's reference, so :data:`ARMS_2014` ships them as numbered
slots ("Risk factor 4 (name from the licensed ARMS manual)"), marked
unconfirmed, and invents no names; the slot numbers are Safeguard's, not the manual's order. An area holding the
licence loads a new edition with the licensed names, keeping the keys.

The rating scales (low / medium / high for risk factors; not present /
partly present / present for protective factors) are Safeguard's placeholder
scales, marked unconfirmed for the same reason. Evidence is required for a
factor rated at the top of its scale (a high risk factor, a present
protective factor), so the strongest findings are never unexplained.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from safeguard.rules.instruments import definition, factor, level, register, require_code
from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE = "Active Risk Management System (ARMS), police and probation, England and Wales (2014)"

RISK, PROTECTIVE = "risk", "protective"
RISK_FACTOR_COUNT = 7  # [C]
PROTECTIVE_FACTOR_COUNT = 4  # [C]

NAMED_RISK_FACTORS = (
    ("opportunity_to_offend", "Opportunity to offend"),
    ("sexual_preoccupation", "Sexual preoccupation"),
    ("offence_related_sexual_interest", "Offence-related sexual interest"),
)
NAMED_PROTECTIVE_FACTORS = (
    ("positive_routine", "Positive routine"),
    ("social_investment", "Social investment"),
    ("commitment_to_desist", "Commitment to desist"),
)
SLOT_LABEL = "{kind} factor {number} (name from the licensed ARMS manual)"


def _factors(named: tuple[tuple[str, str], ...], kind: str, total: int) -> list[dict[str, str]]:
    found = [factor(key, label, kind, Status.CONFIRMED) for key, label in named]
    for number in range(len(named) + 1, total + 1):
        label = SLOT_LABEL.format(kind=kind.capitalize(), number=number)
        found.append(factor(f"{kind}_factor_{number}", label, kind, Status.UNCONFIRMED))
    return found


ARMS_2014 = register(
    definition(
        code="arms",
        edition="2014",
        name="Active Risk Management System (ARMS)",
        source=SOURCE,
        status=Status.UNCONFIRMED,
        notes=(
            "Seven risk and four protective factors. Six are named in public material; the other five are "
            "UNCONFIRMED slots to be named from the licensed ARMS manual in a new edition. The rating scales are "
            "Safeguard's UNCONFIRMED placeholders. ARMS gives priorities for work, not a risk label."
        ),
        factors=_factors(NAMED_RISK_FACTORS, RISK, RISK_FACTOR_COUNT)
        + _factors(NAMED_PROTECTIVE_FACTORS, PROTECTIVE, PROTECTIVE_FACTOR_COUNT),
        rating_scales={
            RISK: {
                "status": str(Status.UNCONFIRMED),
                "levels": [level("low", "Low"), level("medium", "Medium"), level("high", "High")],
                "evidence_required_for": ["high"],
            },
            PROTECTIVE: {
                "status": str(Status.UNCONFIRMED),
                "levels": [
                    level("not_present", "Not present"),
                    level("partly_present", "Partly present"),
                    level("present", "Present"),
                ],
                "evidence_required_for": ["present"],
            },
        },
    )
)

DEFAULTS = (
    Default(
        name="arms factor names",
        value="arms/2014",
        source=SOURCE,
        status=Status.UNCONFIRMED,
        note="Five of the eleven factors are unnamed slots until the licensed names are loaded as a new edition.",
    ),
    Default(
        name="arms rating scales",
        value="risk: low/medium/high; protective: not present/partly present/present",
        source="Safeguard placeholder",
        status=Status.UNCONFIRMED,
        note="Replace with the licensed manual's scales in a new edition.",
    ),
)


@dataclass(frozen=True)
class ArmsRecord:
    ratings: dict[str, str]
    evidence: dict[str, str]
    priorities: tuple[str, ...]
    priority_notes: str
    working: tuple[Step, ...]


def _rated_factors(
    factors: Sequence[Mapping[str, Any]],
    scales: Mapping[str, Any],
    ratings: Mapping[str, str],
    evidence: Mapping[str, str],
    where: str,
) -> tuple[dict[str, str], dict[str, str], list[Step]]:
    """Each factor's rating and evidence, checked against its scale, with a step each."""
    kept_ratings: dict[str, str] = {}
    kept_evidence: dict[str, str] = {}
    steps: list[Step] = []
    for f in factors:
        key, label, scale = f["key"], f["label"], scales[f["kind"]]
        level_labels = {lv["key"]: lv["label"] for lv in scale["levels"]}
        rating = ratings.get(key)
        if rating is None or (isinstance(rating, str) and not rating.strip()):
            raise RuleInputError("ratings", f"Rate '{label}'")
        if not isinstance(rating, str) or rating not in level_labels:
            raise RuleInputError("ratings", f"Rate '{label}' as one of: {', '.join(level_labels.values())}")
        text = evidence.get(key, "")
        if not isinstance(text, str):
            raise RuleInputError("evidence", f"The evidence for '{label}' must be text")
        text = text.strip()
        if rating in scale["evidence_required_for"] and not text:
            raise RuleInputError("evidence", f"Give the evidence for '{label}', rated {level_labels[rating]}")
        kept_ratings[key] = rating
        if text:
            kept_evidence[key] = text
        steps.append(
            Step(
                f"{label} ({f['kind']} factor): {level_labels[rating]}" + (", evidence recorded" if text else ""),
                where,
            )
        )
    return kept_ratings, kept_evidence, steps


def _check_priorities(priorities: Sequence[str], priority_notes: str, labels: Mapping[str, str]) -> None:
    if isinstance(priorities, str) or not isinstance(priorities, Sequence) or not priorities:
        raise RuleInputError("priorities", "Choose at least one factor as a priority for work")
    if any(p not in labels for p in priorities):
        raise RuleInputError("priorities", "Choose priorities only from the factors of this ARMS definition")
    if len(set(priorities)) != len(priorities):
        raise RuleInputError("priorities", "Choose each priority once")
    if not isinstance(priority_notes, str):
        raise RuleInputError("priority_notes", "Give the notes on the priorities as text")


def record_arms(
    ratings: Mapping[str, str],
    evidence: Mapping[str, str],
    priorities: Sequence[str],
    priority_notes: str,
    definition: Mapping[str, Any] = ARMS_2014,
) -> ArmsRecord:
    """Check and record an ARMS assessment: every factor rated, evidence where required, priorities for work."""
    require_code(definition, ("arms",))
    factors = definition["factors"]
    scales = definition["rating_scales"]
    labels = {f["key"]: f["label"] for f in factors}
    if not isinstance(ratings, Mapping):
        raise RuleInputError("ratings", "Give a rating for each factor")
    if set(ratings) - set(labels):
        raise RuleInputError("ratings", "Rate only the factors of this ARMS definition")
    if not isinstance(evidence, Mapping):
        raise RuleInputError("evidence", "Give the evidence as text for each factor")
    if set(evidence) - set(labels):
        raise RuleInputError("evidence", "Record evidence only against the factors of this ARMS definition")

    where = f"{SOURCE}, edition {definition['edition']}"
    kept_ratings, kept_evidence, steps = _rated_factors(factors, scales, ratings, evidence, where)
    _check_priorities(priorities, priority_notes, labels)
    steps.append(
        Step(
            "Priorities for work: "
            + "; ".join(labels[p] for p in priorities)
            + " (ARMS gives priorities for the risk management plan, not a risk label)",
            where,
        )
    )
    unconfirmed = [f["label"] for f in factors if f["status"] != Status.CONFIRMED]
    if unconfirmed or definition["status"] != Status.CONFIRMED:
        steps.append(Step(f"This ARMS definition is unconfirmed: {definition['notes']}", where))
    return ArmsRecord(
        ratings=kept_ratings,
        evidence=kept_evidence,
        priorities=tuple(priorities),
        priority_notes=priority_notes.strip(),
        working=tuple(steps),
    )
