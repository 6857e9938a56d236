"""MATAC tactics: the kind of work an action set for a MATAC perpetrator is part of.

Source: the project's domain notes on domestic abuse (MATAC, quoted here): the MATAC partnership meets "every
4 weeks to choose tactics for each perpetrator (support, prevention, diversion, disruption, enforcement;
behaviour-change programmes such as Healthy Relationships, 7 Pathways) and track partnership actions". The
seed (the Surrey PCC's response) says the meeting will "determine method of targeting each perpetrator" and
"manage and track partnership actions"; it names no list.

The five tactic types are therefore the notes' list, kept as Safeguard's record of what the meeting chose, not
a legal rule: no statute or national guidance defines them or sets what belongs under each. Behaviour-change
programmes are named in the notes as examples beside the five, not as a sixth type: an action that refers a
perpetrator to a programme records the tactic the meeting chose it as (docs/decisions.md).

Where a tactic is recorded: on the action (``actions.Action.tactic``), since MATAC's work on a perpetrator is
the partnership actions it sets and tracks. An action on a MATAC case must say its tactic when it is set;
actions of other forums carry none (their guidance has no such list). Actions set on MATAC cases before the
field existed keep an empty tactic and are counted as "not recorded", never guessed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

SOURCE = "Domain notes, MATAC: 'choose tactics for each perpetrator (support, prevention, diversion, disruption, "
SOURCE += "enforcement ...)'; no statute or national guidance defines the list"

MATAC_KIND = "matac"  # meetings.Forum.Kind.MATAC (not imported: the meetings app imports actions)


class Tactic(models.TextChoices):
    SUPPORT = "support", "Support"
    PREVENTION = "prevention", "Prevention"
    DIVERSION = "diversion", "Diversion"
    DISRUPTION = "disruption", "Disruption"
    ENFORCEMENT = "enforcement", "Enforcement"


NAMES = ", ".join(label.lower() for label in Tactic.labels[:-1]) + f" or {Tactic.labels[-1].lower()}"
CHOOSE = f"Choose the MATAC tactic the action is part of: {NAMES}"
NOT_MATAC = "Only an action on a MATAC case records a MATAC tactic: leave the tactic empty."
HINT = (
    "The kind of work the meeting chose for this perpetrator. A referral to a behaviour-change programme "
    "(such as Healthy Relationships or 7 Pathways) is recorded under the tactic the meeting chose it as."
)


def needs_tactic(forum_kind: str) -> bool:
    return forum_kind == MATAC_KIND


def checked_tactic(forum_kind: str, tactic: str | None) -> str:
    """The tactic to record on a new action of a forum of ``forum_kind``: one of ``Tactic`` on a MATAC case,
    empty elsewhere; a ``ValidationError`` on ``tactic`` says what to choose."""
    tactic = (tactic or "").strip()
    if needs_tactic(forum_kind):
        if tactic not in Tactic.values:
            raise ValidationError({"tactic": f"{CHOOSE}."})
        return tactic
    if tactic:
        raise ValidationError({"tactic": NOT_MATAC})
    return ""
