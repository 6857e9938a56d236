"""Person pages: the record, its creation and change, the parts added to it, and its history.

Thin views: parse, authorise, call a service, render. Every read of a person
passes the gate (and is audited); every change goes through people.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.access import gate
from safeguard.assessments import services as assessment_services
from safeguard.audit.models import Operation
from safeguard.events import notification_checks
from safeguard.events.models import Conviction, IncidentPerson
from safeguard.offenders.models import Nominal
from safeguard.workforce.models import Area

from .. import retention, services
from ..forms import (
    AddressForm,
    AliasForm,
    EndAddressForm,
    EndRelationshipForm,
    FindPersonForm,
    LegalHoldForm,
    LiftLegalHoldForm,
    PersonForm,
    RelationshipChangeForm,
    RelationshipForm,
    RemoveWarningMarkerForm,
    WarningMarkerChangeForm,
    WarningMarkerForm,
)
from ..models import Address, Alias, LegalHold, Person, Relationship, WarningMarker
from .history import person_changes
from .relations import relationship_rows


def _person(pk: int) -> Person:
    return get_object_or_404(Person.objects.select_related("area"), pk=pk)


def _changing(request, person: Person, page: str) -> gate.AccessContext:
    """Refuse (404) unless the user may change this person; audit the view of the form."""
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, person)
    gate.authorise(ctx, Operation.VIEW, person, {"page": page})
    return ctx


def _changing_part(request, record: Person, part, page: str) -> gate.AccessContext:
    """Refuse (404) unless the user may change this part of the person's record; audit the view of the form."""
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, part)
    gate.authorise(ctx, Operation.VIEW, part, {"page": page, "person": record.pk})
    return ctx


def _timeline(person: Person) -> list[dict]:
    """Incidents (with this person's roles) and convictions, newest first."""
    rows: dict[int, dict] = {}
    links = IncidentPerson.objects.filter(person=person).select_related("incident__offence", "incident__local_area")
    for link in links:
        row = rows.setdefault(
            link.incident_id,
            {
                "kind": "incident",
                "day": timezone.localtime(link.incident.occurred_at).date(),
                "incident": link.incident,
                "roles": [],
            },
        )
        row["roles"].append(link.get_role_display())
    convictions = Conviction.objects.filter(person=person).select_related("offence")
    items = list(rows.values()) + [{"kind": "conviction", "day": c.relevant_date, "conviction": c} for c in convictions]
    items.sort(key=lambda item: item["day"], reverse=True)
    return items


@login_required
def person(request, pk: int):
    record = _person(pk)
    gate.authorise(gate.context_for(request), Operation.VIEW, record)
    user = request.user
    today = timezone.localdate()
    addresses = sorted(record.addresses.all(), key=lambda a: (not a.is_current, -a.from_date.toordinal()))
    context = {
        "person": record,
        "age": record.age_on(today),
        "aliases": record.aliases.all(),
        "addresses": addresses,
        "markers": record.warning_markers.all(),
        "relationships": relationship_rows(user, record),
        "nominals": gate.scoped(user, Nominal.objects.filter(person=record)).select_related("offender_manager"),
        "timeline": _timeline(record),
        "may_change": gate.decide(user, Operation.CHANGE, record).allowed,
        "assessments": assessment_services.assessments_of(record),
        "assess_links": assessment_services.assessment_links(user, record),
        "notifications": [(n, notification_checks.timeliness(n)) for n in record.notifications.all()[:10]],
        "retention": retention.schedule_for(record),
        "holds": record.legal_holds.select_related("placed_by").all(),
        "identifiers": [
            (Person._meta.get_field(name).verbose_name, getattr(record, name))
            for name in Person.IDENTIFIER_FIELDS
            if getattr(record, name)
        ],
    }
    return render(request, "people/person.html", context)


@login_required
def create(request):
    area = get_object_or_404(Area, pk=request.user.mappa_area_id, kind=Area.Kind.MAPPA)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CREATE, Person(area=area))
    form = PersonForm(request.POST if request.method == "POST" else None, instance=Person(area=area))
    if request.method == "POST" and form.is_valid():
        try:
            record = services.create_person(ctx, form.instance)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"{record.full_name} has been added.")
            return redirect("people:person", pk=record.pk)
    return render(request, "people/person_form.html", {"form": form, "area": area})


