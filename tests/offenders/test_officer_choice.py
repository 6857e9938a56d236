"""The offender manager chosen on a nominal's forms: offered from four columns (offenders/forms.py), the same
select as Django's model choice field would write, and checked against the same query when submitted."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from safeguard.demo import factories as f
from safeguard.offenders.forms import NominalChangeForm, NominalOpenForm
from safeguard.offenders.models import Nominal
from safeguard.offenders.services import offender_managers_in
from safeguard.web.form_renderer import SelectFirst
from safeguard.workforce.models import Role

DJANGO = DjangoTemplates()


def _djangos(form, area_id, value) -> str:
    """The select Django's own model choice field and widget write, with Django's templates."""
    field = forms.ModelChoiceField(queryset=offender_managers_in(area_id), required=False, empty_label="Not allocated")
    widget = forms.Select(attrs=form.fields["offender_manager"].widget.attrs)
    widget.choices = field.choices
    return widget.render("offender_manager", value, {"id": "id_offender_manager"}, renderer=DJANGO)


@pytest.mark.parametrize("allocated", [True, False])
def test_the_officers_select_is_the_one_django_writes(world, allocated):
    area = world.home["mappa"].pk
    f.staff("obrien", world.police, [Role.OFFENDER_MANAGER], first="Siobhán", last="O'Brien & <Sons>")
    f.staff("nameless", world.police, [Role.OFFENDER_MANAGER], first="", last="")
    nominal = world.nominals.mine
    if not allocated:
        Nominal.objects.filter(pk=nominal.pk).update(offender_manager=None)
        nominal.refresh_from_db()
    form = NominalChangeForm(instance=nominal, mappa_area_id=area, initial={"version": nominal.version})
    value = form["offender_manager"].value()
    theirs = _djangos(form, area, value)
    widget = form.fields["offender_manager"].widget
    for renderer in (DJANGO, SelectFirst()):
        assert widget.render("offender_manager", value, {"id": "id_offender_manager"}, renderer=renderer) == theirs
    assert "O&#x27;Brien &amp; &lt;Sons&gt;" in theirs and ">nameless</option>" in theirs
    assert ("selected>Olivia Mercer<" in theirs) is allocated
    assert f'value="{world.users.away_om.pk}"' not in theirs and f'value="{world.users.inactive.pk}"' not in theirs


def test_an_officer_outside_the_area_is_refused_when_submitted(world):
    nominal = world.nominals.mine
    area = world.home["mappa"].pk
    data = {"offender_manager": str(world.users.away_om.pk), "version": str(nominal.version)}
    for form in (
        NominalChangeForm(data, instance=nominal, mappa_area_id=area),
        NominalOpenForm(data, instance=Nominal(person=nominal.person), mappa_area_id=area),
    ):
        assert not form.is_valid()
        assert "offender_manager" in form.errors
    chosen = NominalChangeForm({"offender_manager": str(world.users.om2.pk)}, instance=nominal, mappa_area_id=area)
    chosen.is_valid()
    assert "offender_manager" not in chosen.errors and chosen.cleaned_data["offender_manager"] == world.users.om2
