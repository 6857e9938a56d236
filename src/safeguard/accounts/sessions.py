"""Ending a member of staff's sessions (database sessions: Django's default engine here).

A session does not record its user in a column, so the live ones are read and decoded: sessions live
for the idle time-out (30 minutes by default), so there are about as many as people signed in.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def revoke_sessions(user, keep: str | None = None) -> int:
    """Delete every live session of `user` except the one keyed `keep`; return how many ended."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep:
            continue
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
