"""The calculator forms: GOV.UK inputs whose names are the API's field names where they can be."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.events.models import Offence
from safeguard.rules import dash, rm2000
from safeguard.rules.working import RuleInputError
from safeguard.web.forms import GovukDateField, GovukDateWidget, GovukForm

from . import services
from .serializers import VICTIM_LABEL, VICTIM_LABEL_MESSAGE

RFG_ROWS = 10
NON_CRIME = "non-crime"
RECORD_FIELD = re.compile(r"^records\[(\d+)\]\.(\w+)$")
VICTIM_LABEL_IN_ROW = VICTIM_LABEL_MESSAGE[0].lower() + VICTIM_LABEL_MESSAGE[1:]


class CalculatorDateField(GovukDateField):
    """A GOV.UK date input; a far-off year is refused as a mistake."""

    def validate(self, value):
        super().validate(value)
        if value and not services.date_in_range(value):
            raise ValidationError(
                f"{self.label} must be a year from {services.EARLIEST_YEAR} to {services.LATEST_YEAR}"
            )


class CompactDateWidget(GovukDateWidget):
    """Day, month and year boxes for a table row: the labels are there for screen readers, not on screen."""

    template_name = "calculators/widgets/compact_date.html"

    def __init__(self, row_label: str, attrs=None):
        super().__init__(attrs)
        self.row_label = row_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["row_label"] = self.row_label
        # The error summary links a field by its id: here that is the day box, not a wrapper.
        field_id = context["widget"]["attrs"].get("id")
        if field_id and context["widget"]["subwidgets"]:
            context["widget"]["subwidgets"][0]["attrs"]["id"] = field_id
        return context


def whole_number(label: str, *, required: bool = True, help_text: str = "", width: int = 3) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": f"govuk-input--width-{width}"}
        ),
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "invalid": f"Enter the {label[0].lower()}{label[1:]} as a whole number",
        },
    )


class CalculatorForm(GovukForm):
    def add_rule_error(self, exc: RuleInputError) -> None:
        """Show a rule's refusal on the field it names, or above the form."""
        field = self.field_for(exc.field)
        self.add_error(field if field in self.fields else None, exc.message)

    def field_for(self, rule_field: str) -> str:
        return rule_field


class NotificationForm(CalculatorForm):
    required_messages = {
        "relevant_date": "Enter the relevant date",
        "date_of_birth": "Enter the date of birth",
    }
    relevant_date = CalculatorDateField(
        label="Relevant date", help_text="The date of the conviction, finding or caution. For example, 27 3 2024"
    )
    date_of_birth = CalculatorDateField(label="Date of birth", help_text="For example, 14 7 2008")
    disposal_type = forms.ChoiceField(
        label="Disposal for the offence",
        choices=services.DISPOSALS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the disposal for the offence"},
    )
    term_months = whole_number(
        "Custodial term in months",
        required=False,
        help_text="For imprisonment or detention for a term. Convert a term in weeks: 26 weeks is less than 6 months.",
    )
    discharge_months = whole_number(
        "Period of the conditional discharge in months", required=False, help_text="For a conditional discharge only."
    )
    released_on = CalculatorDateField(
        label="Day of release or return",
        required=False,
        help_text="Only if in custody, in hospital or outside the UK on the relevant date: the 3 days for the "
        "initial notification then begin with this day.",
    )
    term_2_months = whole_number(
        "Second term in months",
        required=False,
        help_text="A term for another Schedule 3 offence ordered to follow the first (consecutive or partly "
        "concurrent, s.82(3)-(4)). For wholly concurrent terms, enter only the longest term above.",
    )
    term_2_overlap_months = whole_number(
        "Months the second term overlaps the first",
        required=False,
        help_text="Partly concurrent terms count as the two terms less the overlap. Leave blank if consecutive.",
    )
    term_3_months = whole_number("Third term in months", required=False, help_text="Follows the second term.")
    term_3_overlap_months = whole_number("Months the third term overlaps the second", required=False)
    sentenced_on = CalculatorDateField(
        label="Date of sentence",
        required=False,
        help_text="Only where sentence was passed after the conviction: a conditional discharge runs from the order.",
    )
    change_kind = forms.ChoiceField(
        label="A change to notify",
        required=False,
        choices=[("", "None"), *services.CHANGE_KINDS],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        help_text="Its deadline: 3 days beginning with the day of the change (s.84(1); 2012 Regulations).",
    )
    change_on = CalculatorDateField(label="Day of the change", required=False)
    last_notified_on = CalculatorDateField(
        label="Day of the last notification", required=False, help_text="For the next periodic notification (s.85)."
    )
    departure_on = CalculatorDateField(
        label="Day of departure abroad", required=False, help_text="For the notice of travel: 7 clear days before."
    )
    detained_start = CalculatorDateField(label="In custody or hospital from", required=False)
    detained_end = CalculatorDateField(
        label="In custody or hospital until",
        required=False,
        help_text="The last day in custody. Days in custody are not counted in a 3-day period, and a year ending in "
        "custody runs on until 3 days beginning with release.",
    )
    first_notification_after_release = CalculatorDateField(
        label="First notification after release",
        required=False,
        help_text="For indefinite notification: the review qualifying date runs from it (s.91B).",
    )

    TERM_ROWS = {"terms[0]": "term_months", "terms[1]": "term_2_months", "terms[2]": "term_3_months"}

    def clean(self):
        data = super().clean()
        if data.get("term_3_months") and not data.get("term_2_months"):
            self.add_error("term_3_months", "Enter the second term before a third")
        if (data.get("term_2_months") or data.get("term_3_months")) and not data.get("term_months"):
            self.add_error("term_months", "Enter the first custodial term in months")
        if bool(data.get("detained_start")) != bool(data.get("detained_end")):
            self.add_error("detained_end", "Enter both the first and the last day in custody, or neither")
        return data

    def inputs(self) -> dict:
        data = dict(self.cleaned_data)
        more = [(data.pop(f"term_{n}_months", None), data.pop(f"term_{n}_overlap_months", None)) for n in (2, 3)]
        if more[0][0]:
            terms = [{"term_months": data.pop("term_months"), "consecutive_to": None, "overlap_months": 0}]
            for months, overlap in more:
                if months:
                    terms.append(
                        {"term_months": months, "consecutive_to": len(terms) - 1, "overlap_months": overlap or 0}
                    )
            data["terms"] = terms
        start, end = data.pop("detained_start", None), data.pop("detained_end", None)
        data["detained"] = [{"start": start, "end": end}] if start and end else []
        data["change_kind"] = data.get("change_kind") or None
        return data

    def field_for(self, rule_field: str) -> str:
        head, _, rest = rule_field.partition(".")
        if head in self.TERM_ROWS:
            row = self.TERM_ROWS[head]
            return (
                row.replace("_months", "_overlap_months") if rest == "overlap_months" and row != "term_months" else row
            )
        if head.startswith("detained"):
            return "detained_end"
        return {"change_kind": "change_kind", "settings": "departure_on"}.get(rule_field, rule_field)


