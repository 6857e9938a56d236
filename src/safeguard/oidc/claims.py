"""Reading a verified ID token's claims: who it is, and whether the provider did MFA.

Pure functions, no Django: they are given the claims of a token whose
signature, issuer, audience, expiry and nonce have already been checked.

Multi-factor authentication (OpenID Connect Core 1.0 s.2; RFC 8176): `amr`
lists the methods used (e.g. "mfa", "otp", "hwk"), `acr` names the assurance
class the provider applied. Neither is required in an ID token, so Safeguard
accepts the provider's MFA only when a configured value is present; anything
else (absent, empty, malformed) means Safeguard asks for its own code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class MissingSubjectClaim(ValueError):
    """The token lacks one of the configured subject claims."""


def subject_key(claims: Mapping, names: Iterable[str]) -> str:
    """The canonical, stable subject of a token from the configured claim names.

    A JSON object with sorted keys, so {"iss": I, "sub": S} is stored and
    matched in one form whatever the order of the configuration. Every named
    claim must be a non-empty string.
    """
    values = {}
    for name in names:
        value = claims.get(name)
        if not isinstance(value, str) or not value.strip():
            raise MissingSubjectClaim(name)
        values[name] = value
    if not values:
        raise MissingSubjectClaim("no subject claims configured")
    return json.dumps(values, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class MfaFinding:
    asserted: bool
    working: str


def provider_mfa(claims: Mapping, accepted_amr: Iterable[str], accepted_acr: Iterable[str]) -> MfaFinding:
    """Whether the token says the provider did multi-factor authentication, with the working."""
    accepted_amr, accepted_acr = set(accepted_amr), set(accepted_acr)
    amr = claims.get("amr")
    methods = {m for m in amr if isinstance(m, str)} if isinstance(amr, list) else set()
    matched = sorted(methods & accepted_amr)
    if matched:
        return MfaFinding(True, f"amr contains {', '.join(matched)}")
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in accepted_acr:
        return MfaFinding(True, f"acr is {acr}")
    said = f"amr {sorted(methods)}" if methods else "no amr"
    said += f", acr {acr}" if isinstance(acr, str) else ", no acr"
    return MfaFinding(False, f"{said}: none accepted as multi-factor")
