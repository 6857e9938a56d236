"""GOV.UK Design System styling for Django forms, and the GOV.UK date input."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

WIDGET_CLASSES = {
    "textinput": "govuk-input",
    "numberinput": "govuk-input govuk-input--width-5",
    "emailinput": "govuk-input",
    "passwordinput": "govuk-input govuk-input--width-20",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "datetimeinput": "govuk-input govuk-input--width-20",
}


class GovukDateWidget(forms.MultiWidget):
    template_name = "web/widgets/date.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "inputmode": "numeric",
                    "maxlength": "2",
                }
            ),
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "inputmode": "numeric",
                    "maxlength": "2",
                }
            ),
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                    "inputmode": "numeric",
                    "maxlength": "4",
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (data.get(f"{name}_{i}", "").strip() for i in range(3))
        if not (day or month or year):
            single = data.get(name)  # API-style or test-style single value, YYYY-MM-DD
            return single or None
        return [day, month, year]


class GovukDateField(forms.DateField):
    widget = GovukDateWidget

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, list):
            if not all(value):
                raise ValidationError(f"{self.label or 'The date'} must include a day, month and year")
            try:
                return dt.date(int(value[2]), int(value[1]), int(value[0]))
            except ValueError as exc:
                raise ValidationError(f"{self.label or 'The date'} must be a real date") from exc
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ValidationError(f"{self.label or 'The date'} must be a real date") from exc
        return super().to_python(value)


# Django's own words for a missing value ("This field is required.") say nothing of what to enter. Every
# required field a person fills in has its own message (GOV.UK error messages: "Enter ...", "Select ..."), set
# in the form's ``required_messages`` or the field's ``error_messages``; tests/web/test_form_messages.py checks.
DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
# A hidden field is the page's own (a record's version, a chosen id): when it is missing the page is stale.
STALE_PAGE = "This page is out of date. Go back, open the page again and try again"


def _without_blank(choices) -> list:
    return [(value, label) for value, label in choices if value not in ("", None)]


class GovukFormMixin:
    """Adds GOV.UK classes and error states to every widget, the form's required messages, and the choices a
    GOV.UK page offers: radios never offer a blank answer (GOV.UK radios start with none selected), and a
    select's blank entry says nothing rather than "---------"."""

    # Field name to the message when it is left empty ("Enter the date of the incident").
    required_messages: dict[str, str] = {}
    # Fields needed only in some cases that the hint names ("Needed when the category changes"): GOV.UK marks
    # only what is truly optional, so these carry no "(optional)".
    conditionally_required: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages: dict[str, str] = {}
        conditional: set[str] = set(self.__dict__.get("conditionally_required", ()))
        for klass in reversed(type(self).__mro__):  # a subclass adds to its parents' messages
            messages.update(vars(klass).get("required_messages", {}))
            conditional.update(vars(klass).get("conditionally_required", ()))
        for name, field in self.fields.items():
            self._set_required_message(field, messages.get(name))
            field.conditionally_required = name in conditional
            self._govuk_choices(field)
            widget = field.widget
            kind = widget.__class__.__name__.lower()
            css = WIDGET_CLASSES.get(kind)
            if css:
                widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-hint"

    @staticmethod
    def _set_required_message(field: forms.Field, message: str | None) -> None:
        if message:
            field.error_messages = {**field.error_messages, "required": message}
        elif field.widget.is_hidden and field.error_messages.get("required") == DJANGO_REQUIRED:
            field.error_messages = {**field.error_messages, "required": STALE_PAGE}

    @staticmethod
    def _govuk_choices(field: forms.Field) -> None:
        radios = isinstance(field.widget, forms.RadioSelect)
        if isinstance(field, forms.ModelChoiceField):
            if radios:
                field.empty_label = None
            elif field.empty_label == "---------":
                field.empty_label = ""
            return
        choices = list(getattr(field, "choices", []) or [])
        if not choices:
            return
        if radios:
            field.choices = _without_blank(choices)
        elif choices[0][0] in ("", None) and choices[0][1] == "---------":
            field.choices = [("", ""), *choices[1:]]

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                kind = widget.__class__.__name__.lower()
                if kind == "select":
                    widget.attrs["class"] += " govuk-select--error"
                elif kind == "textarea":
                    widget.attrs["class"] += " govuk-textarea--error"
                elif kind in WIDGET_CLASSES:
                    widget.attrs["class"] += " govuk-input--error"
                for part in getattr(widget, "widgets", []):  # each box of a GOV.UK date input
                    part.attrs["class"] = f"{part.attrs.get('class', '')} govuk-input--error".strip()


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
