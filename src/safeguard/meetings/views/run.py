"""Running a meeting at its pace: the case-by-case page ("save and next case"), the attendance ticked at once,
several cases deferred with one reason, ending the meeting (the page asks first and lists what is left undone),
and reopening it within the forum's window."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.web import pages

from ..forms.core import VersionForm
from ..forms.run import AttendanceListForm, DeferForm, EndForm, RunCaseForm
from ..models import AgendaItem, Meeting
from ..services import agenda as agenda_services
from ..services import bulk, running
from ..services import run as run_services
from ..services.forums import MAPPA_KINDS
from .common import ITEMS, MEETINGS, to_meeting
from .items import _item_context
from .meeting import _meeting_context


def to_run(item: AgendaItem) -> str:
    return reverse("meetings:run-case", kwargs={"pk": item.pk})


@login_required
def run_meeting(request, pk: int):
    """The meeting case by case: its first case still to be discussed (or its first case)."""
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    items = list(meeting.items.order_by("position", "pk"))
    first = next((i for i in items if i.outcome == AgendaItem.Outcome.LISTED), items[0] if items else None)
    if first is None:
        messages.info(request, "The agenda has no cases yet.")
        return redirect(to_meeting(meeting))
    return redirect(to_run(first))


def _said(items: list[AgendaItem], item: AgendaItem) -> str:
    saved = f"Case {item.position}, {item.person.full_name}: {item.get_outcome_display().lower()}."
    if run_services.next_case(items, item) is None:
        return f"{saved} Every case has been discussed: end the meeting when you are ready."
    return saved


def _then(items: list[AgendaItem], item: AgendaItem) -> str:
    following = run_services.next_case(items, item)
    return reverse("meetings:end", kwargs={"pk": item.meeting_id}) if following is None else to_run(following)


@login_required
def run_case(request, pk: int):
    """One case of the meeting: case N of M, why it is listed, what is recorded, and its decision and outcome in
    one form ("Save and next case"); the jump list of every case beside it."""
    item = pages.gated(request, ITEMS, pk, Operation.CHANGE)
    meeting = item.meeting
    ctx = gate.context_for(request)
    items = agenda_services.visible_items(ctx, meeting)
    level = item.management_level_agreed or (item.nominal.management_level if item.nominal else None)
    form = RunCaseForm(
        pages.posted(request),
        initial={
            "version": item.version,
            "outcome": item.outcome if item.outcome != item.Outcome.LISTED else None,
            "next_review_on": item.next_review_on,
            "summary": item.summary,
        },
    )

    def save(ctx, form):
        data = form.cleaned_data
        saved = run_services.record_case(
            ctx,
            item,
            text=data["text"],
            rationale=data["rationale"],
            outcome=data["outcome"],
            next_review_on=data["next_review_on"],
            summary=data["summary"],
            expected_version=data["version"],
        )
        for found in items:
            if found.pk == saved.pk:
                found.outcome = saved.outcome
        return saved

    number = next((n for n, i in enumerate(items, 1) if i.pk == item.pk), item.position)
    return pages.form_page(
        request,
        form,
        save,
        done=lambda saved: _said(items, saved),
        then=lambda saved: _then(items, saved),
        template="meetings/run_case.html",
        context={
            **_item_context(request, item),
            "items": items,
            "number": number,
            "progress": run_services.progress(items),
            "skip_to": run_services.following(items, item),
            "latest": running.latest_review_allowed(item, level) if meeting.forum.kind in MAPPA_KINDS else None,
            "level": level,
        },
        shows=item,
        page="run the meeting",
    )


@login_required
def attendance_list(request, pk: int):
    """The attendance ticked at once: the people expected by agency, present or apologies, and others named."""
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    agencies = list(meeting.forum.member_agencies.order_by("name"))
    form = AttendanceListForm(pages.posted(request), agencies=agencies, expected=bulk.expected_people(meeting))

    def done(saved) -> str:
        present = sum(1 for a in saved if a.present)
        return f"{present} present and {len(saved) - present} sending apologies added to the attendance."

    return pages.form_page(
        request,
        form,
        lambda ctx, form: bulk.record_attendance_list(ctx, meeting, form.entries()),
        done=done,
        then=reverse("meetings:attendance", kwargs={"pk": meeting.pk}),
        template="meetings/attendance_list.html",
        context={"meeting": meeting, "rows": list(meeting.attendance.select_related("agency"))},
        shows=meeting,
        page="attendance list",
    )


@login_required
def defer(request, pk: int):
    """Several cases deferred with one reason: choose them, then the page asks before anything changes."""
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    ctx = gate.context_for(request)
    listed = [i for i in agenda_services.visible_items(ctx, meeting) if i.outcome == AgendaItem.Outcome.LISTED]
    initial = {"items": request.GET.getlist("items")} if request.method == "GET" else None
    form = DeferForm(pages.posted(request), listed=listed, initial=initial)
    confirmed = request.method == "POST" and request.POST.get("confirmed") == "yes"
    context = {"meeting": meeting, "listed": listed, "in_progress": meeting.status == Meeting.Status.IN_PROGRESS}
    if request.method == "POST" and not confirmed and form.is_valid():
        chosen = set(form.cleaned_data["items"])
        context["chosen"] = [i for i in listed if i.pk in chosen]
        return render(request, "meetings/defer_confirm.html", {**context, "form": form})
    return pages.form_page(
        request,
        form,
        lambda ctx, form: bulk.defer_cases(
            ctx, meeting, item_ids=form.cleaned_data["items"], reason=form.cleaned_data["reason"]
        ),
        done=lambda deferred: f"{len(deferred)} case{'' if len(deferred) == 1 else 's'} deferred to the next meeting.",
        then=to_meeting(meeting),
        template="meetings/defer.html",
        context=context,
        shows=meeting,
        page="defer cases",
        submitted=confirmed,
    )


def _left_undone(meeting: Meeting, items: list[AgendaItem]) -> dict:
    heard = [i for i in items if i.outcome == AgendaItem.Outcome.HEARD]
    return {
        "listed": [i for i in items if i.outcome == AgendaItem.Outcome.LISTED],
        "deferred": [i for i in items if i.outcome == AgendaItem.Outcome.DEFERRED],
        "no_level": [i for i in heard if not i.risk_level_agreed],
        "no_attendance": not meeting.attendance.exists(),
        "no_confidentiality": not meeting.confidentiality_read_at,
    }


@login_required
def end(request, pk: int):
    """End the meeting: first the page that asks, listing the cases not discussed (deferred with one reason
    when the chair says so), the cases deferred and those heard with no level agreed."""
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    ctx = gate.context_for(request)
    items = agenda_services.visible_items(ctx, meeting)
    form = EndForm(pages.posted(request), initial={"version": meeting.version})
    left = _left_undone(meeting, items)
    if left["listed"]:
        form.fields["defer_reason"].required = True
        form.fields["defer_reason"].error_messages["required"] = (
            f"Enter why the cases not discussed are deferred (at least {running.MIN_TEXT} characters)"
        )

    def done(ended) -> str:
        text = "The meeting has ended and is recorded as held."
        if ended.deferred:
            text += f" {ended.deferred} case{'' if ended.deferred == 1 else 's'} not discussed deferred."
        return text

    return pages.form_page(
        request,
        form,
        lambda ctx, form: bulk.end_meeting(
            ctx,
            meeting,
            expected_version=form.cleaned_data["version"],
            defer_listed_with=form.cleaned_data["defer_reason"],
        ),
        done=done,
        then=to_meeting(meeting),
        template="meetings/end.html",
        context={
            "meeting": meeting,
            "in_progress": meeting.status == Meeting.Status.IN_PROGRESS,
            "progress": run_services.progress(items),
            **left,
        },
        shows=meeting,
        page="end the meeting",
    )


@login_required
@require_POST
def reopen(request, pk: int):
    """Reopen a held meeting within the forum's window, minutes not issued (rules.reopening)."""
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)

    def done(reopened) -> str:
        return "The meeting has been reopened and is in progress again: end it again when the record is complete."

    def show(form):
        if not form.errors:
            form.add_error(None, "Reload the page and try again.")
        meeting.refresh_from_db()
        return render(request, "meetings/meeting.html", _meeting_context(request, meeting, form=form))

    return pages.form_page(
        request,
        VersionForm(request.POST),
        pages.submits(bulk.reopen_meeting, meeting, fields=("version",)),
        done=done,
        then=to_meeting(meeting),
        show=show,
        shows=meeting,
        page="meeting",
    )
