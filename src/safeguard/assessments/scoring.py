"""From a completed form to a stored result: each instrument's pure rule, applied once.

The result kept on an assessment is what the rule answered on the day, with
its working; it is never worked out again (``Assessment.save`` refuses a
change).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from safeguard.rules import arms, dara, dash, marac, rm2000
from safeguard.rules.working import explain


@dataclass(frozen=True)
class Scored:
    answers: dict[str, Any]
    result: dict[str, Any]
    summary: str
    grade: str = ""
    refer_to_marac: bool = False


def _result(outcome) -> dict[str, Any]:
    data = {}
    for f in dataclasses.fields(outcome):
        value = getattr(outcome, f.name)
        if f.name == "working":
            data["working"] = [step.as_dict() for step in value]
            data["explanation"] = explain(value)
        elif isinstance(value, tuple | frozenset | set):
            data[f.name] = list(value)
        elif isinstance(value, dt.date):
            data[f.name] = value.isoformat()
        else:
            data[f.name] = value
    return data


@dataclass(frozen=True)
class MaracContext:
    """What the MARAC criteria need beyond the answers, gathered from the records."""

    events_in_window: int
    last_marac_referral: dt.date | None
    dash_settings: dash.DashSettings
    marac_settings: marac.MaracSettings


def score_dash(definition: dict, data: dict, context: MaracContext) -> Scored:
    keys = [q["key"] for q in definition["questions"]]
    answers = {key: data[key] for key in keys}
    outcome = marac.assess_dash_for_marac(
        [answers[k] for k in keys],
        professional_judgement=data["professional_judgement"],
        reason=data.get("reason", ""),
        events_in_window=context.events_in_window,
        last_marac_referral=context.last_marac_referral,
        incident_date=data["incident_date"],
        definition=definition,
        dash_settings=context.dash_settings,
        marac_settings=context.marac_settings,
    )
    stored = {
        **answers,
        "professional_judgement": data["professional_judgement"],
        "reason": data.get("reason", ""),
        "incident_date": data["incident_date"].isoformat(),
        "events_in_window": context.events_in_window,
        "last_marac_referral": context.last_marac_referral.isoformat() if context.last_marac_referral else None,
    }
    grade = outcome.grade_after_judgement
    return Scored(
        answers=stored,
        result=_result(outcome),
        summary=f"{dash.GRADE_LABELS.get(grade, grade)}: {outcome.yes_count} of {len(keys)} yes",
        grade=grade,
        refer_to_marac=outcome.refer_to_marac,
    )


def score_dara(definition: dict, data: dict, context=None) -> Scored:
    notes = {t["key"]: data.get(f"theme_{t['key']}", "") for t in definition["themes"]}
    outcome = dara.grade_dara(data["grade"], data["rationale"], notes, definition=definition)
    return Scored(
        answers={"grade": data["grade"], "rationale": data["rationale"], "notes": notes},
        result=_result(outcome),
        summary=f"{outcome.grade.capitalize()} (officer's judgement)",
        grade=outcome.grade,
    )


RM2000_FIELDS = (
    "age_at_commencement",
    "sexual_appearances",
    "criminal_appearances",
    "violent_appearances",
    "any_burglary",
)


def score_rm2000(definition: dict, data: dict, context=None) -> Scored:
    inputs = {name: data[name] for name in RM2000_FIELDS}
    factors = sorted(data.get("aggravating_factors") or [])
    outcome = rm2000.score_rm2000(**inputs, aggravating_factors=set(factors), definition=definition)
    return Scored(
        answers={**inputs, "aggravating_factors": factors},
        result=_result(outcome),
        summary=f"/S {outcome.s_category}, /V {outcome.v_category}, /C {outcome.c_category}",
        grade=outcome.c_category,
    )


def score_arms(definition: dict, data: dict, context=None) -> Scored:
    keys = [f["key"] for f in definition["factors"]]
    ratings = {k: data.get(f"rating_{k}", "") for k in keys}
    evidence = {k: data.get(f"evidence_{k}", "") for k in keys}
    priorities = list(data.get("priorities") or [])
    outcome = arms.record_arms(ratings, evidence, priorities, data.get("priority_notes", ""), definition=definition)
    labels = {f["key"]: f["label"] for f in definition["factors"]}
    return Scored(
        answers={
            "ratings": ratings,
            "evidence": evidence,
            "priorities": priorities,
            "priority_notes": data.get("priority_notes", ""),
        },
        result=_result(outcome),
        summary="Priorities: " + "; ".join(labels[k] for k in priorities),
    )


SCORERS = {
    "dash": score_dash,
    "dash-yp": score_dash,
    "dara": score_dara,
    "rm2000": score_rm2000,
    "arms": score_arms,
}
