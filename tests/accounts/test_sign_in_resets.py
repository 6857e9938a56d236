"""Authenticator keys are never shown after enrolment; resetting a password or a device ends the member
of staff's sessions and makes them enrol again, with a new enrolment code."""

import re

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import EnrolmentCode
from safeguard.audit.models import AuditEvent, Outcome
from safeguard.demo.factories import DEMO_PASSWORD
from tests.conftest import verified_client

STAFF = "/admin/workforce/staff/"
CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")


def _signed_in_om(world):
    client = verified_client(Client(), world.users.om)
    assert client.get("/").status_code == 200
    return client


def _reset_events(staff):
    return AuditEvent.objects.filter(record_type="workforce.staff", record_id=staff.pk, reason="sign-in reset")


def test_the_admin_never_shows_another_user_s_authenticator_key(world, admin_client):
    _signed_in_om(world)  # om has an authenticator
    device = TOTPDevice.objects.get(user=world.users.om)
    for page in ("config", "qrcode"):
        assert admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{page}/").status_code == 403
    change_page = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in change_page
    listing = admin_client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert device.key not in listing and "/config/" not in listing


def test_the_admin_cannot_add_an_authenticator_for_someone(world, admin_client):
    assert admin_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403


def test_a_password_reset_in_the_admin_ends_sessions_and_forces_enrolment(world, admin_client):
    om = world.users.om
    om_client = _signed_in_om(world)
    new = "a-Fresh-passphrase-2026"
    response = admin_client.post(f"{STAFF}{om.pk}/password/", {"password1": new, "password2": new})
    assert response.status_code == 302
    assert om_client.get("/").status_code == 302  # signed out
    assert not TOTPDevice.objects.filter(user=om).exists()  # enrols again
    event = _reset_events(om).get()
    assert event.actor_id == world.users.admin.pk and event.detail["why"] == "password reset"
    # The next sign-in asks for an enrolment code before any QR code.
    fresh = Client()
    fresh.post("/sign-in/", {"username": "om", "password": new})
    assert "Enter your enrolment code" in fresh.get("/sign-in/code/").content.decode()


def test_an_administrator_cannot_reset_its_own_password_in_the_admin(world, admin_client):
    admin = world.users.admin
    assert admin_client.get(f"{STAFF}{admin.pk}/password/").status_code == 403


def test_removing_an_authenticator_resets_the_sign_in(world, admin_client):
    om = world.users.om
    om_client = _signed_in_om(world)
    device = TOTPDevice.objects.get(user=om)
    response = admin_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=om).exists()
    assert om_client.get("/").status_code == 302
    assert _reset_events(om).get().detail["authenticators_removed"] == 1


def test_the_reset_action_shows_a_new_enrolment_code_once(world, admin_client):
    om = world.users.om
    om_client = _signed_in_om(world)
    page = admin_client.post(
        STAFF, {"action": "reset_sign_in", "_selected_action": [om.pk], "index": 0}
    ).content.decode()
    code = CODE.search(page).group(0)
    assert "expires in 72 hours" in page
    assert om_client.get("/").status_code == 302
    assert not TOTPDevice.objects.filter(user=om).exists()
    issued = EnrolmentCode.objects.get(staff=om)
    assert code not in issued.code_hash
    assert code not in admin_client.get(f"{STAFF}{om.pk}/change/").content.decode()  # never again
    fresh = Client()
    fresh.post("/sign-in/", {"username": "om", "password": DEMO_PASSWORD})
    answer = fresh.post("/sign-in/code/", {"enrolment_code": code})
    assert answer.status_code == 302 and answer["Location"] == "/sign-in/code/"
    assert "Set up your authenticator app" in fresh.get("/sign-in/code/").content.decode()


def test_an_administrator_cannot_issue_its_own_enrolment_code(world, admin_client):
    admin = world.users.admin
    page = admin_client.post(
        STAFF, {"action": "issue_enrolment_code", "_selected_action": [admin.pk], "index": 0}, follow=True
    ).content.decode()
    assert "Another administrator must issue your enrolment code" in page
    assert not EnrolmentCode.objects.filter(staff=admin).exists()
    assert AuditEvent.objects.filter(record_id=admin.pk, reason="enrolment code", outcome=Outcome.REFUSED).exists()


def test_issuing_an_enrolment_code_is_audited_without_the_code(world, admin_client):
    om = world.users.om
    page = admin_client.post(
        STAFF, {"action": "issue_enrolment_code", "_selected_action": [om.pk], "index": 0}
    ).content.decode()
    code = CODE.search(page).group(0)
    event = AuditEvent.objects.get(record_id=om.pk, reason="enrolment code issued")
    assert code not in str(event.detail)


def test_the_administrator_who_set_a_password_cannot_also_issue_the_enrolment_code(world, admin_client, admin2_client):
    om = world.users.om
    new = "a-Fresh-passphrase-2026"
    admin_client.post(f"{STAFF}{om.pk}/password/", {"password1": new, "password2": new})
    page = admin_client.post(
        STAFF, {"action": "issue_enrolment_code", "_selected_action": [om.pk], "index": 0}, follow=True
    ).content.decode()
    assert "another administrator must issue their enrolment code" in page
    assert not EnrolmentCode.objects.filter(staff=om).exists()
    page = admin2_client.post(
        STAFF, {"action": "issue_enrolment_code", "_selected_action": [om.pk], "index": 0}
    ).content.decode()
    assert CODE.search(page)
