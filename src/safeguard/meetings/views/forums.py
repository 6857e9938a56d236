"""Forum pages: the forums a user may see, one forum (settings read-only, upcoming meetings, open cases),
scheduling from the cadence, and moving or cancelling a meeting with a reason."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import gate, policy
from safeguard.audit.models import Operation

from ..forms.core import CancelForm, MoveForm, ScheduleForm
from ..services import forums as forum_services
from ..services import schedule
from .common import forum_or_404, meeting_or_404, post_or_none

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
    record = forum_or_404(pk)
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
    record = forum_or_404(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            created = schedule.schedule_meetings(ctx, record, weeks=form.cleaned_data["weeks"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            weeks = form.cleaned_data["weeks"]
            if created:
                messages.success(request, f"{len(created)} meetings scheduled for the next {weeks} weeks.")
            else:
                messages.success(request, f"Every meeting of the next {weeks} weeks was scheduled already.")
            return redirect("meetings:forum", pk=record.pk)
    page = forum_services.forum_page(ctx, record)
    return render(
        request,
        "meetings/forum.html",
        {"page": page, "forum": record, "schedule_form": form, "missing": schedule.missing_settings(record)},
        status=200,
    )


@login_required
def move(request, pk: int):
    meeting = meeting_or_404(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, meeting.forum)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, meeting, {"page": "move"})
    local = timezone.localtime(meeting.starts_at)
    form = MoveForm(
        post_or_none(request),
        initial={
            "version": meeting.version,
            "day": local.date(),
            "time": local.strftime("%H:%M"),
            "place": meeting.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        try:
            schedule.move_meeting(
                ctx,
                meeting,
                starts_at=starts_at,
                place=data["place"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except ValidationError as exc:
            if "starts_at" in getattr(exc, "error_dict", {}):
                exc = ValidationError({"day": exc.error_dict["starts_at"]})
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The meeting has been moved.")
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/move.html", {"meeting": meeting, "form": form})


@login_required
def cancel(request, pk: int):
    meeting = meeting_or_404(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, meeting.forum)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, meeting, {"page": "cancel"})
    form = CancelForm(post_or_none(request), initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            schedule.cancel_meeting(
                ctx, meeting, reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The meeting has been cancelled.")
            return redirect("meetings:forum", pk=meeting.forum_id)
    return render(request, "meetings/cancel.html", {"meeting": meeting, "form": form})


urlpatterns = [
    path("", forums, name="forums"),
    path("<int:pk>/", forum, name="forum"),
    path("<int:pk>/schedule/", schedule_view, name="schedule"),
    path("meetings/<int:pk>/move/", move, name="move"),
    path("meetings/<int:pk>/cancel/", cancel, name="cancel"),
]
