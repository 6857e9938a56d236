"""Our agency's actions as a list (web/lists.py): filtered by status, sorted by its columns, never another
agency's whatever the query string asks."""

from __future__ import annotations

import pytest
from django.urls import reverse


def _agency(client, query: str = "") -> str:
    return client.get(reverse("actions:agency") + query).content.decode()


def test_the_overdue_filter_shows_only_the_overdue(world, aw, sign_in):
    page = _agency(sign_in(world.users.om2), "?status=overdue")
    assert "Showing 1 to 1 of 1 actions" in page and "Overdue by" in page
    assert "Clear filters" in page


@pytest.mark.parametrize(
    "query",
    ["", "?sort=about&order=descending", "?sort=owner", "?sort=owner_agency__name", "?status=all&sort=x", "?page=9"],
)
def test_no_sort_or_filter_shows_another_agencys_action(world, aw, sign_in, query):
    police = _agency(sign_in(world.users.om2), query)
    assert "Check the tenancy" not in police
    assert "Share the safety plan" in police or "Home visit" in police


def test_the_sorted_column_says_so(world, aw, sign_in):
    page = _agency(sign_in(world.users.om2), "?sort=forum&order=descending")
    assert 'aria-sort="descending"' in page and "sorted by forum, descending" in page
