"""Finding people: by identifier, by name despite a slip, by date of birth.

Results always pass the gate's scope first; the caller audits the search.

The reads a search makes are written once a process (safeguard.prepared), so that a search's CPU goes on
finding people rather than on building SQL: the reads of people through the gate's scope (``_Visible``), the
unscoped reads of ids by date of birth, and the candidates' aliases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Upper

from safeguard.access import gate
from safeguard.access import viewer as access_viewer
from safeguard.prepared import PreparedQuery
from safeguard.rules import identifiers, names

from .models import Alias, NameKey, Person

MAX_RESULTS = 50
# The fields of a person the search itself reads (to rank and to order): read whatever the caller asks for.
SEARCHED_FIELDS = ("id", "given_name", "family_name", "date_of_birth")
CANDIDATES = MAX_RESULTS * 4  # ranked in Python after the index has narrowed them

# The candidates' aliases, read in one query for all of them once every candidate is known (``_read_aliases``)
# and kept on each as a plain list: a prefetch into ``person.aliases`` makes a related manager's queryset for
# every person (a clone and a filter each, about a sixth of a family-name search's CPU), and the ranking only
# reads the list.
_ALIASES = "search_aliases"


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


# Reading people through the gate, each read's SQL kept ------------------------------------------------------


def _visible_people(user: Any, fields: tuple[str, ...] = ()) -> QuerySet[Person]:
    """The people the user may see, less any merged into another (a record merged away keeps its name but
    none of its parts: search finds the kept record only); only ``fields`` of each, when given."""
    from safeguard.matching.models import PersonMerge  # matching builds on people: imported here, not at the top

    merged_away = PersonMerge.objects.filter(status=PersonMerge.Status.MERGED).values("merged_id")
    visible = gate.scoped(user, Person.objects.exclude(pk__in=merged_away))
    return visible.only(*fields) if fields else visible


# A read of people: ``build(visible, limit, **arguments)``, ``visible`` the people the user may see.
Build = Callable[..., QuerySet[Person]]

# One PreparedQuery for each read, limit, fields and kind of viewer (access.viewer's key: a builder knows no
# more than its arguments).
_PREPARED: dict[tuple[Any, ...], PreparedQuery] = {}


def _prepared(build: Build, limit: int | None, fields: tuple[str, ...], viewer_key: Hashable) -> PreparedQuery:
    key = (build, limit, fields, viewer_key)
    query = _PREPARED.get(key)
    if query is None:

        def scoped(
            *, viewer: int, agency: int, team: int | None, area: int, local_areas: list[int], **arguments: Any
        ) -> QuerySet[Person]:
            facts = {"viewer": viewer, "agency": agency, "team": team, "area": area, "local_areas": local_areas}
            with access_viewer.standing_in(viewer_key, **facts) as user:  # type: ignore[arg-type]
                visible = _visible_people(user, fields)
            return build(visible, limit, **arguments)

        query = _PREPARED.setdefault(key, PreparedQuery(f"people search: {build.__name__}", Person, scoped))
    return query


class _Visible:
    """The people a user may see, read through ``read``: for a member of staff of a MAPPA area, each read's SQL is
    kept (safeguard.prepared) and the gate's scope in it built for their stand-in (access.viewer); for anyone else,
    or with prepared queries off, the gate's scope of the user itself, built each time."""

    def __init__(self, user: Any, fields: tuple[str, ...] = ()) -> None:
        self.user = user
        self.fields = fields
        self.found = access_viewer.facts(user) if getattr(settings, "SAFEGUARD_PREPARED_QUERIES", True) else None
        self._people: QuerySet[Person] | None = None

    def read(self, build: Build, limit: int | None, **arguments: Any) -> QuerySet[Person]:
        """``build``'s people. A value the ORM escapes (SQLite's ``iexact`` is a LIKE) is not kept as given:
        ``safeguard.prepared`` refuses such a shape, and its reads are the ORM's."""
        if self.found is None:
            if self._people is None:
                self._people = _visible_people(self.user, self.fields)
            return build(self._people, limit, **arguments)
        viewer_key, facts = self.found
        query = _prepared(build, limit, self.fields, viewer_key)
        return query(**facts, **arguments)


# The lengths a list of ids is padded to (``_padded``): one page of people among them, since psycopg converts a
# statement's placeholders once a process only for a statement of at most 50 parameters.
_PADDED_LENGTHS = (8, 16, 32, MAX_RESULTS)


