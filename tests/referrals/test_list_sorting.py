"""The referrals list sorts and filters (web/lists.py) only within what the gate lets the user see."""

from __future__ import annotations

import pytest

from safeguard.referrals.models import Referral
from tests.referrals import builders as b

S = Referral.Status


@pytest.mark.parametrize(
    "query",
    [
        "?status=all",
        "?status=all&sort=person&order=descending",
        "?status=all&sort=forum",
        "?status=all&sort=referred_by__password",
        "?status=draft&sort=waiting&order=ascending",
        "?status=all&forum=999999",
        "?status=all&page=7",
    ],
)
def test_no_sort_or_filter_shows_the_idva_a_referral_outside_its_scope(world, forums, sign_in, query):
    supported = b.advance(world, b.marac_referral(world), S.SUBMITTED)
    stranger = b.person(world, "Sara", "Stranger")
    unsupported = b.advance(world, b.marac_referral(world, person=stranger, perpetrators=[]), S.SUBMITTED)
    listed = sign_in(world.users.idva).get(f"/referrals/{query}").content.decode()
    assert f">Referral {unsupported.pk}<" not in listed
    if "draft" not in query and "forum=" not in query:
        assert f">Referral {supported.pk}<" in listed


def test_the_list_says_how_it_is_sorted(world, forums, sign_in):
    b.advance(world, b.mappa_referral(world), S.SUBMITTED)
    page = sign_in(world.users.coordinator).get("/referrals/?status=all&sort=person").content.decode()
    assert "Showing 1 to 1 of 1 referrals, sorted by person, ascending" in page
    assert 'aria-sort="ascending"' in page
