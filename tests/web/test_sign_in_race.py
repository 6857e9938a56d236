"""The sign-in race: a request sent alongside the sign-in, with the pre-sign-in session cookie.

A browser sends requests in parallel (an icon, a prefetch, a second tab); their answers may arrive in
any order. Here the two requests are served one after the other by the test client, in each order the
server can take them, and their Set-Cookie headers are then applied in the order in which a browser
may receive them: the sign-in's first, the parallel request's last. Whatever the order, the browser
must end up signed in. The third case drives the session middleware of the parallel request by hand so
that it loads the session before the sign-in and saves it after.
"""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.module_loading import import_string
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.demo.factories import DEMO_PASSWORD

COOKIE = settings.SESSION_COOKIE_NAME


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _apply(browser: dict, response) -> None:
    """What a browser does with an answer's Set-Cookie headers."""
    for name, morsel in response.cookies.items():
        if morsel["max-age"] in (0, "0") or morsel.value == "":
            browser.pop(name, None)
        else:
            browser[name] = morsel.value


def _browser_is_signed_in(browser: dict) -> bool:
    client = Client()
    for name, value in browser.items():
        client.cookies[name] = value
    return client.get("/").status_code == 200


def _start_sign_in(world, client):
    device = TOTPDevice.objects.create(user=world.users.om, name="app", confirmed=True)
    client.post("/sign-in/", {"username": "om", "password": DEMO_PASSWORD})
    return device, client.cookies[COOKIE].value


def _parallel(pre_sign_in_key):
    parallel = Client()
    parallel.cookies[COOKIE] = pre_sign_in_key
    return parallel


def test_a_parallel_request_served_first_and_answered_last_leaves_the_browser_signed_in(world, client):
    device, pre_sign_in_key = _start_sign_in(world, client)
    browser = {COOKIE: pre_sign_in_key}
    parallel_answer = _parallel(pre_sign_in_key).get("/favicon.ico")  # served before the sign-in
    sign_in_answer = client.post("/sign-in/code/", {"code": _code(device)})
    assert sign_in_answer["Location"] == "/"
    _apply(browser, sign_in_answer)
    _apply(browser, parallel_answer)  # ... but reaches the browser after it
    assert _browser_is_signed_in(browser)


def test_a_parallel_request_served_and_answered_after_the_sign_in_leaves_the_browser_signed_in(world, client):
    device, pre_sign_in_key = _start_sign_in(world, client)
    browser = {COOKIE: pre_sign_in_key}
    sign_in_answer = client.post("/sign-in/code/", {"code": _code(device)})
    parallel_answer = _parallel(pre_sign_in_key).get("/favicon.ico")  # sent before the sign-in's answer came
    _apply(browser, sign_in_answer)
    _apply(browser, parallel_answer)
    assert _browser_is_signed_in(browser)


def test_a_parallel_request_loading_the_session_before_the_sign_in_and_saving_it_after(world, client):
    device, pre_sign_in_key = _start_sign_in(world, client)
    browser = {COOKIE: pre_sign_in_key}
    middleware_class = next(import_string(m) for m in settings.MIDDLEWARE if m.endswith("SessionMiddleware"))
    assert issubclass(middleware_class, SessionMiddleware)
    middleware = middleware_class(lambda request: HttpResponse())
    request = RequestFactory().get("/favicon.ico")
    request.COOKIES[COOKIE] = pre_sign_in_key
    middleware.process_request(request)
    assert request.session.get("pending_user_id") == world.users.om.pk  # loaded before the sign-in
    sign_in_answer = client.post("/sign-in/code/", {"code": _code(device)})
    parallel_answer = middleware.process_response(request, HttpResponse(status=404))  # saved after it
    assert parallel_answer.status_code == 404  # not turned into a 400 "session interrupted"
    _apply(browser, sign_in_answer)
    _apply(browser, parallel_answer)
    assert _browser_is_signed_in(browser)


def test_sign_in_changes_the_session_key_and_sign_out_forgets_it(world, client):
    device, pre_sign_in_key = _start_sign_in(world, client)
    answer = client.post("/sign-in/code/", {"code": _code(device)})
    assert answer.cookies[COOKIE].value not in ("", pre_sign_in_key)  # no session fixation
    assert client.get("/").status_code == 200
    signed_out = client.post("/sign-out/")
    assert signed_out.cookies[COOKIE].value == ""
    assert client.get("/").status_code == 302


def test_each_request_renews_the_idle_time_out_in_the_store_without_resending_the_cookie(world, sign_in):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = sign_in(world.users.om)
    key = client.cookies[COOKIE].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timezone.timedelta(seconds=60))
    answer = client.get("/")
    assert answer.status_code == 200 and COOKIE not in answer.cookies
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_a_session_idle_beyond_the_time_out_is_over(world, sign_in):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = sign_in(world.users.om)
    key = client.cookies[COOKIE].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get("/").status_code == 302
