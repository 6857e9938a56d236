"""Sign-in with the organisation's account (start and callback), and linking accounts (administrators).

The callback ends in exactly the state the password sign-in ends in: the same
completion (web.auth_views) with the provider's device when the ID token
asserts multi-factor authentication, or the same TOTP step (enrolment
included) when it does not.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from safeguard.access import gate
from safeguard.audit.models import Operation, Outcome
from safeguard.web.auth_views import PENDING_USER, _complete_sign_in

from . import config, services
from .backend import ProviderBackend, SignInRefused
from .forms import link_form
from .models import LinkedIdentity

STATES = "oidc_states"  # where mozilla-django-oidc keeps each sign-in's state, nonce and PKCE verifier


class StartSignIn(OIDCAuthenticationRequestView):
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge."""

    get_settings = staticmethod(config.setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoints are read per request, once known to be configured

    def get(self, request):
        if not config.enabled():
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = config.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = config.client_id()
        return super().get(request)


def _refused(request, reason: str, status: int, subject: str | None = None):
    services.record_refusal(request, reason, subject=subject)
    return render(request, "oidc/refused.html", status=status)


def callback(request):
    """The provider sends the browser back here with a code and the state it was given."""
    if not config.enabled():
        raise Http404
    state = request.GET.get("state", "")
    states = request.session.get(STATES) or {}
    # Each state is used once: taken out of the session whatever happens next.
    entry = states.pop(state, None) if state else None
    if entry is not None:
        request.session[STATES] = states
        request.session.save()
    if request.GET.get("error"):
        return _refused(request, f"the provider answered {request.GET['error'][:40]}", 403)
    if entry is None or not request.GET.get("code"):
        return _refused(request, "the sign-in's state is unknown or already used", 400)
    backend = ProviderBackend()
    try:
        staff = backend.sign_in(request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier"))
    except SignInRefused as refusal:
        return _refused(request, refusal.reason, 403, refusal.subject)
    if not settings.SAFEGUARD_REQUIRE_MFA:
        services.record_sign_in(request, staff, Outcome.ALLOWED, "signed in (two-factor sign-in is switched off)")
        return _complete_sign_in(request, staff)
    mfa = backend.mfa()
    if mfa.asserted:
        services.record_sign_in(
            request, staff, Outcome.ALLOWED, f"signed in; multi-factor authentication by the provider ({mfa.working})"
        )
        return _complete_sign_in(request, staff, services.provider_device(staff))
    services.record_sign_in(
        request,
        staff,
        Outcome.ALLOWED,
        f"organisation account verified; Safeguard's own code asked ({mfa.working})",
    )
    request.session[PENDING_USER] = staff.pk
    return redirect("web:sign-in-code")


@login_required
def links(request):
    """The linked organisation accounts, and the form to link one."""
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.VIEW, LinkedIdentity())  # the list and the form: administrators only (else 404)
    form = link_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_identity(ctx, form.cleaned_data["staff"], form.subject())
        except services.LinkError as error:
            form.add_error(None, str(error))
        else:
            return redirect("oidc:links")
    rows = list(gate.scoped(request.user, LinkedIdentity.objects.select_related("staff")))
    gate.audit_list(ctx, Operation.VIEW, LinkedIdentity, [r.pk for r in rows], {"page": "linked accounts"})
    return render(
        request,
        "oidc/links.html",
        {"form": form, "rows": rows, "enabled": config.enabled(), "claims": config.subject_claims()},
    )


@login_required
@require_POST
def unlink(request, pk: int):
    link = get_object_or_404(LinkedIdentity.objects.select_related("staff"), pk=pk)
    services.unlink_identity(gate.context_for(request), link)
    return redirect("oidc:links")
