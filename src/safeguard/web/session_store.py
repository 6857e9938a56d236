"""Django's database sessions, each request's session row read with SQL written once a process (accounts.rows).

Only the read differs from ``django.contrib.sessions.backends.db``: the same row (this key, not expired), the
same Session instance, nothing kept between requests. Saving, creating, ending and clearing are Django's.
"""

from __future__ import annotations

from functools import cache

from django.contrib.sessions.backends import db
from django.utils import timezone

from safeguard.accounts.rows import Statement


@cache
def _session() -> Statement:
    return Statement(SessionStore.get_model_class(), keys=("session_key",), after="expire_date")


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = _session().one(self.session_key, timezone.now())
        if session is None:
            self._session_key = None
        return session
