"""Lists of actions: our agency's actions, and a forum's completion rates by agency (figures only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum
from safeguard.rules import actions as rules

from .. import services
from ..forms import PeriodForm
from ..models import Action

PAGE_SIZE = 50


@login_required
def agency(request):
    """The actions owned by the user's agency, open first (soonest due, so the overdue lead), then the rest."""
    user = request.user
    if not services.may_list_agency_actions(user):
        raise Http404
    today = timezone.localdate()
    actions = services.agency_actions(user)
    page = Paginator(actions.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = services.with_details(list(page.object_list))
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
            "page": page,
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
