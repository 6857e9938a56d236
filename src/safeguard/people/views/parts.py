"""The parts of a person's record: other names, addresses, warning markers, relationships, legal holds.

Each page is the one form page of the page layer: the part form template, back to the person.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.web import pages

from .. import services
from ..forms import (
    AddressForm,
    AliasForm,
    EndAddressForm,
    EndRelationshipForm,
    FindPersonForm,
    LegalHoldForm,
    LiftLegalHoldForm,
    RelationshipChangeForm,
    RelationshipForm,
    RemoveWarningMarkerForm,
    WarningMarkerChangeForm,
    WarningMarkerForm,
)
from ..models import Address, Alias, LegalHold, Person, Relationship, WarningMarker
from .record import PEOPLE, person_url

PART_FORM = "people/part_form.html"
RELATIONSHIP_FORM = "people/relationship_change_form.html"


# What may be added to a person: the form, the new part, the service, and the page's words.
ADDITIONS = {
    "alias": (
        AliasForm,
        lambda person, user: Alias(person=person),
        services.add_alias,
        {"title": "Add another name", "button": "Save name", "done": "The name has been added."},
    ),
    "address": (
        AddressForm,
        lambda person, user: Address(person=person),
        services.add_address,
        {"title": "Add an address", "button": "Save address", "done": "The address has been added."},
    ),
    "marker": (
        WarningMarkerForm,
        lambda person, user: WarningMarker(person=person),
        services.add_warning_marker,
        {
            "title": "Add a warning marker",
            "button": "Save warning marker",
            "done": "The warning marker has been added.",
        },
    ),
    "legal-hold": (
        LegalHoldForm,
        lambda person, user: LegalHold(person=person, placed_by=user),
        services.place_legal_hold,
        {
            "title": "Place a legal hold",
            "button": "Place the legal hold",
            "done": "The legal hold is in force: these records will not be disposed of until it is lifted.",
            "lead": "A legal hold stops the disposal of this person's records, whatever the retention schedule says.",
        },
    ),
}


@login_required
def add_part(request, pk: int, part: str):
    """Add a part to the person (``part`` from the URL table): the user must be allowed to change the person."""
    record = pages.gated(request, PEOPLE, pk, Operation.CHANGE)
    form_class, new, save, words = ADDITIONS[part]
    return pages.form_page(
        request,
        form_class(pages.posted(request), instance=new(record, request.user)),
        pages.saves(save),
        done=words["done"],
        then=person_url(record),
        template=PART_FORM,
        context={**words},
        shows={"person": record},
        page=words["title"],
    )


# Whose part a part is: a relationship is a person's whichever side of it they are on.
SIDES = {Relationship: ("person", "other")}


# What may be changed on a person: the part, the form, the service, the template, and the page's words.
CHANGES = {
    "alias": (
        Alias,
        AliasForm,
        services.change_alias,
        PART_FORM,
        {"title": "Change another name", "button": "Save changes", "done": "The name has been changed."},
    ),
    "marker": (
        WarningMarker,
        WarningMarkerChangeForm,
        services.change_warning_marker,
        PART_FORM,
        {
            "title": "Change the warning marker: {part}",
            "button": "Save changes",
            "done": "The warning marker has been changed.",
        },
    ),
    "relationship": (
        Relationship,
        RelationshipChangeForm,
        services.change_relationship,
        RELATIONSHIP_FORM,
        {"title": "Change a relationship", "button": "Save changes", "done": "The relationship has been changed."},
    ),
    "relationship-end": (
        Relationship,
        EndRelationshipForm,
        services.end_relationship,
        RELATIONSHIP_FORM,
        {"title": "When did the relationship end?", "button": "Save", "done": "The relationship has been ended."},
    ),
}


@login_required
def change_part(request, pk: int, part: str, **part_pk: int):
    """Change a part of the person (``part`` from the URL table, its id the URL's one other number); the gate
    decides on the part itself."""
    model, form_class, save, template, words = CHANGES[part]
    (found_pk,) = part_pk.values()
    parts = pages.belonging_to(model, pk, SIDES.get(model, ("person",)))
    found = pages.gated(request, parts, found_pk, Operation.CHANGE)
    record = found.person if model is not Relationship or found.person_id == pk else found.other
    title = words["title"].format(part=found.get_code_display() if model is WarningMarker else "")
    return pages.form_page(
        request,
        form_class(pages.posted(request), instance=found),
        pages.saves(save, fields=("reason",)),
        done=words["done"],
        then=person_url(record),
        template=template,
        context={"person": record, **words, "title": title},
        shows={"relationship": found},
        page=title,
        detail={"person": record.pk},
    )


@login_required
def lift_legal_hold(request, pk: int):
    hold = pages.gated(request, LegalHold.objects.select_related("person").filter(lifted_on=None), pk, Operation.CHANGE)
    hold.lifted_on, hold.lifted_by = timezone.localdate(), request.user
    title = "Lift the legal hold"
    return pages.form_page(
        request,
        LiftLegalHoldForm(pages.posted(request), instance=hold),
        pages.saves(services.lift_legal_hold, fields=("reason",)),
        done="The legal hold has been lifted.",
        then=person_url(hold.person),
        template=PART_FORM,
        context={"person": hold.person, "title": title, "button": "Lift the legal hold"},
        shows=hold,
        page=title,
        detail={"person": hold.person_id},
    )


@login_required
def remove_marker(request, pk: int, marker_pk: int):
    marker = pages.gated(request, pages.belonging_to(WarningMarker, pk), marker_pk, Operation.CHANGE)
    title = f"Remove the warning marker: {marker.get_code_display()}"
    return pages.form_page(
        request,
        RemoveWarningMarkerForm(pages.posted(request)),
        pages.submits(services.remove_warning_marker, marker, fields=("reason",)),
        done=f"The warning marker {marker.get_code_display()} has been removed.",
        then=person_url(marker.person),
        template=PART_FORM,
        context={
            "person": marker.person,
            "title": title,
            "button": "Remove warning marker",
            "lead": "It will no longer show on the record. Its history, and yours as who removed it, are kept.",
            "warning": True,
        },
        shows=marker,
        page=title,
        detail={"person": marker.person_id},
    )


@login_required
def end_address(request, pk: int, address_pk: int):
    record = pages.gated(request, PEOPLE, pk, Operation.CHANGE)
    address = pages.gated(request, Address.objects.filter(person=record), address_pk, Operation.CHANGE)
    return pages.form_page(
        request,
        EndAddressForm(pages.posted(request), instance=address),
        pages.saves(services.end_address),
        done="The address has been ended.",
        then=person_url(record),
        template=PART_FORM,
        context={"title": "When did they leave this address?", "button": "Save", "lead": address},
        shows={"person": record},
        page="end address",
    )


@login_required
def add_relationship(request, pk: int):
    """Find the other person, then save the relationship: two submissions of one page."""
    record = pages.gated(request, PEOPLE, pk, Operation.CHANGE)
    ctx = gate.context_for(request)
    action = request.POST.get("action") if request.method == "POST" else None
    find = FindPersonForm(request.POST if action == "find" else None)
    found = find.search(ctx, exclude={record.pk}) if action == "find" and find.is_valid() else None
    saving = action == "save"
    picked = request.POST.get("other") if saving else request.GET.get("other")
    other = pages.chosen(request, Person.objects.all(), picked, "add relationship")
    form = RelationshipForm(
        request.POST if saving else None,
        instance=Relationship(person=record),
        visible_people=gate.scoped(request.user, Person.objects.all()),
        initial={"other": other.pk if other else None},
    )
    return pages.form_page(
        request,
        form,
        pages.saves(services.add_relationship),
        done=lambda _: f"The relationship with {form.instance.other.full_name} has been added.",
        then=person_url(record),
        show=lambda form: render(
            request,
            "people/relationship_form.html",
            {"person": record, "find": find, "found": found, "other": other, "form": form},
        ),
        shows=record,
        page="add relationship",
        submitted=saving,
    )
