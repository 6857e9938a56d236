"""The provider's configuration, from Django settings (set from the environment in production).

Sign-in with OpenID Connect is off unless the issuer, the three endpoints and
the client id and secret are all set. What is not the operator's choice is
fixed here rather than in settings: RS256 signatures, PKCE, the callback's URL
name, and no tokens kept in the session.
"""

from __future__ import annotations

from django.conf import settings
from mozilla_django_oidc.utils import import_from_settings

REQUIRED = (
    "OIDC_OP_ISSUER",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
)

FIXED = {
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_USE_PKCE": True,
    "OIDC_USE_NONCE": True,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc:callback",
    "OIDC_OP_USER_ENDPOINT": "",  # not called: the matching reads the signed ID token only
    "OIDC_RP_IDP_SIGN_KEY": None,  # the key always comes from the provider's JWKS
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_VERIFY_KID": True,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_REDIRECT_FIELD_NAME": "next",
}

DEFAULTS = {
    "OIDC_RP_SCOPES": "openid profile",
    "OIDC_TIMEOUT": 10,
    "SAFEGUARD_OIDC_SUBJECT_CLAIMS": ["iss", "sub"],
    "SAFEGUARD_OIDC_MFA_AMR": ["mfa"],
    "SAFEGUARD_OIDC_MFA_ACR": [],
    "SAFEGUARD_OIDC_CLOCK_SKEW_SECONDS": 30,
}


def setting(name: str, *default):
    """A setting as mozilla-django-oidc's classes ask for it, with Safeguard's fixed values first."""
    if name in FIXED:
        return FIXED[name]
    if name in DEFAULTS and not hasattr(settings, name):
        return DEFAULTS[name]
    return import_from_settings(name, *default)


def enabled() -> bool:
    return all(getattr(settings, name, "") for name in REQUIRED)


def issuer() -> str:
    return settings.OIDC_OP_ISSUER


def client_id() -> str:
    return settings.OIDC_RP_CLIENT_ID


def subject_claims() -> list[str]:
    return list(setting("SAFEGUARD_OIDC_SUBJECT_CLAIMS"))


def accepted_amr() -> list[str]:
    return list(setting("SAFEGUARD_OIDC_MFA_AMR"))


def accepted_acr() -> list[str]:
    return list(setting("SAFEGUARD_OIDC_MFA_ACR"))


def clock_skew_seconds() -> int:
    return int(setting("SAFEGUARD_OIDC_CLOCK_SKEW_SECONDS"))
