"""Sign-in: a password, then a TOTP code from an authenticator app (django-otp).

A user with no authenticator yet is enrolled on first sign-in: a QR code and
its key are shown once, and a code from the app confirms it. Failed passwords
and failed codes both count towards the django-axes lock-out, which is keyed
on the username and the address together.
"""

from __future__ import annotations

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access.purposes import default_purpose

from .middleware import SIGNED_IN_AT
from .sign_in_forms import CodeForm, SignInForm

PENDING_USER = "pending_user_id"


def _complete_sign_in(request, user, device=None):
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    request.session[SIGNED_IN_AT] = time.time()
    request.session["purpose"] = default_purpose(user.roles or [])
    request.session.cycle_key()
    return redirect("web:home")


# Sign-in is not one request-wide transaction: checking a password is deliberately slow (hundreds of
# milliseconds of hashing) and must not hold a transaction open, which on SQLite is the write lock
# every other request waits for. Its writes (the session, the lock-out counter) stand alone.
@transaction.non_atomic_requests
def sign_in(request):
    if request.user.is_authenticated and (not settings.SAFEGUARD_REQUIRE_MFA or request.user.is_verified()):
        return redirect("web:home")
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return render(request, "web/locked_out.html", status=429)
        if user is None:
            form.add_error(None, "The username or password is not right. Check them and try again.")
        elif not settings.SAFEGUARD_REQUIRE_MFA:
            return _complete_sign_in(request, user)
        else:
            request.session[PENDING_USER] = user.pk
            return redirect("web:sign-in-code")
    return render(
        request,
        "web/sign_in.html",
        {
            "form": form,
            "timed_out": request.GET.get("timed_out"),
        },
    )


def _pending_user(request):
    pk = request.session.get(PENDING_USER)
    if pk is None:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


@transaction.non_atomic_requests
def sign_in_code(request):
    user = _pending_user(request)
    if user is None:
        return redirect("web:sign-in")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            del request.session[PENDING_USER]
            return _complete_sign_in(request, user, device)
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING_USER, None)
            return render(request, "web/locked_out.html", status=429)
        form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now.")
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="QR code for your authenticator app"
        )
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "web/sign_in_code.html", context)


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("web:sign-in")
