"""Sign-in: a password, then a TOTP code from an authenticator app (django-otp).

A user with no authenticator yet enrols on first sign-in: after the password, the one-time enrolment
code an administrator gave them out of band (safeguard.accounts); only then are a QR code and its key
shown, once, and a code from the app confirms it and uses up the enrolment code. Failed passwords,
enrolment codes and TOTP codes all count towards the django-axes lock-out (keyed on the username and the
address together) and towards the limit on failures from one address across usernames
(sign_in_limits). The session key changes once at sign-in, in login().
"""

from __future__ import annotations

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access import gate
from safeguard.access.purposes import default_purpose
from safeguard.accounts import backends
from safeguard.accounts import services as accounts

from .middleware import SIGNED_IN_AT
from .sign_in_forms import CodeForm, EnrolmentCodeForm, PasswordChangeForm, SignInForm
from .sign_in_limits import address_blocked
from .views import too_many_requests

PENDING_USER = "pending_user_id"
ENROLMENT_CODE = "enrolment_code_id"


def _complete_sign_in(request, user, device=None):
    # The one change of key. Each request then loads the user with their agency, area and team (one query).
    login(request, user, backend=backends.PATH)
    if device is not None:
        otp_login(request, device)
    request.session[SIGNED_IN_AT] = time.time()
    request.session["purpose"] = default_purpose(user.roles or [])
    return redirect("web:home")


def _failed(request, username: str) -> bool:
    """Count a failed step towards the lock-outs; True when the user or the address is now locked out."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return getattr(request, "axes_locked_out", False)


def _locked_out(request):
    request.session.pop(PENDING_USER, None)
    request.session.pop(ENROLMENT_CODE, None)
    return render(request, "web/locked_out.html", status=429)


# Sign-in is not one request-wide transaction: checking a password is deliberately slow (hundreds of
# milliseconds of hashing) and must not hold a transaction open, which on SQLite is the write lock
# every other request waits for. Its writes (the session, the lock-out counter) stand alone.
@transaction.non_atomic_requests
def sign_in(request):
    if request.user.is_authenticated and (not settings.SAFEGUARD_REQUIRE_MFA or request.user.is_verified()):
        return redirect("web:home")
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and address_blocked(request):
        return too_many_requests(request)
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
            request.session.pop(ENROLMENT_CODE, None)
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
    if request.method == "POST" and address_blocked(request):
        return too_many_requests(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        if request.session.get(ENROLMENT_CODE) is None:
            return _ask_for_enrolment_code(request, user)
        return _enrol(request, user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            del request.session[PENDING_USER]
            return _complete_sign_in(request, user, device)
        if _failed(request, user.get_username()):
            return _locked_out(request)
        form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now.")
    return render(request, "web/sign_in_code.html", {"form": form, "enrolling": False})


def _ask_for_enrolment_code(request, user, error: str = ""):
    """Before any QR code: the one-time enrolment code the administrator gave out of band."""
    posted = request.method == "POST" and "enrolment_code" in request.POST
    form = EnrolmentCodeForm(request.POST if posted else None)
    if posted and form.is_valid():
        code = accounts.matching_enrolment_code(user, form.cleaned_data["enrolment_code"])
        if code is not None:
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()  # a key shown before is not reused
            TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
            request.session[ENROLMENT_CODE] = code.pk
            return redirect("web:sign-in-code")
        if _failed(request, user.get_username()):
            return _locked_out(request)
        form.add_error(
            "enrolment_code",
            "The enrolment code is not right, has been used or has expired. Check it, or ask your administrator "
            "for a new one.",
        )
    elif error:
        form.add_error(None, error)
    return render(request, "web/sign_in_enrolment_code.html", {"form": form})


def _enrol(request, user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:  # reset by an administrator meanwhile
        request.session.pop(ENROLMENT_CODE, None)
        return redirect("web:sign-in-code")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            code_id = request.session.pop(ENROLMENT_CODE)
            if not accounts.complete_enrolment(user, device, code_id):
                device.delete()
                return _ask_for_enrolment_code(
                    request, user, "Your enrolment code has expired or been used. Ask your administrator for a new one."
                )
            del request.session[PENDING_USER]
            return _complete_sign_in(request, user, device)
        if _failed(request, user.get_username()):
            return _locked_out(request)
        form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now.")
    context = {
        "form": form,
        "enrolling": True,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="QR code for your authenticator app"
        ),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
    }
    return render(request, "web/sign_in_code.html", context)


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("web:sign-in")


@login_required
def change_password(request):
    """A new password for the signed-in user; their other sessions end."""
    user = request.user
    form = PasswordChangeForm(
        request.POST if request.method == "POST" else None,
        user=user,
        require_code=settings.SAFEGUARD_REQUIRE_MFA,
    )
    if request.method == "POST":
        if form.is_valid():
            accounts.change_own_password(
                gate.context_for(request), user, form.cleaned_data["new_password"], request.session.session_key
            )
            update_session_auth_hash(request, user)  # this session goes on, under a new key
            messages.success(request, "Your password has been changed. You have been signed out everywhere else.")
            return redirect("web:home")
        if form.failed_check and _failed(request, user.get_username()):
            logout(request)
            return render(request, "web/locked_out.html", status=429)
    return render(request, "web/change_password.html", {"form": form})
