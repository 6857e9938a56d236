"""Reviewing a possible match: what a reviewer may decide, and how a match weight reads.

Splink's match weight is the log2 of the Bayes factor: each comparison adds its own weight (what agreed
adds, what disagreed takes away), starting from the prior (how likely two records picked at random are the
same person). The probability is 2^w / (1 + 2^w). Safeguard adds no rule of its own about when two records
are one person: a reviewer decides, and the threshold for review is the area's setting.
"""

from __future__ import annotations

import math
from enum import StrEnum


class PairStatus(StrEnum):
    OPEN = "open"
    NOT_SURE = "not_sure"
    SAME = "same"
    DIFFERENT = "different"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @classmethod
    def choices_list(cls) -> list[tuple[str, str]]:
        return [(s.value, s.label) for s in cls]


_STATUS_LABELS = {
    PairStatus.OPEN: "Waiting for review",
    PairStatus.NOT_SURE: "Not sure",
    PairStatus.SAME: "The same person",
    PairStatus.DIFFERENT: "Different people",
}


UNDECIDED = frozenset({PairStatus.OPEN, PairStatus.NOT_SURE})
DECISIONS = (PairStatus.SAME, PairStatus.DIFFERENT, PairStatus.NOT_SURE)
MIN_REASON = 10


class Evidence(StrEnum):
    FOR = "for"
    AGAINST = "against"
    NONE = "none"


def probability(match_weight: float) -> float:
    """The match probability of a match weight (bits)."""
    if match_weight > 60:
        return 1.0
    odds = math.pow(2.0, match_weight)
    return odds / (1.0 + odds)


def evidence(weight: float) -> Evidence:
    if weight > 0:
        return Evidence.FOR
    if weight < 0:
        return Evidence.AGAINST
    return Evidence.NONE


def weight_of(bayes_factor: float | None) -> float:
    """A comparison's weight in bits (0 for a comparison not recorded on both, whose factor is 1)."""
    if bayes_factor is None or bayes_factor <= 0:
        return 0.0
    return math.log2(bayes_factor)


def may_decide(status: str, decision: str, reason: str) -> str | None:
    """Why this decision cannot be recorded on a pair in this status, or None when it can."""
    if status not in UNDECIDED:
        return "This pair has been decided already."
    if decision not in DECISIONS:
        return "Choose the same person, different people or not sure."
    if len((reason or "").strip()) < MIN_REASON:
        return "Enter the reason for your decision (at least 10 characters)."
    return None
