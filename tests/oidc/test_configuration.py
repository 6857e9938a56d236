"""Off when unconfigured: no link on the sign-in page, and the sign-in URLs answer 404."""

import pytest

CONFIGURED = {
    "OIDC_OP_ISSUER": "https://idp.example/tenant/v2.0",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/keys",
    "OIDC_RP_CLIENT_ID": "client",
    "OIDC_RP_CLIENT_SECRET": "secret",
}
LINK_TEXT = "Sign in with your organisation's account"


@pytest.mark.django_db
def test_unconfigured_there_is_no_link_and_no_sign_in(client):
    assert LINK_TEXT not in client.get("/sign-in/").content.decode()
    assert client.get("/oidc/start/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.parametrize("missing", sorted(CONFIGURED))
@pytest.mark.django_db
def test_any_missing_setting_keeps_it_off(client, settings, missing):
    for name, value in CONFIGURED.items():
        setattr(settings, name, "" if name == missing else value)
    assert LINK_TEXT not in client.get("/sign-in/").content.decode()
    assert client.get("/oidc/start/").status_code == 404


@pytest.mark.django_db
def test_configured_the_sign_in_page_offers_it_and_start_goes_to_the_provider(client, settings):
    for name, value in CONFIGURED.items():
        setattr(settings, name, value)
    assert LINK_TEXT in client.get("/sign-in/").content.decode()
    response = client.get("/oidc/start/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://idp.example/authorize?")
    for part in ("client_id=client", "response_type=code", "code_challenge_method=S256", "nonce=", "state="):
        assert part in location
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Foidc%2Fcallback%2F" in location


def test_production_settings_read_the_environment(monkeypatch):
    import importlib

    monkeypatch.setenv("SAFEGUARD_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("SAFEGUARD_OIDC_ISSUER", "https://login.microsoftonline.com/tid/v2.0")
    monkeypatch.setenv("SAFEGUARD_OIDC_SUBJECT_CLAIMS", "tid,oid")
    monkeypatch.setenv("SAFEGUARD_OIDC_MFA_ACR", "c1,c2")
    production = importlib.import_module("safeguard.settings.production")
    production = importlib.reload(production)
    assert production.OIDC_OP_ISSUER == "https://login.microsoftonline.com/tid/v2.0"
    assert production.SAFEGUARD_OIDC_SUBJECT_CLAIMS == ["tid", "oid"]
    assert production.SAFEGUARD_OIDC_MFA_AMR == ["mfa"]
    assert production.SAFEGUARD_OIDC_MFA_ACR == ["c1", "c2"]
    assert production.OIDC_RP_CLIENT_ID == ""  # unset: sign-in with OpenID Connect stays off
