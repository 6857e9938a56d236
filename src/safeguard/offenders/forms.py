"""Forms for nominals."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator

from safeguard.web.forms import GovukDateField, GovukModelForm
from safeguard.workforce.models import Agency, Area

from .models import Nominal
from .services import CHANGE_FIELDS, OPEN_FIELDS, offender_managers_in


class _OfficerChoices(ModelChoiceIterator):
    """The officers as (id, name) read from four columns, in the query's order: a national area has thousands,
    and a model instance for each cost some 50 ms a form. The name is the one ``Staff.__str__`` gives (the full
    name, else the username), which Django's iterator would show."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, first_name, last_name, username in self.queryset.values_list(
            "pk", "first_name", "last_name", "username"
        ):
            yield (pk, f"{first_name} {last_name}".strip() or username)


class _OfficerSelect(forms.Select):
    """Django's select, its options made as ``ChoiceWidget.optgroups`` and ``create_option`` make them for choices
    without groups (the officers have none): the same option for each, without two calls and a dictionary merge
    apiece, a few thousand times a form."""

    def optgroups(self, name, value, attrs=None):
        groups = []
        has_selected = False
        for index, (option_value, label) in enumerate(self.choices):
            if isinstance(label, (list, tuple)):  # a group after all: Django's own, from the start
                return super().optgroups(name, value, attrs)
            selected = not has_selected and str("" if option_value is None else option_value) in value
            has_selected |= selected
            option = {
                "name": name,
                "value": "" if option_value is None else option_value,
                "label": label,
                "selected": selected,
                "index": str(index),
                "attrs": dict(self.checked_attribute) if selected else {},
                "type": self.input_type,
                "template_name": self.option_template_name,
                "wrap_label": True,
            }
            groups.append((None, [option], index))
        return groups


class OfficerChoiceField(forms.ModelChoiceField):
    """A choice of a member of staff, offered from the field's query and checked against the same query when
    submitted (``ModelChoiceField``'s own check: the id must be one of the query's)."""

    iterator = _OfficerChoices
    widget = _OfficerSelect


class _ChosenKeysChecked:
    """A key chosen in one of the form's choice fields was found in that field's own query (``ModelChoiceField``'s
    check: which is also the choice the user may make), so the model's validation need not look it up again
    (``ForeignKey.validate``, a query each). A field left empty, or that failed, is validated by the model as
    before. The nominal's keys have no ``limit_choices_to`` of their own for the model to add."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        for name, field in self.fields.items():
            chosen = isinstance(field, forms.ModelChoiceField) and self.cleaned_data.get(name) is not None
            if chosen and not Nominal._meta.get_field(name).remote_field.limit_choices_to:
                exclude.add(name)
        return exclude


class NominalChangeForm(_ChosenKeysChecked, GovukModelForm):
    required_messages = {
        "mappa_category": "Select the MAPPA category",
        "management_level": "Select the management level",
        "status": "Select the status",
        "location": "Select where the nominal is",
        "rosh": "Select the risk of serious harm",
        "lead_agency": "Select the lead agency",
    }
    conditionally_required = frozenset({"reason"})
    release_date = GovukDateField(required=False, label="Expected release date")
    next_review_due = GovukDateField(required=False, label="Lead agency's next review")
    last_reviewed_on = GovukDateField(
        required=False,
        label="Last multi-agency review",
        help_text="The date of the last Level 2 or 3 meeting that reviewed this nominal.",
    )
    managed_until = GovukDateField(required=False, label="Managed until")
    detained_since = GovukDateField(
        required=False,
        label="In custody or hospital since",
        help_text="The first day of the present custody or detention. Days in it are not counted in a 3-day "
        "notification period, and a year that ends in it runs on until 3 days beginning with release.",
    )
    review_refused_on = GovukDateField(
        required=False,
        label="Review of indefinite notification refused on",
        help_text="The day of the chief officer's determination to keep the requirements.",
    )
    further_qualifying_date = GovukDateField(
        required=False,
        label="Further qualifying date set by the chief officer",
        help_text="Only where the chief officer set a date other than 8 years after the determination; give the "
        "reason below it.",
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for the change",
        help_text="Needed when the category, level or offender manager changes. It is kept in the record's history.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Nominal
        fields = CHANGE_FIELDS
        field_classes = {"offender_manager": OfficerChoiceField}

    def __init__(self, *args, mappa_area_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offender_manager"].queryset = offender_managers_in(mappa_area_id)
        self.fields["offender_manager"].required = False
        self.fields["offender_manager"].empty_label = "Not allocated"
        self.fields["lead_agency"].queryset = Agency.objects.filter(
            kind__in=list(Agency.RESPONSIBLE_AUTHORITY), area_id=mappa_area_id
        )
        self.fields["reason"].widget.attrs["class"] = "govuk-textarea"
        self.fields["further_qualifying_reason"].widget = forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"})


class NominalOpenForm(_ChosenKeysChecked, GovukModelForm):
    required_messages = {
        "mappa_category": "Select the MAPPA category",
        "management_level": "Select the management level",
        "local_area": "Select the local authority area",
        "lead_agency": "Select the lead agency",
        "location": "Select where the nominal is",
        "rosh": "Select the risk of serious harm",
        "managed_from": "Enter the date the nominal is managed from",
    }
    release_date = GovukDateField(required=False, label="Expected release date")
    managed_from = GovukDateField(label="Managed from")
    next_review_due = GovukDateField(required=False, label="Lead agency's next review")

    class Meta:
        model = Nominal
        fields = OPEN_FIELDS
        field_classes = {"offender_manager": OfficerChoiceField}

    def __init__(self, *args, mappa_area_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_area"].queryset = Area.objects.filter(parent_id=mappa_area_id)
        self.fields["local_area"].label = "Local authority area"
        self.fields["offender_manager"].queryset = offender_managers_in(mappa_area_id)
        self.fields["offender_manager"].required = False
        self.fields["offender_manager"].empty_label = "Not allocated yet"
        self.fields["lead_agency"].queryset = Agency.objects.filter(
            kind__in=list(Agency.RESPONSIBLE_AUTHORITY), area_id=mappa_area_id
        )
