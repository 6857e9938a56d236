"""Fixtures for the forum tests: the forum records of tests.meetings.builders, and access contexts."""

from __future__ import annotations

import pytest

from safeguard.access.gate import AccessContext
from tests.meetings.builders import records


@pytest.fixture
def forums(world):
    return records(world)


@pytest.fixture
def ctx():
    """An access context for a user, as a web request would give (purpose: a multi-agency meeting)."""

    def _ctx(user):
        return AccessContext(user=user, purpose="forum")

    return _ctx
