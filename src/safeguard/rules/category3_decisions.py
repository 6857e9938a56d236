"""A Category 3 prompt that someone has decided is not raised again for the same triggers.

Sources: the 2022 joint MAPPA inspection, Recommendation 14 (consider a
Category 3 referral for high-risk domestic-abuse perpetrators) [C]; Safeguard
the requirements (docs/requirements.md): "the decision is recorded either way" and a prompt closed by a
decision is not raised again for the same triggers.

Decisions Safeguard had to make (no guidance says when a decided prompt should
come back):
- A decision (to refer, or not to) answers the evidence that stood on the day
  it was made. The scan raises the prompt again only when a trigger that fires
  today rests on evidence dated *after* the day of the latest decision: a high
  DASH assessed later, a MARAC referral made later (a new referral, or the one
  that makes a repeat), a MATAC selection made later.
- Evidence dated on the day of the decision counts as seen by it: Safeguard
  keeps the decision's day, not its time, so a DASH recorded later that same
  day is treated as already considered. This errs towards not nagging; the
  next new evidence raises the prompt again.
- A trigger with no evidence date (none recorded) never re-raises a decided
  prompt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from safeguard.rules.working import Step

SOURCE = (
    "Safeguard requirements, forums: the Category 3 prompt "
    "(Safeguard requirements: a decided prompt is not raised again for the same triggers)"
)
LABELS = {"high_dash": "a high DASH", "repeat_marac": "a MARAC referral", "matac": "a MATAC selection"}


@dataclass(frozen=True)
class Reraise:
    raise_prompt: bool
    new_triggers: tuple[str, ...]
    working: tuple[Step, ...]


def after_decision(
    triggers: tuple[str, ...], latest_evidence: Mapping[str, dt.date | None], decided_on: dt.date | None
) -> Reraise:
    """Whether the triggers that fire today rest on evidence newer than the latest decision about the person.

    ``triggers`` are those rules.category3 found today; ``latest_evidence`` the date of the newest evidence
    behind each; ``decided_on`` the day of the latest decision on a Category 3 prompt for the person (None:
    never decided).
    """
    if not triggers:
        return Reraise(False, (), (Step("No trigger fires today", SOURCE),))
    if decided_on is None:
        return Reraise(True, tuple(triggers), (Step("No decision recorded before: the prompt is raised", SOURCE),))
    new = tuple(t for t in triggers if (latest_evidence.get(t) or dt.date.min) > decided_on)
    if new:
        labels = ", ".join(LABELS.get(t, t) for t in new)
        step = Step(f"Decided on {decided_on.isoformat()}; new since then: {labels}: raised again", SOURCE)
    else:
        step = Step(f"Decided on {decided_on.isoformat()}; nothing new since then: not raised again", SOURCE)
    return Reraise(bool(new), new, (step,))
