"""Exchanging the code and checking the ID token strictly (mozilla-django-oidc, tightened).

mozilla-django-oidc does the code exchange (with PKCE) and finds the signing
key in the provider's JWKS. It does not check the audience or the issuer and
matches users by e-mail; here every ID token must be signed by the provider's
published key with RS256, be issued by the configured issuer to this client,
be unexpired (within the configured clock skew), and carry the nonce of this
sign-in. The member of staff is found by the linked subject only.

This class is called by the callback view, not listed in
AUTHENTICATION_BACKENDS: password sign-in never tries it, and a refusal keeps
its reason for the audit store.
"""

from __future__ import annotations

import jwt
import requests
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import config
from .claims import MissingSubjectClaim, provider_mfa, subject_key
from .models import LinkedIdentity


class SignInRefused(Exception):
    """The provider's answer cannot sign anyone in. `reason` goes to the audit store, never to a log."""

    def __init__(self, reason: str, subject: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.subject = subject


class ProviderBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(config.setting)

    def __init__(self):
        super().__init__()
        self.claims: dict = {}

    def sign_in(self, request, nonce: str, code_verifier: str | None):
        """The linked, active member of staff the provider vouches for; SignInRefused otherwise."""
        try:
            user = self.authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except requests.RequestException as exc:
            status = getattr(getattr(exc, "response", None), "status_code", None)
            raise SignInRefused(f"the provider did not exchange the code (status {status})") from None
        if user is None:
            raise SignInRefused("the provider's answer had no code or state")
        return user

    def mfa(self):
        return provider_mfa(self.claims, config.accepted_amr(), config.accepted_acr())

    # mozilla-django-oidc hooks ----------------------------------------------

    def verify_token(self, token, **kwargs):
        if not token:
            raise SignInRefused("the provider returned no ID token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise SignInRefused("the ID token is not a signed token") from None
        if header.get("alg") != "RS256":
            raise SignInRefused(f"the ID token is signed with {header.get('alg')!s:.20}, not RS256")
        try:
            key = self.retrieve_matching_jwk(token)
        except (SuspiciousOperation, KeyError):
            raise SignInRefused("the ID token's key is not among the provider's published keys") from None
        except requests.RequestException:
            raise SignInRefused("the provider's published keys could not be read") from None
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=config.client_id(),
                issuer=config.issuer(),
                leeway=config.clock_skew_seconds(),
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidSignatureError:
            raise SignInRefused("the ID token's signature does not verify") from None
        except jwt.ExpiredSignatureError:
            raise SignInRefused("the ID token has expired") from None
        except jwt.InvalidAudienceError:
            raise SignInRefused("the ID token is for another client (audience)") from None
        except jwt.InvalidIssuerError:
            raise SignInRefused("the ID token is from another issuer") from None
        except jwt.ImmatureSignatureError:
            raise SignInRefused("the ID token is not valid yet (issued in the future)") from None
        except jwt.InvalidTokenError as exc:
            raise SignInRefused(f"the ID token is not valid ({type(exc).__name__})") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != config.client_id():
            raise SignInRefused("the ID token names several audiences and this client is not its azp")
        nonce = kwargs.get("nonce")
        if not nonce or claims.get("nonce") != nonce:
            raise SignInRefused("the ID token's nonce is not this sign-in's")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        """The member of staff linked to the token's subject; never created, never found by e-mail."""
        self.claims = payload
        try:
            subject = subject_key(payload, config.subject_claims())
        except MissingSubjectClaim as missing:
            raise SignInRefused(f"the ID token lacks the subject claim {missing}") from None
        link = LinkedIdentity.objects.select_related("staff").filter(subject=subject).first()
        if link is None:
            raise SignInRefused("no member of staff is linked to this organisation account", subject)
        if not link.staff.is_active:
            raise SignInRefused("the linked account is deactivated", subject)
        return link.staff