def _padded(ids: Iterable[int]) -> list[int]:
    """The ids, sorted, then padded with negative ids no row has to one of a few lengths (8, 16, 32, a page,
    then twice, four times... a page): a read of these ids then has one of a few lengths of list, each kept
    once (a prepared query keeps 64 shapes, and a list's length is part of its shape), rather than one for
    every count."""
    ids = sorted(set(ids))
    size = next((n for n in _PADDED_LENGTHS if n >= len(ids)), 2 * MAX_RESULTS)
    while size < len(ids):
        size *= 2
    return ids + list(range(-1, len(ids) - size - 1, -1))


_NAME_ORDER = (Upper("family_name"), "given_name", "pk")


def _with_given(people: QuerySet[Person], given_keys: list[str] | None) -> QuerySet[Person]:
    if given_keys is None:
        return people
    return people.filter(pk__in=NameKey.objects.filter(part="g", key__in=given_keys).values("person_id"))


def _called(
    visible: QuerySet[Person], limit: int, family: str, given_keys: list[str] | None = None
) -> QuerySet[Person]:
    """People called this family name, in the name index's order."""
    called = _with_given(visible.filter(family_name__iexact=family), given_keys)
    return called.order_by(*_NAME_ORDER)[:limit]


def _known_as(
    visible: QuerySet[Person], limit: int, family: str, given_keys: list[str] | None = None
) -> QuerySet[Person]:
    """People known by this family name as an alias, and called otherwise, in name order."""
    aliased = Alias.objects.filter(family_name__iexact=family).values("person_id")
    known_as = _with_given(visible.filter(pk__in=aliased).exclude(family_name__iexact=family), given_keys)
    return known_as.order_by(*_NAME_ORDER)[:limit]


def _keyed(visible: QuerySet[Person], limit: int, keys: list[str]) -> QuerySet[Person]:
    """People whose family name or an alias's shares a key: a subquery on the key index."""
    named = NameKey.objects.filter(part="f", key__in=keys).values("person_id")
    return visible.filter(pk__in=named)[:limit]


def _among(visible: QuerySet[Person], limit: None, ids: list[int]) -> QuerySet[Person]:
    return visible.filter(pk__in=ids)


# The unscoped reads of ids (the scope is applied to the people they name) and the candidates' aliases.
_BORN = PreparedQuery(
    "people search: born on",
    Person,
    lambda day: Person.objects.filter(date_of_birth=day).values_list("pk", flat=True)[: CANDIDATES + 1],
)
_BORN_AND_NAMED = PreparedQuery(
    "people search: born on and named",
    Person,
    lambda day, keys: (
        Person.objects.filter(date_of_birth=day)
        .filter(pk__in=NameKey.objects.filter(part="f", key__in=keys).values("person_id"))
        .values_list("pk", flat=True)[:CANDIDATES]
    ),
)
_ALIAS_BORN = PreparedQuery(
    "people search: alias born on",
    Alias,
    lambda day: Alias.objects.filter(date_of_birth=day).values_list("person_id", flat=True)[:CANDIDATES],
)
_ALIASES_OF = PreparedQuery(
    "people search: aliases", Alias, lambda person_ids: Alias.objects.filter(person_id__in=person_ids)
)


def _read_aliases(people: list[Person]) -> None:
    """Every candidate's aliases in one query, in the order a prefetch of ``person.aliases`` gives them
    (Alias's ordering), kept on each as the list the ranking reads."""
    kept: dict[int, list[Alias]] = {person.pk: [] for person in people}
    if kept:
        for alias in _ALIASES_OF(person_ids=_padded(kept)):
            kept[alias.person_id].append(alias)
    for person in people:
        setattr(person, _ALIASES, kept[person.pk])


def _by_keys(visible: _Visible, keys: list[str], limit: int) -> list[Person]:
    """People whose family name or an alias's shares a key, at most ``limit``."""
    if not keys:
        return []
    return list(visible.read(_keyed, limit, keys=keys))


def _exactly_named(visible: _Visible, family: str, given: str, limit: int) -> list[Person]:
    """People called exactly this family name (or with an alias of it), in name order; with a first name, only
    those whose first name is within one edit of it. Those called it are read in the order of the name index
    (``person_family_name_order``), so a common name stops after ``limit`` rows; those known by it as an
    alias are read apart (an OR of the two would read every one of them); the two are merged in name order."""
    narrowed: dict[str, Any] = {}
    if given:
        narrowed["given_keys"] = sorted(k for k in names.name_keys(given) if k.startswith("d:"))
    people = [
        *visible.read(_called, limit, family=family, **narrowed),
        *visible.read(_known_as, limit, family=family, **narrowed),
    ]
    people.sort(key=lambda p: (p.family_name.upper(), p.given_name, p.pk))
    return people[:limit]


