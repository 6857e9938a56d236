import pytest
from django.test import Client

from safeguard.demo import factories as f
from safeguard.workforce.models import Role
from tests.conftest import verified_client


@pytest.fixture
def admin2(world):
    return f.staff("admin2", world.police, [Role.ADMINISTRATOR])


@pytest.fixture
def admin_client(world):
    return verified_client(Client(), world.users.admin)


@pytest.fixture
def admin2_client(admin2):
    return verified_client(Client(), admin2)
