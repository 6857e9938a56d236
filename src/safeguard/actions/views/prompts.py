"""A prompt on "my work" and the decision that closes it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse

from safeguard.access import gate
from safeguard.audit.models import Operation

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


@login_required
def prompt(request, pk: int):
    record = get_object_or_404(
        Prompt.objects.select_related("person", "nominal", "action__forum", "action__owner_agency", "decided_by"),
        pk=pk,
    )
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    decisions = services.DECISIONS_FOR_KIND[record.kind]
    referring = record.kind == Prompt.Kind.CATEGORY_3 and services.mappa_referral_starter() is not None
    form = PromptDecisionForm(
        request.POST if request.method == "POST" else None,
        decisions=decisions,
        referral_fields=referring,
        needs_reason=record.kind == Prompt.Kind.CATEGORY_3,
    )
    if request.method == "POST" and record.closed_on is None and form.is_valid():
        try:
            decided = services.decide_prompt(
                ctx,
                record,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["decision_rationale"],
                level_sought=form.cleaned_data.get("level_sought"),
                risk_summary=form.cleaned_data.get("risk_summary", ""),
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            if decided.referral_id and (url := _referral_url(decided.referral)):
                messages.success(
                    request,
                    "Your decision is recorded and a draft MAPPA referral has been made: check it and submit it.",
                )
                return redirect(url)
            if decided.decision == Prompt.Decision.REFERRED:
                messages.success(
                    request,
                    "Your decision to refer is recorded. Make the MAPPA referral itself from the referrals pages; "
                    "this prompt does not make it for you.",
                )
            else:
                messages.success(request, "Your decision is recorded.")
            return redirect("web:home")
    gate.authorise(ctx, Operation.VIEW, record, {"page": "prompt"})
    return render(
        request,
        "actions/prompt.html",
        {
            "prompt": record,
            "form": form,
            "sees_person": gate.decide(request.user, Operation.VIEW, record.person).allowed,
            "may_start_referral": referring,
        },
    )


urlpatterns = [path("prompts/<int:pk>/", prompt, name="prompt")]
