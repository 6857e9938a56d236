"""Sign-in with OpenID Connect, beside local accounts.

A force's staff sign in with their own identity provider (most use Microsoft
Entra ID). Safeguard keeps its accounts and roles: a member of staff is matched
by a stable subject (configured claims, e.g. the issuer and `sub`, or Entra's
`tid` and `oid`) that an administrator has linked to their account, never by
e-mail; an unknown subject is refused. The provider's multi-factor
authentication is accepted only where its `amr`/`acr` claim says so; otherwise
Safeguard asks for its own TOTP code.
"""