@login_required
def edit(request, pk: int):
    record = _person(pk)
    ctx = _changing(request, record, "edit")
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        instance=record,
        editing=True,
        initial={"version": record.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_person(
                ctx,
                form.instance,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"{record.full_name}'s details have been changed.")
            return redirect("people:person", pk=record.pk)
    return render(request, "people/person_form.html", {"form": form, "person": record})


def _add_part(request, pk: int, *, form_class, instance, save, page: dict):
    """The shape every 'add something to this person' page shares."""
    record = _person(pk)
    ctx = _changing(request, record, page["title"])
    form = form_class(request.POST if request.method == "POST" else None, instance=instance(record))
    if request.method == "POST" and form.is_valid():
        try:
            save(ctx, form.instance)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, page["done"])
            return redirect("people:person", pk=record.pk)
    return render(request, "people/part_form.html", {"form": form, "person": record, **page})


@login_required
def add_alias(request, pk: int):
    return _add_part(
        request,
        pk,
        form_class=AliasForm,
        instance=lambda p: Alias(person=p),
        save=services.add_alias,
        page={"title": "Add another name", "button": "Save name", "done": "The name has been added."},
    )


@login_required
def add_address(request, pk: int):
    return _add_part(
        request,
        pk,
        form_class=AddressForm,
        instance=lambda p: Address(person=p),
        save=services.add_address,
        page={"title": "Add an address", "button": "Save address", "done": "The address has been added."},
    )


@login_required
def add_marker(request, pk: int):
    return _add_part(
        request,
        pk,
        form_class=WarningMarkerForm,
        instance=lambda p: WarningMarker(person=p),
        save=services.add_warning_marker,
        page={
            "title": "Add a warning marker",
            "button": "Save warning marker",
            "done": "The warning marker has been added.",
        },
    )


def _change_part(request, record: Person, part, *, form_class, save, page: dict, template="people/part_form.html"):
    """The shape every 'change something on this person' page shares."""
    ctx = _changing_part(request, record, part, page["title"])
    form = form_class(request.POST if request.method == "POST" else None, instance=part)
    if request.method == "POST" and form.is_valid():
        try:
            if "reason" in form.fields:
                save(ctx, form.instance, reason=form.cleaned_data["reason"])
            else:
                save(ctx, form.instance)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, page["done"])
            return redirect("people:person", pk=record.pk)
    return render(request, template, {"form": form, "person": record, **page})


@login_required
def change_alias(request, pk: int, alias_pk: int):
    record = _person(pk)
    alias = get_object_or_404(Alias, pk=alias_pk, person=record)
    return _change_part(
        request,
        record,
        alias,
        form_class=AliasForm,
        save=services.change_alias,
        page={"title": "Change another name", "button": "Save changes", "done": "The name has been changed."},
    )


@login_required
def change_marker(request, pk: int, marker_pk: int):
    record = _person(pk)
    marker = get_object_or_404(WarningMarker, pk=marker_pk, person=record)
    return _change_part(
        request,
        record,
        marker,
        form_class=WarningMarkerChangeForm,
        save=services.change_warning_marker,
        page={
            "title": f"Change the warning marker: {marker.get_code_display()}",
            "button": "Save changes",
            "done": "The warning marker has been changed.",
        },
    )


@login_required
def remove_marker(request, pk: int, marker_pk: int):
    record = _person(pk)
    marker = get_object_or_404(WarningMarker, pk=marker_pk, person=record)
    title = f"Remove the warning marker: {marker.get_code_display()}"
    ctx = _changing_part(request, record, marker, title)
    form = RemoveWarningMarkerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_warning_marker(ctx, marker, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"The warning marker {marker.get_code_display()} has been removed.")
            return redirect("people:person", pk=record.pk)
    lead = "It will no longer show on the record. Its history, and yours as who removed it, are kept."
    return render(
        request,
        "people/part_form.html",
        {
            "form": form,
            "person": record,
            "title": title,
            "button": "Remove warning marker",
            "lead": lead,
            "warning": True,
        },
    )


