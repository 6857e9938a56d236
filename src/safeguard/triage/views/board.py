"""The triage board of a day, opening and loading it, adding an incident by hand, the previous days."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, Value, When
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
from safeguard.web import lists, pages
from safeguard.web.lists import Column, Filter, ListSpec

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


def _narrow_by_grade(queryset, value: str):
    if value == "ungraded":
        return queryset.filter(grade="")
    return queryset.filter(grade=value) if value else queryset


NO_OUTCOME = Q(marac_referral=None, safeguarding_referral_to=None, no_further_action_reason="")


def _narrow_by_outcome(queryset, value: str):
    if value == "none":
        return queryset.filter(NO_OUTCOME)
    if value == "some":
        return queryset.exclude(NO_OUTCOME)
    return queryset


FILTERS = (
    Filter(
        "grade",
        "Grade",
        (("", "All grades"), ("ungraded", "Ungraded"), ("red", "Red"), ("amber", "Amber"), ("green", "Green")),
        _narrow_by_grade,
    ),
    Filter("outcome", "Outcome", (("", "Any"), ("none", "None yet"), ("some", "Recorded")), _narrow_by_outcome),
)
BOARD_LIST = ListSpec(
    noun="cases",
    columns=(
        Column("incident", "Incident", ("incident__reference",)),
        Column("when", "When", ("incident__occurred_at",)),
        Column("where", "Where", ("incident__local_area__name", "incident__place")),
        Column("victim", "Victim"),
        Column("grade", "Grade", ("grade_rank", "incident__occurred_at")),
        Column("outcomes", "Outcomes"),
        Column("encompass", "Operation Encompass"),
    ),
    default_sort="grade",
    filters=FILTERS,
)


def _narrow_by_status(queryset, value: str):
    return queryset.filter(status=value) if value else queryset


MEETINGS_LIST = ListSpec(
    noun="meetings",
    columns=(
        Column("day", "Day", ("starts_at",), first=lists.DESCENDING),
        Column("status", "Status", ("status",)),
        *(
            Column(key, label, (key,), first=lists.DESCENDING, numeric=True)
            for key, label in (
                ("cases", "Cases"),
                ("ungraded", "Ungraded"),
                ("red", "Red"),
                ("amber", "Amber"),
                ("green", "Green"),
            )
        ),
    ),
    default_sort="day",
    default_direction=lists.DESCENDING,
    filters=(Filter("status", "Status", (("", "Any"), *Meeting.Status.choices), _narrow_by_status),),
    page_size=MEETINGS_PER_PAGE,
)


def board_cases(user, meeting: Meeting):
    """The meeting's cases the user may see (the gate's scope), with the grade's rank to sort by: ungraded
    first, then red, amber, green."""
    rank = Case(*(When(grade=g, then=Value(n)) for g, n in GRADE_ORDER.items()), output_field=IntegerField())
    return gate.scoped(user, meeting.triage_cases.all()).annotate(grade_rank=rank)


def board_rows(request, cases: list[TriageCase]) -> list[dict]:
    """A page of the board's cases, each incident and person through the gate."""
    user = request.user
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


def _counts(cases) -> dict:
    """The whole board's figures (every case the user may see, not only the page shown). A day's triage is
    bounded by the day's incidents, so the Operation Encompass position is worked out for each case."""
    grades = dict(cases.order_by().values_list("grade").annotate(n=Count("pk")))
    everything = list(cases.select_related("incident"))
    encompass = services.encompass_for_cases(everything).values()
    return {
        "total": sum(grades.values()),
        "ungraded": grades.get("", 0),
        "red": grades.get("red", 0),
        "amber": grades.get("amber", 0),
        "green": grades.get("green", 0),
        "no_outcome": cases.filter(NO_OUTCOME).count(),
        "encompass_due": sum(1 for e in encompass if e.due),
        "encompass_late": sum(1 for e in encompass if e.late),
    }


@login_required
def board(request, pk: int):
    meeting = pages.gated(request, MEETINGS, pk, Operation.VIEW, {"page": "triage board"})
    return _render_board(request, gate.context_for(request), meeting)


def _render_board(request, ctx, meeting: Meeting, errors: list[str] | None = None):
    cases = board_cases(request.user, meeting)
    page = lists.page_of(
        BOARD_LIST,
        cases.select_related("incident", "incident__local_area", "victim").prefetch_related("incident__people__person"),
        request.GET,
    )
    rows = board_rows(request, page.rows)
    gate.audit_list(
        ctx, Operation.VIEW, TriageCase, [r["case"].pk for r in rows], {"page": "triage board", "number": page.number}
    )
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
            "list": page,
            "filters": lists.filter_panel(FILTERS, request.GET, "Filter the cases"),
            "counts": _counts(cases),
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
    every_case = (
        board_cases(request.user, meeting)
        .select_related("incident", "incident__local_area", "victim")
        .prefetch_related("incident__people__person")
        .order_by("grade_rank", "pk")
    )
    rows = board_rows(request, list(every_case))  # the whole board: the question lists all that is left undone
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
    page = lists.page_of(MEETINGS_LIST, meetings_of(forum), request.GET)
    for meeting in page.rows:
        meeting.local_start = timezone.localtime(meeting.starts_at, LOCAL)
    return render(
        request,
        "triage/meetings.html",
        {
            "forum": forum,
            "list": page,
            "filters": lists.filter_panel(MEETINGS_LIST.filters, request.GET, "Filter the meetings"),
            "today": timezone.localdate(),
        },
    )
