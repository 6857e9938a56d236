"""Sign-in with a password and a TOTP code; lock-out; session time-outs."""

import datetime as dt
import time

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access.gate import AccessContext
from safeguard.accounts.models import EnrolmentCode
from safeguard.accounts.services import issue_enrolment_code
from safeguard.demo.factories import DEMO_PASSWORD


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password(client, username, password=DEMO_PASSWORD):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_password_alone_does_not_sign_in(world, client):
    response = _password(client, "om")
    assert response.status_code == 302 and response["Location"] == "/sign-in/code/"
    assert client.get("/").status_code == 302  # still not signed in


def test_password_and_code_sign_in(world, client):
    device = TOTPDevice.objects.create(user=world.users.om, name="app", confirmed=True)
    _password(client, "om")
    response = client.post("/sign-in/code/", {"code": _code(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def _enrolment_code(world, user) -> str:
    return issue_enrolment_code(AccessContext(user=world.users.admin, purpose="offender_management"), user)


def test_first_sign_in_enrols_an_authenticator_after_the_enrolment_code(world, client):
    code = _enrolment_code(world, world.users.om)
    _password(client, "om")
    page = client.get("/sign-in/code/").content.decode()
    assert "Enter your enrolment code" in page and "<svg" not in page
    assert not TOTPDevice.objects.filter(user=world.users.om).exists()  # no key made, none shown
    response = client.post("/sign-in/code/", {"enrolment_code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == "/sign-in/code/"
    page = client.get("/sign-in/code/").content.decode()
    assert "Set up your authenticator app" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=world.users.om)
    assert not device.confirmed
    client.post("/sign-in/code/", {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert EnrolmentCode.objects.get(staff=world.users.om).used_at is not None


def test_enrolment_without_a_code_shows_no_qr_code(world, client):
    _password(client, "om")
    response = client.post("/sign-in/code/", {"enrolment_code": ""})
    page = response.content.decode()
    assert "Enter the enrolment code your administrator gave you" in page and "<svg" not in page
    page = client.post("/sign-in/code/", {"enrolment_code": "ABCD-EFGH-JKLM"}).content.decode()
    assert "The enrolment code is not right" in page and "<svg" not in page
    assert not TOTPDevice.objects.filter(user=world.users.om).exists()
    assert client.get("/").status_code == 302


def test_an_enrolment_code_is_for_its_own_user_only(world, client):
    code = _enrolment_code(world, world.users.om2)
    _password(client, "om")
    page = client.post("/sign-in/code/", {"enrolment_code": code}).content.decode()
    assert "The enrolment code is not right" in page


@pytest.mark.parametrize(("hours_after", "accepted"), [(71.99, True), (72, False), (72.01, False)])
def test_an_enrolment_code_expires_after_72_hours(world, client, hours_after, accepted):
    code = _enrolment_code(world, world.users.om)
    issued = timezone.now() - dt.timedelta(hours=hours_after)  # issued that long ago
    EnrolmentCode.objects.filter(staff=world.users.om).update(
        issued_at=issued, expires_at=EnrolmentCode.expiry_from(issued)
    )
    _password(client, "om")
    response = client.post("/sign-in/code/", {"enrolment_code": code})
    assert (response.status_code == 302 and response["Location"] == "/sign-in/code/") is accepted


def test_an_enrolment_code_works_once(world, client):
    code = _enrolment_code(world, world.users.om)
    _password(client, "om")
    client.post("/sign-in/code/", {"enrolment_code": code})
    client.post("/sign-in/code/", {"code": _code(TOTPDevice.objects.get(user=world.users.om))})
    TOTPDevice.objects.filter(user=world.users.om).delete()  # the app is lost: enrolling again needs a new code
    again = Client()
    _password(again, "om")
    page = again.post("/sign-in/code/", {"enrolment_code": code}).content.decode()
    assert "The enrolment code is not right" in page


def test_a_new_enrolment_code_withdraws_the_last(world, client):
    first = _enrolment_code(world, world.users.om)
    second = _enrolment_code(world, world.users.om)
    _password(client, "om")
    assert "not right" in client.post("/sign-in/code/", {"enrolment_code": first}).content.decode()
    assert client.post("/sign-in/code/", {"enrolment_code": second}).status_code == 302


def test_an_enrolment_code_is_stored_only_as_a_hash(world):
    code = _enrolment_code(world, world.users.om)
    stored = EnrolmentCode.objects.get(staff=world.users.om)
    assert code not in stored.code_hash and code.replace("-", "") not in stored.code_hash


def test_wrong_enrolment_codes_count_towards_the_lock_out(world, client, settings):
    _enrolment_code(world, world.users.om)
    _password(client, "om")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/sign-in/code/", {"enrolment_code": "ABCD-EFGH-JKLM"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429


def test_wrong_code_is_refused_with_a_message(world, client):
    TOTPDevice.objects.create(user=world.users.om, name="app", confirmed=True)
    _password(client, "om")
    page = client.post("/sign-in/code/", {"code": "000000"}).content.decode()
    assert "The code is not right" in page
    assert client.get("/").status_code == 302


def test_code_must_be_six_digits(world, client):
    TOTPDevice.objects.create(user=world.users.om, name="app", confirmed=True)
    _password(client, "om")
    page = client.post("/sign-in/code/", {"code": "12ab"}).content.decode()
    assert "Enter the 6-digit code" in page


def test_wrong_password_message_does_not_say_which(world, client):
    page = _password(client, "om", "wrong-password").content.decode()
    assert "The username or password is not right" in page


def test_lock_out_after_repeated_failures_keyed_on_user_and_address(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(client, "om", "wrong-password")
    response = _password(client, "om")  # even the right password is now refused
    assert response.status_code in (403, 429)
    assert b"locked" in response.content.lower()
    # Another address with the same username is not locked out.
    other = client.post("/sign-in/", {"username": "om", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


def test_inactive_user_cannot_sign_in(world, client):
    page = _password(client, "inactive").content.decode()
    assert "The username or password is not right" in page


def test_absolute_session_time_out(world, sign_in, settings):
    client = sign_in(world.users.om)
    session = client.session
    session["signed_in_at"] = time.time() - settings.SAFEGUARD_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "timed_out=1" in response["Location"]
    assert client.get("/").status_code == 302


def test_idle_time_out_is_the_cookie_age_renewed_each_request(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 30 * 60


def test_signed_in_without_second_factor_is_signed_out(world, client):
    client.force_login(world.users.om)
    session = client.session
    session["signed_in_at"] = time.time()
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/"


@pytest.mark.parametrize("path", ["/", "/search/"])
def test_pages_are_not_cached(world, sign_in, path):
    assert sign_in(world.users.om).get(path)["Cache-Control"] == "no-store"


def test_sign_out(world, sign_in):
    client = sign_in(world.users.om)
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/").status_code == 302


def test_pages_ask_the_browser_for_no_icon(world, client):
    """No request for an icon beside every page (see base.html)."""
    assert b'<link rel="icon" href="data:,">' in client.get("/sign-in/").content
