"""Failed sign-ins from one address are limited across usernames, not only per username."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.demo.factories import DEMO_PASSWORD

SPRAYER, OFFICE = "10.9.9.9", "10.1.1.1"
LIMIT = 12


@pytest.fixture
def limit(settings):
    settings.SAFEGUARD_SIGN_IN_FAILURES_PER_ADDRESS = LIMIT
    return LIMIT


def _spray(client, failures: int, address: str = SPRAYER) -> None:
    """A few wrong passwords for each of many usernames: never enough for any one username's lock-out."""
    usernames = [f"someone{i}" for i in range(failures)]
    for username in usernames:
        response = client.post("/sign-in/", {"username": username, "password": "Winter2026!"}, REMOTE_ADDR=address)
        assert response.status_code == 200


def _right_password(client, address: str = SPRAYER):
    return client.post("/sign-in/", {"username": "om", "password": DEMO_PASSWORD}, REMOTE_ADDR=address)


def test_a_spray_over_many_usernames_is_blocked_at_the_limit(world, client, limit):
    _spray(client, limit)
    response = client.post("/sign-in/", {"username": "another", "password": "Spring2026!"}, REMOTE_ADDR=SPRAYER)
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert "govuk-heading-l" in response.content.decode()  # the design system's page, not a bare error


def test_one_failure_below_the_limit_a_right_password_still_signs_in(world, client, limit):
    _spray(client, limit - 1)
    response = _right_password(client)
    assert response.status_code == 302 and response["Location"] == "/sign-in/code/"


def test_at_the_limit_even_the_right_password_waits(world, client, limit):
    _spray(client, limit)
    assert _right_password(client).status_code == 429


def test_another_address_is_not_blocked(world, client, limit):
    _spray(client, limit)
    assert _right_password(Client(), OFFICE).status_code == 302


def test_wrong_codes_count_towards_the_address_limit(world, client, limit):
    TOTPDevice.objects.create(user=world.users.om, name="app", confirmed=True)
    _spray(client, limit - 1)
    _right_password(client)
    assert client.post("/sign-in/code/", {"code": "000000"}, REMOTE_ADDR=SPRAYER).status_code == 200  # the limit-th
    assert client.post("/sign-in/code/", {"code": "000000"}, REMOTE_ADDR=SPRAYER).status_code == 429


def test_the_limit_is_a_setting_with_a_default(settings):
    assert settings.SAFEGUARD_SIGN_IN_FAILURES_PER_ADDRESS == 30
