"""The form renderer writes a select exactly as Django's templates do (web/form_renderer.py)."""

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from safeguard.offenders.forms import NominalChangeForm
from safeguard.web.form_renderer import SelectFirst

DJANGO = DjangoTemplates()
OURS = SelectFirst()

CHOICES = [
    ("", ""),
    ("1", "Category 1"),
    (2, 'Names & "quotes" <b>bold</b> it\'s'),
    ("x<y", gettext_lazy("Lazy label")),
    ("safe", mark_safe("<em>kept as given</em>")),
]
GROUPED = [
    ("", "Choose"),
    ("North & east", [("n1", "Northtown"), ("n2", "Eastmere <new>")]),
    ("South", [("s1", "Southvale")]),
]

WIDGETS = [
    ("plain", forms.Select(choices=CHOICES), "1"),
    ("nothing chosen", forms.Select(choices=CHOICES), None),
    ("a number chosen", forms.Select(choices=CHOICES), 2),
    ("attributes", forms.Select(attrs={"class": "govuk-select", "required": True, "disabled": False, "data-n": 0},
                                choices=CHOICES), "x<y"),
    ("groups", forms.Select(choices=GROUPED), "n2"),
    ("several", forms.SelectMultiple(choices=CHOICES), ["1", "safe"]),
    ("yes or no", forms.NullBooleanSelect(), True),
    ("no choices", forms.Select(choices=[]), None),
]  # fmt: skip


@pytest.mark.parametrize(("case", "widget", "value"), WIDGETS, ids=[w[0] for w in WIDGETS])
def test_a_select_is_written_as_djangos_templates_write_it(case, widget, value):
    attrs = {"id": "id_field", "aria-describedby": "id_field-hint"}
    assert widget.render("field", value, attrs, renderer=OURS) == widget.render("field", value, attrs, renderer=DJANGO)


def test_other_widgets_go_to_djangos_templates():
    for widget, value in ((forms.TextInput(), "a & b"), (forms.RadioSelect(choices=CHOICES), "1")):
        assert widget.render("f", value, renderer=OURS) == widget.render("f", value, renderer=DJANGO)


def test_a_nominals_change_form_is_the_same_page(world):
    nominal = world.nominals.mine
    area = nominal.local_area.parent_id or nominal.local_area_id
    form = NominalChangeForm(instance=nominal, mappa_area_id=area, initial={"version": nominal.version})
    selects = [name for name, field in form.fields.items() if isinstance(field.widget, forms.Select)]
    assert "offender_manager" in selects and "lead_agency" in selects
    assert isinstance(form.renderer, SelectFirst)  # the setting's renderer, as every form has it
    for name in form.fields:
        form.renderer = DJANGO
        theirs = form[name].as_widget()
        form.renderer = OURS
        assert form[name].as_widget() == theirs, name
    assert world.users.om.get_full_name() in str(form["offender_manager"])


def test_the_setting_names_it():
    assert settings.FORM_RENDERER == "safeguard.web.form_renderer.SelectFirst"