class DashForm(CalculatorForm):
    required_messages = {
        "incident_date": "Enter the date of the incident",
    }
    professional_judgement = forms.BooleanField(
        required=False,
        label="Professional judgement: the risk is high",
        help_text="Judgement may raise the grading, never lower it. Give the reason below.",
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label="Reason for your professional judgement",
        help_text="Describe the risk, not the people: nothing you enter here is saved.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    events_last_12_months = whole_number(
        "Domestic-abuse events in the last 12 months",
        help_text="Known to any agency, in the 12 months to the incident date, counting this incident.",
    )
    last_marac_referral = CalculatorDateField(
        label="Date of the last MARAC referral", required=False, help_text="Leave blank if never referred."
    )
    incident_date = CalculatorDateField(label="Date of the incident", help_text="For example, 3 1 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a, dash.ANSWER_LABELS[a]) for a in dash.ANSWERS]
        questions = {}
        for number, q in enumerate(dash.DASH_2009["questions"], start=1):
            questions[q["key"]] = forms.ChoiceField(
                label=f"{number}. {q['topic']}",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer question {number}: yes, no or don't know"},
            )
        self.fields = {**questions, **self.fields}
        self.question_keys = list(questions)

    def questions(self):
        return [self[key] for key in self.question_keys]

    def answers(self) -> list[str]:
        return [self.cleaned_data[key] for key in self.question_keys]

    def inputs(self) -> dict:
        data = self.cleaned_data
        return {
            "answers": self.answers(),
            "professional_judgement": data["professional_judgement"],
            "reason": data["reason"],
            "events_last_12_months": data["events_last_12_months"],
            "last_marac_referral": data["last_marac_referral"],
            "incident_date": data["incident_date"],
        }


class Rm2000Form(CalculatorForm):
    age_at_commencement = whole_number(
        "Age at commencement of risk", help_text="In years, 18 or over (Risk Matrix 2000 is for adult men)."
    )
    sexual_appearances = whole_number(
        "Sexual appearances", help_text="Court appearances for sexual offences, 1 or more."
    )
    criminal_appearances = whole_number("Criminal appearances", help_text="Court appearances for any offence.")
    violent_appearances = whole_number("Violent appearances", help_text="Court appearances for non-sexual violence.")
    any_burglary = forms.BooleanField(required=False, label="Any conviction for burglary")
    aggravating_factors = forms.MultipleChoiceField(
        required=False,
        label="Aggravating factors (/S step 2)",
        help_text="Select all that apply.",
        choices=[(f["key"], f["topic"]) for f in rm2000.RM2000["scales"]["s"]["aggravating_factors"]],
        widget=forms.CheckboxSelectMultiple,
    )


class RfgForm(CalculatorForm):
    required_messages = {
        "as_of": "Enter the ranking date",
    }
    as_of = CalculatorDateField(label="Ranking date", help_text="Usually today. For example, 5 1 2026")
    date_of_birth = CalculatorDateField(
        label="Perpetrator's date of birth",
        required=False,
        help_text="If known: the serial perpetrator test needs 16 or over.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offences = list(Offence.objects.order_by("description").values_list("code", "description"))
        choices = [("", "Not used"), (NON_CRIME, "Non-crime record (no offence)"), *offences]
        for n in range(1, RFG_ROWS + 1):
            self.fields[f"record_{n}_occurred_on"] = CalculatorDateField(
                label=f"Record {n} date", required=False, widget=CompactDateWidget(f"Record {n}")
            )
            # Added after GovukForm styled the declared fields, so each brings its own GOV.UK class.
            self.fields[f"record_{n}_offence_code"] = forms.ChoiceField(
                label=f"Record {n} offence",
                required=False,
                choices=choices,
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )
            self.fields[f"record_{n}_victim"] = forms.CharField(
                label=f"Record {n} victim",
                required=False,
                max_length=4,
                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3", "spellcheck": "false"}),
                error_messages={"max_length": f"Record {n}: {VICTIM_LABEL_IN_ROW}"},
            )
        if not self.is_bound:
            self.initial.setdefault("as_of", timezone.localdate())

    def rows(self):
        return [
            {
                "number": n,
                "occurred_on": self[f"record_{n}_occurred_on"],
                "offence_code": self[f"record_{n}_offence_code"],
                "victim": self[f"record_{n}_victim"],
            }
            for n in range(1, RFG_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        used = 0
        for n in range(1, RFG_ROWS + 1):
            names = {part: f"record_{n}_{part}" for part in ("occurred_on", "offence_code", "victim")}
            if any(name in self.errors for name in names.values()):
                used += 1
                continue
            values = {part: data.get(name) for part, name in names.items()}
            if not any(values.values()):
                continue
            used += 1
            if not values["occurred_on"]:
                self.add_error(names["occurred_on"], f"Record {n}: enter the date")
            if not values["offence_code"]:
                self.add_error(names["offence_code"], f"Record {n}: choose the offence, or non-crime")
            if not values["victim"]:
                self.add_error(names["victim"], f"Record {n}: give the victim a label such as A")
            elif not VICTIM_LABEL.match(values["victim"]):
                self.add_error(names["victim"], f"Record {n}: {VICTIM_LABEL_IN_ROW}")
        if not used:
            self.add_error("record_1_occurred_on", "Enter at least one record")
        return data

    def records(self) -> list[dict]:
        """The rows in use, in order, as the API takes them (``record_rows`` keeps each one's row number)."""
        data = self.cleaned_data
        out = []
        self.record_rows = []
        for n in range(1, RFG_ROWS + 1):
            code = data.get(f"record_{n}_offence_code")
            if not code:
                continue
            self.record_rows.append(n)
            out.append(
                {
                    "occurred_on": data[f"record_{n}_occurred_on"],
                    "offence_code": None if code == NON_CRIME else code,
                    "victim": data[f"record_{n}_victim"],
                }
            )
        return out

    def field_for(self, rule_field: str) -> str:
        found = RECORD_FIELD.match(rule_field)
        rows = getattr(self, "record_rows", [])
        if found and int(found.group(1)) < len(rows):
            return f"record_{rows[int(found.group(1))]}_{found.group(2)}"
        return rule_field


class WorkloadCapacityForm(CalculatorForm):
    required_messages = {
        "default_contracted_hours": "Enter the full-time contracted hours",
        "contracted_hours": "Enter the contracted hours",
        "reduction_hours": "Enter the reduction hours, or 0 if none",
    }
    nominal_target = whole_number("Nominal target (points)", help_text="The grade's nominal target.")
    default_contracted_hours = forms.DecimalField(
        label="Full-time contracted hours", min_value=0, max_digits=5, decimal_places=2, help_text="For example 37."
    )
    contracted_hours = forms.DecimalField(label="Contracted hours", min_value=0, max_digits=5, decimal_places=2)
    reduction_hours = forms.DecimalField(
        label="Reduction hours", min_value=0, max_digits=5, decimal_places=2, help_text="0 if none."
    )
    total_points = whole_number("Points held", help_text="The total points of the cases held now.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("default_contracted_hours", "contracted_hours", "reduction_hours"):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"})
