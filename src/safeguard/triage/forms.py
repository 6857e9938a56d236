"""Forms of the triage pages. Each names its fields as the services' errors do, so errors land on the field."""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from safeguard.referrals.forms import MaracReferralForm
from safeguard.web.forms import GovukDateField, GovukForm
from safeguard.workforce.models import Agency

from .models import Grade
from .services.clock import LOCAL

TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class VersionedForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class GradeForm(VersionedForm):
    conditionally_required = frozenset({"reason"})
    grade = forms.ChoiceField(
        label="Grade",
        choices=Grade.choices,
        widget=forms.RadioSelect,
        help_text="Red: respond within 4 hours; amber: within 24; green: within 72 (the source says working hours).",
        error_messages={"required": "Choose red, amber or green"},
    )
    reason = forms.CharField(
        label="Reason for the grade",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you change a grade already given.",
    )


class SafetyPlanForm(VersionedForm):
    plan = forms.CharField(
        label="Safety plan",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the safety plan"},
    )


class TriageMaracReferralForm(MaracReferralForm):
    """The referrals app's MARAC referral form (SafeLives), with the triage case's version for the lost-update
    check. The children come from the triage (those with a date of birth), so the form does not ask again."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class SafeguardingReferralForm(VersionedForm):
    agency = forms.ModelChoiceField(
        label="Referred to",
        queryset=Agency.objects.none(),
        empty_label="",
        error_messages={"required": "Choose children's services or adult social care"},
    )
    note = forms.CharField(
        label="Note of the referral",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a note of what was referred and why"},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class NoFurtherActionForm(VersionedForm):
    reason = forms.CharField(
        label="Reason for no further action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for no further action"},
    )


class CloseMeetingForm(VersionedForm):
    pass


class AddIncidentForm(GovukForm):
    reference = forms.CharField(
        label="Police reference of the incident",
        max_length=30,
        error_messages={"required": "Enter the incident's police reference"},
    )
    reason = forms.CharField(
        label="Reason for adding it",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: recorded after its day's triage, or from a neighbouring area.",
        error_messages={"required": "Give the reason for adding the incident"},
    )


PRESENT_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
PRESENT_VALUES = {"yes": True, "no": False, "unknown": None}


class EncompassNoticeForm(GovukForm):
    """The notice to a child's school; when the child attends no school, only the reason is asked for."""

    school = forms.CharField(
        label="School", max_length=200, error_messages={"required": "Enter the child's school, or say why none"}
    )
    safeguarding_lead = forms.CharField(label="Designated safeguarding lead told", max_length=160, required=False)
    child_present = forms.ChoiceField(
        label="Was the child present?",
        choices=PRESENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the child was present, or not known"},
    )
    childs_voice = forms.CharField(
        label="The child's voice",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the child said or how they seemed, as the officers recorded it.",
    )
    circumstances = forms.CharField(label="Circumstances", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    sent_on = GovukDateField(
        label="Date the school was told",
        help_text="For example, 3 2 2026",
        error_messages={"required": "Enter the date the school was told"},
    )
    sent_time = forms.CharField(
        label="Time the school was told",
        max_length=5,
        help_text="For example, 07:45",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the time the school was told as hours and minutes, like 07:45"},
    )
    no_school_reason = forms.CharField(
        label="If no school could be told, why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when the child attends no school (home education, deferred entry); leave the school empty.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and (self.data.get(self.add_prefix("no_school_reason")) or "").strip():
            for name in ("school", "sent_on", "sent_time"):
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        data["child_present_value"] = PRESENT_VALUES.get(data.get("child_present"))
        data["sent_at"] = None
        if (data.get("no_school_reason") or "").strip():
            return data
        text = data.get("sent_time")
        match = TIME.match(text or "") if text else None
        if text and (not match or int(match[1]) > 23 or int(match[2]) > 59):
            self.add_error("sent_time", self.fields["sent_time"].error_messages["required"])
            match = None
        if data.get("sent_on") and match:
            data["sent_at"] = dt.datetime.combine(data["sent_on"], dt.time(int(match[1]), int(match[2])), tzinfo=LOCAL)
        return data
