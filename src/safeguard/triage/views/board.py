"""The triage board of a day, opening and loading it, adding an incident by hand, the previous days."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.events.models import Incident
from safeguard.meetings.models import Forum, Meeting
from safeguard.people.models import Person
from safeguard.web import pages

from .. import services
from ..forms import AddIncidentForm, CloseMeetingForm
from ..models import TriageCase
from ..services.clock import LOCAL
from ..services.meeting import finished, meetings_of, triage_forums, visible_triage_forums

GRADE_ORDER = {"": 0, "red": 1, "amber": 2, "green": 3}
MEETINGS_PER_PAGE = 30


MEETINGS = Meeting.objects.select_related("forum", "forum__area").filter(forum__kind=Forum.Kind.DAILY_TRIAGE)


def _to_board(meeting: Meeting) -> str:
    return reverse("triage:board", kwargs={"pk": meeting.pk})


@login_required
def index(request):
    """The triage forums the user may open; none at all is a 404 like any other refusal."""
    forums = visible_triage_forums(request.user)
    if not forums:
        raise Http404
    return render(request, "triage/index.html", {"forums": forums, "today": timezone.localdate()})


@login_required
def today(request, forum_pk: int):
    forum = pages.gated(request, triage_forums(), forum_pk, Operation.VIEW, {"page": "triage of the day"})
    day = services.day_of(forum, timezone.localdate())
    if day.meeting is not None:
        return redirect("triage:board", pk=day.meeting.pk)
    may_open = gate.decide(request.user, Operation.CHANGE, forum).allowed
    return render(request, "triage/today.html", {"forum": forum, "day": day, "may_open": may_open})


@login_required
@require_POST
def open_today(request, forum_pk: int):
    forum = pages.gated(request, triage_forums(), forum_pk, Operation.CHANGE)
    ctx = gate.context_for(request)
    try:
        loaded = services.open_day(ctx, forum, timezone.localdate())
    except ValidationError as exc:
        day = services.day_of(forum, timezone.localdate())
        return render(
            request,
            "triage/today.html",
            {"forum": forum, "day": day, "may_open": True, "errors": exc.messages},
        )
    messages.success(request, _loaded_message(len(loaded.added)))
    return redirect("triage:board", pk=loaded.meeting.pk)


def _loaded_message(count: int) -> str:
    if count == 0:
        return "No new incidents in the window."
    return f"{count} new incident{'s' if count != 1 else ''} loaded."


def _outcomes(case: TriageCase) -> list[str]:
    found = []
    if case.marac_referral_id:
        found.append("MARAC referral")
    if case.safeguarding_referral_to_id:
        found.append("Safeguarding referral")
    if case.no_further_action_reason:
        found.append("No further action")
    return found


def board_rows(request, meeting: Meeting) -> list[dict]:
    """The board's cases, ungraded first, then red, amber, green; each incident and person through the gate."""
    user = request.user
    cases = [
        c
        for c in meeting.triage_cases.select_related("incident", "incident__local_area", "victim").prefetch_related(
            "incident__people__person"
        )
        if gate.decide(user, Operation.VIEW, c)
    ]
    cases.sort(key=lambda c: (GRADE_ORDER[c.grade], c.incident.occurred_at, c.pk))
    encompass = services.encompass_for_cases(cases)
    now = timezone.now()
    rows = []
    for case in cases:
        sees_incident = gate.decide(user, Operation.VIEW, case.incident).allowed
        sees_victim = case.victim is not None and gate.decide(user, Operation.VIEW, case.victim).allowed
        status, colour = encompass[case.pk].status(now)
        rows.append(
            {
                "case": case,
                "incident": case.incident if sees_incident else None,
                "occurred_at": timezone.localtime(case.incident.occurred_at, LOCAL),
                "victim": case.victim if sees_victim else None,
                "outcomes": _outcomes(case),
                "finished": finished(case),
                "encompass": status,
                "encompass_colour": colour if sees_incident else "grey",
                "encompass_due": bool(encompass[case.pk].due),
                "notices_due": [child.person for child in encompass[case.pk].due],
                "encompass_late": bool(encompass[case.pk].late),
            }
        )
    return rows


def _counts(rows: list[dict]) -> dict:
    grades = [r["case"].grade for r in rows]
    return {
        "total": len(rows),
        "ungraded": grades.count(""),
        "red": grades.count("red"),
        "amber": grades.count("amber"),
        "green": grades.count("green"),
        "no_outcome": sum(1 for r in rows if not r["outcomes"]),
        "encompass_due": sum(1 for r in rows if r["encompass_due"]),
        "encompass_late": sum(1 for r in rows if r["encompass_late"]),
    }


@login_required
def board(request, pk: int):
    meeting = pages.gated(request, MEETINGS, pk, Operation.VIEW, {"page": "triage board"})
    return _render_board(request, gate.context_for(request), meeting)


