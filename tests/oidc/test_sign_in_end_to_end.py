"""Sign-in through a real OpenID provider, end to end: the code flow over HTTP on 127.0.0.1.

Safeguard's live server and the test provider (django-oauth-toolkit, its own
process) talk to each other as they would in production: the browser is
redirected to the provider and back, Safeguard exchanges the code at the
provider's token endpoint and checks the ID token against its published keys.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib.sessions.models import Session
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.oidc.models import ProviderMfaDevice
from tests.oidc.conftest import link, subject_of


def _events(outcome):
    return AuditEvent.objects.filter(operation=Operation.SIGN_IN, outcome=outcome).order_by("id")


def _signed_in(browser) -> bool:
    return browser.get("/").status_code == 200


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _assert_refused(response, browser, reason: str):
    assert response.status_code in (400, 403)
    assert "We could not sign you in with your organisation" in response.text
    assert not _signed_in(browser)
    event = _events(Outcome.REFUSED).last()
    assert event is not None and reason in event.reason, event and event.reason
    assert event.detail["method"] == "openid_connect"
    return event


def test_provider_mfa_signs_in_without_safeguards_code(world, browser_for, oidc):
    link(oidc, world.users.om, "mfa.user")
    browser = browser_for()
    response = browser.sign_in("mfa.user")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200 and "Olivia" in home.text
    # The same signed-in state as after a password and a TOTP code: verified by a device, with the
    # sign-in time and the purpose set.
    data = Session.objects.get(session_key=browser.http.cookies.get("sessionid")).get_decoded()
    device = ProviderMfaDevice.objects.get(user=world.users.om)
    assert data[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert data["signed_in_at"] and data["purpose"] == "offender_management"
    event = _events(Outcome.ALLOWED).get()
    assert event.actor_id == world.users.om.pk and event.record_id == world.users.om.pk
    assert "multi-factor authentication by the provider (amr contains mfa)" in event.reason


def test_without_provider_mfa_safeguard_asks_for_its_own_code(world, browser_for, oidc):
    link(oidc, world.users.coordinator, "pwd.user")
    device = TOTPDevice.objects.create(user=world.users.coordinator, name="app", confirmed=True)
    browser = browser_for()
    response = browser.sign_in("pwd.user")
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in/code/"
    assert not _signed_in(browser)  # the provider's password alone does not sign in
    page = browser.get("/sign-in/code/")
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.http.post(
        f"{browser.safeguard}/sign-in/code/",
        data={"code": _code(device), "csrfmiddlewaretoken": token},
        allow_redirects=False,
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _signed_in(browser)
    assert not ProviderMfaDevice.objects.filter(user=world.users.coordinator).exists()
    event = _events(Outcome.ALLOWED).get()
    assert "Safeguard's own code asked (amr ['pwd'], no acr" in event.reason


def test_an_accepted_acr_counts_as_provider_mfa(world, browser_for, oidc):
    link(oidc, world.users.marac, "acr.user")
    browser = browser_for()
    response = browser.sign_in("acr.user")
    assert response.headers["Location"] == "/"
    assert _signed_in(browser)


def test_an_acr_not_configured_does_not_count(world, browser_for, oidc, settings):
    settings.SAFEGUARD_OIDC_MFA_ACR = []
    link(oidc, world.users.marac, "acr.user")
    response = browser_for().sign_in("acr.user")
    assert response.headers["Location"] == "/sign-in/code/"


def test_an_unknown_subject_is_refused_and_never_created(world, browser_for, oidc):
    from safeguard.workforce.models import Staff

    staff_before = Staff.objects.count()
    browser = browser_for()
    event = _assert_refused(browser.sign_in("stranger"), browser, "no member of staff is linked")
    assert event.actor_id is None and event.detail["subject"] == subject_of(oidc, "stranger")
    assert Staff.objects.count() == staff_before


def test_a_token_signed_with_another_key_is_refused(world, browser_for, oidc):
    link(oidc, world.users.om, "forger")
    browser = browser_for()
    _assert_refused(browser.sign_in("forger"), browser, "signature does not verify")


def test_a_token_for_another_audience_is_refused(world, browser_for, oidc):
    link(oidc, world.users.om, "elsewhere")
    browser = browser_for()
    _assert_refused(browser.sign_in("elsewhere"), browser, "for another client (audience)")


def test_an_expired_token_is_refused(world, browser_for, oidc):
    link(oidc, world.users.om, "stale")
    browser = browser_for()
    _assert_refused(browser.sign_in("stale"), browser, "has expired")


def test_a_token_carrying_another_sign_ins_nonce_is_refused(world, browser_for, oidc):
    link(oidc, world.users.om, "replayer")
    browser = browser_for()
    _assert_refused(browser.sign_in("replayer"), browser, "nonce is not this sign-in's")


def test_a_replayed_callback_is_refused(world, browser_for, oidc):
    link(oidc, world.users.om, "mfa.user")
    browser = browser_for()
    callback = browser.sign_in_at_provider(browser.start(), "mfa.user")
    assert browser.callback(callback).headers["Location"] == "/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get("/").text).group(1)
    browser.http.post(f"{browser.safeguard}/sign-out/", data={"csrfmiddlewaretoken": token}, allow_redirects=False)
    assert not _signed_in(browser)
    # The same state again, in the same browser, then in another one: both refused.
    _assert_refused(browser.callback(callback), browser, "state is unknown or already used")
    other = browser_for()
    _assert_refused(other.callback(callback), other, "state is unknown or already used")


def test_a_code_cannot_be_completed_under_another_sign_ins_state(world, browser_for, oidc):
    link(oidc, world.users.om, "mfa.user")
    browser = browser_for()
    first = browser.start()
    second = browser.start()
    callback = browser.sign_in_at_provider(first, "mfa.user")
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = parse_qs(urlsplit(second).query)["state"][0]
    swapped = f"{browser.safeguard}{parts.path}?{urlencode(query)}"
    # The second sign-in's PKCE verifier does not match the first's challenge: the provider refuses the code.
    _assert_refused(browser.callback(swapped), browser, "did not exchange the code")


def test_a_deactivated_linked_account_is_refused(world, browser_for, oidc):
    link(oidc, world.users.inactive, "mfa.user")
    browser = browser_for()
    _assert_refused(browser.sign_in("mfa.user"), browser, "deactivated")


def test_the_provider_reporting_an_error_is_refused(world, browser_for, oidc):
    browser = browser_for()
    state = parse_qs(urlsplit(browser.start()).query)["state"][0]
    response = browser.get(f"/oidc/callback/?error=access_denied&state={state}")
    _assert_refused(response, browser, "the provider answered access_denied")
