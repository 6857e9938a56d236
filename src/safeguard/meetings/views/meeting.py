"""A meeting's pages: the meeting and its agenda, building the agenda, the chair, starting, the
confidentiality statement, attendance, ending."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguard.access import gate, policy
from safeguard.audit.models import Operation
from safeguard.rules import agenda as agenda_rules
from safeguard.web import pages

from ..forms.core import AttendanceForm, ChairForm, ConfidentialityForm, VersionForm
from ..models import Meeting
from ..services import agenda as agenda_services
from ..services import chair as chair_services
from ..services import running
from ..services.forums import chair_level_for
from ..services.run import progress as run_progress
from .common import MEETINGS, to_meeting

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
        "progress": run_progress(items),
        "reopening": meeting.reopening() if meeting.status == Meeting.Status.HELD else None,
        **extra,
    }


@login_required
def meeting_page(request, pk: int):
    meeting = pages.gated(request, MEETINGS, pk, Operation.VIEW, {"page": "meeting"})
    return render(request, "meetings/meeting.html", _meeting_context(request, meeting))


def _built(result) -> str:
    text = f"The agenda has been built: {result.listed} cases"
    if result.kept:
        text += f", {result.kept} already heard or started kept"
    if result.removed:
        text += f", {result.removed} no longer due taken off"
    return text + "."


# The meeting's buttons: the service, whether the forum (rather than the meeting) decides who may press it,
# and what is said when it is done.
BUTTONS = {
    "build-agenda": (agenda_services.build_agenda, True, _built),
    "start": (running.start_meeting, False, "The meeting has started."),
}


@login_required
@require_POST
def button(request, pk: int, button: str):
    """A POST button that changes the meeting (``button`` from the URL table); its refusal is shown on the
    meeting page."""
    service, forum_decides, done = BUTTONS[button]
    meeting = get_object_or_404(MEETINGS, pk=pk)
    gate.check(gate.context_for(request), Operation.CHANGE, meeting.forum if forum_decides else meeting)

    def show(form):
        if not form.errors:
            form.add_error(None, "Reload the page and try again.")
        meeting.refresh_from_db()
        return render(request, "meetings/meeting.html", _meeting_context(request, meeting, form=form))

    return pages.form_page(
        request,
        VersionForm(request.POST),
        pages.submits(service, meeting, fields=("version",)),
        done=done,
        then=to_meeting(meeting),
        show=show,
        shows=meeting,
        page="meeting",
    )


@login_required
def chair(request, pk: int):
    meeting = get_object_or_404(MEETINGS, pk=pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, meeting.forum)
    gate.authorise(ctx, Operation.VIEW, meeting, {"page": "chair"})
    options = chair_services.chair_options(ctx, meeting)
    return pages.form_page(
        request,
        ChairForm(pages.posted(request), options=options, initial={"version": meeting.version}),
        pages.submits(chair_services.set_chair, meeting, fields=("chair", "version"), renamed={"chair": "member"}),
        done=lambda _: f"{meeting.chair.get_full_name()} will chair the meeting.",
        then=to_meeting(meeting),
        template="meetings/chair.html",
        context={
            "meeting": meeting,
            "options": options,
            "eligible": [o for o in options if o.eligible],
            "level": chair_level_for(meeting.forum),
        },
    )


@login_required
def confidentiality(request, pk: int):
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    present = list(meeting.attendance.filter(present=True).select_related("agency"))
    form = ConfidentialityForm(
        pages.posted(request),
        attendance=present,
        initial={"version": meeting.version, "agreed": [str(a.pk) for a in present if a.agreed_confidentiality]},
    )
    return pages.form_page(
        request,
        form,
        pages.submits(running.read_confidentiality, meeting, fields=("agreed", "version")),
        done="The confidentiality statement is recorded as read.",
        then=to_meeting(meeting),
        template="meetings/confidentiality.html",
        context={"present": present},
        shows={"meeting": meeting},
        page="confidentiality",
    )


@login_required
def attendance(request, pk: int):
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    agencies = meeting.forum.member_agencies.order_by("name")
    form = AttendanceForm(pages.posted(request), agencies=agencies, initial={"presence": "present"})
    return pages.form_page(
        request,
        form,
        lambda ctx, form: running.record_attendance(
            ctx,
            meeting,
            agency=form.cleaned_data["agency"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            present=form.cleaned_data["presence"] == "present",
            agreed_confidentiality=form.cleaned_data["agreed_confidentiality"],
        ),
        done=lambda _: f"{form.cleaned_data['name']} has been added to the attendance.",
        then=reverse("meetings:attendance", kwargs={"pk": meeting.pk}),
        template="meetings/attendance.html",
        context={"rows": list(meeting.attendance.select_related("agency"))},
        shows={"meeting": meeting},
        page="attendance",
    )
