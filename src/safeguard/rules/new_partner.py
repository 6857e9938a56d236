"""Who is a new intimate partner of a person under management: the Right to Know prompt's rule.

Source: Domestic Violence Disclosure Scheme statutory guidance (Domestic Abuse Act 2021 s.77; April 2023),
quoted in docs/sources/domestic-abuse.md: "Right to Know (police act on their own information)". The guidance
names no trigger; Safeguard asks the agencies managing a MAPPA nominal, a MATAC nominal or a MARAC perpetrator
to consider a Right to Know disclosure when that person is linked to a new intimate partner.

The guidance does not say what "new" means. Safeguard reads it (protectively, docs/decisions.md):
- intimate kinds only: spouse or civil partner, intimate partner, fiancé or fiancée; a recorded former
  relationship is never a new partner (an ex-partner's disclosure is a separate decision, not this prompt);
- new: the relationship started on or after the day the person came under management (the earliest of
  their current managements); where its start is not recorded, the day the pair were first seen together
  (the relationship recorded, or their first domestic-abuse incident together);
- a domestic-abuse incident where the person is the perpetrator and the other a victim, with no relationship
  recorded between them, counts as a possible intimate partner (the relationship may simply not be recorded
  yet); a recorded relationship of another kind (family, associate) settles that it is not intimate;
- once per pair: a partner already prompted for is never prompted for again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .relationships import RelationshipKind

INTIMATE_KINDS = frozenset(
    {RelationshipKind.SPOUSE_OR_CIVIL_PARTNER, RelationshipKind.INTIMATE_PARTNER, RelationshipKind.FIANCE}
)


class Source(StrEnum):
    RELATIONSHIP = "relationship"
    INCIDENT = "incident"


@dataclass(frozen=True)
class PairFact:
    """One fact linking the managed person with another: a recorded relationship, or an incident together.

    ``kind`` and ``former`` are the relationship's (None and False for an incident); ``started_on`` is the
    relationship's recorded start (None when not recorded, and for an incident); ``seen_on`` is the day the
    fact was recorded, or the incident's day.
    """

    other_id: int
    source: Source
    seen_on: dt.date
    kind: str | None = None
    former: bool = False
    started_on: dt.date | None = None


@dataclass(frozen=True)
class NewPartner:
    other_id: int
    since: dt.date
    reasons: tuple[str, ...]


def is_intimate(kind: str | None) -> bool:
    return kind in {k.value for k in INTIMATE_KINDS}


def _since(facts: list[PairFact]) -> dt.date:
    started = [f.started_on for f in facts if f.started_on is not None]
    return min(started) if started else min(f.seen_on for f in facts)


def _reasons(facts: list[PairFact], since: dt.date, managed_since: dt.date) -> tuple[str, ...]:
    lines = []
    for fact in sorted(facts, key=lambda f: (f.seen_on, f.source)):
        if fact.source == Source.RELATIONSHIP:
            label = RelationshipKind(fact.kind).label.lower() if fact.kind else "relationship"
            start = f", from {fact.started_on:%-d %B %Y}" if fact.started_on else ", start not recorded"
            lines.append(f"Recorded as {label}{start} (recorded {fact.seen_on:%-d %B %Y})")
        else:
            lines.append(f"Domestic-abuse incident together on {fact.seen_on:%-d %B %Y}, no relationship recorded")
    lines.append(f"Under management since {managed_since:%-d %B %Y}; this relationship since {since:%-d %B %Y}")
    return tuple(lines)


def new_partner(managed_since: dt.date, facts: Iterable[PairFact]) -> NewPartner | None:
    """The verdict on one other person, from every fact about the pair; None when not a new intimate partner."""
    facts = list(facts)
    if not facts:
        return None
    relationships = [f for f in facts if f.source == Source.RELATIONSHIP]
    if any(f.former and is_intimate(f.kind) for f in relationships):
        return None
    intimate = [f for f in relationships if is_intimate(f.kind)]
    if relationships and not intimate:
        return None
    counted = intimate + [f for f in facts if f.source == Source.INCIDENT]
    since = _since(counted)
    if since < managed_since:
        return None
    return NewPartner(facts[0].other_id, since, _reasons(counted, since, managed_since))


def new_partners(
    managed_since: dt.date | None, facts: Iterable[PairFact], already_prompted: Iterable[int] = ()
) -> list[NewPartner]:
    """The new intimate partners of a person under management since ``managed_since`` (None: not managed),
    leaving out anyone already prompted for; ordered by other person."""
    if managed_since is None:
        return []
    done = set(already_prompted)
    by_other: dict[int, list[PairFact]] = {}
    for fact in facts:
        by_other.setdefault(fact.other_id, []).append(fact)
    found = []
    for other_id in sorted(by_other):
        if other_id in done:
            continue
        verdict = new_partner(managed_since, by_other[other_id])
        if verdict is not None:
            found.append(verdict)
    return found
