"""The idle time-out is renewed in the session store at most once a minute (web/session_middleware.py).

A page opened within SAFEGUARD_SESSION_RENEW_SECONDS of the last write, which changes nothing in the
session, writes nothing; the first page after it writes the session again and renews its expiry. A page
that changes the session saves it whenever it comes.
"""

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.web.session_middleware import RENEWED_AT

COOKIE = settings.SESSION_COOKIE_NAME
SOON = timezone.timedelta(seconds=100)


def _session_writes(captured) -> int:
    return sum(1 for q in captured.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])


def _expiry_set_to_soon(key: str):
    """The session's expiry moved close, so that a renewal shows (and nothing else writes it here)."""
    soon = timezone.now() + SOON
    Session.objects.filter(session_key=key).update(expire_date=soon)
    return Session.objects.get(session_key=key).expire_date


def test_a_page_within_the_minute_after_a_renewal_writes_no_session(world, sign_in):
    client = sign_in(world.users.om)
    assert client.get("/").status_code == 200  # the first page renews (sign-in by hand left no stamp)
    key = client.cookies[COOKIE].value
    assert client.session[RENEWED_AT] >= time.time() - 5
    soon = _expiry_set_to_soon(key)
    with CaptureQueriesContext(connection) as captured:
        answer = client.get("/")
    assert answer.status_code == 200 and COOKIE not in answer.cookies
    assert _session_writes(captured) == 0
    assert Session.objects.get(session_key=key).expire_date == soon


def test_the_first_page_a_minute_after_the_last_renewal_renews_the_idle_time_out(world, sign_in):
    client = sign_in(world.users.om)
    assert client.get("/").status_code == 200
    key = client.cookies[COOKIE].value
    session = client.session
    session[RENEWED_AT] = int(time.time()) - settings.SAFEGUARD_SESSION_RENEW_SECONDS - 1
    session.save()
    _expiry_set_to_soon(key)
    with CaptureQueriesContext(connection) as captured:
        answer = client.get("/")
    assert answer.status_code == 200 and COOKIE not in answer.cookies
    assert _session_writes(captured) == 1
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert client.session[RENEWED_AT] >= time.time() - 5


def test_a_page_that_changes_the_session_saves_it_within_the_minute(world, sign_in):
    client = sign_in(world.users.om)
    assert client.get("/").status_code == 200
    key = client.cookies[COOKIE].value
    _expiry_set_to_soon(key)
    answer = client.post("/purpose/", {"purpose": "victim_safeguarding"})
    assert answer.status_code == 302
    assert client.session["purpose"] == "victim_safeguarding"
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_a_session_idle_for_the_time_out_after_its_last_renewal_is_over(world, sign_in):
    """Renewing less often never lets a session outlive the idle time-out after its last write."""
    client = sign_in(world.users.om)
    assert client.get("/").status_code == 200
    key = client.cookies[COOKIE].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get("/").status_code == 302
