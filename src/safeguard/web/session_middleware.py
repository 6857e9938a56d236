"""Sessions whose idle time-out is renewed in the store, never by re-sending the cookie.

Django's SessionMiddleware, with SESSION_SAVE_EVERY_REQUEST, answers every request with the session
cookie it came with, and deletes the cookie when the session it names is gone. At sign-in that races:
the browser sends a second request (an icon, a prefetch, a second tab) with the pre-sign-in key while
the sign-in request changes the key; if the second answer reaches the browser after the sign-in's, it
puts back the old key (or deletes the new one), the next page finds no session and the user is sent
back to the sign-in page.

Here the session cookie is written only when this request changed the key (sign-in, sign-out, a new
session) and deleted only when this request ended the session. Renewing the idle time-out updates the
session's expiry in the store: with SESSION_EXPIRE_AT_BROWSER_CLOSE the cookie carries no expiry of
its own, so re-sending it renewed nothing. A request whose session was ended or replaced by a parallel
request, and which changed nothing in it, is answered without touching the cookie.

The renewal is written at most once every ``SAFEGUARD_SESSION_RENEW_SECONDS`` (a minute): a page opened
within the minute after the last write, which changed nothing in the session, writes nothing (a write
a page was an UPDATE and a commit on every page view). The session then ends between the idle time-out
less that minute and the idle time-out after the last page: never later than a renewal on every request
would end it (docs/decisions.md). A request that changes the session saves it as before, and renews it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

RENEWED_AT = "_renewed_at"  # when this session's expiry was last written (seconds since the epoch)


def renewal_due(session) -> bool:
    """The idle time-out has not been renewed in the store for ``SAFEGUARD_SESSION_RENEW_SECONDS``."""
    renewed = session.get(RENEWED_AT)
    return not isinstance(renewed, int | float) or time.time() - renewed >= settings.SAFEGUARD_SESSION_RENEW_SECONDS


class RenewingSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None:
            return response
        sent_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if session.accessed:
            patch_vary_headers(response, ("Cookie",))
        if session.is_empty():
            if session.modified and sent_key is not None:
                # Ended by this request (sign-out, time-out): the browser forgets the key.
                response.delete_cookie(
                    settings.SESSION_COOKIE_NAME,
                    path=settings.SESSION_COOKIE_PATH,
                    domain=settings.SESSION_COOKIE_DOMAIN,
                    samesite=settings.SESSION_COOKIE_SAMESITE,
                )
            # A key that names no session (ended by a parallel request, or expired) is left alone.
            return response
        changed = session.modified
        renew = settings.SESSION_SAVE_EVERY_REQUEST and renewal_due(session)
        if response.status_code >= 500 or not (changed or renew):
            return response
        session[RENEWED_AT] = int(time.time())  # every save renews the expiry
        try:
            session.save()
        except UpdateError:
            if changed:
                raise SessionInterrupted(
                    "The request's session was deleted before the request completed. The user may have "
                    "signed out in a concurrent request, for example."
                ) from None
            return response  # only a renewal, of a session a parallel request has ended or replaced
        browser_close = session.get_expire_at_browser_close()
        if session.session_key != sent_key or not browser_close:
            max_age = None if browser_close else session.get_expiry_age()
            response.set_cookie(
                settings.SESSION_COOKIE_NAME,
                session.session_key,
                max_age=max_age,
                expires=None if browser_close else http_date(time.time() + max_age),
                domain=settings.SESSION_COOKIE_DOMAIN,
                path=settings.SESSION_COOKIE_PATH,
                secure=settings.SESSION_COOKIE_SECURE or None,
                httponly=settings.SESSION_COOKIE_HTTPONLY or None,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        return response
