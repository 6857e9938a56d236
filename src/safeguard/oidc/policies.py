"""Who may see and link organisation accounts (sign-in with OpenID Connect) to staff (access.registry).

Administrators link them; nobody else sees them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import NOBODY, Decision, may_link_identity, roles_of
from safeguard.access.registry import Policy, register
from safeguard.workforce.models import Role

from .models import LinkedIdentity


class LinkedIdentityPolicy(Policy):
    """Every operation by one rule: an administrator."""

    def may(self, user: Any, operation: str, record: LinkedIdentity) -> Decision:
        return may_link_identity(user, record)

    def where(self, user: Any, operation: str) -> Q:
        return Q() if Role.ADMINISTRATOR in roles_of(user) else NOBODY


register({LinkedIdentity: LinkedIdentityPolicy()})
