"""CPD for chairs and standing panel members: the area's events, a new event, and one event's attendance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.web import pages
from safeguard.workforce.models import Area, Staff
from safeguard.workforce.policies import may_manage_places

from ..forms import AttendanceForm, CpdEventForm
from ..models import CpdEvent
from ..services import cpd as services

EVENTS = CpdEvent.objects.select_related("course", "area")


def _in_area(user) -> Staff:
    """The user's MAPPA area, if they run its CPD (a refusal is the 404)."""
    if not may_manage_places(user, user.mappa_area_id):
        raise Http404
    return user


def _to_event(event: CpdEvent) -> str:
    return reverse("pathways:cpd-event", kwargs={"pk": event.pk})


@login_required
def events(request):
    _in_area(request.user)
    listed = list(gate.scoped(request.user, EVENTS.all())[:100])
    gate.audit_list(gate.context_for(request), Operation.VIEW, CpdEvent, [e.pk for e in listed], {"page": "cpd"})
    area = Area.objects.filter(pk=request.user.mappa_area_id).first()
    return render(request, "pathways/cpd_events.html", {"events": listed, "area": area})


@login_required
def new_event(request):
    _in_area(request.user)
    return pages.form_page(
        request,
        CpdEventForm(pages.posted(request)),
        pages.submits(
            services.record_event,
            fields=("course", "title", "audience", "held_on", "hours", "delivered_by", "counts_in_competence"),
        ),
        done="The CPD event has been recorded. Record who attended once it has been held.",
        then=_to_event,
        template="pathways/cpd_new.html",
    )


def _area_staff(event: CpdEvent):
    return (
        Staff.objects.filter(is_active=True, agency__area_id=event.area_id)
        .exclude(roles=[])
        .exclude(cpd_attendance__event=event)
        .order_by("last_name", "first_name")
    )


@login_required
def event(request, pk: int):
    record = pages.gated(request, EVENTS, pk, Operation.VIEW if request.method == "GET" else Operation.CHANGE)
    form = AttendanceForm(pages.posted(request), staff=_area_staff(record))
    return pages.form_page(
        request,
        form,
        lambda ctx, f: services.record_attendance(ctx, record, staff=f.cleaned_data["staff"]),
        done=lambda a: f"{a.staff.get_full_name() or a.staff.username} attended.",
        then=_to_event(record),
        template="pathways/cpd_event.html",
        context={
            "event": record,
            "attendance": record.attendance.select_related("staff").order_by("staff__last_name"),
            "held": record.held_on <= timezone.localdate(),
        },
    )
