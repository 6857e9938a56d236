"""Forms for actions and for deciding prompts (GOV.UK styled)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from safeguard.rules.dates import add_months
from safeguard.web.forms import GovukDateField, GovukForm
from safeguard.workforce.models import Staff

from . import services
from .models import Prompt


class VersionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _textarea(label: str, help_text: str = "", required: bool = True, missing: str = "") -> forms.CharField:
    field = forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    if missing:  # the same words the use case says when the text is too short
        field.error_messages["required"] = missing
    return field


def _give(what: str) -> str:
    return f"Give {what} (at least {services.MIN_TEXT_LENGTH} characters)."


class CompleteForm(VersionForm):
    completion_evidence = _textarea(
        "Evidence of completion",
        "What was done, when and by whom, and where the record of it is kept. The forum reads this as the "
        "completion return.",
        missing=_give("the evidence that the action is complete"),
    )
    completed_on = GovukDateField(
        required=False, label="Date it was completed", help_text="Leave empty for today. For example, 27 3 2026"
    )


class CancelForm(VersionForm):
    reason = _textarea(
        "Why is the action no longer needed?",
        "Kept in the action's history.",
        missing=_give("the reason for cancelling"),
    )


class DueDateForm(VersionForm):
    required_messages = {
        "due_on": "Enter the new due date",
    }
    due_on = GovukDateField(label="New due date", help_text="For example, 27 3 2026")
    reason = _textarea(
        "Reason for the new date", "Kept in the action's history.", missing=_give("the reason for the new due date")
    )

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate():  # said here too, so that every error shows at once
            raise forms.ValidationError("The new due date must be today or in the future.")
        return day


class ReassignForm(VersionForm):
    owner = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        required=False,
        label="New owner",
        empty_label="No named owner (the agency as a whole)",
        help_text="Someone in the owner agency.",
    )
    reason = _textarea("Reason", "Kept in the action's history.", required=False)

    def __init__(self, *args, owner_agency_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Staff.objects.filter(agency_id=owner_agency_id, is_active=True).order_by(
            "last_name", "first_name"
        )


class PeriodForm(GovukForm):
    """The period of a completion-rates table (a GET form: dates are not personal data)."""

    required_messages = {
        "start": "Enter the first day of the period",
        "end": "Enter the last day of the period",
    }
    start = GovukDateField(label="From", help_text="Actions due on or after this day. For example, 1 4 2026")
    end = GovukDateField(label="To", help_text="Actions due on or before this day")

    @staticmethod
    def default_period():
        today = timezone.localdate()
        return add_months(today, -12), today

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data


DECISION_LABELS = {
    Prompt.Decision.REFERRED: "Refer to MAPPA under Category 3",
    Prompt.Decision.NOT_REFERRED: "Do not refer",
    Prompt.Decision.NOTED: "Noted",
    Prompt.Decision.CONSIDERED: "Consider a disclosure: take it to the disclosure scheme",
    Prompt.Decision.NOT_NEEDED: "A disclosure is not needed (give the reason)",
}


class PromptDecisionForm(GovukForm):
    conditionally_required = frozenset({"level_sought", "risk_summary"})
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect, choices=())
    decision_rationale = _textarea(
        "Reason for the decision",
        "Why you refer (it becomes the referral's reason), or why not (at least 10 characters). It is kept with "
        "the decision.",
        required=False,
    )
    level_sought = forms.TypedChoiceField(
        label="If you refer: the level the referral seeks",
        choices=[("2", "Level 2"), ("3", "Level 3")],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    risk_summary = _textarea(
        "If you refer: a summary of the risk", "The risk of serious harm, to whom, and when it is greatest.", False
    )

    def __init__(self, *args, decisions=(), referral_fields=False, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d.value, DECISION_LABELS[d]) for d in decisions]
        self.fields["decision"].error_messages["required"] = "Choose your decision"
        if needs_reason:  # a Category 3 decision either way carries its reason
            self.fields["decision_rationale"].required = True
            self.fields["decision_rationale"].error_messages["required"] = "Give the reason for your decision"
        if not referral_fields:
            del self.fields["level_sought"]
            del self.fields["risk_summary"]
