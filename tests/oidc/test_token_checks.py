"""The ID token checks one by one, with tokens made here (the end-to-end tests make them at a real provider)."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from safeguard.oidc.backend import ProviderBackend, SignInRefused

ISSUER = "https://idp.example/tenant/v2.0"
CLIENT = "safeguard-client"
SECRET = "the-client-secret-of-safeguard-for-tests"
NONCE = "nonce-of-this-sign-in"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def backend(settings, monkeypatch):
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/keys"
    settings.OIDC_RP_CLIENT_ID = CLIENT
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.SAFEGUARD_OIDC_CLOCK_SKEW_SECONDS = 30
    backend = ProviderBackend()
    # The provider publishes KEY only (its JWKS, without a network).
    monkeypatch.setattr(backend, "retrieve_matching_jwk", lambda token: jwt.PyJWK.from_dict(_public_jwk(KEY)))
    return backend


def _public_jwk(key) -> dict:
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}


def _claims(**changes) -> dict:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "abc", "iat": now, "exp": now + 300, "nonce": NONCE}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _token(claims, key=KEY, algorithm="RS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": "k1"})


def _refusal(backend, token, nonce=NONCE) -> str:
    with pytest.raises(SignInRefused) as refused:
        backend.verify_token(token, nonce=nonce)
    return refused.value.reason


def test_a_good_token_passes(backend):
    assert backend.verify_token(_token(_claims()), nonce=NONCE)["sub"] == "abc"


def test_signed_with_a_key_the_provider_did_not_publish(backend):
    assert "signature does not verify" in _refusal(backend, _token(_claims(), key=OTHER_KEY))


def test_signed_with_the_client_secret_instead_of_the_providers_key(backend):
    assert "not RS256" in _refusal(backend, _token(_claims(), key=SECRET, algorithm="HS256"))


def test_an_unsigned_token(backend):
    assert "not RS256" in _refusal(backend, jwt.encode(_claims(), None, algorithm="none"))


def test_not_a_token(backend):
    assert "not a signed token" in _refusal(backend, "not-a-token")


def test_another_audience(backend):
    assert "audience" in _refusal(backend, _token(_claims(aud="another-client")))


def test_several_audiences_need_this_client_as_azp(backend):
    assert "azp" in _refusal(backend, _token(_claims(aud=[CLIENT, "another-client"])))
    token = _token(_claims(aud=[CLIENT, "another-client"], azp=CLIENT))
    assert backend.verify_token(token, nonce=NONCE)["azp"] == CLIENT


def test_another_issuer(backend):
    assert "another issuer" in _refusal(backend, _token(_claims(iss="https://idp.example/other/v2.0")))


@pytest.mark.parametrize("missing", ["iss", "aud", "exp", "iat", "sub"])
def test_a_required_claim_missing(backend, missing):
    assert _refusal(backend, _token(_claims(**{missing: None})))


def test_expiry_boundary_within_and_beyond_the_clock_skew(backend):
    now = int(time.time())
    # Expired 10 seconds ago: inside the 30-second tolerance, accepted.
    assert backend.verify_token(_token(_claims(iat=now - 600, exp=now - 10)), nonce=NONCE)
    # Expired 60 seconds ago: beyond it, refused.
    assert "has expired" in _refusal(backend, _token(_claims(iat=now - 600, exp=now - 60)))


def test_issued_in_the_future_beyond_the_clock_skew(backend):
    now = int(time.time())
    assert "issued in the future" in _refusal(backend, _token(_claims(iat=now + 600, exp=now + 900)))


def test_the_nonce_must_be_this_sign_ins(backend):
    assert "nonce" in _refusal(backend, _token(_claims(nonce="another")))
    assert "nonce" in _refusal(backend, _token(_claims(nonce=None)))
    assert "nonce" in _refusal(backend, _token(_claims()), nonce=None)


def test_no_token_at_all(backend):
    assert "no ID token" in _refusal(backend, None)
