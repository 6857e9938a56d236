"""Journey: an offender manager signs in with a code, finds a misspelt name, changes a level with a reason,
sees the change in the history, and every step leaves an audit event."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.audit.models import AuditEvent
from safeguard.demo.factories import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(page, live_server, user):
    """Sign in with a password and a TOTP code, once: the sign-in race is fixed (tests/web/test_sign_in_race.py)."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app").fill(_code(device))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My work").wait_for()


def test_offender_manager_changes_a_level_and_finds_the_audit_trail(page, live_server, world):
    om = world.users.om
    nominal = world.nominals.mine
    sign_in(page, live_server, om)
    assert "OFFICIAL-SENSITIVE" in page.content()

    page.get_by_role("link", name="Search").click()
    page.locator("#main-content").get_by_label("Name").fill("Jonathon Smtih")
    page.locator("#main-content").get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Jonathan Smith").wait_for()
    assert "Smtih" not in page.url and "Jonathon" not in page.url  # no personal data in URLs

    page.get_by_role("link", name=nominal.reference).click()
    page.get_by_role("heading", name="Jonathan Smith").wait_for()
    page.get_by_role("link", name="Change management").click()

    page.get_by_label("Management level").select_option("2")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("There is a problem").wait_for()  # no reason given
    assert "Give the reason" in page.content()

    reason = "New intelligence: contact with the victim's children reported by school."
    page.get_by_label("Reason for the change").fill(reason)
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text(f"{nominal.reference} has been changed").wait_for()
    assert "Level 2" in page.content()

    page.get_by_role("link", name="Full history of this nominal").click()
    page.get_by_role("heading", name="History").wait_for()
    history = page.content()
    assert reason in history and "Management level" in history

    page.get_by_role("link", name="Back to the nominal").click()
    page.get_by_role("link", name="Who has looked at this record").click()
    log = page.locator("table").inner_text()
    assert om.get_full_name() in log and "Changed it" in log and "Looked at the record" in log  # names and words

    events = AuditEvent.objects.filter(actor_id=om.pk)
    assert events.filter(operation="search", record_type="people.person").exists()
    assert events.filter(operation="view", record_id=nominal.pk, outcome="allowed").exists()
    assert events.filter(operation="change", record_id=nominal.pk, outcome="allowed").exists()
    assert events.filter(record_id=nominal.pk, detail__page="history").exists()
