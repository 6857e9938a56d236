"""Forms for running a meeting at its pace: one case's record, the attendance ticked at once, several cases
deferred with one reason, and ending (or reopening) the meeting."""

from __future__ import annotations

from django import forms

from safeguard.web.forms import GovukForm

from ..services.bulk import Entry, Expected
from ..services.running import MIN_TEXT
from .core import OutcomeForm, VersionForm, _text


class RunCaseForm(OutcomeForm):
    """The case's decision (optional) and whether it was heard or deferred, saved together."""

    text = _text("Decision", required=False, rows=2, hint="What the meeting decided, if anything more than the levels.")
    rationale = _text("Rationale for the decision", required=False, rows=2, hint=f"At least {MIN_TEXT} characters.")

    field_order = ["version", "text", "rationale", "outcome", "next_review_on", "summary"]


class AttendanceListForm(GovukForm):
    """Everyone at once: the people expected, ticked present or sent apologies, grouped by agency; and others
    from an agency, one name a line."""

    def __init__(self, *args, agencies=(), expected: list[Expected] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        self.expected = {p.key: p for p in expected}
        self.groups = []
        for agency in self.agencies:
            people = [p for p in expected if p.agency_id == agency.pk]
            choices = [(p.key, f"{p.name}{f', {p.role}' if p.role else ''}") for p in people]
            present = f"present_{agency.pk}"
            apologies = f"apologies_{agency.pk}"
            others = f"others_{agency.pk}"
            if choices:
                self.fields[present] = forms.MultipleChoiceField(
                    label=f"Present from {agency.name}",
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
                self.fields[apologies] = forms.MultipleChoiceField(
                    label=f"Sent apologies from {agency.name}",
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            self.fields[others] = forms.CharField(
                label=f"Others present from {agency.name}",
                required=False,
                max_length=2000,
                help_text="One a line: name, then a comma and the role if you have it.",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.groups.append(
                {
                    "agency": agency,
                    "present": self[present] if choices else None,
                    "apologies": self[apologies] if choices else None,
                    "others": self[others],
                }
            )

    def clean(self):
        data = super().clean()
        for agency in self.agencies:
            both = set(data.get(f"present_{agency.pk}") or []) & set(data.get(f"apologies_{agency.pk}") or [])
            if both:
                self.add_error(
                    f"apologies_{agency.pk}",
                    f"Tick {', '.join(self.expected[k].name for k in sorted(both))} as present or as sending "
                    "apologies, not both",
                )
        return data

    def entries(self) -> list[Entry]:
        found = []
        for agency in self.agencies:
            for key, present in [(k, True) for k in self.cleaned_data.get(f"present_{agency.pk}") or []] + [
                (k, False) for k in self.cleaned_data.get(f"apologies_{agency.pk}") or []
            ]:
                person = self.expected[key]
                found.append(Entry(agency.pk, person.name, person.role, present, person.staff_id))
            for line in (self.cleaned_data.get(f"others_{agency.pk}") or "").splitlines():
                name, _, role = line.partition(",")
                if name.strip():
                    found.append(Entry(agency.pk, name.strip(), role.strip()))
        return found


class DeferForm(GovukForm):
    items = forms.MultipleChoiceField(
        label="Cases to defer",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the cases to defer"},
    )
    reason = _text(
        "Why the cases are deferred",
        hint="The same reason is recorded on each case. They come back on the next meeting's agenda.",
        missing=f"Enter why the cases are deferred (at least {MIN_TEXT} characters)",
    )
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, listed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(str(i.pk), f"{i.position}. {i.person.full_name}") for i in listed]

    def clean_items(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("items") or []]


class EndForm(VersionForm):
    defer_reason = _text(
        "Why the cases not discussed are deferred",
        required=False,
        hint="Recorded on each case not yet heard or deferred. They come back on the next meeting's agenda.",
    )
