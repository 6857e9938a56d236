"""Who may use the calculators: any active, signed-in member of staff who holds at least one role.

The calculators read and write no personal record, so the access gate has
nothing to decide and nothing is audited. A user with no role is refused as
the rest of Safeguard refuses: a 404 that says nothing about what is there.
(Two-factor sign-in is enforced for every request by RequireVerifiedUserMiddleware.)
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from safeguard.workforce.models import Role


def holds_a_role(user) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return any(role in Role.values for role in getattr(user, "roles", None) or [])


def calculator_page(view):
    """Signed in (else the sign-in page), and holding a role (else 404)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not holds_a_role(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class HoldsARole(BasePermission):
    """For the API, after IsAuthenticated: a signed-in user with no role gets the project's 404."""

    def has_permission(self, request, view) -> bool:
        if not holds_a_role(request.user):
            raise exceptions.NotFound()
        return True
