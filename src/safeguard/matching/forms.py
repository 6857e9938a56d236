"""The reviewer's decision on a possible match."""

from __future__ import annotations

from django import forms

from safeguard.rules import matching as rules
from safeguard.web.forms import GovukForm

DECISION_LABELS = {
    rules.PairStatus.SAME: "The same person",
    rules.PairStatus.DIFFERENT: "Different people",
    rules.PairStatus.NOT_SURE: "Not sure: leave it for another reviewer",
}


class PairDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Are these two records the same person?",
        widget=forms.RadioSelect,
        choices=[(d.value, label) for d, label in DECISION_LABELS.items()],
        error_messages={"required": "Choose the same person, different people or not sure"},
    )
    reason = forms.CharField(
        label="Reason for your decision",
        help_text="What made you sure, or what would settle it (at least 10 characters). It is kept with the decision.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for your decision"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MergeForm(GovukForm):
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        help_text="Every part of the other record moves to it. An unmerge can put them back.",
        widget=forms.RadioSelect,
        choices=(),
        error_messages={"required": "Choose the record to keep"},
    )
    reason = forms.CharField(
        label="Reason for the merge",
        help_text="What shows they are one person (at least 10 characters).",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the merge"},
    )

    def __init__(self, *args, pair=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(str(p.pk), f"{p.full_name} (record {p.pk})") for p in (pair.first, pair.second)]


class UnmergeForm(GovukForm):
    reason = forms.CharField(
        label="Reason for the unmerge",
        help_text="Why they are two people after all (at least 10 characters).",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the unmerge"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApproveForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
