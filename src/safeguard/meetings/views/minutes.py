"""After a meeting: the minutes (page and PDF), issuing them, the chair's sharing, the meeting quality audit,
a forum's audits, and iCalendar invitations (a meeting's and a forum's feed). Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.rules import meeting_audit
from safeguard.web import pages

from ..forms.core import VersionForm
from ..forms.minutes import QualityAuditForm, ShareMinutesForm
from ..models import Meeting
from ..services import minutes as services
from .common import FORUMS, MEETINGS


def _file_name(meeting: Meeting, suffix: str) -> str:
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return f"{slugify(meeting.forum.name)}-{day}-{suffix}"


def _to_minutes(meeting: Meeting) -> str:
    return reverse("meetings:minutes", kwargs={"pk": meeting.pk})


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
    meeting = get_object_or_404(MEETINGS, pk=pk)  # the minutes service decides and audits
    copy = services.reader_copy(gate.context_for(request), meeting, Operation.VIEW)
    return render(request, "meetings/minutes/page.html", _minutes_context(request, meeting, copy))


@login_required
def minutes_pdf(request, pk: int):
    meeting = get_object_or_404(MEETINGS, pk=pk)  # the minutes service decides and audits
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
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)

    def show(form):
        if not form.errors:
            form.add_error(None, "Reload the page and try again.")
        meeting.refresh_from_db()
        copy = services.reader_copy(gate.context_for(request), meeting, Operation.VIEW)
        return render(request, "meetings/minutes/page.html", _minutes_context(request, meeting, copy, form=form))

    return pages.form_page(
        request,
        VersionForm(request.POST),
        pages.submits(services.issue_minutes, meeting, fields=("version",)),
        done="The minutes have been issued.",
        then=_to_minutes(meeting),
        show=show,
    )


@login_required
def share(request, pk: int):
    meeting = get_object_or_404(MEETINGS, pk=pk)
    services.check_may_share(gate.context_for(request), meeting)
    agencies = services.shareable_agencies(meeting)
    form = ShareMinutesForm(pages.posted(request), agencies=agencies)
    return pages.form_page(
        request,
        form,
        pages.submits(services.share_minutes, meeting, fields=("agency", "reason")),
        done=lambda _: f"The minutes have been shared with {form.cleaned_data['agency']}.",
        then=_to_minutes(meeting),
        template="meetings/minutes/share.html",
        shows=meeting,
        page="share minutes",
        context={
            "meeting": meeting,
            "agencies": agencies,
            "shares": services.shares_of(meeting),
            "attended": sorted(
                {a.agency.name for a in meeting.attendance.filter(present=True).select_related("agency")}
            ),
        },
    )


@login_required
def quality(request, pk: int):
    meeting = pages.gated(request, MEETINGS, pk, Operation.CHANGE)
    initial = {"version": meeting.version, **{k: str(v) for k, v in (meeting.quality_scores or {}).items()}}
    result = services.meeting_quality(meeting)
    return pages.form_page(
        request,
        QualityAuditForm(pages.posted(request), initial=initial),
        lambda ctx, form: services.record_quality_audit(
            ctx, meeting, scores=form.scores(), expected_version=form.cleaned_data["version"]
        ),
        done="The meeting quality audit has been saved.",
        then=reverse("meetings:quality-audit", kwargs={"pk": meeting.pk}),
        template="meetings/minutes/quality.html",
        shows=meeting,
        page="quality audit",
        context={
            "meeting": meeting,
            "result": result,
            "lowest": [meeting_audit.ITEMS[i] for i in result.lowest] if result else [],
            "held": meeting.status == Meeting.Status.HELD,
            "source": meeting_audit.SOURCE,
            "most": max(meeting_audit.SCORES) * len(meeting_audit.ITEMS),
        },
    )


@login_required
def forum_quality(request, pk: int):
    forum = get_object_or_404(FORUMS, pk=pk)  # the service decides and audits
    page = services.forum_quality(gate.context_for(request), forum)
    return render(request, "meetings/minutes/forum_quality.html", {"forum": forum, "page": page})


def _calendar_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def invitation(request, pk: int):
    meeting = get_object_or_404(MEETINGS, pk=pk)  # the service decides and audits
    link = request.build_absolute_uri(reverse("meetings:meeting", kwargs={"pk": meeting.pk}))
    body = services.invitation(gate.context_for(request), meeting, link=link)
    return _calendar_response(body, _file_name(meeting, "meeting.ics"))


@login_required
def calendar(request, pk: int):
    forum = get_object_or_404(FORUMS, pk=pk)  # the service decides and audits
    body = services.forum_calendar(
        gate.context_for(request),
        forum,
        link_for=lambda m: request.build_absolute_uri(reverse("meetings:meeting", kwargs={"pk": m.pk})),
    )
    return _calendar_response(body, f"{slugify(forum.name)}-meetings.ics")
