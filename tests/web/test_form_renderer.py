"""The form renderer writes a select, an input, a textarea as Django's templates do (web/form_renderer.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from safeguard.offenders.forms import NominalChangeForm
from safeguard.web.form_renderer import SelectFirst
from safeguard.web.forms import GovukDateWidget

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


INPUTS = [
    ("text", forms.TextInput(attrs={"class": "govuk-input", "spellcheck": False, "autofocus": True}), 'a & "b" <c>'),
    ("text, no value", forms.TextInput(), None),
    ("text, empty", forms.TextInput(), ""),
    ("text, safe value", forms.TextInput(), mark_safe("<em>kept</em>")),
    ("text, lazy value", forms.TextInput(), gettext_lazy("Lazy label")),
    ("number", forms.NumberInput(attrs={"min": 0, "step": "any"}), 0),
    ("number, decimal", forms.NumberInput(), Decimal("1.50")),
    ("hidden", forms.HiddenInput(), 7),
    ("password", forms.PasswordInput(), "not shown"),
    ("password, shown", forms.PasswordInput(render_value=True), "shown & kept"),
    ("email", forms.EmailInput(), "a@example.org"),
    ("date", forms.DateInput(), dt.date(2026, 12, 7)),
    ("datetime", forms.DateTimeInput(), dt.datetime(2026, 12, 7, 14, 30)),
    ("time", forms.TimeInput(), dt.time(14, 30)),
    ("search", forms.SearchInput(), "x"),
    ("tel", forms.TelInput(), "0123"),
    ("url", forms.URLInput(), "https://example.org/?a=1&b=2"),
    ("textarea", forms.Textarea(attrs={"rows": 3}), "Line one\nline <two> & three"),
    ("textarea, empty", forms.Textarea(), ""),
    ("textarea, no value", forms.Textarea(), None),
]  # fmt: skip


@pytest.mark.parametrize(("case", "widget", "value"), INPUTS, ids=[w[0] for w in INPUTS])
def test_an_input_is_written_as_djangos_templates_write_it(case, widget, value):
    attrs = {"id": "id_field", "aria-describedby": "id_field-hint", "required": True, "disabled": False}
    assert widget.render("field", value, attrs, renderer=OURS) == widget.render("field", value, attrs, renderer=DJANGO)


# web/widgets/date.html as it was, each part by Django's include (the page's HTML must not change).
DATE_BEFORE = """<div class="govuk-date-input" id="{{ widget.attrs.id }}">{% with names="Day Month Year" %}
  {% for sub in widget.subwidgets %}
  <div class="govuk-date-input__item">
    <div class="govuk-form-group">
      <label class="govuk-label govuk-date-input__label" for="{{ sub.attrs.id }}">{% cycle "Day" "Month" "Year" %}</label>
      {% include sub.template_name with widget=sub %}
    </div>
  </div>
  {% endfor %}{% endwith %}
</div>
"""  # noqa: E501

DATES = [None, dt.date(2026, 2, 3), ["31", "x<y", ""], "2026-02-03"]


@pytest.mark.parametrize("value", DATES, ids=["none", "a date", "as typed", "one string"])
def test_the_date_input_is_written_as_before(value):
    widget = GovukDateWidget(attrs={"aria-describedby": "id_day-hint"})
    context = widget.get_context("day", value, {"id": "id_day"})
    before = DJANGO.engine.from_string(DATE_BEFORE).render(context).strip()
    assert widget.render("day", value, {"id": "id_day"}, renderer=OURS) == before
    assert widget.render("day", value, {"id": "id_day"}, renderer=DJANGO) == before


def test_a_part_drawn_by_another_template_is_included_as_before():
    widget = GovukDateWidget()
    widget.widgets[1] = forms.Select(choices=[("1", "January"), ("2", "February & <March>")])
    context = widget.get_context("day", ["3", "2", "2026"], {"id": "id_day"})
    before = DJANGO.engine.from_string(DATE_BEFORE).render(context).strip()
    assert widget.render("day", ["3", "2", "2026"], {"id": "id_day"}, renderer=OURS) == before
    assert "<select" in before
