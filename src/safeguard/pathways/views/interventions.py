"""A nominal's referrals to programmes: the list, a new referral (from the nominal, or from a forum's action,
decision or plan about them), and one referral's page with its next step."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.actions.models import Action
from safeguard.audit.models import Operation
from safeguard.meetings.models import Decision, RiskManagementPlan
from safeguard.offenders.models import Nominal
from safeguard.rules import interventions as lifecycle
from safeguard.web import pages

from ..forms import ReferForm, StepForm
from ..history import changes_of
from ..models import InterventionReferral
from ..services import interventions as services

NOMINALS = Nominal.objects.select_related("person", "local_area", "offender_manager")
REFERRALS = InterventionReferral.objects.select_related(
    "nominal__person", "nominal__local_area", "programme", "action", "decision__item__meeting", "plan", "referred_by"
)
SOURCES = {
    "action": Action.objects.all(),
    "decision": Decision.objects.select_related("item"),
    "plan": RiskManagementPlan.objects.all(),
}


def _to_referral(referral: InterventionReferral) -> str:
    return reverse("pathways:referral", kwargs={"pk": referral.pk})


@login_required
def nominal_interventions(request, pk: int):
    nominal = pages.gated(request, NOMINALS, pk, Operation.VIEW, {"page": "interventions"})
    return render(
        request,
        "pathways/interventions.html",
        {
            "nominal": nominal,
            "referrals": nominal.intervention_referrals.select_related("programme").all(),
            "may_change": gate.decide(request.user, Operation.CHANGE, nominal).allowed,
            "today": timezone.localdate(),
        },
    )


@login_required
def refer_from_action(request, pk: int):
    """From an action about a nominal (a risk management plan's, a meeting's): the referral form of their
    active nominal, with the action as where the referral comes from."""
    action = pages.gated(request, SOURCES["action"], pk, Operation.VIEW, {"page": "refer from action"})
    nominal = Nominal.objects.filter(person_id=action.person_id, status=Nominal.Status.ACTIVE).first()
    if nominal is None:
        raise gate.AccessRefused(gate.context_for(request), Operation.VIEW, "offenders.nominal", None, "no nominal")
    return redirect(f"{reverse('pathways:refer', kwargs={'pk': nominal.pk})}?action={action.pk}")


def _source_records(request) -> dict:
    """The action, decision or plan the referral comes from (named in the query string), if the user may see it."""
    found = {}
    for name, queryset in SOURCES.items():
        record = pages.chosen(request, queryset, request.GET.get(name) or request.POST.get(name), "refer")
        if record is not None:
            found[name] = record
            break
    return found


@login_required
def refer(request, pk: int):
    nominal = pages.gated(request, NOMINALS, pk, Operation.CHANGE)
    sources = _source_records(request)
    form = ReferForm(pages.posted(request), programmes=services.programmes_for(nominal))
    return pages.form_page(
        request,
        form,
        lambda ctx, f: services.refer(
            ctx,
            nominal,
            programme=f.cleaned_data["programme"],
            pillar=f.cleaned_data["pillar"],
            next_step_due_on=f.cleaned_data["next_step_due_on"],
            notes=f.cleaned_data["notes"],
            **sources,
        ),
        done=lambda r: f"{nominal.person.full_name} has been referred to {r.programme.name}.",
        then=_to_referral,
        template="pathways/refer.html",
        context={"nominal": nominal, "sources": sources},
        shows=nominal,
        page="refer to a programme",
    )


def _referral_page(request, referral: InterventionReferral, form=None):
    may_change = gate.decide(request.user, Operation.CHANGE, referral).allowed
    if form is None and may_change and referral.is_open:
        form = StepForm(initial={"version": referral.version}, status=referral.status)
    return render(
        request,
        "pathways/referral.html",
        {
            "referral": referral,
            "may_change": may_change,
            "form": form,
            "changes": changes_of(referral),
            "today": timezone.localdate(),
            "final": referral.status in lifecycle.FINAL,
        },
    )


@login_required
def referral(request, pk: int):
    return _referral_page(request, pages.gated(request, REFERRALS, pk))


@login_required
def step(request, pk: int):
    record = pages.gated(request, REFERRALS, pk, Operation.CHANGE)
    form = StepForm(pages.posted(request), status=record.status)
    return pages.form_page(
        request,
        form,
        pages.submits(
            services.move,
            record,
            fields=("version", "to_status", "reason", "sessions_attended", "next_step_due_on", "on_date"),
        ),
        done=lambda r: f"The referral is now {r.get_status_display().lower()}.",
        then=_to_referral(record),
        show=lambda f: _referral_page(request, record, form=f if f.is_bound else None),
        shows=record,
        page="referral step",
    )
