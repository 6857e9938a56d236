"""A prompt on "my work" and the decision that closes it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import NoReverseMatch, reverse

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.web import pages

from .. import services
from ..forms import PromptDecisionForm
from ..models import Prompt


def _referral_url(referral) -> str | None:
    for name in ("referrals:referral", "referrals:detail"):
        try:
            return reverse(name, kwargs={"pk": referral.pk})
        except NoReverseMatch:
            continue
    return None


def _said(decided: Prompt) -> str:
    if decided.referral_id and _referral_url(decided.referral):
        return "Your decision is recorded and a draft MAPPA referral has been made: check it and submit it."
    if decided.decision == Prompt.Decision.REFERRED:
        return (
            "Your decision to refer is recorded. Make the MAPPA referral itself from the referrals pages; "
            "this prompt does not make it for you."
        )
    return "Your decision is recorded."


def _next(decided: Prompt) -> str:
    return (decided.referral_id and _referral_url(decided.referral)) or reverse("web:home")


@login_required
def prompt(request, pk: int):
    related = ("person", "partner", "nominal", "action__forum", "action__owner_agency", "decided_by")
    record = pages.gated(request, Prompt.objects.select_related(*related), pk, Operation.CHANGE)
    referring = record.kind == Prompt.Kind.CATEGORY_3 and services.mappa_referral_starter() is not None
    form = PromptDecisionForm(
        pages.posted(request),
        decisions=services.DECISIONS_FOR_KIND[record.kind],
        referral_fields=referring,
        needs_reason=record.kind == Prompt.Kind.CATEGORY_3,
    )
    return pages.form_page(
        request,
        form,
        pages.submits(
            services.decide_prompt,
            record,
            fields=("decision", "decision_rationale", "level_sought", "risk_summary"),
            renamed={"decision_rationale": "rationale"},
        ),
        done=_said,
        then=_next,
        template="actions/prompt.html",
        context={
            "prompt": record,
            "sees_person": gate.decide(request.user, Operation.VIEW, record.person).allowed,
            "sees_partner": record.partner_id is not None
            and gate.decide(request.user, Operation.VIEW, record.partner).allowed,
            "may_start_referral": referring,
        },
        shows=record,
        page="prompt",
        submitted=request.method == "POST" and record.closed_on is None,
    )
