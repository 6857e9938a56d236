"""The WSGI handler: Django's, with reads kept out of the write lock on SQLite (the demo).

SQLite has one writer at a time. With ATOMIC_REQUESTS every request is one transaction, and Safeguard
writes on every read (the gate's audit event), so each transaction must be able to write. Begun
DEFERRED, a transaction that has read and then writes fails at once with "database is locked" whenever
another request has written in between (SQLite cannot wait for a snapshot that is already stale);
begun IMMEDIATE it takes the write lock before its first read and holds it while the page is read and
rendered, so every page waits for every other: the demo served about 30 requests a second and fell
over at 20 users.

So on SQLite (``SAFEGUARD_SQLITE_READS_OUTSIDE_TRANSACTIONS``, on by default there) a GET, HEAD or
OPTIONS request runs outside a request-wide transaction: its reads take no lock (WAL lets them run beside
the writer), and each write it makes (the audit insert, the session) is a short transaction of its own
that waits its turn (the busy time-out) rather than failing; a service it calls still runs in its own
``transaction.atomic`` (begun IMMEDIATE). Every other method keeps the request-wide transaction (all or
nothing). PostgreSQL, which lets readers and writers run together, keeps ATOMIC_REQUESTS for every
request, as Django does.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reads_outside_transactions(alias: str = "default") -> bool:
    database = connections.settings[alias]
    return database["ENGINE"] == "django.db.backends.sqlite3" and getattr(
        settings, "SAFEGUARD_SQLITE_READS_OUTSIDE_TRANSACTIONS", False
    )


class SafeguardWSGIHandler(WSGIHandler):
    def make_view_atomic(self, view):
        atomic_view = super().make_view_atomic(view)
        if atomic_view is view or not reads_outside_transactions():
            return atomic_view

        @wraps(view)
        def by_method(request, *args, **kwargs):
            if request.method in SAFE_METHODS:
                return view(request, *args, **kwargs)
            return atomic_view(request, *args, **kwargs)

        return by_method


def get_wsgi_application() -> SafeguardWSGIHandler:
    """As django.core.wsgi.get_wsgi_application, with Safeguard's handler."""
    import django

    django.setup(set_prefix=False)
    return SafeguardWSGIHandler()
