"""Peer observation of a MAPPA meeting: a structured feedback form, and its themes across meetings (pure).

Source: the HMICFRS/PCC response quoted in docs/sources/interventions-and-release.md (4.9): "peer reviews
would be useful ... the MAPPA coordinators are pairing up Detective Inspectors and Senior Probation Officers
to assist in observing and providing feedback from MAPPA meetings". No guidance sets the form's headings:
these follow what the meeting quality audit and the MAPPA Guidance ask of a meeting (the chair's conduct,
defensible decisions, the four pillars of the plan, the victim, the agencies' contributions, actions), and
are Safeguard's own (docs/requirements.md). Each heading is rated on three words, not numbers, because the
form is feedback between peers, not a score; the quality audit beside it keeps its 4-to-1 scale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from safeguard.rules.working import RuleInputError

ITEMS = {
    "preparation": "Preparation and papers",
    "chairing": "Chairing: purpose, pace and everyone heard",
    "risk_focus": "Focus on the risk of serious harm",
    "victim_focus": "Focus on victims and potential victims",
    "defensible_decisions": "Decisions defensible and recorded with rationale",
    "plan_quality": "Risk management plan under the four pillars",
    "agency_contribution": "Contributions from every agency",
    "actions": "Actions clear, owned and dated",
}
RATINGS = {"strength": "A strength", "adequate": "Adequate", "develop": "An area for development"}

THEMES = {
    "attendance": "Attendance and the right agencies present",
    "information_sharing": "Information shared before and at the meeting",
    "victim_voice": "The victim's voice",
    "diversity": "Diversity and protected characteristics",
    "time_management": "Time management",
    "actions_smart": "Actions specific and time-bound",
    "plan_pillars": "Plans under all four pillars",
    "minutes": "Minutes and recording",
}


def check_form(ratings: Mapping[str, str], themes: Iterable[str]) -> None:
    """Every heading rated with one of the three words; themes from the list."""
    for item, label in ITEMS.items():
        if ratings.get(item) not in RATINGS:
            raise RuleInputError(item, f"Choose a rating for {label.lower()}")
    unknown = set(ratings) - set(ITEMS)
    if unknown:
        raise RuleInputError("ratings", f"Unknown heading: {', '.join(sorted(unknown))}")
    for theme in themes:
        if theme not in THEMES:
            raise RuleInputError("themes", "Choose themes from the list")


@dataclass(frozen=True)
class ThemeCount:
    key: str
    label: str
    meetings: int


@dataclass(frozen=True)
class Summary:
    observations: int
    themes: tuple[ThemeCount, ...]  # most often raised first
    development: tuple[ThemeCount, ...]  # headings rated "an area for development", most often first


def summarise(observations: Iterable[tuple[Mapping[str, str], Iterable[str]]]) -> Summary:
    """Across observations (each its ratings and themes): how many raised each theme, and how many rated
    each heading an area for development; most often first, then in the form's order."""
    themes: Counter[str] = Counter()
    development: Counter[str] = Counter()
    count = 0
    for ratings, raised in observations:
        count += 1
        themes.update(set(raised) & set(THEMES))
        development.update(item for item, rating in ratings.items() if rating == "develop" and item in ITEMS)
    order = list(THEMES)
    item_order = list(ITEMS)
    theme_rows = sorted(themes.items(), key=lambda kv: (-kv[1], order.index(kv[0])))
    item_rows = sorted(development.items(), key=lambda kv: (-kv[1], item_order.index(kv[0])))
    return Summary(
        count,
        tuple(ThemeCount(k, THEMES[k], n) for k, n in theme_rows),
        tuple(ThemeCount(k, ITEMS[k], n) for k, n in item_rows),
    )
