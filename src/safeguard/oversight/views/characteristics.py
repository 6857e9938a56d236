"""A person's protected characteristics, as the SafeLives return asks: recorded by those who may change the
person, with "not known" and "prefer not to say"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from safeguard.audit.models import Operation
from safeguard.people.models import Person
from safeguard.web import pages

from ..forms import CharacteristicsForm
from ..models import ProtectedCharacteristics
from ..services.characteristics import record_characteristics


@login_required
def characteristics(request, pk: int):
    person = pages.gated(request, Person.objects.all(), pk, Operation.CHANGE)
    existing = ProtectedCharacteristics.objects.filter(person=person).first()
    record = existing or ProtectedCharacteristics(person=person)
    form = CharacteristicsForm(pages.posted(request), instance=record)
    return pages.form_page(
        request,
        form,
        lambda ctx, form: record_characteristics(ctx, form.instance, form.cleaned_data.get("version")),
        done="The protected characteristics have been recorded.",
        then=reverse("people:person", kwargs={"pk": person.pk}),
        template="oversight/characteristics.html",
        context={"person": person},
        shows=person,
        page="protected characteristics",
    )
