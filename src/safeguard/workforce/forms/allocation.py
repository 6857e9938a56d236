"""Forms for allocation: start a batch, accept, accept all, choose a different officer with a reason.

The forms check what a person can put right on the page (a missing date, dates
the wrong way round, no reference); the service checks what needs the records
(the hard rules, the gate, a stale version) and its errors are shown on the
same fields.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from safeguard.web.forms import GovukDateField, GovukForm

from ..models import Staff, Team
from ..services import allocation as service

MAX_BATCH_DAYS = 366  # a longer span is refused: a batch is one cycle's work, not a year's (Safeguard's choice)


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return obj.name


class StartBatchForm(GovukForm):
    team = TeamChoiceField(
        queryset=Team.objects.none(),
        label="Offender managers to allocate to",
        error_messages={"required": "Choose the team", "invalid_choice": "Choose a team from the list"},
    )
    kind = forms.ChoiceField(
        label="What to allocate",
        choices=list(service.KINDS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to allocate"},
    )
    released_from = GovukDateField(
        required=False, label="Released from", help_text="Only for releases. For example, 1 6 2026."
    )
    released_to = GovukDateField(required=False, label="Released up to and including", help_text="Only for releases.")
    reference = forms.CharField(
        required=False,
        max_length=16,
        label="Nominal reference",
        help_text="Only for one nominal. For example FS-0000123.",
    )

    def __init__(self, *args, scope: service.AllocatorScope, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.user = user
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in scope.teams]).order_by("name")
        if scope.area_wide:
            self.fields["team"].required = False
            self.fields["team"].empty_label = f"Every offender manager of {scope.area.name}"
        else:
            self.fields["team"].empty_label = None
        self.fields["reference"].widget.attrs["class"] += " govuk-input--width-10"

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == service.RELEASES:
            start, end = data.get("released_from"), data.get("released_to")
            if start is None and "released_from" not in self.errors:
                self.add_error("released_from", "Enter the first release date of the batch")
            if end is None and "released_to" not in self.errors:
                self.add_error("released_to", "Enter the last release date of the batch")
            if start and end:
                if end < start:
                    self.add_error("released_to", "The last release date must be the same as or after the first")
                elif (end - start).days >= MAX_BATCH_DAYS:
                    self.add_error("released_to", f"Choose dates less than {MAX_BATCH_DAYS} days apart")
        elif kind == service.ONE_NOMINAL:
            reference = (data.get("reference") or "").strip()
            if not reference:
                self.add_error("reference", "Enter the nominal's reference")
            else:
                nominal = service.find_nominal(self.user, reference)
                if nominal is None:
                    self.add_error("reference", "There is no nominal with this reference that you may allocate")
                data["nominal"] = nominal
        return data

    def batch_request(self) -> service.BatchRequest:
        data = self.cleaned_data
        kind = data["kind"]
        return service.BatchRequest(
            kind=kind,
            area=self.scope.area,
            team=data.get("team"),
            released_from=data.get("released_from") if kind == service.RELEASES else None,
            released_to=data.get("released_to") if kind == service.RELEASES else None,
            nominal=data.get("nominal") if kind == service.ONE_NOMINAL else None,
        )


class AcceptForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptAllForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class OfficerChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, figures: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.figures = figures or {}

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.username
        f = self.figures.get(obj.pk)
        if not f:
            return name
        trained = "trained for Level 2/3" if f["trained"] else "not trained for Level 2/3"
        return f"{name}: {f['cases']} cases now, {f['high']} high risk, {trained}"


class OverrideForm(GovukForm):
    officer = OfficerChoiceField(
        queryset=Staff.objects.none(),
        label="Officer",
        empty_label="Choose an officer",
        error_messages={"required": "Choose the officer", "invalid_choice": "Choose an officer from the list"},
    )
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reason for choosing this officer",
        error_messages={
            "required": f"Give the reason for choosing this officer (at least {service.MIN_REASON_LENGTH} characters)"
        },
        help_text=f"At least {service.MIN_REASON_LENGTH} characters. It is kept in the nominal's history.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        field.queryset = Staff.objects.filter(pk__in=[o.pk for o, _ in choices]).order_by(
            "last_name", "first_name", "pk"
        )
        field.figures = {o.pk: f for o, f in choices}

    def clean_reason(self):
        reason = (self.cleaned_data.get("reason") or "").strip()
        if len(reason) < service.MIN_REASON_LENGTH:
            raise ValidationError(
                f"Give the reason for choosing this officer (at least {service.MIN_REASON_LENGTH} characters)"
            )
        return reason
