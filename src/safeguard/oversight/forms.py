"""The form for a person's protected characteristics. The model validates; this collects."""

from __future__ import annotations

from django import forms

from safeguard.people.models import RELATIONSHIP_KINDS
from safeguard.web.forms import GovukForm, GovukModelForm

from .models import ProtectedCharacteristics


class CharacteristicsForm(GovukModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ProtectedCharacteristics
        fields = ["disabled", "lgbt_plus", "ethnicity_answer"]
        widgets = {"disabled": forms.RadioSelect, "lgbt_plus": forms.RadioSelect, "ethnicity_answer": forms.RadioSelect}
        error_messages = {
            "disabled": {"required": "Select whether they have a disability, not known or prefer not to say"},
            "lgbt_plus": {"required": "Select whether they are LGBT+, not known or prefer not to say"},
            "ethnicity_answer": {"required": "Select their ethnicity, not known or prefer not to say"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class RecordRelationshipForm(GovukForm):
    """How the suspect is related to the victim, recorded from the list of records missing it."""

    required_messages = {"kind": "Select how the suspect is related to the victim"}
    kind = forms.ChoiceField(
        label="The suspect is the victim's",
        choices=RELATIONSHIP_KINDS,
        help_text="The Domestic Abuse Act 2021 connection follows from it; change it on the person's page if needed.",
    )
