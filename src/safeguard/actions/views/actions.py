"""One action: its page (details, history, the completion form) and each change to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation

from .. import services
from ..forms import CancelForm, CompleteForm, DueDateForm, ReassignForm, VersionForm
from ..history import action_changes
from ..models import Action

RELATED = ("forum", "forum_case", "person", "owner_agency", "owner", "completed_by", "agenda_item__meeting", "plan")


def _action(pk: int) -> Action:
    return get_object_or_404(Action.objects.select_related(*RELATED), pk=pk)


def _page(request, action: Action, complete_form=None, status: int = 200):
    today = timezone.localdate()
    may_change = gate.decide(request.user, Operation.CHANGE, action).allowed
    if complete_form is None and may_change and action.is_open:
        complete_form = CompleteForm(initial={"version": action.version})
    return render(
        request,
        "actions/action.html",
        {
            "action": action,
            "chase": services.chase_state(action, today),
            "may_change": may_change,
            "sees_person": gate.decide(request.user, Operation.VIEW, action.person).allowed,
            "form": complete_form,
            "changes": action_changes(action),
            "today": today,
        },
        status=status,
    )


@login_required
def action(request, pk: int):
    record = _action(pk)
    gate.authorise(gate.context_for(request), Operation.VIEW, record)
    return _page(request, record)


@login_required
def complete(request, pk: int):
    """The completion return: evidence required (the page says which field is missing)."""
    record = _action(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    if request.method != "POST":
        gate.authorise(ctx, Operation.VIEW, record, {"page": "complete"})
        return _page(request, record)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.complete_action(
                ctx,
                record,
                evidence=form.cleaned_data["completion_evidence"],
                completed_on=form.cleaned_data["completed_on"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The action has been completed. It is off your list.")
            return redirect("actions:action", pk=record.pk)
    gate.authorise(ctx, Operation.VIEW, record, {"page": "complete"})
    return _page(request, record, complete_form=form)


@login_required
@require_POST
def start(request, pk: int):
    record = _action(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.start_action(ctx, record, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "The action is marked in progress.")
    else:
        messages.error(request, "Reload the page and try again.")
    return redirect("actions:action", pk=record.pk)


def _change_page(request, pk: int, form_class, use_case, *, title: str, done: str, form_kwargs=None, fields=()):
    """A form page for one change of an action (cancel, reassign, new due date)."""
    record = _action(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, record, {"page": title})
    form = form_class(
        request.POST if request.method == "POST" else None, initial={"version": record.version}, **(form_kwargs or {})
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            use_case(ctx, record, expected_version=version, **data)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, done)
            return redirect("actions:action", pk=record.pk)
    return render(request, "actions/change.html", {"action": record, "form": form, "title": title, "fields": fields})


@login_required
def cancel(request, pk: int):
    return _change_page(
        request,
        pk,
        CancelForm,
        services.cancel_action,
        title="Cancel the action",
        done="The action has been cancelled.",
        fields=("reason",),
    )


@login_required
def due_date(request, pk: int):
    return _change_page(
        request,
        pk,
        DueDateForm,
        services.change_due_date,
        title="Change the due date",
        done="The due date has been changed.",
        fields=("due_on", "reason"),
    )


@login_required
def reassign(request, pk: int):
    record = _action(pk)
    return _change_page(
        request,
        pk,
        ReassignForm,
        services.reassign_action,
        title="Give the action to someone else",
        done="The action has a new owner.",
        form_kwargs={"owner_agency_id": record.owner_agency_id},
        fields=("owner", "reason"),
    )


urlpatterns = [
    path("<int:pk>/", action, name="action"),
    path("<int:pk>/complete/", complete, name="complete"),
    path("<int:pk>/start/", start, name="start"),
    path("<int:pk>/cancel/", cancel, name="cancel"),
    path("<int:pk>/due-date/", due_date, name="due-date"),
    path("<int:pk>/reassign/", reassign, name="reassign"),
]
