"""A real OpenID provider (django-oauth-toolkit, tests/oidc/provider.py) beside Safeguard's live server.

The provider runs in its own process on 127.0.0.1 for the whole session, with
RSA keys generated here: one it signs and publishes with, one it never
publishes (for forged tokens). Each provider user is scripted (provider_app.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from safeguard.oidc.claims import subject_key
from safeguard.oidc.models import LinkedIdentity

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "safeguard-test-client"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"
PROVIDER_PASSWORD = "provider-password-for-the-tests"
ACCEPTED_ACR = "urn:test:assurance:multi-factor"

# Provider users and what the provider does for each.
SCRIPTS = {
    "mfa.user": {"amr": ["pwd", "mfa"]},
    "pwd.user": {"amr": ["pwd"]},
    "acr.user": {"amr": ["pwd"], "acr": ACCEPTED_ACR},
    "stranger": {"amr": ["pwd", "mfa"]},
    "forger": {"amr": ["pwd", "mfa"], "forged": True},
    "elsewhere": {"amr": ["pwd", "mfa"], "audience": "another-client"},
    "stale": {"amr": ["pwd", "mfa"], "expired": True},
    "replayer": {"amr": ["pwd", "mfa"], "nonce": "a-nonce-from-another-sign-in"},
}


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture(scope="session")
def provider(live_server, tmp_path_factory):
    config = {
        "database": str(tmp_path_factory.mktemp("provider") / "provider.sqlite3"),
        "key": _private_key_pem(),
        "forger_key": _private_key_pem(),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": f"{live_server.url}/oidc/callback/",
        "password": PROVIDER_PASSWORD,
        "users": SCRIPTS,
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.oidc.provider"],
        cwd=ROOT,
        env={**os.environ, "OIDC_TEST_PROVIDER": json.dumps(config)},
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        pytest.fail("The test OpenID provider did not start")
    info = json.loads(line)
    yield SimpleNamespace(url=info["url"], issuer=info["issuer"], subjects=info["subjects"])
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def oidc(provider, settings):
    """Safeguard configured for the test provider, as production settings would configure it from the environment."""
    settings.OIDC_OP_ISSUER = provider.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.issuer}/token/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.issuer}/.well-known/jwks.json"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid profile"
    settings.SAFEGUARD_OIDC_SUBJECT_CLAIMS = ["iss", "sub"]
    settings.SAFEGUARD_OIDC_MFA_AMR = ["mfa"]
    settings.SAFEGUARD_OIDC_MFA_ACR = [ACCEPTED_ACR]
    return provider


def subject_of(provider, username: str) -> str:
    return subject_key({"iss": provider.issuer, "sub": provider.subjects[username]}, ["iss", "sub"])


def link(provider, staff, username: str) -> LinkedIdentity:
    return LinkedIdentity.objects.create(staff=staff, subject=subject_of(provider, username), linked_by_username="test")


class Browser:
    """A person's browser: one cookie jar for Safeguard (localhost) and the provider (127.0.0.1)."""

    def __init__(self, live_server, provider):
        self.http = requests.Session()
        self.safeguard = live_server.url
        self.provider = provider

    def get(self, path: str, **kwargs):
        return self.http.get(urljoin(self.safeguard, path), allow_redirects=False, timeout=30, **kwargs)

    def start(self) -> str:
        """Press "Sign in with your organisation's account": the provider's authorisation URL."""
        response = self.get("/oidc/start/")
        assert response.status_code == 302, response.status_code
        return response.headers["Location"]

    def sign_in_at_provider(self, authorize_url: str, username: str) -> str:
        """Sign in at the provider; the URL it sends the browser back to Safeguard with."""
        response = self.http.get(authorize_url, allow_redirects=False, timeout=30)
        assert response.status_code == 302 and "/login/" in response.headers["Location"]
        login_url = urljoin(self.provider.url, response.headers["Location"])
        response = self.http.post(
            login_url, data={"username": username, "password": PROVIDER_PASSWORD}, allow_redirects=False, timeout=30
        )
        assert response.status_code == 302, response.status_code
        response = self.http.get(urljoin(self.provider.url, response.headers["Location"]), allow_redirects=False)
        assert response.status_code == 302, response.status_code
        callback = response.headers["Location"]
        assert callback.startswith(f"{self.safeguard}/oidc/callback/?")
        return callback

    def callback(self, url: str):
        return self.http.get(url, allow_redirects=False, timeout=30)

    def sign_in(self, username: str):
        """The whole journey as far as Safeguard's answer to the callback."""
        return self.callback(self.sign_in_at_provider(self.start(), username))


@pytest.fixture
def browser_for(live_server, oidc):
    return lambda: Browser(live_server, oidc)
