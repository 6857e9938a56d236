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


class GovukFormMixin:
    """Adds GOV.UK classes and error states to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            choices = list(getattr(field, "choices", []) or [])
            if choices and choices[0] == ("", "---------") and not isinstance(field, forms.ModelChoiceField):
                field.choices = [("", "Choose"), *choices[1:]]
            widget = field.widget
            kind = widget.__class__.__name__.lower()
            css = WIDGET_CLASSES.get(kind)
            if css:
                widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-hint"

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
