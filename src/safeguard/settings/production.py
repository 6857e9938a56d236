"""Production: PostgreSQL, HTTPS only (behind a reverse proxy), secrets from the environment.

The environment variables are listed in docs/deploy.md.
"""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = env("SAFEGUARD_SECRET_KEY")
SAFEGUARD_REQUIRE_MFA = True
SECURE_SSL_REDIRECT = env.bool("SAFEGUARD_SSL_REDIRECT", default=True)
# The reverse proxy sets X-Forwarded-Proto and strips any copy the client sent (docs/deploy.md);
# gunicorn passes it on only from the addresses in its forwarded_allow_ips.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Sign-in with OpenID Connect (e.g. Microsoft Entra ID), beside local accounts:
# off unless the issuer, the three endpoints and the client are all set.
# docs/operations.md explains each value and Entra ID's.
OIDC_OP_ISSUER = env("SAFEGUARD_OIDC_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("SAFEGUARD_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("SAFEGUARD_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("SAFEGUARD_OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_CLIENT_ID = env("SAFEGUARD_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("SAFEGUARD_OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("SAFEGUARD_OIDC_SCOPES", default="openid profile")
# The claims that together name a person for good: the issuer and `sub`, or Entra's `tid` and `oid`.
SAFEGUARD_OIDC_SUBJECT_CLAIMS = env.list("SAFEGUARD_OIDC_SUBJECT_CLAIMS", default=["iss", "sub"])
# The provider's MFA is accepted only when `amr` holds one of these, or `acr` is one of these.
SAFEGUARD_OIDC_MFA_AMR = env.list("SAFEGUARD_OIDC_MFA_AMR", default=["mfa"])
SAFEGUARD_OIDC_MFA_ACR = env.list("SAFEGUARD_OIDC_MFA_ACR", default=[])
SAFEGUARD_OIDC_CLOCK_SKEW_SECONDS = env.int("SAFEGUARD_OIDC_CLOCK_SKEW_SECONDS", default=30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Each gunicorn thread keeps its connection for a while instead of connecting per request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("SAFEGUARD_DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
