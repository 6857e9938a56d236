"""Every form a person fills in, as GOV.UK forms ask: each required field says what to enter when it is left
empty (not Django's "This field is required."), radios never offer a blank answer ("Choose", "---------"), a
select's blank entry is not "---------", and "(optional)" is only ever on a field that is not required.

The forms are found by walking the package, so a new form is checked without being listed here; one that cannot
be made without arguments names them in ``ARGUMENTS`` (the test fails until it does)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from types import SimpleNamespace

import pytest
from django import forms
from django.template.loader import render_to_string

import safeguard
from safeguard.actions.models import Prompt
from safeguard.meetings.models import Forum
from safeguard.pathways.models import Programme
from safeguard.people.models import Person
from safeguard.rules.instruments import DEFINITIONS
from safeguard.web.forms import DJANGO_REQUIRED, GovukDateWidget, GovukFormMixin
from safeguard.workforce.models import Agency, Staff, Team

BLANK_WORDS = {"", "---------", "Choose"}


def _form_classes() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(safeguard.__path__, "safeguard."):
        if not (info.name.endswith(".forms") or ".forms." in info.name or info.name.endswith("_forms")):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and cls.__name__ not in ("GovukForm", "GovukModelForm")
                and not cls.__name__.startswith("_")
            ):
                found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def _definition(code: str) -> dict:
    return next(d for (c, _), d in DEFINITIONS.items() if c == code)


def _arguments(world) -> dict[str, list[dict]]:
    """The keyword arguments each form needs, by class name; a list gives each variant the pages make."""
    om = world.users.om
    people = [world.people.offender, world.people.victim]
    agencies = Agency.objects.filter(pk__in=[world.police.pk, world.housing.pk])
    scope = SimpleNamespace(area=world.home["mappa"], teams=tuple(Team.objects.all()), area_wide=False)
    return {
        "ArmsForm": [{"definition": _definition("arms")}],
        "AssessmentForm": [{"definition": _definition("arms")}],
        "DaraForm": [{"definition": _definition("dara")}],
        "DashForm": [{"definition": _definition("dash")}, {}],  # the assessment's, and the calculator's
        "Rm2000Form": [{"definition": _definition("rm2000")}, {}],
        "IncidentDetailsForm": [{"user": om}],
        "IncidentForm": [{"user": om, "people": people}],
        "IncidentPersonForm": [{"person": world.people.victim}],
        "SafeguardingReferralForm": [{"agencies": agencies}],
        "PasswordChangeForm": [{"user": om, "require_code": True}],
        "OverrideForm": [{"choices": [(om, {})]}],
        "StartBatchForm": [{"scope": scope, "user": om}],
        "PromptDecisionForm": [
            {"decisions": tuple(Prompt.Decision), "referral_fields": True, "needs_reason": True},
            {"decisions": tuple(Prompt.Decision)},
        ],
        "PlanForm": [{"mappa": True}, {"mappa": False}],
        "MaracReferralForm": [{"forums": Forum.objects.all(), "perpetrators": Person.objects.all()}],
        "TriageMaracReferralForm": [{"forums": Forum.objects.all(), "perpetrators": Person.objects.all()}],
        "MatacReferralForm": [{"forums": Forum.objects.all()}],
        "IomSelectionForm": [{"forums": Forum.objects.all()}],
        "ActionForm": [{"mappa": True}, {"mappa": False}],
        "MergeForm": [{"pair": SimpleNamespace(first=world.people.offender, second=world.people.victim)}],
        "ReferForm": [{"programmes": Programme.objects.all()}],
        "StepForm": [{"status": status} for status in ("referred", "started")],
        "ItemForm": [{"agencies": agencies}],
        "ObservationForm": [{"observers": Staff.objects.all()}],
        "AttendanceForm": [{"staff": Staff.objects.all()}, {}],  # the CPD event's, and the meeting's
    }


def _instances(world) -> list[tuple[str, forms.BaseForm]]:
    arguments = _arguments(world)
    made = []
    for cls in _form_classes():
        variants = arguments.get(cls.__name__, [{}])
        for kwargs in variants:
            try:
                form = cls(**kwargs)
            except TypeError:
                continue  # a class of the same name in another module: one of the variants fits it
            made.append((f"{cls.__module__}.{cls.__name__}", form))
        if not any(name == f"{cls.__module__}.{cls.__name__}" for name, _ in made):
            pytest.fail(f"{cls.__module__}.{cls.__name__} needs arguments: add them to ARGUMENTS in this test")
    return made


@pytest.fixture
def every_form(shared_world):
    return _instances(shared_world)


class TestEveryForm:
    def test_every_form_is_found(self, every_form):
        names = {name for name, _ in every_form}
        assert len(names) > 60
        assert "safeguard.people.forms.AddressForm" in names
        assert "safeguard.triage.forms.TriageMaracReferralForm" in names

    def test_every_form_is_a_govuk_form(self, every_form):
        plain = [name for name, form in every_form if not isinstance(form, GovukFormMixin)]
        assert plain == []

    def test_every_required_field_says_what_to_enter(self, every_form):
        missing = [
            f"{name}.{field_name}"
            for name, form in every_form
            for field_name, field in form.fields.items()
            if field.required and str(field.error_messages.get("required")) == DJANGO_REQUIRED
        ]
        assert missing == []

    def test_no_radio_offers_a_blank_answer(self, every_form):
        blank = [
            f"{name}.{field_name}"
            for name, form in every_form
            for field_name, field in form.fields.items()
            if isinstance(field.widget, forms.RadioSelect)
            and any(str(value) == "" or str(label) in BLANK_WORDS for value, label in field.choices)
        ]
        assert blank == []

    def test_no_select_offers_dashes(self, every_form):
        dashes = [
            f"{name}.{field_name}"
            for name, form in every_form
            for field_name, field in form.fields.items()
            if isinstance(field.widget, forms.Select)
            and any(str(label) in ("---------", "Choose") for _, label in field.choices)
        ]
        assert dashes == []

    def test_optional_only_on_fields_that_are_not_required(self, every_form):
        wrong = [
            f"{name}.{field_name}"
            for name, form in every_form
            for field_name in form.fields
            if "(optional)" in _label_of(form[field_name]) and form.fields[field_name].required
        ]
        assert wrong == []

    @pytest.mark.parametrize(
        ("form_name", "field_name"),
        [
            ("safeguard.meetings.forms.core.PlanForm", "supervision"),
            ("safeguard.meetings.forms.core.ActionForm", "rationale"),
            ("safeguard.meetings.forms.core.OutcomeForm", "summary"),
            ("safeguard.offenders.forms.NominalChangeForm", "reason"),
        ],
    )
    def test_fields_needed_in_some_cases_are_not_labelled_optional(self, every_form, form_name, field_name):
        # The first variant of each form in ARGUMENTS (for the action, at a MAPPA meeting)
        label = next(_label_of(form[field_name]) for name, form in every_form if name == form_name)
        assert label and "(optional)" not in label

    def test_a_truly_optional_field_is_labelled_optional(self, every_form):
        form = next(form for name, form in every_form if name == "safeguard.people.forms.AddressForm")
        assert "Lived here until (optional)" in _label_of(form["to_date"])
        assert "(optional)" not in _label_of(form["from_date"])


def _label_of(bound) -> str:
    """The field's label or legend as the shared GOV.UK includes render it."""
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        template = "includes/checkboxes.html"
    elif isinstance(widget, forms.RadioSelect):
        template = "includes/radios.html"
    elif isinstance(widget, GovukDateWidget):
        template = "includes/date_field.html"
    elif widget.is_hidden:
        return ""
    else:
        template = "includes/field.html"
    page = render_to_string(template, {"field": bound})
    found = re.search(r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>", page, re.S)
    return found.group(1) if found else ""
