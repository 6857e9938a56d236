"""The meeting quality audit (old MAPPA L): each item scored 4 (Excellent) to 1 (Poor).

Source: MAPPA Guidance, meeting audit form (old MAPPA L) [C]: papers
circulated, start on time, purpose stated, confidentiality statement read,
dissent recorded, victim and diversity issues addressed, the chair
summarised the risk of serious harm factors; each scored 4 Excellent to 1
Poor. The labels of 3 and 2 are not confirmed, so Safeguard shows only the
numbers for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from safeguard.rules.working import RuleInputError, Step

SOURCE = "MAPPA document set: the meeting audit form"
ITEMS = {
    "papers_circulated": "Papers circulated before the meeting",
    "started_on_time": "Meeting started on time",
    "purpose_stated": "Purpose of the meeting stated",
    "confidentiality_read": "Confidentiality statement read",
    "dissent_recorded": "Dissent recorded",
    "victim_and_diversity": "Victim and diversity issues addressed",
    "rosh_summarised": "Chair summarised the risk of serious harm factors",
}
SCORES = (4, 3, 2, 1)
SCORE_LABELS = {4: "4 Excellent", 3: "3", 2: "2", 1: "1 Poor"}


@dataclass(frozen=True)
class Audit:
    scores: Mapping[str, int]
    total: int
    mean: Decimal
    lowest: tuple[str, ...]
    working: tuple[Step, ...]


def score_meeting(scores: Mapping[str, int]) -> Audit:
    if not isinstance(scores, Mapping):
        raise RuleInputError("scores", "Give a score for each audit item")
    unknown = set(scores) - set(ITEMS)
    if unknown:
        raise RuleInputError("scores", f"Unknown audit item: {', '.join(sorted(unknown))}")
    for item in ITEMS:
        value = scores.get(item)
        if isinstance(value, bool) or value not in SCORES:
            raise RuleInputError(item, f"{ITEMS[item]}: score it 4 (Excellent) to 1 (Poor)")
    total = sum(scores[i] for i in ITEMS)
    mean = (Decimal(total) / len(ITEMS)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    low = min(scores.values())
    lowest = tuple(i for i in ITEMS if scores[i] == low)
    working = (
        Step(f"{len(ITEMS)} items scored, total {total} of {4 * len(ITEMS)}, mean {mean}", SOURCE),
        Step("Lowest: " + "; ".join(ITEMS[i] for i in lowest) + f" ({SCORE_LABELS[low]})", SOURCE),
    )
    return Audit(dict(scores), total, mean, lowest, working)
