"""Who may see and act on account administration records (access.registry): changes of role and enrolment codes.

Administrators only; the two-person rule and "never for oneself" are the accounts services' (they decide a grant,
an approval and a code against the acting administrator). Nobody else sees these records.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import NOBODY, Decision, roles_of
from safeguard.access.registry import Policy, register
from safeguard.workforce.models import Role

from .models import EnrolmentCode, RoleChange


class AccountAdministrationPolicy(Policy):
    """Every operation by one rule: an administrator."""

    def may(self, user: Any, operation: str, record: Any) -> Decision:
        if Role.ADMINISTRATOR in roles_of(user):
            return Decision(True, "administrator administering staff accounts")
        return Decision(False, "only an administrator administers staff accounts")

    def where(self, user: Any, operation: str) -> Q:
        return Q() if Role.ADMINISTRATOR in roles_of(user) else NOBODY


register({RoleChange: AccountAdministrationPolicy(), EnrolmentCode: AccountAdministrationPolicy()})
