"""Finding people: by identifier, by name despite a slip, by date of birth.

Results always pass the gate's scope first; the caller audits the search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.functions import Upper

from safeguard.access import gate
from safeguard.rules import identifiers, names

from .models import Alias, NameKey, Person

MAX_RESULTS = 50
CANDIDATES = MAX_RESULTS * 4  # ranked in Python after the index has narrowed them

# The candidates' aliases, read in one query for all of them and kept on each as a plain list: a prefetch into
# ``person.aliases`` makes a related manager's queryset for every person (a clone and a filter each, about a
# sixth of a family-name search's CPU), and the ranking only reads the list.
_ALIASES = "search_aliases"


def _with_aliases() -> Prefetch:
    return Prefetch("aliases", queryset=Alias.objects.all(), to_attr=_ALIASES)


def _aliases_of(person: Person) -> list[Alias]:
    """The aliases read with the candidates (or, for a person read otherwise, from the database)."""
    kept = getattr(person, _ALIASES, None)
    return list(person.aliases.all()) if kept is None else kept


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
        for a in _aliases_of(person)
    ]
    best = (0.0, "name")
    for cand_given, cand_family, label in candidates:
        score = names.similarity(family, cand_family)
        if given:
            score = (2 * score + names.similarity(given, cand_given)) / 3
        if score > best[0]:
            best = (score, label)
    return best


def _by_keys(visible, keys: list[str], limit: int) -> list[Person]:
    """People whose family name or an alias's shares a key: a subquery on the key index, at most ``limit``."""
    if not keys:
        return []
    named = NameKey.objects.filter(part="f", key__in=keys).values("person_id")
    return list(visible.filter(pk__in=named).prefetch_related(_with_aliases())[:limit])


def _exactly_named(visible, family: str, given: str, limit: int) -> list[Person]:
    """People called exactly this family name (or with an alias of it), in name order; with a first name, only
    those whose first name is within one edit of it. Those called it are read in the order of the name index
    (``person_family_name_order``), so a common name stops after ``limit`` rows; those known by it as an
    alias are read apart (an OR of the two would read every one of them); the two are merged in name order."""
    order = (Upper("family_name"), "given_name", "pk")
    called = visible.filter(family_name__iexact=family)
    aliased = Alias.objects.filter(family_name__iexact=family).values("person_id")
    known_as = visible.filter(pk__in=aliased).exclude(family_name__iexact=family)
    if given:
        given_keys = sorted(k for k in names.name_keys(given) if k.startswith("d:"))
        with_given = NameKey.objects.filter(part="g", key__in=given_keys).values("person_id")
        called, known_as = called.filter(pk__in=with_given), known_as.filter(pk__in=with_given)
    people = [*called.order_by(*order)[:limit], *known_as.order_by(*order)[:limit]]
    people.sort(key=lambda p: (p.family_name.upper(), p.given_name, p.pk))
    people = people[:limit]
    prefetch_related_objects(people, _with_aliases())
    return people


def _by_name(visible, given: str, family: str) -> tuple[list[Person], bool]:
    """Candidates for a name without a date of birth, best first, and whether the search stopped short.

    Bounded whatever the name: the exact name first (ranked by the database, at most one page more
    than is shown), then names within one edit, then names that only sound alike (Soundex), each at
    most CANDIDATES. When one of these is cut, the search says so and how to narrow it.
    """
    seen: dict[int, Person] = {}
    stopped = False

    def add(people: list[Person]) -> None:
        for person in people:
            seen.setdefault(person.pk, person)

    if given:
        found = _exactly_named(visible, family, given, CANDIDATES + 1)
        stopped |= len(found) > CANDIDATES
        add(found[:CANDIDATES])
    found = _exactly_named(visible, family, "", MAX_RESULTS + 1)
    if len(found) > MAX_RESULTS and not given:
        # More people have exactly this family name than a page shows: nobody else can rank above them.
        return found[:MAX_RESULTS], True
    add(found[:MAX_RESULTS])
    keys = names.name_keys(family)
    for prefix in ("d:", "s:"):
        if len(seen) >= MAX_RESULTS:
            break
        found = _by_keys(visible, sorted(k for k in keys if k.startswith(prefix)), CANDIDATES + 1)
        stopped |= len(found) > CANDIDATES
        add(found[:CANDIDATES])
    return list(seen.values()), stopped


