"""The caseload pages' one form: a proposed case, for the probation "impact of allocation"."""

from __future__ import annotations

from django import forms

from safeguard.rules.workload import COMMUNITY, CUSTODY, LICENCE
from safeguard.web.forms import GovukForm

CASE_TYPE_CHOICES = [
    (COMMUNITY, "Community"),
    (CUSTODY, "Custody"),
    (LICENCE, "Licence (released on licence)"),
]


class ProposedCaseForm(GovukForm):
    tier = forms.CharField(
        label="Tier of the proposed case",
        max_length=10,
        help_text="The probation tier, for example B2.",
        error_messages={"required": "Enter the tier of the proposed case, for example B2"},
    )
    case_type = forms.ChoiceField(
        label="Case type",
        choices=CASE_TYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the case type: community, custody or licence"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].widget.attrs.update({"class": "govuk-input govuk-input--width-4", "spellcheck": "false"})

    def clean_tier(self) -> str:
        return self.cleaned_data["tier"].strip().upper()

    def add_rule_error(self, exc) -> None:
        """A rule's refusal shown on the field it names (the tier, or above the form)."""
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)
