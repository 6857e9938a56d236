"""After a meeting: the minutes (page and PDF), issuing them, the chair's sharing, the meeting quality audit,
a forum's audits, and iCalendar invitations (a meeting's and a forum's feed). Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.rules import meeting_audit

from ..forms.core import VersionForm
from ..forms.minutes import QualityAuditForm, ShareMinutesForm
from ..models import Meeting
from ..services import minutes as services
from .common import forum_or_404, meeting_or_404, post_or_none


def _file_name(meeting: Meeting, suffix: str) -> str:
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return f"{slugify(meeting.forum.name)}-{day}-{suffix}"


def _minutes_context(request, meeting: Meeting, copy, **extra) -> dict:
    user = request.user
    runs = copy.runs
    return {
        "meeting": meeting,
        "forum": meeting.forum,
        "copy": copy,
        "can_issue": runs and meeting.status == Meeting.Status.HELD and meeting.minutes_issued_at is None,
        "can_share": copy.issued and services.may_share(user, meeting),
        "shares": services.shares_of(meeting) if runs else [],
        "version_form": VersionForm(initial={"version": meeting.version}),
        **extra,
    }


@login_required
def minutes_page(request, pk: int):
    meeting = meeting_or_404(pk)
    copy = services.reader_copy(gate.context_for(request), meeting, Operation.VIEW)
    return render(request, "meetings/minutes/page.html", _minutes_context(request, meeting, copy))


@login_required
def minutes_pdf(request, pk: int):
    meeting = meeting_or_404(pk)
    copy = services.reader_copy(gate.context_for(request), meeting, Operation.EXPORT)
    if not copy.available:
        messages.info(request, "The minutes of this meeting have not been issued yet.")
        return redirect("meetings:minutes", pk=meeting.pk)
    response = HttpResponse(services.minutes_pdf(copy), content_type="application/pdf")
    draft = "" if copy.issued else "draft-"
    response["Content-Disposition"] = f'attachment; filename="{_file_name(meeting, draft + "minutes.pdf")}"'
    return response


@login_required
@require_POST
def issue(request, pk: int):
    meeting = meeting_or_404(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, meeting)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.issue_minutes(ctx, meeting, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The minutes have been issued.")
            return redirect("meetings:minutes", pk=meeting.pk)
    else:
        form.add_error(None, "Reload the page and try again.")
    meeting.refresh_from_db()
    copy = services.reader_copy(ctx, meeting, Operation.VIEW)
    return render(request, "meetings/minutes/page.html", _minutes_context(request, meeting, copy, form=form))


@login_required
def share(request, pk: int):
    meeting = meeting_or_404(pk)
    ctx = gate.context_for(request)
    services.check_may_share(ctx, meeting)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, meeting, {"page": "share minutes"})
    agencies = services.shareable_agencies(meeting)
    form = ShareMinutesForm(post_or_none(request), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.share_minutes(ctx, meeting, agency=data["agency"], reason=data["reason"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"The minutes have been shared with {data['agency']}.")
            return redirect("meetings:minutes", pk=meeting.pk)
    return render(
        request,
        "meetings/minutes/share.html",
        {
            "meeting": meeting,
            "form": form,
            "agencies": agencies,
            "shares": services.shares_of(meeting),
            "attended": sorted(
                {a.agency.name for a in meeting.attendance.filter(present=True).select_related("agency")}
            ),
        },
    )


@login_required
def quality(request, pk: int):
    meeting = meeting_or_404(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, meeting)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, meeting, {"page": "quality audit"})
    initial = {"version": meeting.version, **{k: str(v) for k, v in (meeting.quality_scores or {}).items()}}
    form = QualityAuditForm(post_or_none(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_quality_audit(
                ctx, meeting, scores=form.scores(), expected_version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The meeting quality audit has been saved.")
            return redirect("meetings:quality-audit", pk=meeting.pk)
    result = services.meeting_quality(meeting)
    return render(
        request,
        "meetings/minutes/quality.html",
        {
            "meeting": meeting,
            "form": form,
            "result": result,
            "lowest": [meeting_audit.ITEMS[i] for i in result.lowest] if result else [],
            "held": meeting.status == Meeting.Status.HELD,
            "source": meeting_audit.SOURCE,
            "most": max(meeting_audit.SCORES) * len(meeting_audit.ITEMS),
        },
    )


@login_required
def forum_quality(request, pk: int):
    forum = forum_or_404(pk)
    page = services.forum_quality(gate.context_for(request), forum)
    return render(request, "meetings/minutes/forum_quality.html", {"forum": forum, "page": page})


def _calendar_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def invitation(request, pk: int):
    meeting = meeting_or_404(pk)
    link = request.build_absolute_uri(reverse("meetings:meeting", kwargs={"pk": meeting.pk}))
    body = services.invitation(gate.context_for(request), meeting, link=link)
    return _calendar_response(body, _file_name(meeting, "meeting.ics"))


@login_required
def calendar(request, pk: int):
    forum = forum_or_404(pk)
    body = services.forum_calendar(
        gate.context_for(request),
        forum,
        link_for=lambda m: request.build_absolute_uri(reverse("meetings:meeting", kwargs={"pk": m.pk})),
    )
    return _calendar_response(body, f"{slugify(forum.name)}-meetings.ics")


urlpatterns = [
    path("meetings/<int:pk>/minutes/", minutes_page, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", minutes_pdf, name="minutes-pdf"),
    path("meetings/<int:pk>/minutes/issue/", issue, name="minutes-issue"),
    path("meetings/<int:pk>/minutes/share/", share, name="minutes-share"),
    path("meetings/<int:pk>/quality/", quality, name="quality-audit"),
    path("meetings/<int:pk>/invitation.ics", invitation, name="invitation"),
    path("<int:pk>/quality/", forum_quality, name="forum-quality"),
    path("<int:pk>/meetings.ics", calendar, name="calendar"),
]
