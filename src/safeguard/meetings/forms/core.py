"""Forms for scheduling, the agenda, the chair and running a meeting.

The forms check what a person can put right on the page (a missing field, an
impossible date or time); the services check the rules that need the records
(an eligible chair, a member agency, a review within the area's interval) and
their errors are shown on the same fields.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError

from safeguard.actions import tactics
from safeguard.web.forms import GovukDateField, GovukForm
from safeguard.workforce.models import Agency, Staff

from ..models import AgendaItem
from ..services.plans import PILLARS, PLAN_FIELDS
from ..services.running import MIN_TEXT
from ..services.schedule import DEFAULT_WEEKS, MAX_WEEKS

TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def _text(label: str, *, required: bool = True, hint: str = "", rows: int = 3, missing: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing or f"Enter {label[0].lower()}{label[1:]}"},
    )


def _agencies(label: str, queryset, *, required: bool = True, empty: str = "Choose an agency"):
    return forms.ModelChoiceField(
        queryset=queryset,
        label=label,
        required=required,
        empty_label=empty,
        error_messages={
            "required": f"Choose the {label[0].lower()}{label[1:]}",
            "invalid_choice": "Choose from the list",
        },
    )


class VersionForm(GovukForm):
    """A button that changes a record: the version the page showed, against a lost update."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ScheduleForm(GovukForm):
    weeks = forms.IntegerField(
        label="Schedule the next (weeks)",
        min_value=1,
        max_value=MAX_WEEKS,
        initial=DEFAULT_WEEKS,
        error_messages={
            "required": "Enter the number of weeks",
            "invalid": "Enter the number of weeks as a whole number",
            "min_value": f"Enter a number of weeks from 1 to {MAX_WEEKS}",
            "max_value": f"Enter a number of weeks from 1 to {MAX_WEEKS}",
        },
    )


