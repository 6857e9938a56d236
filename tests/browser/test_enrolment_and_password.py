"""Journey: a new member of staff enrols with the enrolment code an administrator gave them, then changes
their password; each page passes axe."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access.gate import AccessContext
from safeguard.accounts.services import issue_enrolment_code
from safeguard.demo.factories import DEMO_PASSWORD

from .test_accessibility import violations
from .test_journey_offender_manager import _code

pytestmark = pytest.mark.browser


def test_first_sign_in_with_an_enrolment_code_then_a_new_password(page, live_server, world):
    om = world.users.om
    code = issue_enrolment_code(AccessContext(user=world.users.admin, purpose="offender_management"), om)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(om.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Enter your enrolment code").wait_for()
    assert page.locator("svg").count() == 0 and violations(page) == []
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("There is a problem").wait_for()
    assert violations(page) == []
    page.get_by_label("Enrolment code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    assert violations(page) == []
    device = TOTPDevice.objects.get(user=om)
    page.get_by_label("Code from your authenticator app").fill(_code(device))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My work").wait_for()

    page.get_by_role("link", name="Change password").click()
    page.get_by_role("heading", name="Change your password").wait_for()
    assert violations(page) == []
    page.get_by_label("Current password").fill(DEMO_PASSWORD)
    page.get_by_label("New password", exact=True).fill("password12345")
    page.get_by_label("Confirm the new password").fill("password12345")
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("This password is too common").first.wait_for()
    assert violations(page) == []
    device.refresh_from_db()
    page.get_by_label("Current password").fill(DEMO_PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(_next_code(device))
    page.get_by_label("New password", exact=True).fill("Heron-lantern-quarry-47")
    page.get_by_label("Confirm the new password").fill("Heron-lantern-quarry-47")
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("Your password has been changed").wait_for()
    om.refresh_from_db()
    assert om.check_password("Heron-lantern-quarry-47")


def _next_code(device):
    """The app's next code: the sign-in used the current one, which django-otp will not take twice."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - device.step, digits=device.digits):06d}"