@login_required
def end_address(request, pk: int, address_pk: int):
    record = _person(pk)
    address = get_object_or_404(Address, pk=address_pk, person=record)
    ctx = _changing(request, record, "end address")
    form = EndAddressForm(request.POST if request.method == "POST" else None, instance=address)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_address(ctx, form.instance)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The address has been ended.")
            return redirect("people:person", pk=record.pk)
    return render(
        request,
        "people/part_form.html",
        {
            "form": form,
            "person": record,
            "title": "When did they leave this address?",
            "button": "Save",
            "lead": str(address),
        },
    )


def chosen_person(ctx: gate.AccessContext, value, page: str) -> Person | None:
    """A person picked from search results by id: audited as a view, refused (404) if not visible."""
    if not str(value or "").isdigit():
        return None
    other = get_object_or_404(Person, pk=int(value))
    gate.authorise(ctx, Operation.VIEW, other, {"page": page})
    return other


@login_required
def add_relationship(request, pk: int):
    record = _person(pk)
    ctx = _changing(request, record, "add relationship")
    action = request.POST.get("action") if request.method == "POST" else None
    find = FindPersonForm(request.POST if action == "find" else None)
    found = find.search(ctx, exclude={record.pk}) if action == "find" and find.is_valid() else None
    saving = action == "save"
    other = chosen_person(ctx, request.POST.get("other") if saving else request.GET.get("other"), "add relationship")
    form = RelationshipForm(
        request.POST if saving else None,
        instance=Relationship(person=record),
        visible_people=gate.scoped(request.user, Person.objects.all()),
        initial={"other": other.pk if other else None},
    )
    if saving and form.is_valid():
        try:
            services.add_relationship(ctx, form.instance)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"The relationship with {form.instance.other.full_name} has been added.")
            return redirect("people:person", pk=record.pk)
    return render(
        request,
        "people/relationship_form.html",
        {"person": record, "find": find, "found": found, "other": other, "form": form},
    )


def _relationship(record: Person, relationship_pk: int) -> Relationship:
    """A relationship of this person, whichever side of it they are on."""
    return get_object_or_404(
        Relationship.objects.select_related("person", "other").filter(Q(person=record) | Q(other=record)),
        pk=relationship_pk,
    )


@login_required
def change_relationship(request, pk: int, relationship_pk: int):
    record = _person(pk)
    relationship = _relationship(record, relationship_pk)
    return _change_part(
        request,
        record,
        relationship,
        form_class=RelationshipChangeForm,
        save=services.change_relationship,
        page={
            "title": "Change a relationship",
            "button": "Save changes",
            "done": "The relationship has been changed.",
            "relationship": relationship,
        },
        template="people/relationship_change_form.html",
    )


@login_required
def end_relationship(request, pk: int, relationship_pk: int):
    record = _person(pk)
    relationship = _relationship(record, relationship_pk)
    return _change_part(
        request,
        record,
        relationship,
        form_class=EndRelationshipForm,
        save=services.end_relationship,
        page={
            "title": "When did the relationship end?",
            "button": "Save",
            "done": "The relationship has been ended.",
            "relationship": relationship,
        },
        template="people/relationship_change_form.html",
    )


@login_required
def history(request, pk: int):
    record = _person(pk)
    gate.authorise(gate.context_for(request), Operation.VIEW, record, {"page": "history"})
    return render(request, "people/history.html", {"person": record, "changes": person_changes(request.user, record)})


@login_required
def place_legal_hold(request, pk: int):
    return _add_part(
        request,
        pk,
        form_class=LegalHoldForm,
        instance=lambda p: LegalHold(person=p, placed_by=request.user),
        save=services.place_legal_hold,
        page={
            "title": "Place a legal hold",
            "button": "Place the legal hold",
            "done": "The legal hold is in force: these records will not be disposed of until it is lifted.",
            "lead": "A legal hold stops the disposal of this person's records, whatever the retention schedule says.",
        },
    )


@login_required
def lift_legal_hold(request, pk: int):
    hold = get_object_or_404(LegalHold.objects.select_related("person"), pk=pk, lifted_on=None)
    record = hold.person
    hold.lifted_on, hold.lifted_by = timezone.localdate(), request.user
    return _change_part(
        request,
        record,
        hold,
        form_class=LiftLegalHoldForm,
        save=services.lift_legal_hold,
        page={
            "title": "Lift the legal hold",
            "button": "Lift the legal hold",
            "done": "The legal hold has been lifted.",
        },
    )
