"""Forms after a meeting: sharing the minutes with another agency, and the meeting quality audit.

The forms check what a person can put right on the page; the services check what needs the records (an agency
that attended already, the meeting's state) and their errors come back on the same fields.
"""

from __future__ import annotations

from django import forms

from safeguard.rules import meeting_audit
from safeguard.web.forms import GovukForm
from safeguard.workforce.models import Agency

from ..services.minutes.sharing import MIN_REASON
from .core import VersionForm


class ShareMinutesForm(GovukForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency",
        empty_label="Choose an agency",
        help_text="The forum's member agencies that did not attend, and the area's Responsible Authority agencies.",
        error_messages={
            "required": "Choose the agency to share the minutes with",
            "invalid_choice": "Choose an agency from the list",
        },
    )
    reason = forms.CharField(
        label="Why the agency needs the minutes",
        max_length=2000,
        help_text="Recorded with your permission, and shown to the coordinator.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": f"Give the reason for sharing (at least {MIN_REASON} characters)"},
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < MIN_REASON:
            raise forms.ValidationError(f"Give the reason for sharing (at least {MIN_REASON} characters)")
        return reason


SCORE_CHOICES = [(str(score), meeting_audit.SCORE_LABELS[score]) for score in meeting_audit.SCORES]


class QualityAuditForm(VersionForm):
    """One question per audit item, each scored 4 (Excellent) to 1 (Poor)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in meeting_audit.ITEMS.items():
            self.fields[code] = forms.TypedChoiceField(
                label=label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Score \u201c{label}\u201d from 4 (Excellent) to 1 (Poor)",
                    "invalid_choice": f"Score \u201c{label}\u201d from 4 (Excellent) to 1 (Poor)",
                },
            )

    def scores(self) -> dict[str, int]:
        return {code: self.cleaned_data[code] for code in meeting_audit.ITEMS}

    def audit_fields(self):
        return [self[code] for code in meeting_audit.ITEMS]
