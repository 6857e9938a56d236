"""A search's reads are written once a process (safeguard.prepared): what they find is what the ORM finds.

The reads of people are scoped by the gate for a stand-in of the user (access.viewer), so that one kept SQL serves
every user of the same kind: the scope built for it must be the scope built for the user. The tests run with the
prepared queries' check mode on (settings.test), which compares every kept call with the ORM's own SQL; these
compare what a search finds with prepared queries on and off.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.test import override_settings

from safeguard.access import gate, viewer
from safeguard.access.policy import roles_of
from safeguard.demo import factories as f
from safeguard.people import search
from safeguard.people.models import Alias, Person
from safeguard.web import search_rows
from safeguard.workforce.models import Role


def _sql(queryset) -> tuple[str, list]:
    try:
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # a scope that lets the user see nobody
        return "nobody", []
    return sql, list(params)


def _every_kind_of_user(world) -> list:
    users = [u for u in vars(world.users).values() if gate._signed_in(u)]
    # Users the world does not have: every role alone, in an agency that is a Responsible Authority and in
    # one that is not, and without an agency or an area.
    for n, role in enumerate(Role):
        for agency in (world.police, world.housing):
            users.append(f.staff(f"kind{n}{agency.pk}", agency, [role]))
    lone = f.staff("lone", None, [Role.OFFENDER_MANAGER, Role.MARAC_COORDINATOR])  # no agency, so no area
    return [*users, lone]


def test_the_scope_built_for_a_stand_in_is_the_users(world):
    users = _every_kind_of_user(world)
    assert len({tuple(sorted(roles_of(u))) for u in users}) > 5
    standing = 0
    for user in users:
        from_user = _sql(search._visible_people(user))
        found = viewer.facts(user)
        if found is None:  # no agency or no area: the search scopes the user itself, request by request
            assert user.agency_id is None or user.mappa_area_id is None
            continue
        key, facts = found
        with viewer.standing_in(key, **facts) as stand_in:
            assert _sql(search._visible_people(stand_in)) == from_user, user.username
        standing += 1
    assert standing > 10


def _people(world, family: str, count: int, given: str = "Alex") -> list[Person]:
    return [
        f.person(
            world.home["mappa"], f"{given}{chr(65 + n % 26)}{n:03d}", family, dt.date(1980, 1, 1) + dt.timedelta(n)
        )
        for n in range(count)
    ]


def _found(user, **criteria) -> tuple:
    result = search.search_people(user, **criteria)
    for match in result.matches:  # what the search itself reads is read, whatever fields were asked for
        assert not set(search.SEARCHED_FIELDS) & {f.attname for f in match.person._meta.concrete_fields} - set(
            match.person.__dict__
        )
    return [(m.person.pk, m.score, m.matched_on) for m in result.matches], result.stopped


SEARCHES = [
    {"name": "Ashcombe"},  # more than a page of exact matches: stops at the first page
    {"name": "Ashcomb"},  # one edit out, and an alias
    {"name": "Philippa Ashcombe"},  # a first name narrows
    {"name": "Quill"},
    {"name": "Smtih"},
    {"name": "Jo%"},  # characters a LIKE would read as patterns (SQLite's iexact escapes them)
    {"name": "O_Neil"},
    {"name": "Smith", "date_of_birth": dt.date(1980, 5, 17)},
    {"name": "", "date_of_birth": dt.date(1980, 1, 3)},
    {"name": "Zelda Quartermaine", "date_of_birth": dt.date(2001, 4, 1)},  # a crowded date
]


def test_a_search_finds_with_prepared_queries_what_it_finds_without(world):
    _people(world, "Ashcombe", search.MAX_RESULTS + 5)
    wanted = f.person(world.home["mappa"], "Philippa", "Ashcombe", dt.date(1966, 6, 6))
    known = f.person(world.home["mappa"], "Known", "Elsewhere", dt.date(1971, 2, 3))
    Alias.objects.create(person=known, kind="previous", family_name="Ashcombe")
    Alias.objects.create(person=known, kind="nickname", given_name="Kit", family_name="Ashcomb")
    search.reindex(known)
    f.person(world.home["mappa"], "Jo", "Johnson", None)  # a LIKE "Jo%" would find
    f.person(world.home["mappa"], "Ann", "O_Neil", None)
    f.person(world.home["mappa"], "Ann", "OxNeil", None)  # a LIKE "O_Neil" would find too
    for n in range(search.CANDIDATES + 5):
        f.person(world.home["mappa"], "Sam", f"Fictionalname{n:03d}", dt.date(2001, 4, 1))
    f.person(world.home["mappa"], "Zelda", "Quartermaine", dt.date(2001, 4, 1))
    users = [world.users.om, world.users.partner, world.users.away_om, world.users.marac, world.users.inactive]
    with override_settings(SAFEGUARD_PREPARED_QUERIES=False):
        expected = {(u.username, n): _found(u, **s) for u in users for n, s in enumerate(SEARCHES)}
    assert expected[("om", 0)][1] is True and expected[("om", 2)][0][0][0] == wanted.pk
    assert any(pk == known.pk for pk, _, _ in expected[("om", 1)][0])
    # Twice: the first call of each shape builds its SQL, the second reads it as kept; with every field of a
    # person read, and with only those the search page shows.
    for fields in ((), search_rows.PERSON_FIELDS):
        for _ in range(2):
            for user in users:
                for n, criteria in enumerate(SEARCHES):
                    found = _found(user, fields=fields, **criteria)
                    assert found == expected[(user.username, n)], (user.username, criteria, fields)
    kept = [query for query in search._PREPARED.values() if query._shapes]
    assert kept, "the searches' reads were prepared"


def test_a_kept_read_is_not_built_again(world, monkeypatch):
    """Once a shape is kept, a search builds no queryset for it (with the check off, as in production)."""
    built: list[str] = []
    for name in ("_called", "_known_as"):
        original = getattr(search, name)

        def counting(*args, _original=original, **kwargs):
            built.append(_original.__name__)
            return _original(*args, **kwargs)

        counting.__name__ = original.__name__
        monkeypatch.setattr(search, name, counting)
    _people(world, "Ashcombe", search.MAX_RESULTS + 1)
    with override_settings(SAFEGUARD_PREPARED_QUERIES_CHECK=False):
        search.search_people(world.users.om, name="Ashcombe")
        assert built, "the first search builds its reads"
        built.clear()
        found = search.search_people(world.users.om2, name="Ashcombe")  # another user with the same roles
    if connection.vendor == "sqlite":  # its iexact is a LIKE that escapes the value: not kept (safeguard.prepared)
        assert set(built) == {"_called", "_known_as"}
    else:
        assert built == []
    assert len(found.matches) == search.MAX_RESULTS


def test_the_aliases_read_for_ranking_are_a_prefetchs(world):
    people = _people(world, "Ashcombe", 11)  # more than one length of padded list
    for n, person in enumerate(people[:6]):
        for k in range(n % 3 + 1):
            Alias.objects.create(person=person, kind="alias", given_name=f"G{5 - k}", family_name=f"Name{k % 2}")
    search._read_aliases(people)
    prefetched = Person.objects.filter(pk__in=[p.pk for p in people]).prefetch_related("aliases")
    for person in prefetched:
        kept = next(p for p in people if p.pk == person.pk)
        assert [a.pk for a in getattr(kept, search._ALIASES)] == [a.pk for a in person.aliases.all()]


@pytest.mark.parametrize("count", [0, 1, 7, 8, 9, 33, 50, 51, 201, 450])
def test_padded_ids_are_the_ids_then_ids_no_row_has(count):
    ids = [10_000 - 3 * n for n in range(count)]
    padded = search._padded(ids + ids[:2])  # duplicates kept once
    assert padded[:count] == sorted(ids)
    lengths = [8, 16, 32, search.MAX_RESULTS, *(search.MAX_RESULTS * 2**n for n in range(1, 5))]
    assert len(padded) == min(n for n in lengths if n >= count)
    assert len(set(padded)) == len(padded) and all(n < 0 for n in padded[count:])
