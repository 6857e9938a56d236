"""The IOM cohort: which stream a selected nominal joins (a pure rule), from the area's scoring setting.

Sources (docs/sources/interventions-and-release.md): the National IOM strategy (December 2020) and the National
IOM Operational Guidance (V5, January 2025) frame the cohort as "Fixed, Flex and Free" [C, headings only].
Fixed: neighbourhood crime (robbery, burglary, vehicle crime, theft from the person) [C]; Flex: other locally
prioritised offending such as violence or domestic abuse [R]; Free: locally chosen cases outside both [R].
Entry is through a selection panel; exit (de-selection) is recorded with its reason [C, a local scheme]. No
review cadence was found [R]: the panel sets each next review date.

The scoring setting is the area's: a selection score from its own tool and ``flex_threshold``, the score at or
above which a nominal outside neighbourhood crime is suggested for Flex. No published threshold exists, so the
default is none (status LOCAL): without one every case outside Fixed is suggested Free, and the panel's reason
decides. The panel may place a nominal in another stream than the one suggested; its reason is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE = "National IOM Operational Guidance V5 (2025), Fixed, Flex and Free"
FIXED, FLEX, FREE = "fixed", "flex", "free"
STREAMS = {
    FIXED: "Fixed: neighbourhood crime",
    FLEX: "Flex: local priorities such as violence or domestic abuse",
    FREE: "Free: locally chosen cases",
}
NEIGHBOURHOOD_CRIME = ("robbery", "burglary", "vehicle crime", "theft from the person")
DEFAULTS = {
    "flex_threshold": Default(
        "flex_threshold", None, "no published threshold", Status.LOCAL, "the score at or above which Flex is suggested"
    ),
}


@dataclass(frozen=True)
class Suggestion:
    stream: str
    working: tuple[Step, ...]


def suggest_stream(
    neighbourhood_crime: bool, score: int | None, settings: Mapping[str, int | None] | None = None
) -> Suggestion:
    """The stream the published shape suggests: Fixed for neighbourhood crime; Flex at or above the area's
    threshold; otherwise Free."""
    found = (settings or {}).get("flex_threshold", DEFAULTS["flex_threshold"].value)
    threshold = found if isinstance(found, int) and not isinstance(found, bool) else None
    if score is not None and (isinstance(score, bool) or score < 0):
        raise RuleInputError("score", "Enter the selection score as a whole number, 0 or more")
    if neighbourhood_crime:
        return Suggestion(FIXED, (Step("Neighbourhood crime: the Fixed cohort", SOURCE),))
    if threshold is not None and score is not None and score >= threshold:
        return Suggestion(FLEX, (Step(f"Score {score} at or above the area's threshold {threshold}: Flex", SOURCE),))
    why = (
        "no Flex threshold is set by the area" if threshold is None else f"score below the area's threshold {threshold}"
    )
    return Suggestion(FREE, (Step(f"Not neighbourhood crime, {why}: Free (the panel decides)", SOURCE),))


def check_entry(stream: str, reason: str) -> None:
    """A stream of the model, and the selection panel's reason (kept with the entry)."""
    if stream not in STREAMS:
        raise RuleInputError("stream", "Choose the cohort stream")
    if len(reason.strip()) < 3:
        raise RuleInputError("reason", "Give the selection panel's reason")
