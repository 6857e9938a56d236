"""Nominal pages: the record, its change with a reason, its history, who has looked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.access import gate
from safeguard.assessments import services as assessment_services
from safeguard.audit.models import AuditEvent, Operation
from safeguard.people import retention
from safeguard.people.models import Person

from . import due_dates, mappa_status, services
from .forms import NominalChangeForm, NominalOpenForm
from .history import nominal_changes
from .models import Nominal

RELATED = ("person", "offender_manager", "offender_manager__team", "lead_agency", "local_area")
AUDIT_ROWS_SHOWN = 200


def _nominal(pk: int) -> Nominal:
    return get_object_or_404(Nominal.objects.select_related(*RELATED), pk=pk)


@login_required
def nominal(request, pk: int):
    record = _nominal(pk)
    ctx = gate.context_for(request)
    gate.authorise(ctx, Operation.VIEW, record)
    may_change = gate.decide(request.user, Operation.CHANGE, record).allowed
    sees_person = gate.decide(request.user, Operation.VIEW, record.person).allowed
    return render(
        request,
        "offenders/nominal.html",
        {
            "nominal": record,
            "person": record.person,
            "may_change": may_change,
            "changes": nominal_changes(record, limit=5),
            "today": timezone.localdate(),
            "due": due_dates.working_for(record),
            "category": mappa_status.category_finding(record, timezone.localdate()),
            "qualifying": mappa_status.review_qualifying_date(record),
            # The person's assessments are part of the person record: shown only to those who may see it.
            "assessments": assessment_services.assessments_of(record.person) if sees_person else [],
            "assess_links": assessment_services.assessment_links(request.user, record.person),
            "retention": retention.schedule_for(record.person),
        },
    )


@login_required
def change(request, pk: int):
    record = _nominal(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, record, {"page": "change form"})
    area_id = record.local_area.parent_id or record.local_area_id
    form = NominalChangeForm(
        request.POST if request.method == "POST" else None,
        instance=record,
        mappa_area_id=area_id,
        initial={"version": record.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_nominal(
                ctx,
                form.instance,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"{record.reference} has been changed.")
            return redirect("offenders:nominal", pk=record.pk)
    return render(request, "offenders/change.html", {"nominal": record, "form": form})


@login_required
def history(request, pk: int):
    record = _nominal(pk)
    gate.authorise(gate.context_for(request), Operation.VIEW, record, {"page": "history"})
    return render(request, "offenders/history.html", {"nominal": record, "changes": nominal_changes(record)})


@login_required
def access_log(request, pk: int):
    """Who has looked at this nominal: for those who manage it (Journey 12)."""
    record = _nominal(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)  # only those who manage the nominal
    gate.authorise(ctx, Operation.VIEW, record, {"page": "access log"})
    events = AuditEvent.objects.filter(record_type=record._meta.label_lower, record_id=record.pk).order_by("-at")[
        :AUDIT_ROWS_SHOWN
    ]
    return render(request, "offenders/access_log.html", {"nominal": record, "events": events})


@login_required
def open_nominal(request, person_pk: int):
    """Open a nominal (a management record) around a person the user may see."""
    person = get_object_or_404(Person, pk=person_pk)
    ctx = gate.context_for(request)
    gate.authorise(ctx, Operation.VIEW, person, {"page": "open nominal"})
    form = NominalOpenForm(
        request.POST if request.method == "POST" else None,
        instance=Nominal(person=person),
        mappa_area_id=request.user.mappa_area_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.open_nominal(ctx, form.instance)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"Nominal {record.reference} has been opened.")
            return redirect("offenders:nominal", pk=record.pk)
    return render(request, "offenders/open.html", {"person": person, "form": form})
