import pytest

from .builders import build


@pytest.fixture
def triage(world):
    return build(world)
