"""Event pages: record and change a conviction, record an incident with its people, the incident, its changes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.people.forms import FindPersonForm
from safeguard.people.models import Person
from safeguard.people.views import chosen_person

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


@login_required
def record_conviction(request, person_pk: int):
    person = get_object_or_404(Person, pk=person_pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, person)
    gate.authorise(ctx, Operation.VIEW, person, {"page": "record conviction"})
    form = ConvictionForm(request.POST if request.method == "POST" else None, instance=Conviction(person=person))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_conviction(ctx, form.instance)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"The {form.instance.get_kind_display().lower()} has been recorded.")
            return redirect("people:person", pk=person.pk)
    return render(request, "events/conviction_form.html", {"form": form, "person": person})


@login_required
def record_notification(request, person_pk: int):
    """A notification made at a police station (SOA 2003 ss.83-86); the next one due is worked out again."""
    person = get_object_or_404(Person, pk=person_pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, person)
    gate.authorise(ctx, Operation.VIEW, person, {"page": "record notification"})
    form = NotificationForm(
        request.POST if request.method == "POST" else None,
        instance=Notification(person=person, recorded_by=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_notification(ctx, form.instance)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The notification has been recorded and the next one due worked out.")
            return redirect("people:person", pk=person.pk)
    return render(request, "events/notification_form.html", {"form": form, "person": person})


def _people(ctx, ids: list[str]) -> list[Person]:
    """The people chosen so far, each one audited as viewed; a person the user may not see is a 404."""
    people, seen = [], set()
    for value in ids[:MAX_PEOPLE]:
        person = chosen_person(ctx, value, "record incident")
        if person and person.pk not in seen:
            seen.add(person.pk)
            people.append(person)
    return people


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
    people = _people(ctx, request.POST.getlist("person") if saving else request.GET.getlist("person"))
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
    if saving and form.is_valid():
        try:
            incident = services.record_incident(ctx, form.instance, form.people_with_roles())
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"Incident {incident.reference} has been recorded.")
            return redirect("people:person", pk=people[0].pk)
    query = _with_people(people)
    context = {
        "form": form,
        "find": find,
        "found": found,
        "people": [{"person": p, "remove": _with_people([q for q in people if q != p])} for p in people],
        "choose_base": f"?{query}&" if query else "?",
    }
    return render(request, "events/incident_form.html", context)


@login_required
def incident(request, pk: int):
    record = get_object_or_404(Incident.objects.select_related("local_area", "offence", "recorded_by"), pk=pk)
    ctx = gate.context_for(request)
    gate.authorise(ctx, Operation.VIEW, record)
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


def _changing(request, record, page: str) -> gate.AccessContext:
    """Refuse (404) unless the user may change this record; audit the view of the form."""
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    gate.authorise(ctx, Operation.VIEW, record, {"page": page})
    return ctx


@login_required
def change_conviction(request, pk: int):
    record = get_object_or_404(Conviction.objects.select_related("person", "offence"), pk=pk)
    person = record.person
    ctx = _changing(request, record, "change conviction")
    form = ConvictionForm(
        request.POST if request.method == "POST" else None, instance=record, initial={"version": record.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_conviction(ctx, form.instance, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"The {form.instance.get_kind_display().lower()} has been changed.")
            return redirect("people:person", pk=person.pk)
    return render(request, "events/conviction_form.html", {"form": form, "person": person, "conviction": record})


def _incident(pk: int) -> Incident:
    return get_object_or_404(Incident.objects.select_related("local_area", "offence", "recorded_by"), pk=pk)


@login_required
def change_incident(request, pk: int):
    record = _incident(pk)
    ctx = _changing(request, record, "change incident")
    form = IncidentDetailsForm(
        request.POST if request.method == "POST" else None,
        instance=record,
        user=request.user,
        initial={"version": record.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_incident(ctx, form.instance, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"Incident {record.reference} has been changed.")
            return redirect("events:incident", pk=record.pk)
    return render(request, "events/incident_details_form.html", {"form": form, "incident": record})


@login_required
def incident_people(request, pk: int):
    """The people in a recorded incident: add one with a role, or remove a person-role link (one must remain)."""
    record = _incident(pk)
    ctx = _changing(request, record, "incident people")
    action = request.POST.get("action") if request.method == "POST" else None
    links = list(record.people.select_related("person").order_by("role", "person__family_name"))
    find = FindPersonForm(request.POST if action == "find" else None)
    found = find.search(ctx) if action == "find" and find.is_valid() else None
    adding = action == "add"
    person = chosen_person(ctx, request.POST.get("person") if adding else request.GET.get("person"), "incident people")
    form = None
    if person is not None:
        link = IncidentPerson(incident=record, person=person)
        form = IncidentPersonForm(request.POST if adding else None, instance=link, person=person)
    removal_error = None
    if action == "remove":
        link = get_object_or_404(IncidentPerson, pk=request.POST.get("link") or 0, incident=record)
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
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"{person.full_name} has been added to incident {record.reference}.")
            return redirect("events:incident", pk=record.pk)
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
