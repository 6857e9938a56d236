"""A name search without a date of birth is bounded: the closest page of matches, and it says when it stopped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.demo import factories as f
from safeguard.people import search
from safeguard.people.models import Alias
from safeguard.people.search import MAX_RESULTS, search_people


def _people(world, family: str, count: int, given: str = "Alex") -> list:
    return [
        f.person(
            world.home["mappa"], f"{given}{chr(65 + n % 26)}{n:03d}", family, dt.date(1980, 1, 1) + dt.timedelta(n)
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count, stopped", [(MAX_RESULTS, False), (MAX_RESULTS + 1, True)])
def test_a_family_name_alone_stops_at_one_page_of_exact_matches(world, count, stopped):
    made = _people(world, "Ashcombe", count)
    found = search_people(world.users.om, name="Ashcombe")
    assert found.stopped is stopped
    assert len(found.matches) == MAX_RESULTS
    ordered = sorted(made, key=lambda p: (p.family_name, p.given_name))
    assert [m.person.pk for m in found.matches] == [p.pk for p in ordered[:MAX_RESULTS]]


def test_exact_family_name_ranks_above_a_near_spelling_when_the_page_is_full(world):
    _people(world, "Ashcombe", MAX_RESULTS + 5)
    near = f.person(world.home["mappa"], "Nearly", "Ashcomb", dt.date(1970, 1, 1))
    found = search_people(world.users.om, name="Ashcombe")
    assert found.stopped
    assert near.pk not in [m.person.pk for m in found.matches]
    assert {m.person.family_name for m in found.matches} == {"Ashcombe"}


def test_a_near_spelling_is_found_when_few_have_the_exact_name(world):
    _people(world, "Ashcombe", 3)
    near = f.person(world.home["mappa"], "Nearly", "Ashcomb", dt.date(1970, 1, 1))
    found = search_people(world.users.om, name="Ashcombe")
    assert not found.stopped
    assert near.pk in [m.person.pk for m in found.matches]


def test_a_first_name_narrows_a_crowded_family_name(world):
    _people(world, "Ashcombe", MAX_RESULTS + 20)
    wanted = f.person(world.home["mappa"], "Philippa", "Ashcombe", dt.date(1966, 6, 6))
    found = search_people(world.users.om, name="Phillipa Ashcombe")  # one letter out
    assert found.matches[0].person == wanted


def test_the_search_stays_in_the_users_scope(world):
    f.person(world.away["mappa"], "Far", "Ashcombe", dt.date(1970, 1, 1))
    mine = f.person(world.home["mappa"], "Near", "Ashcombe", dt.date(1970, 1, 1))
    assert [m.person for m in search_people(world.users.om, name="Ashcombe").matches] == [mine]


def test_the_search_page_says_it_stopped_and_how_to_narrow(world, sign_in):
    _people(world, "Ashcombe", MAX_RESULTS + 1)
    page = sign_in(world.users.om).post("/search/", {"name": "Ashcombe"}).content.decode()
    assert f"The closest {MAX_RESULTS} results" in page
    assert "add a first name or a date of birth" in page
    few = sign_in(world.users.om2).post("/search/", {"name": "Quill"}).content.decode()
    assert "search-stopped" not in few


def _known_as(person, family: str, kind: str = "alias"):
    Alias.objects.create(person=person, kind=kind, family_name=family)
    search.reindex(person)


@pytest.mark.parametrize("name", ["Ashcombe", "Ashcomb"])
def test_a_person_known_by_the_name_as_an_alias_is_found_and_says_so(world, name):
    known = f.person(world.home["mappa"], "Known", "Elsewhere", dt.date(1971, 2, 3))
    _known_as(known, "Ashcombe", kind="previous")
    found = {m.person.pk: m for m in search_people(world.users.om, name=name).matches}
    assert found[known.pk].matched_on == "previous or birth name"


def test_the_candidates_aliases_are_read_in_one_query_however_many(world):
    """Ranking reads every candidate's aliases: one query for them all, not one a candidate."""

    def queries_for(count: int, family: str) -> int:
        for person in _people(world, family, count):
            _known_as(person, f"{family}son")
        with CaptureQueriesContext(connection) as captured:
            found = search_people(world.users.om, name=family, date_of_birth=None)
        assert len(found.matches) == count
        return len(captured)

    assert queries_for(2, "Brackley") == queries_for(12, "Corrington")
