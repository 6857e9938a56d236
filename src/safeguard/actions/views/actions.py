"""One action: its page (details, history, the completion form) and each change to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.web import pages

from .. import services
from ..forms import CancelForm, CompleteForm, DueDateForm, ReassignForm, VersionForm
from ..history import action_changes
from ..models import Action

RELATED = ("forum", "forum_case", "person", "owner_agency", "owner", "completed_by", "agenda_item__meeting", "plan")


ACTIONS = Action.objects.select_related(*RELATED)


def _to_action(record: Action) -> str:
    return reverse("actions:action", kwargs={"pk": record.pk})


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
    return _page(request, pages.gated(request, ACTIONS, pk))


@login_required
def complete(request, pk: int):
    """The completion return: evidence required (the page says which field is missing)."""
    record = pages.gated(request, ACTIONS, pk, Operation.CHANGE)
    return pages.form_page(
        request,
        CompleteForm(pages.posted(request)),
        pages.submits(
            services.complete_action,
            record,
            fields=("completion_evidence", "completed_on", "version"),
            renamed={"completion_evidence": "evidence"},
        ),
        done="The action has been completed. It is off your list.",
        then=_to_action(record),
        show=lambda form: _page(request, record, complete_form=form if form.is_bound else None),
        shows=record,
        page="complete",
    )


@login_required
@require_POST
def start(request, pk: int):
    """A button: its errors are said above the action's page."""
    record = pages.gated(request, ACTIONS, pk, Operation.CHANGE)

    def back_with_errors(form):
        for error in form.non_field_errors() or ["Reload the page and try again."]:
            messages.error(request, error)
        return redirect(_to_action(record))

    return pages.form_page(
        request,
        VersionForm(request.POST),
        pages.submits(services.start_action, record, fields=("version",)),
        done="The action is marked in progress.",
        then=_to_action(record),
        show=back_with_errors,
    )


# The changes of an action, each a form page: its form, the service, the fields, the title, what is said when done.
CHANGES = {
    "cancel": (CancelForm, services.cancel_action, ("reason",), "Cancel the action", "The action has been cancelled."),
    "due-date": (
        DueDateForm,
        services.change_due_date,
        ("due_on", "reason"),
        "Change the due date",
        "The due date has been changed.",
    ),
    "reassign": (
        ReassignForm,
        services.reassign_action,
        ("owner", "reason"),
        "Give the action to someone else",
        "The action has a new owner.",
    ),
}


@login_required
def change(request, pk: int, change: str):
    """A form page for one change of an action (``change`` from the URL table: cancel, new due date, reassign)."""
    record = pages.gated(request, ACTIONS, pk, Operation.CHANGE)
    form_class, service, fields, title, done = CHANGES[change]
    kwargs = {"owner_agency_id": record.owner_agency_id} if form_class is ReassignForm else {}
    return pages.form_page(
        request,
        form_class(pages.posted(request), initial={"version": record.version}, **kwargs),
        pages.submits(service, record, fields=(*fields, "version")),
        done=done,
        then=_to_action(record),
        template="actions/change.html",
        context={"title": title, "fields": fields},
        shows={"action": record},
        page=title,
    )
