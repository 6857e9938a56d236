"""Request middleware: session time-outs, MFA enforcement, no caching of personal pages."""

import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "signed_in_at"
OPEN_PATHS = ("/sign-in", "/static/", "/favicon.ico")


class SessionTimeoutMiddleware:
    """Ends a session after the absolute time-out, however active it has been.

    The idle time-out is the session cookie's age, renewed on every request
    (SESSION_SAVE_EVERY_REQUEST); this middleware adds the absolute limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            limit = settings.SAFEGUARD_SESSION_ABSOLUTE_SECONDS
            if started is None or time.time() - started > limit:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('web:sign-in')}?timed_out=1")
        return self.get_response(request)


class RequireVerifiedUserMiddleware:
    """Every signed-in user must have completed the second factor (unless the demo relaxes it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.SAFEGUARD_REQUIRE_MFA
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
        ):
            logout(request)
            if request.path.startswith("/api/"):
                return self.get_response(request)
            return redirect(reverse("web:sign-in"))
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and API answers may hold personal data: browsers and proxies must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
