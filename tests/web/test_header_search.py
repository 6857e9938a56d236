"""Search from every page: the header's one box, posted (never a name in a URL)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/referrals/", "/rules/"])
def test_every_page_has_the_search_box(world, sign_in, path):
    page = sign_in(world.users.om).get(path).content.decode()
    assert 'role="search"' in page and 'method="post" action="/search/"' in page and 'name="q"' in page


@pytest.mark.parametrize("words", ["Smith", "Jonathan Smith", "2004/0012345D"])
def test_the_box_finds_by_name_or_by_identifier(world, sign_in, words):
    page = sign_in(world.users.om).post("/search/", {"q": words}).content.decode()
    assert "Jonathan Smith" in page.split('id="results"', 1)[1]


def test_an_empty_box_asks_for_something_to_search_for(world, sign_in):
    page = sign_in(world.users.om).post("/search/", {"q": "  "}).content.decode()
    assert "Enter a name, a date of birth or an identifier to search for" in page
