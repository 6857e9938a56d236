import pytest

from tests.actions.records import records


@pytest.fixture
def aw(world):
    """The actions records on the shared world (tests/actions/records.py)."""
    return records(world)
