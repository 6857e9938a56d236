"""Event pages: record and change a conviction, record an incident with its people, the incident, its changes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.people.forms import FindPersonForm
from safeguard.people.models import Person
from safeguard.web import pages

from . import services
from .forms import (
    ConvictionForm,
    IncidentDetailsForm,
    IncidentForm,
    IncidentPersonForm,
    NotificationForm,
    local_areas_of,
)
from .models import Conviction, Incident, IncidentPerson, Notification

MAX_PEOPLE = 20


PEOPLE = Person.objects.select_related("area")
INCIDENTS = Incident.objects.select_related("local_area", "offence", "recorded_by")


def _to_person(person: Person) -> str:
    return reverse("people:person", kwargs={"pk": person.pk})


def _to_incident(incident: Incident) -> str:
    return reverse("events:incident", kwargs={"pk": incident.pk})


@login_required
def record_conviction(request, person_pk: int):
    person = pages.gated(request, PEOPLE, person_pk, Operation.CHANGE)
    form = ConvictionForm(pages.posted(request), instance=Conviction(person=person))
    return pages.form_page(
        request,
        form,
        pages.saves(services.record_conviction),
        done=lambda _: f"The {form.instance.get_kind_display().lower()} has been recorded.",
        then=_to_person(person),
        template="events/conviction_form.html",
        shows={"person": person},
        page="record conviction",
    )


@login_required
def record_notification(request, person_pk: int):
    """A notification made at a police station (SOA 2003 ss.83-86); the next one due is worked out again."""
    person = pages.gated(request, PEOPLE, person_pk, Operation.CHANGE)
    return pages.form_page(
        request,
        NotificationForm(pages.posted(request), instance=Notification(person=person, recorded_by=request.user)),
        pages.saves(services.record_notification),
        done="The notification has been recorded and the next one due worked out.",
        then=_to_person(person),
        template="events/notification_form.html",
        shows={"person": person},
        page="record notification",
    )


def _with_people(people: list[Person]) -> str:
    return urlencode([("person", p.pk) for p in people])


@login_required
def record_incident(request):
    ctx = gate.context_for(request)
    area = local_areas_of(request.user).first()
    if area is None:
        raise Http404
    gate.check(ctx, Operation.CREATE, Incident(local_area=area))
    action = request.POST.get("action") if request.method == "POST" else None
    saving = action == "save"
    picked = request.POST.getlist("person") if saving else request.GET.getlist("person")
    people = pages.chosen_all(request, Person.objects.all(), picked, "record incident", most=MAX_PEOPLE)
    find = FindPersonForm(request.POST if action == "find" else None)
    found = None
    if action == "find" and find.is_valid():
        found = find.search(ctx, exclude={p.pk for p in people})
    form = IncidentForm(
        request.POST if saving else None,
        instance=Incident(recorded_by=request.user.agency),
        user=request.user,
        people=people,
    )
    query = _with_people(people)
    return pages.form_page(
        request,
        form,
        lambda ctx, form: services.record_incident(ctx, form.instance, form.people_with_roles()),
        done=lambda incident: f"Incident {incident.reference} has been recorded.",
        then=lambda _: _to_person(people[0]),
        template="events/incident_form.html",
        context={
            "find": find,
            "found": found,
            "people": [{"person": p, "remove": _with_people([q for q in people if q != p])} for p in people],
            "choose_base": f"?{query}&" if query else "?",
        },
        submitted=saving,
    )


@login_required
def incident(request, pk: int):
    record = pages.gated(request, INCIDENTS, pk)
    ctx = gate.context_for(request)
    links = list(record.people.select_related("person").order_by("role", "person__family_name"))
    ids = {link.person_id for link in links}
    visible = set(gate.scoped(request.user, Person.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    if visible:
        gate.audit_list(ctx, Operation.VIEW, Person, sorted(visible), {"page": "incident", "incident": record.pk})
    rows = [
        {"role": link.get_role_display(), "person": link.person if link.person_id in visible else None}
        for link in links
    ]
    may_change = gate.decide(request.user, Operation.CHANGE, record).allowed
    return render(request, "events/incident.html", {"incident": record, "rows": rows, "may_change": may_change})


@login_required
def change_conviction(request, pk: int):
    record = pages.gated(request, Conviction.objects.select_related("person", "offence"), pk, Operation.CHANGE)
    form = ConvictionForm(pages.posted(request), instance=record, initial={"version": record.version})
    return pages.form_page(
        request,
        form,
        pages.saves(services.change_conviction, fields=("version",)),
        done=lambda _: f"The {form.instance.get_kind_display().lower()} has been changed.",
        then=_to_person(record.person),
        template="events/conviction_form.html",
        context={"person": record.person},
        shows={"conviction": record},
        page="change conviction",
    )


@login_required
def change_incident(request, pk: int):
    record = pages.gated(request, INCIDENTS, pk, Operation.CHANGE)
    form = IncidentDetailsForm(
        pages.posted(request), instance=record, user=request.user, initial={"version": record.version}
    )
    return pages.form_page(
        request,
        form,
        pages.saves(services.change_incident, fields=("version",)),
        done=lambda _: f"Incident {record.reference} has been changed.",
        then=_to_incident(record),
        template="events/incident_details_form.html",
        shows={"incident": record},
        page="change incident",
    )


def _ask_before_removing(request, ctx, record: Incident, link: IncidentPerson):
    """The "are you sure" page before a person is taken off an incident: what depends on them being there."""
    gate.authorise(ctx, Operation.VIEW, link.person, {"page": "remove from incident", "incident": record.pk})
    triage = getattr(record, "triage", None)  # its triage case, if the incident is on a triage
    return render(
        request,
        "events/remove_person_confirm.html",
        {"incident": record, "link": link, "person": link.person, "role": link.get_role_display(), "triage": triage},
    )


@login_required
def incident_people(request, pk: int):
    """The people in a recorded incident: add one with a role, or remove a person-role link (one must remain)."""
    record = pages.gated(request, INCIDENTS, pk, Operation.CHANGE)
    ctx = gate.context_for(request)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, record, {"page": "incident people"})
    action = request.POST.get("action") if request.method == "POST" else None
    links = list(record.people.select_related("person").order_by("role", "person__family_name"))
    find = FindPersonForm(request.POST if action == "find" else None)
    found = find.search(ctx) if action == "find" and find.is_valid() else None
    adding = action == "add"
    chosen = request.POST.get("person") if adding else request.GET.get("person")
    person = pages.chosen(request, Person.objects.all(), chosen, "incident people")
    form = None
    if person is not None:
        link = IncidentPerson(incident=record, person=person)
        form = IncidentPersonForm(request.POST if adding else None, instance=link, person=person)
    removal_error = None
    if action == "remove":
        links_here = IncidentPerson.objects.filter(incident=record)
        link = pages.gated(request, links_here, request.POST.get("link"), Operation.CHANGE)
        if request.POST.get("confirmed") != "yes" and links_here.count() > 1:
            return _ask_before_removing(request, ctx, record, link)
        try:
            services.remove_person_from_incident(ctx, link)
        except ValidationError as exc:
            removal_error = " ".join(exc.messages)
        else:
            messages.success(request, f"{link.person.full_name} has been removed from incident {record.reference}.")
            return redirect("events:incident", pk=record.pk)
    if adding and form is not None and form.is_valid():
        try:
            services.add_person_to_incident(ctx, form.instance)
        except ValidationError as exc:
            pages.put_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name} has been added to incident {record.reference}.")
            return redirect(_to_incident(record))
    ids = {link.person_id for link in links}
    visible = set(gate.scoped(request.user, Person.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    if visible:
        gate.audit_list(ctx, Operation.VIEW, Person, sorted(visible), {"page": "incident people", "incident": pk})
    rows = [
        {"link": link, "role": link.get_role_display(), "person": link.person if link.person_id in visible else None}
        for link in links
    ]
    context = {
        "incident": record,
        "rows": rows,
        "may_remove": len(links) > 1,
        "removal_error": removal_error,
        "find": find,
        "found": found,
        "person": person,
        "form": form,
    }
    return render(request, "events/incident_people.html", context)
