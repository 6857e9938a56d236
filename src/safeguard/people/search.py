"""Finding people: by identifier, by name despite a slip, by date of birth.

Results always pass the gate's scope first; the caller audits the search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from safeguard.access import gate
from safeguard.rules import identifiers, names

from .models import Alias, NameKey, Person

MAX_RESULTS = 50
CANDIDATES = MAX_RESULTS * 4  # ranked in Python after the index has narrowed them


def keys_for(person: Person, aliases: list[Alias] | None = None) -> list[NameKey]:
    aliases = list(person.aliases.all()) if aliases is None else aliases
    family = {person.family_name, *(a.family_name for a in aliases)}
    given = {person.given_name, *(a.given_name for a in aliases if a.given_name)}
    rows = {("f", k) for name in family for k in names.name_keys(name)}
    rows |= {("g", k) for name in given for k in names.name_keys(name)}
    return [NameKey(person_id=person.pk, part=part, key=key) for part, key in sorted(rows)]


def reindex(person: Person) -> None:
    with transaction.atomic():
        NameKey.objects.filter(person_id=person.pk).delete()
        NameKey.objects.bulk_create(keys_for(person))


@dataclass(frozen=True)
class Match:
    person: Person
    score: float
    matched_on: str


def _name_score(person: Person, given: str, family: str) -> tuple[float, str]:
    candidates = [(person.given_name, person.family_name, "name")]
    candidates += [
        (a.given_name or person.given_name, a.family_name, f"{a.get_kind_display().lower()}")
        for a in person.aliases.all()
    ]
    best = (0.0, "name")
    for cand_given, cand_family, label in candidates:
        score = names.similarity(family, cand_family)
        if given:
            score = (2 * score + names.similarity(given, cand_given)) / 3
        if score > best[0]:
            best = (score, label)
    return best


def _candidates(candidates, keys: list[str]) -> list[Person]:
    ids = NameKey.objects.filter(part="f", key__in=keys).values("person_id")
    return list(candidates.filter(pk__in=ids).distinct().prefetch_related("aliases")[:CANDIDATES])


def find_people(user, *, name: str = "", date_of_birth: dt.date | None = None, identifier: str = "") -> list[Match]:
    """People the user may see who match; best first. Empty criteria find nobody."""
    visible = gate.scoped(user, Person.objects.all())
    if identifier:
        found = identifiers.identify(identifier) + [("visor_ref", identifier.strip().upper())]
        query = None
        for field, value in found:
            clause = visible.filter(**{field: value})
            query = clause if query is None else query | clause
        # A nominal's reference finds its person too.
        by_nominal = visible.filter(nominals__reference=identifier.strip().upper())
        query = by_nominal if query is None else query | by_nominal
        people = list(query.distinct()[:MAX_RESULTS])
        return [Match(p, 1.0, "identifier") for p in people]

    parts = name.split()
    family = parts[-1] if parts else ""
    given = " ".join(parts[:-1])
    if not family and not date_of_birth:
        return []
    candidates = visible
    if date_of_birth:
        candidates = candidates.filter(date_of_birth=date_of_birth) | visible.filter(
            aliases__date_of_birth=date_of_birth
        )
    if family:
        # Names within one edit first; names that only sound alike (Soundex) when those are few.
        spelled = [k for k in names.name_keys(family) if k.startswith("d:")]
        people = _candidates(candidates, spelled)
        if len(people) < MAX_RESULTS:
            sounded = [k for k in names.name_keys(family) if k.startswith("s:")]
            seen = {p.pk for p in people}
            people += [p for p in _candidates(candidates, sounded) if p.pk not in seen]
    else:
        people = list(candidates.distinct().prefetch_related("aliases")[:CANDIDATES])
    matches = []
    for person in people:
        if family:
            score, label = _name_score(person, given, family)
            if score < names.MIN_SIMILARITY:
                continue
        else:
            score, label = 1.0, "date of birth"
        if date_of_birth and person.date_of_birth == date_of_birth:
            score += 0.5
        matches.append(Match(person, score, label))
    matches.sort(key=lambda m: (-m.score, m.person.family_name, m.person.given_name))
    return matches[:MAX_RESULTS]