def _render_board(request, ctx, meeting: Meeting, errors: list[str] | None = None):
    rows = board_rows(request, meeting)
    gate.audit_list(ctx, Operation.VIEW, TriageCase, [r["case"].pk for r in rows], {"page": "triage board"})
    incidents = [r["incident"].pk for r in rows if r["incident"]]
    if incidents:
        gate.audit_list(ctx, Operation.VIEW, Incident, incidents, {"page": "triage board"})
    people = [r["victim"].pk for r in rows if r["victim"]]
    if people:
        gate.audit_list(ctx, Operation.VIEW, Person, people, {"page": "triage board"})
    starts_at = timezone.localtime(meeting.starts_at, LOCAL)
    return render(
        request,
        "triage/board.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "starts_at": starts_at,
            "window": services.window_of(meeting),
            "rows": rows,
            "counts": _counts(rows),
            "may_run": gate.decide(request.user, Operation.CHANGE, meeting).allowed,
            "is_today": starts_at.date() == timezone.localdate(),
            "close_form": CloseMeetingForm(initial={"version": meeting.version}),
            "reopening": meeting.reopening() if meeting.status == Meeting.Status.HELD else None,
            "errors": errors or [],
        },
    )


@login_required
@require_POST
def load(request, pk: int):
    meeting = get_object_or_404(MEETINGS, pk=pk)  # the service decides and audits
    loaded = services.load(gate.context_for(request), meeting)
    messages.success(request, _loaded_message(len(loaded.added)))
    return redirect("triage:board", pk=meeting.pk)


@login_required
def add_incident(request, pk: int):
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    return pages.form_page(
        request,
        AddIncidentForm(pages.posted(request)),
        pages.submits(services.add_by_hand, meeting, fields=("reference", "reason")),
        done="The incident has been added to the triage.",
        then=lambda case: reverse("triage:case", kwargs={"pk": case.pk}),
        template="triage/add_incident.html",
        context={"starts_at": timezone.localtime(meeting.starts_at, LOCAL)},
        shows={"meeting": meeting},
        page="add an incident",
    )


@login_required
def close(request, pk: int):
    """Close the triage: first the page that asks, listing what closing leaves undone; then the close."""
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    ctx = gate.context_for(request)
    if request.method != "POST":
        if meeting.status == Meeting.Status.HELD:
            messages.info(request, "This triage has already been closed.")
            return redirect("triage:board", pk=meeting.pk)
        return _render_close(request, ctx, meeting, CloseMeetingForm(initial={"version": meeting.version}))
    form = CloseMeetingForm(request.POST)
    if not form.is_valid():
        return _render_close(request, ctx, meeting, form, ["Reload the page and close the triage again."])
    try:
        closed = services.close_meeting(ctx, meeting, expected_version=form.cleaned_data["version"])
    except ValidationError as exc:
        return _render_board(request, ctx, MEETINGS.get(pk=pk), exc.messages)
    until = closed.meeting.reopening().until
    again = f" It can be reopened until {timezone.localtime(until, LOCAL):%H:%M on %-d %B}." if until else ""
    if closed.left.anything:
        messages.warning(request, f"Triage closed: {closed.left.sentence()}.{again}")
    else:
        messages.success(
            request, f"Triage closed: every case graded with an outcome and every school notice recorded.{again}"
        )
    return redirect("triage:board", pk=meeting.pk)


def _render_close(request, ctx, meeting: Meeting, form, errors: list[str] | None = None):
    """The "are you sure" page: which cases are ungraded, without an outcome, or with a school notice unsent."""
    rows = board_rows(request, meeting)
    gate.audit_list(ctx, Operation.VIEW, TriageCase, [r["case"].pk for r in rows], {"page": "close the triage"})
    people = [r["victim"].pk for r in rows if r["victim"]]
    if people:
        gate.audit_list(ctx, Operation.VIEW, Person, people, {"page": "close the triage"})
    left = services.left_undone(meeting)
    return render(
        request,
        "triage/close.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "starts_at": timezone.localtime(meeting.starts_at, LOCAL),
            "form": form,
            "errors": errors or [],
            "left": left,
            "ungraded": [r for r in rows if not r["case"].grade],
            "no_outcome": [r for r in rows if not r["outcomes"]],
            "notices": [r for r in rows if r["notices_due"]],
            "hidden": len(rows) < meeting.triage_cases.count(),
            "reopen_hours": meeting.forum.reopen_hours(),
        },
    )


@login_required
@require_POST
def reopen(request, pk: int):
    """Reopen a closed triage within the forum's window (rules.reopening); audited by the service."""
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    ctx = gate.context_for(request)
    form = CloseMeetingForm(request.POST)
    if not form.is_valid():
        return _render_board(request, ctx, meeting, ["Reload the page and reopen the triage again."])
    try:
        services.reopen_meeting(ctx, meeting, expected_version=form.cleaned_data["version"])
    except ValidationError as exc:
        return _render_board(request, ctx, MEETINGS.get(pk=pk), exc.messages)
    messages.success(request, "The triage has been reopened: its cases can be graded and given outcomes again.")
    return redirect("triage:board", pk=meeting.pk)


@login_required
def meetings(request, forum_pk: int):
    """The forum's previous (and scheduled) meetings with their counts: no names."""
    forum = pages.gated(request, triage_forums(), forum_pk, Operation.VIEW, {"page": "triage meetings"})
    page = Paginator(meetings_of(forum), MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    for meeting in page:
        meeting.local_start = timezone.localtime(meeting.starts_at, LOCAL)
    return render(request, "triage/meetings.html", {"forum": forum, "page": page, "today": timezone.localdate()})
