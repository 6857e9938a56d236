"""Take-up and outcome figures for programmes and release, with small numbers suppressed (a pure rule).

Source: Safeguard's own requirement (docs/requirements.md, "Take-up and outcome figures"): referral-to-start,
completion and drop-out rates by programme and provider; accommodation and treatment in place on release; small
numbers suppressed. No source in the domain notes sets the smallest count shown: ``minimum_count`` is a setting
(status SAFEGUARD, default 5: a count from 1 to 4 is shown as "fewer than 5", and a rate whose numerator or
denominator is suppressed is not shown), the protective choice, suppressing more rather than less.

Each count is suppressed by the shared rule (``rules.suppression``): no total is published beside these
figures, so primary suppression is all they need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safeguard.rules import suppression
from safeguard.rules.interventions import COMPLETED, DROPPED_OUT, REFUSED, STARTED_STATUSES
from safeguard.rules.working import Default, RuleInputError, Status

DEFAULTS = {
    "minimum_count": Default(
        "minimum_count", 5, "no published rule", Status.SAFEGUARD, "counts below it are shown as 'fewer than'"
    ),
}


@dataclass(frozen=True)
class Shown:
    """A count as a report may show it: the number, or ``None`` with the words in its place."""

    value: int | None
    text: str


def suppress(count: int, minimum: int | None = None) -> Shown:
    """A count of 1 to ``minimum - 1`` is suppressed; 0 and counts of ``minimum`` or more are shown: the shared
    rule for a figure published with no total beside it (``rules.suppression.suppress_figure``)."""
    floor = DEFAULTS["minimum_count"].value if minimum is None else minimum
    if not isinstance(floor, int) or isinstance(floor, bool):
        raise RuleInputError("minimum_count", "Enter the smallest count shown, a whole number")
    if count < 0:
        raise RuleInputError("count", "A count cannot be negative")
    figure = suppression.suppress_figure(count, floor)  # a threshold below 3 would hide nothing: refused
    return Shown(figure.value, figure.text)


def rate(numerator: int, denominator: int, minimum: int | None = None) -> str:
    """A percentage to the whole number, unless either count is suppressed or there is nothing to divide."""
    top, bottom = suppress(numerator, minimum), suppress(denominator, minimum)
    if top.value is None or bottom.value is None or not denominator:
        return "not shown"
    return f"{round(100 * numerator / denominator)}%"


@dataclass(frozen=True)
class ProgrammeFigures:
    programme: str
    provider: str
    referred: Shown
    started: Shown
    completed: Shown
    dropped_out: Shown
    refused: Shown
    start_rate: str
    completion_rate: str
    drop_out_rate: str


def programme_figures(rows: Iterable[tuple[str, str, str]], minimum: int | None = None) -> list[ProgrammeFigures]:
    """From (programme, provider, status) of each referral: the counts and rates by programme and provider."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for programme, provider, status in rows:
        c = counts.setdefault(
            (programme, provider), dict.fromkeys(("referred", "started", COMPLETED, DROPPED_OUT, REFUSED), 0)
        )
        c["referred"] += 1
        c["started"] += status in STARTED_STATUSES
        for final in (COMPLETED, DROPPED_OUT, REFUSED):
            c[final] += status == final
    return [
        ProgrammeFigures(
            programme=programme,
            provider=provider,
            referred=suppress(c["referred"], minimum),
            started=suppress(c["started"], minimum),
            completed=suppress(c[COMPLETED], minimum),
            dropped_out=suppress(c[DROPPED_OUT], minimum),
            refused=suppress(c[REFUSED], minimum),
            start_rate=rate(c["started"], c["referred"], minimum),
            completion_rate=rate(c[COMPLETED], c["started"], minimum),
            drop_out_rate=rate(c[DROPPED_OUT], c["started"], minimum),
        )
        for (programme, provider), c in sorted(counts.items())
    ]


@dataclass(frozen=True)
class ReleaseFigures:
    released: Shown
    accommodation: Shown
    treatment: Shown
    accommodation_rate: str
    treatment_rate: str


def release_figures(in_place: Iterable[dict[str, bool | None]], minimum: int | None = None) -> ReleaseFigures:
    """From each release's pathways in place on the day: how many had accommodation and a treatment appointment."""
    released = accommodation = treatment = 0
    for items in in_place:
        released += 1
        accommodation += bool(items.get("accommodation"))
        treatment += bool(items.get("substance_misuse"))
    return ReleaseFigures(
        suppress(released, minimum),
        suppress(accommodation, minimum),
        suppress(treatment, minimum),
        rate(accommodation, released, minimum),
        rate(treatment, released, minimum),
    )