def _plausible(person: Person, family: str) -> bool:
    """Within one edit of, or sounding like, the family name or an alias's."""
    return any(
        names.within_one_edit(family, candidate) or names.sounds_alike(family, candidate)
        for candidate in [person.family_name, *(a.family_name for a in _aliases_of(person))]
    )


@dataclass(frozen=True)
class SearchResult:
    """The closest matches, best first, and whether the search stopped before looking at every name
    like the one asked for (a common family name with no first name or date of birth)."""

    matches: list[Match]
    stopped: bool


def find_people(user, *, name: str = "", date_of_birth: dt.date | None = None, identifier: str = "") -> list[Match]:
    """People the user may see who match; best first. Empty criteria find nobody."""
    return search_people(user, name=name, date_of_birth=date_of_birth, identifier=identifier).matches


def search_people(user, *, name: str = "", date_of_birth: dt.date | None = None, identifier: str = "") -> SearchResult:
    """As find_people, saying also whether the search stopped short (and so should be narrowed)."""
    stopped = False
    from safeguard.matching.models import PersonMerge  # matching builds on people: imported here, not at the top

    # A record merged into another keeps its name but none of its parts: search finds the kept record only.
    merged_away = PersonMerge.objects.filter(status=PersonMerge.Status.MERGED).values("merged_id")
    visible = gate.scoped(user, Person.objects.exclude(pk__in=merged_away))
    if identifier:
        # Each identifier is unique and indexed: look each up alone, then apply the scope.
        ids: set[int] = set()
        for field, value in identifiers.identify(identifier) + [("visor_ref", identifier.strip().upper())]:
            ids.update(Person.objects.filter(**{field: value}).values_list("pk", flat=True))
        from safeguard.offenders.models import Nominal

        ids.update(Nominal.objects.filter(reference=identifier.strip().upper()).values_list("person_id", flat=True))
        people = list(visible.filter(pk__in=ids)[:MAX_RESULTS]) if ids else []
        return SearchResult([Match(p, 1.0, "identifier") for p in people], False)

    parts = name.split()
    family = parts[-1] if parts else ""
    given = " ".join(parts[:-1])
    if date_of_birth:
        # A date of birth narrows to a few dozen people even nationally: score them all.
        # Ids from the two date indexes first, so that the scope is checked on those rows only.
        born = Person.objects.filter(date_of_birth=date_of_birth)
        ids = set(born.values_list("pk", flat=True)[: CANDIDATES + 1])
        if len(ids) > CANDIDATES and family:
            # A crowded date: let the name narrow it too, rather than cut the list blindly.
            named = NameKey.objects.filter(part="f", key__in=sorted(names.name_keys(family))).values("person_id")
            ids = set(born.filter(pk__in=named).values_list("pk", flat=True)[:CANDIDATES])
        ids.update(Alias.objects.filter(date_of_birth=date_of_birth).values_list("person_id", flat=True)[:CANDIDATES])
        people = list(visible.filter(pk__in=ids).prefetch_related(_with_aliases())) if ids else []
    elif family:
        people, stopped = _by_name(visible, given, family)
    else:
        return SearchResult([], False)
    matches = []
    for person in people:
        if family:
            score, label = _name_score(person, given, family)
            if score < names.MIN_SIMILARITY and not _plausible(person, family):
                continue
        else:
            score, label = 1.0, "date of birth"
        if date_of_birth and person.date_of_birth == date_of_birth:
            score += 0.5
        matches.append(Match(person, score, label))
    matches.sort(key=lambda m: (-m.score, m.person.family_name, m.person.given_name))
    return SearchResult(matches[:MAX_RESULTS], stopped or len(matches) > MAX_RESULTS)
