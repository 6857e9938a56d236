"""Lists of actions: our agency's actions, and a forum's completion rates by agency (figures only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum
from safeguard.rules import actions as rules
from safeguard.web import lists
from safeguard.web.lists import Column, Filter, ListSpec

from .. import services
from ..forms import PeriodForm
from ..models import Action


def _narrow_by_status(queryset, value: str):
    if value == "open":
        return queryset.filter(status__in=services.OPEN)
    if value == "overdue":
        return queryset.filter(status__in=services.OPEN, due_on__lt=timezone.localdate())
    if value == "closed":
        return queryset.exclude(status__in=services.OPEN)
    return queryset


FILTERS = (
    Filter(
        "status",
        "Status",
        (
            ("", "Open first, then the rest"),
            ("open", "Open"),
            ("overdue", "Overdue"),
            ("closed", "Completed or cancelled"),
        ),
        _narrow_by_status,
    ),
)
AGENCY_LIST = ListSpec(
    noun="actions",
    columns=(
        Column("action", "Action", ("pk",)),
        Column("about", "About", ("person__family_name", "person__given_name")),
        Column("forum", "Forum", ("forum__name",)),
        Column("owner", "Owner", ("owner__last_name", "owner__first_name")),
        Column("due", "Due", ("closed", "due_on")),
    ),
    default_sort="due",
    filters=FILTERS,
)


@login_required
def agency(request):
    """The actions owned by the user's agency, open first (soonest due, so the overdue lead), then the rest;
    sortable by its columns and filtered by status (web/lists.py), never wider than the gate's scope."""
    user = request.user
    if not services.may_list_agency_actions(user):
        raise Http404
    today = timezone.localdate()
    actions = services.agency_actions(user)
    # The page orders and cuts the ids alone, then fetches the rows shown (services.with_details).
    page = lists.page_of(AGENCY_LIST, actions.values_list("pk", flat=True), request.GET)
    shown = services.with_details(page.rows)
    gate.audit_list(gate.context_for(request), Operation.VIEW, Action, [a.pk for a in shown], {"page": "agency"})
    # Links to the forums' figures: those the agency sits on or the user coordinates, whom the policy lets see
    # a forum's page (the figures page passes the gate itself).
    forums = (
        Forum.objects.filter(Q(member_agencies=user.agency_id) | Q(coordinators=user.pk)).distinct().order_by("name")
    )
    open_count = actions.filter(status__in=services.OPEN).count()
    overdue_count = actions.filter(status__in=services.OPEN, due_on__lt=today).count()
    return render(
        request,
        "actions/agency.html",
        {
            "rows": services.action_rows(shown, today),
            "list": page,
            "filters": lists.filter_panel(FILTERS, request.GET),
            "open_count": open_count,
            "overdue_count": overdue_count,
            "today": today,
            "forums": forums,
        },
    )


@login_required
def rates(request, forum_pk: int):
    """Per agency, of the forum's actions due in a period: how many complete, how many on time (no names)."""
    forum = get_object_or_404(Forum.objects.select_related("area"), pk=forum_pk)
    ctx = gate.context_for(request)
    start, end = PeriodForm.default_period()
    form = PeriodForm(request.GET or None)
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    gate.authorise(ctx, Operation.VIEW, forum, {"page": "action completion rates"})
    if not request.GET:
        form = PeriodForm(initial={"start": start, "end": end})
    table = services.completion_rates(forum, start, end, timezone.localdate()) if not form.errors else []
    return render(
        request,
        "actions/rates.html",
        {
            "forum": forum,
            "form": form,
            "start": start,
            "end": end,
            "rates": table,
            "remind": forum.action_reminder_days_before,
            "escalate": forum.action_escalate_days_overdue,
            "defaults": rules.DEFAULTS,
        },
    )
