"""A meeting's pages: the meeting and its agenda, building the agenda, the chair, starting, the
confidentiality statement, attendance, ending."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from safeguard.access import gate, policy
from safeguard.audit.models import Operation
from safeguard.rules import agenda as agenda_rules

from ..forms.core import AttendanceForm, ChairForm, ConfidentialityForm, VersionForm
from ..models import Meeting
from ..services import agenda as agenda_services
from ..services import chair as chair_services
from ..services import running
from ..services.forums import chair_level_for
from .common import meeting_or_404, post_or_none

SECTION_TITLES = {**agenda_rules.SECTION_TITLES, "other": "Other business"}


def _sections(items):
    """The agenda's items grouped under their section titles, in order."""
    grouped: list[tuple[str, list]] = []
    for item in items:
        title = SECTION_TITLES.get(item.section, item.get_section_display())
        if not grouped or grouped[-1][0] != title:
            grouped.append((title, []))
        grouped[-1][1].append(item)
    return grouped


def _meeting_context(request, meeting: Meeting, **extra) -> dict:
    ctx = gate.context_for(request)
    user = request.user
    items = agenda_services.visible_items(ctx, meeting)
    coordinates = policy.may_coordinate_forum(user, meeting.forum).allowed
    runs = policy.may_run_meeting(user, meeting).allowed
    live = meeting.status in (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS)
    return {
        "meeting": meeting,
        "forum": meeting.forum,
        "sections": _sections(items),
        "item_count": len(items),
        "coordinates": coordinates,
        "runs": runs,
        "live": live,
        "in_progress": meeting.status == Meeting.Status.IN_PROGRESS,
        "attendance": list(meeting.attendance.select_related("agency")) if runs else [],
        "version_form": VersionForm(initial={"version": meeting.version}),
        "chair_level": chair_level_for(meeting.forum),
        "listed": sum(1 for i in items if i.outcome == i.Outcome.LISTED),
        **extra,
    }


@login_required
def meeting_page(request, pk: int):
    meeting = meeting_or_404(pk)
    gate.authorise(gate.context_for(request), Operation.VIEW, meeting, {"page": "meeting"})
    return render(request, "meetings/meeting.html", _meeting_context(request, meeting))


def _button(request, pk: int, action, done: str, *, forum_check: bool = False):
    """A POST button that changes the meeting; its refusal is shown on the meeting page."""
    meeting = meeting_or_404(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, meeting.forum if forum_check else meeting)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            result = action(ctx, meeting, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, done if isinstance(done, str) else done(result))
            return redirect("meetings:meeting", pk=meeting.pk)
    else:
        form.add_error(None, "Reload the page and try again.")
    meeting.refresh_from_db()
    gate.authorise(ctx, Operation.VIEW, meeting, {"page": "meeting"})
    return render(request, "meetings/meeting.html", _meeting_context(request, meeting, form=form))


def _built(result) -> str:
    text = f"The agenda has been built: {result.listed} cases"
    if result.kept:
        text += f", {result.kept} already heard or started kept"
    if result.removed:
        text += f", {result.removed} no longer due taken off"
    return text + "."


@login_required
@require_POST
def build_agenda(request, pk: int):
    return _button(request, pk, agenda_services.build_agenda, _built, forum_check=True)


@login_required
@require_POST
def start(request, pk: int):
    return _button(request, pk, running.start_meeting, "The meeting has started.")


@login_required
@require_POST
def end(request, pk: int):
    return _button(request, pk, running.end_meeting, "The meeting has ended and is recorded as held.")


@login_required
def chair(request, pk: int):
    meeting = meeting_or_404(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, meeting.forum)
    gate.authorise(ctx, Operation.VIEW, meeting, {"page": "chair"})
    options = chair_services.chair_options(ctx, meeting)
    form = ChairForm(post_or_none(request), options=options, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            chair_services.set_chair(
                ctx, meeting, form.cleaned_data["chair"], expected_version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"{meeting.chair.get_full_name()} will chair the meeting.")
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/chair.html",
        {
            "meeting": meeting,
            "form": form,
            "options": options,
            "eligible": [o for o in options if o.eligible],
            "level": chair_level_for(meeting.forum),
        },
    )


@login_required
def confidentiality(request, pk: int):
    meeting = meeting_or_404(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, meeting)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, meeting, {"page": "confidentiality"})
    present = list(meeting.attendance.filter(present=True).select_related("agency"))
    form = ConfidentialityForm(
        post_or_none(request),
        attendance=present,
        initial={"version": meeting.version, "agreed": [str(a.pk) for a in present if a.agreed_confidentiality]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            running.read_confidentiality(
                ctx, meeting, agreed=form.cleaned_data["agreed"], expected_version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The confidentiality statement is recorded as read.")
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/confidentiality.html", {"meeting": meeting, "form": form, "present": present})


@login_required
def attendance(request, pk: int):
    meeting = meeting_or_404(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, meeting)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, meeting, {"page": "attendance"})
    agencies = meeting.forum.member_agencies.order_by("name")
    form = AttendanceForm(post_or_none(request), agencies=agencies, initial={"presence": "present"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            running.record_attendance(
                ctx,
                meeting,
                agency=data["agency"],
                name=data["name"],
                role=data["role"],
                present=data["presence"] == "present",
                agreed_confidentiality=data["agreed_confidentiality"],
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"{data['name']} has been added to the attendance.")
            return redirect("meetings:attendance", pk=meeting.pk)
    rows = list(meeting.attendance.select_related("agency"))
    return render(request, "meetings/attendance.html", {"meeting": meeting, "form": form, "rows": rows})


urlpatterns = [
    path("meetings/<int:pk>/", meeting_page, name="meeting"),
    path("meetings/<int:pk>/agenda/", build_agenda, name="build-agenda"),
    path("meetings/<int:pk>/chair/", chair, name="chair"),
    path("meetings/<int:pk>/start/", start, name="start"),
    path("meetings/<int:pk>/confidentiality/", confidentiality, name="confidentiality"),
    path("meetings/<int:pk>/attendance/", attendance, name="attendance"),
    path("meetings/<int:pk>/end/", end, name="end"),
]
