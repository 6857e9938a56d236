"""Peer observation of a meeting: the pair's form, one observation's page (shared with the chair by a button),
and a forum's themes across its observed meetings for the coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum, Meeting
from safeguard.rules import peer_observation as form_rule
from safeguard.web import pages
from safeguard.workforce.models import Staff

from ..forms import ObservationForm, VersionForm
from ..models import PeerObservation
from ..services import observations as services

MEETINGS = Meeting.objects.select_related("forum", "chair")
OBSERVATIONS = PeerObservation.objects.select_related(
    "meeting__forum", "meeting__chair", "first_observer", "second_observer", "recorded_by"
)


def _to_observation(observation: PeerObservation) -> str:
    return reverse("pathways:observation", kwargs={"pk": observation.pk})


def _observers(meeting: Meeting):
    """Staff of the forum's MAPPA area who hold a role, other than the meeting's chair."""
    return (
        Staff.objects.filter(is_active=True, agency__area_id=meeting.forum.area_id)
        .exclude(roles=[])
        .exclude(pk=meeting.chair_id)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


@login_required
def new_observation(request, pk: int):
    """Anyone who may see the meeting opens the form; the record is made only by an observer named on it or
    the forum's coordinator (the policy decides the save)."""
    meeting = pages.gated(request, MEETINGS, pk, Operation.VIEW, {"page": "peer observation"})
    form = ObservationForm(pages.posted(request), observers=_observers(meeting))

    def save(ctx, f):
        return services.record_observation(
            ctx,
            meeting,
            first_observer=f.cleaned_data["first_observer"],
            second_observer=f.cleaned_data["second_observer"],
            ratings=f.ratings(),
            strengths=f.cleaned_data["strengths"],
            development=f.cleaned_data["development"],
            themes=f.cleaned_data["themes"],
        )

    return pages.form_page(
        request,
        form,
        save,
        done="The peer observation has been recorded. Share it with the chair when the pair has agreed it.",
        then=_to_observation,
        template="pathways/observation_form.html",
        context={"meeting": meeting},
        rename={f"{item}": f"rating_{item}" for item in form_rule.ITEMS},
    )


@login_required
def observation(request, pk: int):
    record = pages.gated(request, OBSERVATIONS, pk)
    may_change = gate.decide(request.user, Operation.CHANGE, record).allowed
    rows = [
        {"label": label, "rating": form_rule.RATINGS.get(record.ratings.get(item, ""), "Not rated")}
        for item, label in form_rule.ITEMS.items()
    ]
    return render(
        request,
        "pathways/observation.html",
        {
            "observation": record,
            "rows": rows,
            "themes": [form_rule.THEMES[t] for t in record.themes if t in form_rule.THEMES],
            "may_change": may_change,
            "is_chair": record.meeting.chair_id == request.user.pk,
        },
    )


@login_required
@require_POST
def share(request, pk: int):
    record = pages.gated(request, OBSERVATIONS, pk, Operation.CHANGE)

    def back_with_errors(form):
        for error in form.non_field_errors() or ["Reload the page and try again."]:
            messages.error(request, error)
        return redirect(_to_observation(record))

    return pages.form_page(
        request,
        VersionForm(request.POST),
        pages.submits(services.share_with_chair, record, fields=("version",)),
        done="The observation has been shared with the chair: it is on their work.",
        then=_to_observation(record),
        show=back_with_errors,
    )


@login_required
def themes(request, pk: int):
    """The forum's coordinators: the themes raised across its observed meetings, most often first."""
    forum = pages.gated(request, Forum.objects.all(), pk, Operation.CHANGE)
    summary, seen = services.forum_themes(gate.context_for(request), forum)
    return render(request, "pathways/themes.html", {"forum": forum, "summary": summary, "observations": seen})
