"""The working behind a rule's answer, and the defaults a rule rests on.

Every rule in this package answers with its result *and* its working: a list
of steps, each naming the line of law or guidance it applied. Pages show the
working, the API returns it, and a reader can check it by hand.

A default marked [R] (widely cited, not confirmed from a primary source) or
[L] (one area's local practice) in ``docs/sources`` is a :class:`Default`:
a named value with its source and whether that source is confirmed. The
Django side turns each into an area or forum setting whose initial value is
the default, so nothing unconfirmed is a buried constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    CONFIRMED = "confirmed"  # [C]: found in a named public source
    UNCONFIRMED = "unconfirmed"  # [R]: widely cited, primary source not found
    LOCAL = "local"  # [L]: one area's practice, a setting
    SAFEGUARD = "safeguard"  # no published rule exists; Safeguard's documented choice


@dataclass(frozen=True)
class Step:
    """One line of working: what was found or decided, and where the rule comes from."""

    text: str
    source: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


@dataclass(frozen=True)
class Default:
    """A configurable default value with its provenance."""

    name: str
    value: object
    source: str
    status: Status
    note: str = ""


def explain(steps: list[Step] | tuple[Step, ...]) -> str:
    """The working as plain sentences, each followed by its source in brackets."""
    return " ".join(f"{s.text} ({s.source})." if s.source else f"{s.text}." for s in steps)


class RuleInputError(ValueError):
    """Input a rule cannot answer; ``field`` names the input at fault, the message says what to do.

    Messages never echo personal data.
    """

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message
