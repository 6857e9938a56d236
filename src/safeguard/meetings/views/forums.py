"""Forum pages: the forums a user may see, one forum (settings read-only, upcoming meetings, open cases),
scheduling from the cadence, and moving or cancelling a meeting with a reason."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import gate, policy
from safeguard.audit.models import Operation
from safeguard.web import pages

from ..forms.core import CancelForm, MoveForm, ScheduleForm
from ..services import forums as forum_services
from ..services import schedule
from .common import FORUMS, MEETINGS, to_meeting

ROLES_THAT_SEE_FORUMS = policy.FORUM_ROLES | policy.CASE_ROLES


@login_required
def forums(request):
    user = request.user
    if not set(user.roles or []) & ROLES_THAT_SEE_FORUMS or user.agency_id is None:
        raise Http404
    shown = forum_services.visible_forums(gate.context_for(request))
    return render(request, "meetings/forums.html", {"forums": shown})


@login_required
def forum(request, pk: int):
    record = get_object_or_404(FORUMS, pk=pk)  # forum_page decides and audits
    page = forum_services.forum_page(gate.context_for(request), record)
    return render(
        request,
        "meetings/forum.html",
        {
            "page": page,
            "forum": record,
            "schedule_form": ScheduleForm(),
            "missing": schedule.missing_settings(record),
        },
    )


@login_required
@require_POST
def schedule_view(request, pk: int):
    record = pages.gated(request, FORUMS, pk, Operation.CHANGE)

    def scheduled(created) -> str:
        weeks = form.cleaned_data["weeks"]
        if created:
            return f"{len(created)} meetings scheduled for the next {weeks} weeks."
        return f"Every meeting of the next {weeks} weeks was scheduled already."

    form = ScheduleForm(request.POST)
    return pages.form_page(
        request,
        form,
        pages.submits(schedule.schedule_meetings, record, fields=("weeks",)),
        done=scheduled,
        then=reverse("meetings:forum", kwargs={"pk": record.pk}),
        show=lambda form: render(
            request,
            "meetings/forum.html",
            {
                "page": forum_services.forum_page(gate.context_for(request), record),
                "forum": record,
                "schedule_form": form,
                "missing": schedule.missing_settings(record),
            },
        ),
    )


def _moved(ctx, meeting, form):
    data = form.cleaned_data
    starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
    return schedule.move_meeting(
        ctx, meeting, starts_at=starts_at, place=data["place"], reason=data["reason"], expected_version=data["version"]
    )


@login_required
def move(request, pk: int):
    meeting = get_object_or_404(MEETINGS, pk=pk)
    gate.check(gate.context_for(request), Operation.CHANGE, meeting.forum)
    local = timezone.localtime(meeting.starts_at)
    initial = {"version": meeting.version, "day": local.date(), "time": local.strftime("%H:%M"), "place": meeting.place}
    return pages.form_page(
        request,
        MoveForm(pages.posted(request), initial=initial),
        lambda ctx, form: _moved(ctx, meeting, form),
        done="The meeting has been moved.",
        then=to_meeting(meeting),
        template="meetings/move.html",
        shows={"meeting": meeting},
        page="move",
        rename={"starts_at": "day"},
    )


@login_required
def cancel(request, pk: int):
    meeting = get_object_or_404(MEETINGS, pk=pk)
    gate.check(gate.context_for(request), Operation.CHANGE, meeting.forum)
    return pages.form_page(
        request,
        CancelForm(pages.posted(request), initial={"version": meeting.version}),
        pages.submits(schedule.cancel_meeting, meeting, fields=("reason", "version")),
        done="The meeting has been cancelled.",
        then=reverse("meetings:forum", kwargs={"pk": meeting.forum_id}),
        template="meetings/cancel.html",
        context={
            "listed": meeting.items.filter(outcome="listed").count(),
            "attendance": meeting.attendance.count(),
        },
        shows={"meeting": meeting},
        page="cancel",
    )
