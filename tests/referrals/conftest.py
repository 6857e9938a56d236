"""Fixtures for the referral tests: the home area's forums on the shared world."""

import pytest

from tests.referrals import builders


@pytest.fixture
def forums(world):
    return builders.forums(world)