class MoveForm(VersionForm):
    day = GovukDateField(
        label="New date", help_text="For example, 27 3 2027", error_messages={"required": "Enter the new date"}
    )
    time = forms.CharField(
        label="Starts at",
        max_length=5,
        help_text="24-hour clock, for example 09:30",
        error_messages={"required": "Enter the time the meeting starts"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    place = forms.CharField(label="Place", required=False, max_length=200)
    reason = _text("Reason for moving the meeting", missing=f"Give the reason (at least {MIN_TEXT} characters)")

    def clean_time(self) -> dt.time:
        match = TIME.match(self.cleaned_data.get("time") or "")
        if not match:
            raise ValidationError("Enter the time as hours and minutes, for example 09:30")
        hours, minutes = int(match.group(1)), int(match.group(2))
        if hours > 23 or minutes > 59:
            raise ValidationError("Enter a real time, from 00:00 to 23:59")
        return dt.time(hours, minutes)


class CancelForm(VersionForm):
    reason = _text("Reason for cancelling the meeting", missing=f"Give the reason (at least {MIN_TEXT} characters)")


class ChairForm(VersionForm):
    chair = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        label="Chair",
        empty_label="Choose the chair",
        error_messages={"required": "Choose the chair", "invalid_choice": "Choose a chair from the list"},
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Staff.objects.filter(pk__in=[o.staff.pk for o in options])
        labels = {o.staff.pk: o for o in options}
        self.fields["chair"].label_from_instance = lambda s: (
            f"{s.get_full_name() or s.username}, {s.rank_or_grade or 'no rank recorded'}, {s.agency}"
            + ("" if labels[s.pk].eligible else " (not eligible)")
        )


class ConfidentialityForm(VersionForm):
    agreed = forms.MultipleChoiceField(
        label="Who agreed to the statement",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each person present who agreed. Anyone who did not agree is recorded as not agreeing.",
    )

    def __init__(self, *args, attendance=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed"].choices = [(str(a.pk), f"{a.name} ({a.agency})") for a in attendance]

    def clean_agreed(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("agreed") or []]


PRESENCE = [("present", "Present"), ("apologies", "Sent apologies")]


class AttendanceForm(GovukForm):
    agency = _agencies("Agency", Agency.objects.none())
    name = forms.CharField(label="Name", max_length=160, error_messages={"required": "Enter the name"})
    role = forms.CharField(label="Role", required=False, max_length=120, help_text="For example, Detective Inspector")
    presence = forms.ChoiceField(
        label="Present or apologies",
        choices=PRESENCE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose present or sent apologies"},
    )
    agreed_confidentiality = forms.BooleanField(label="Agreed to the confidentiality statement", required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies


class ShareForm(GovukForm):
    agency = _agencies("Agency sharing", Agency.objects.none())
    content = _text("What the agency shared", rows=5, missing="Enter what the agency shared")
    is_opinion = forms.BooleanField(
        label="This is opinion, not fact",
        required=False,
        help_text="Fact is kept apart from opinion: record each separately.",
    )
    withheld = _text("What was withheld, and why", required=False, rows=2)
    restricted_from = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        label="Restrict from these agencies",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Staff of the agencies ticked never see this item. The sharing agency always sees it.",
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
            self.fields["restricted_from"].queryset = agencies


class _DissentMixin(forms.Form):
    dissent = _text("Dissenting view", required=False, rows=2, hint="Any view against the decision, and whose.")
    dissent_agency = _agencies("Agency dissenting", Agency.objects.none(), required=False, empty="None")


class LevelsForm(VersionForm, _DissentMixin):
    risk_level = forms.ChoiceField(
        label="Risk level agreed", widget=forms.RadioSelect, error_messages={"required": "Choose the risk level agreed"}
    )
    management_level = forms.TypedChoiceField(
        label="MAPPA management level agreed",
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(1, "Level 1"), (2, "Level 2"), (3, "Level 3")],
        error_messages={"required": "Choose the MAPPA management level agreed"},
    )
    rationale = _text("Rationale", missing=f"Enter the rationale (at least {MIN_TEXT} characters)")

    field_order = ["version", "risk_level", "management_level", "rationale", "dissent", "dissent_agency"]

    def __init__(self, *args, risk_levels=(), mappa=True, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_level"].choices = list(risk_levels)
        if not mappa:
            del self.fields["management_level"]
        if agencies is not None:
            self.fields["dissent_agency"].queryset = agencies


class DecisionForm(_DissentMixin, GovukForm):
    text = _text("Decision", missing="Enter the decision")
    rationale = _text("Rationale", missing=f"Enter the rationale (at least {MIN_TEXT} characters)")

    field_order = ["text", "rationale", "dissent", "dissent_agency"]

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["dissent_agency"].queryset = agencies


class PlanForm(GovukForm):
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    supervision = _text("Supervision", required=False, rows=4)
    monitoring_and_control = _text(
        "Monitoring and control",
        required=False,
        rows=4,
        hint="For example licence conditions, approved premises, restrictions on association and movement, "
        "electronic monitoring, polygraph, SHPO or SRO.",
    )
    interventions_and_treatment = _text("Interventions and treatment", required=False, rows=4)
    victim_safety = _text("Victim safety planning", required=False, rows=4)
    contingency = _text("Contingency plans", required=False, rows=3)
    licence_conditions = _text("Licence conditions", required=False, rows=3, hint="All the licence conditions.")

    def __init__(self, *args, mappa: bool = False, **kwargs):
        # At MAPPA each of the four pillars is needed (saying so where nothing is planned under one); elsewhere at
        # least one part of the plan is (services/plans.py), so no part is marked "(optional)" there.
        self.conditionally_required = frozenset(() if mappa else PLAN_FIELDS)
        super().__init__(*args, **kwargs)
        if mappa:
            for name in PILLARS:
                field = self.fields[name]
                field.required = True
                field.error_messages["required"] = (
                    f"Enter the plan for {field.label.lower()} (if nothing is planned under it, say so)"
                )


class ActionForm(GovukForm):
    description = _text("Action", missing="Enter the action")
    rationale = _text("Rationale", required=False, rows=2)
    owner_agency = _agencies("Owner agency", Agency.objects.none())
    owner = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        label="Owner",
        required=False,
        empty_label="Not named yet",
        help_text="Someone from the owner agency, where known.",
        error_messages={"invalid_choice": "Choose someone from the list"},
    )
    due_on = GovukDateField(
        label="Due date", help_text="For example, 27 3 2027", error_messages={"required": "Enter the due date"}
    )
    from_plan = forms.BooleanField(
        label="Part of the risk management plan saved for this case at this meeting", required=False
    )
    # Only at a MATAC (actions.tactics): the meeting chooses a tactic for each perpetrator.
    tactic = forms.ChoiceField(
        label="MATAC tactic",
        choices=tactics.Tactic.choices,
        widget=forms.RadioSelect,
        help_text=tactics.HINT,
        error_messages={"required": tactics.CHOOSE, "invalid_choice": tactics.CHOOSE},
    )

    def __init__(self, *args, agencies=None, owners=None, mappa=False, matac=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not matac:
            del self.fields["tactic"]
        if agencies is not None:
            self.fields["owner_agency"].queryset = agencies
        if owners is not None:
            self.fields["owner"].queryset = owners
            self.fields["owner"].label_from_instance = lambda s: f"{s.get_full_name() or s.username} ({s.agency})"
        if mappa:  # MAPPA minutes record every action with its rationale (services/running.py)
            rationale = self.fields["rationale"]
            rationale.required = True
            rationale.help_text = f"At least {MIN_TEXT} characters."
            rationale.error_messages["required"] = (
                f"Enter the rationale for the action (at least {MIN_TEXT} characters)"
            )


OUTCOMES = [(AgendaItem.Outcome.HEARD, "Heard"), (AgendaItem.Outcome.DEFERRED, "Deferred to the next meeting")]


class OutcomeForm(VersionForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose heard or deferred"},
    )
    next_review_on = GovukDateField(
        label="Next review",
        required=False,
        help_text="The date the forum agreed to review the case, if it set one.",
    )
    summary = _text("Summary", required=False, rows=3, hint="Required when the case is deferred: say why.")

    conditionally_required = frozenset({"summary"})
