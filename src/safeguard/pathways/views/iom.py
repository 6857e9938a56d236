"""The IOM cohort: a nominal's entry, reviews and exit, and the area's cohort with its reviews due."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.policy import CASE_ROLES
from safeguard.audit.models import Operation
from safeguard.offenders.models import Nominal
from safeguard.rules import iom_cohort as rule
from safeguard.web import pages

from ..forms import IomEntryForm, IomExitForm, IomReviewForm
from ..models import IomMembership
from ..services import iom as services

NOMINALS = Nominal.objects.select_related("person", "local_area")
MEMBERSHIPS = IomMembership.objects.select_related("nominal__person", "nominal__local_area")


def _to_iom(nominal_id: int) -> str:
    return reverse("pathways:iom", kwargs={"pk": nominal_id})


def _context(request, nominal) -> dict:
    current = services.current_membership(nominal)
    may_change = gate.decide(request.user, Operation.CHANGE, nominal).allowed
    forms = {}
    if may_change and current is not None:
        forms = {
            "review_form": IomReviewForm(initial={"version": current.version}),
            "exit_form": IomExitForm(initial={"version": current.version}),
        }
    return {
        "nominal": nominal,
        "current": current,
        "past": nominal.iom_memberships.exclude(exited_on=None),
        "may_change": may_change,
        "streams": rule.STREAMS,
        **forms,
    }


@login_required
def iom(request, pk: int):
    """The nominal's time in the cohort; the entry form while they are not in it."""
    operation = Operation.CHANGE if request.method == "POST" else Operation.VIEW
    nominal = pages.gated(request, NOMINALS, pk, operation, {"page": "iom"} if operation == Operation.VIEW else None)
    context = _context(request, nominal)
    form = IomEntryForm(pages.posted(request)) if context["may_change"] and context["current"] is None else None
    return pages.form_page(
        request,
        form,
        pages.submits(
            services.enter, nominal, fields=("stream", "neighbourhood_crime", "score", "reason", "next_review_on")
        ),
        done=lambda m: f"{nominal.person.full_name} has entered the IOM cohort ({m.get_stream_display()}).",
        then=_to_iom(nominal.pk),
        template="pathways/iom.html",
        context=context,
    )


def _change(request, pk: int, form_class, service, fields, done):
    membership = pages.gated(request, MEMBERSHIPS, pk, Operation.CHANGE)
    nominal = membership.nominal
    form = form_class(pages.posted(request))
    context = _context(request, nominal)
    context["review_form" if form_class is IomReviewForm else "exit_form"] = form
    return pages.form_page(
        request,
        form,
        pages.submits(service, membership, fields=fields),
        done=done,
        then=_to_iom(nominal.pk),
        template="pathways/iom.html",
        context=context,
        shows=membership,
        page="iom",
    )


@login_required
def review(request, pk: int):
    return _change(request, pk, IomReviewForm, services.review, ("version", "next_review_on"), "Review recorded.")


@login_required
def leave(request, pk: int):
    return _change(
        request,
        pk,
        IomExitForm,
        services.leave,
        ("version", "exit_reason", "exit_note"),
        "The nominal has left the cohort.",
    )


@login_required
def cohort(request):
    if not gate.policy.roles_of(request.user) & CASE_ROLES:
        raise Http404
    members = list(services.cohort(gate.scoped(request.user, IomMembership.objects.all()))[:500])
    gate.audit_list(gate.context_for(request), Operation.VIEW, IomMembership, [m.pk for m in members], {"page": "iom"})
    return render(request, "pathways/iom_cohort.html", {"members": members, "today": timezone.localdate()})
