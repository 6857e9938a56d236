"""Request middleware: session time-outs, MFA enforcement, no caching of personal pages."""

import time
import uuid
from contextlib import suppress
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from safeguard.accounts.rows import Statement

SIGNED_IN_AT = "signed_in_at"
OPEN_PATHS = ("/sign-in", "/static/", "/favicon.ico")


@cache
def _device_row(model: type[Device]) -> Statement:
    return Statement(model)


class SecondFactorMiddleware(OTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``), the device that verified the
    session read with SQL written once a process (accounts.rows) rather than built by the ORM each request.

    The same device is read as django-otp reads it (``Device.from_persistent_id``: the model the session's
    persistent id names, by its id), on every request, and django-otp still checks that it is the user's own
    and confirmed (``_finalize_device``).
    """

    def _device_from_persistent_id(self, persistent_id: str):
        persistent_id = self._normalize_persistent_id(persistent_id)
        with suppress(ValueError, LookupError):
            model_label, device_id = persistent_id.rsplit("/", 1)
            app_label, model_name = model_label.split(".")
            model = apps.get_model(app_label, model_name)
            if issubclass(model, Device):
                if model._meta.parents:  # a device kept over several tables: the ORM joins them
                    return Device.from_persistent_id(persistent_id)
                return _device_row(model).one(int(device_id))
        return None


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
