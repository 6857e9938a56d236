import pytest

from tests.conftest import verified_client


@pytest.fixture
def api(client):
    """The test client signed in (both factors) as one of world.users, sending JSON."""

    def _as(user):
        verified_client(client, user)
        return client

    return _as
