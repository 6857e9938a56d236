"""Changing one's own password: the current password and a code; Django's validators; other sessions end."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.audit.models import AuditEvent
from safeguard.demo.factories import DEMO_PASSWORD
from tests.conftest import verified_client

PAGE = "/account/password/"
NEW = "Heron-lantern-quarry-47"


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _device(user):
    return TOTPDevice.objects.get(user=user)


def _change(client, user, current=DEMO_PASSWORD, new=NEW, again=None, code=None):
    return client.post(
        PAGE,
        {
            "current_password": current,
            "code": code if code is not None else _code(_device(user)),
            "new_password": new,
            "new_password_again": again if again is not None else new,
        },
    )


def test_a_user_changes_their_password_and_stays_signed_in_here_only(world):
    om = world.users.om
    here = verified_client(Client(), om)
    elsewhere = Client()
    elsewhere.force_login(om)
    session = elsewhere.session
    session.update(here.session.items())
    session.save()
    assert elsewhere.get("/").status_code == 200
    response = _change(here, om)
    assert response.status_code == 302 and response["Location"] == "/"
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # signed out everywhere else
    om.refresh_from_db()
    assert om.check_password(NEW)
    assert AuditEvent.objects.filter(record_id=om.pk, reason="password changed by its owner").exists()


def test_the_current_password_is_needed(world, sign_in):
    client = sign_in(world.users.om)
    page = _change(client, world.users.om, current="not-my-password").content.decode()
    assert "Your current password is not right" in page
    world.users.om.refresh_from_db()
    assert world.users.om.check_password(DEMO_PASSWORD)


def test_a_code_from_the_app_is_needed(world, sign_in):
    client = sign_in(world.users.om)
    page = _change(client, world.users.om, code="000000").content.decode()
    assert "The code is not right" in page
    page = _change(client, world.users.om, code="").content.decode()
    assert "Enter the 6-digit code" in page
    world.users.om.refresh_from_db()
    assert world.users.om.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("password12345", "This password is too common"),
        ("Short-pw1", "This password is too short"),
        ("483920175520394", "This password is entirely numeric"),
        ("olivia.mercer.om", "too similar"),
    ],
)
def test_the_new_password_passes_django_s_validators(world, sign_in, new, message):
    client = sign_in(world.users.om)
    world.users.om.email = "olivia.mercer.om@example.org"
    world.users.om.save()
    page = _change(client, world.users.om, new=new).content.decode()
    assert message in page


def test_the_new_password_is_typed_twice_the_same(world, sign_in):
    client = sign_in(world.users.om)
    page = _change(client, world.users.om, again=NEW + "x").content.decode()
    assert "The two new passwords are not the same" in page


def test_wrong_current_passwords_lock_the_page_out(world, sign_in, settings):
    client = sign_in(world.users.om)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _change(client, world.users.om, current="guess")
    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_without_two_factor_sign_in_no_code_is_asked(world, client, settings):
    settings.SAFEGUARD_REQUIRE_MFA = False
    client.post("/sign-in/", {"username": "om", "password": DEMO_PASSWORD})
    assert 'name="code"' not in client.get(PAGE).content.decode()
    response = client.post(PAGE, {"current_password": DEMO_PASSWORD, "new_password": NEW, "new_password_again": NEW})
    assert response.status_code == 302
