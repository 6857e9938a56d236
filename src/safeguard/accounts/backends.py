"""The member of staff a signed-in session names, loaded for each request with what every page reads of them.

Password sign-in stays with Django's ModelBackend (``settings.AUTHENTICATION_BACKENDS``); a completed sign-in
(password and code, or the organisation's account) records this backend in the session
(web/auth_views.py), so that each request loads the member of staff with their agency, its area and their
team in one query, where loading the member of staff alone left two or three more to every page that asks
for the user's MAPPA area (the gate's scopes do), their agency (the header) or their team (my work). The
query's SQL is written once a process (``accounts.rows``), not built by the ORM on every request. It signs
no one in: ``authenticate`` is not offered, and the user it loads is the one ModelBackend would (active,
or none).
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend

from .rows import Statement

PATH = "safeguard.accounts.backends.SignedInStaff"


@cache
def _staff() -> Statement:
    return Statement(get_user_model(), related=("agency__area", "team"))


class SignedInStaff(BaseBackend):
    def get_user(self, user_id):
        user = _staff().one(user_id)
        return user if user is not None and ModelBackend().user_can_authenticate(user) else None