def _by_name(visible: _Visible, given: str, family: str) -> tuple[list[Person], bool]:
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


def _by_date_of_birth(visible: _Visible, date_of_birth: dt.date, family: str) -> list[Person]:
    """A date of birth narrows to a few dozen people even nationally: they are all scored. Ids from the two
    date indexes first, so that the scope is checked on those rows only."""
    ids = set(_BORN(day=date_of_birth))
    if len(ids) > CANDIDATES and family:
        # A crowded date: let the name narrow it too, rather than cut the list blindly.
        ids = set(_BORN_AND_NAMED(day=date_of_birth, keys=sorted(names.name_keys(family))))
    ids.update(_ALIAS_BORN(day=date_of_birth))
    return list(visible.read(_among, None, ids=_padded(ids))) if ids else []


def _name_score(person: Person, given: names.Against | None, family: names.Against) -> tuple[float, str]:
    candidates = [(person.given_name, person.family_name, "name")]
    candidates += [
        (a.given_name or person.given_name, a.family_name, f"{a.get_kind_display().lower()}")
        for a in _aliases_of(person)
    ]
    best = (0.0, "name")
    for cand_given, cand_family, label in candidates:
        score = family.similarity(cand_family)
        if given is not None:
            score = (2 * score + given.similarity(cand_given)) / 3
        if score > best[0]:
            best = (score, label)
    return best


def _plausible(person: Person, family: names.Against) -> bool:
    """Within one edit of, or sounding like, the family name or an alias's."""
    return any(
        family.within_one_edit_or_sounds_alike(candidate)
        for candidate in [person.family_name, *(a.family_name for a in _aliases_of(person))]
    )


@dataclass(frozen=True)
class SearchResult:
    """The closest matches, best first, and whether the search stopped before looking at every name
    like the one asked for (a common family name with no first name or date of birth)."""

    matches: list[Match]
    stopped: bool


def find_people(
    user: Any, *, name: str = "", date_of_birth: dt.date | None = None, identifier: str = ""
) -> list[Match]:
    """People the user may see who match; best first. Empty criteria find nobody. Each person is read whole."""
    return search_people(user, name=name, date_of_birth=date_of_birth, identifier=identifier).matches


def search_people(
    user: Any,
    *,
    name: str = "",
    date_of_birth: dt.date | None = None,
    identifier: str = "",
    fields: tuple[str, ...] = (),
) -> SearchResult:
    """As find_people, saying also whether the search stopped short (and so should be narrowed). With
    ``fields``, only those of each person are read (a page that shows a few columns of each need not read,
    and convert, the rest); the search reads none but ``SEARCHED_FIELDS``, which are always read."""
    stopped = False
    fields = tuple(dict.fromkeys((*SEARCHED_FIELDS, *fields))) if fields else ()
    visible = _Visible(user, fields)
    if identifier:
        # Each identifier is unique and indexed: look each up alone, then apply the scope.
        ids: set[int] = set()
        for field, value in identifiers.identify(identifier) + [("visor_ref", identifier.strip().upper())]:
            ids.update(Person.objects.filter(**{field: value}).values_list("pk", flat=True))
        from safeguard.offenders.models import Nominal

        ids.update(Nominal.objects.filter(reference=identifier.strip().upper()).values_list("person_id", flat=True))
        people = list(_visible_people(user, fields).filter(pk__in=ids)[:MAX_RESULTS]) if ids else []
        return SearchResult([Match(p, 1.0, "identifier") for p in people], False)

    parts = name.split()
    family = parts[-1] if parts else ""
    given = " ".join(parts[:-1])
    if date_of_birth:
        people = _by_date_of_birth(visible, date_of_birth, family)
    elif family:
        people, stopped = _by_name(visible, given, family)
    else:
        return SearchResult([], False)
    matches = []
    if family:
        _read_aliases(people)
        family_against = names.Against(family)
        given_against = names.Against(given) if given else None
    for person in people:
        if family:
            score, label = _name_score(person, given_against, family_against)
            if score < names.MIN_SIMILARITY and not _plausible(person, family_against):
                continue
        else:
            score, label = 1.0, "date of birth"
        if date_of_birth and person.date_of_birth == date_of_birth:
            score += 0.5
        matches.append(Match(person, score, label))
    matches.sort(key=lambda m: (-m.score, m.person.family_name, m.person.given_name))
    return SearchResult(matches[:MAX_RESULTS], stopped or len(matches) > MAX_RESULTS)
