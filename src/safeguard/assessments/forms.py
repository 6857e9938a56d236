"""Assessment forms, built from the instrument's versioned definition (the questions are data)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from safeguard.rules import dash
from safeguard.web.forms import GovukDateField, GovukForm

TEXTAREA = {"class": "govuk-textarea", "rows": 3}


class AssessmentForm(GovukForm):
    required_messages = {
        "assessed_on": "Enter the date of the assessment",
    }
    assessed_on = GovukDateField(label="Date of the assessment")

    def __init__(self, *args, definition: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        if not self.is_bound:
            self.initial.setdefault("assessed_on", timezone.localdate())

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the assessment must be today or in the past.")
        return day


class DashForm(AssessmentForm):
    def __init__(self, *args, incidents=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(dash.YES, "Yes"), (dash.NO, "No"), (dash.DONT_KNOW, "Don't know")]
        for number, q in enumerate(self.definition["questions"], start=1):
            self.fields[q["key"]] = forms.ChoiceField(
                label=f"{number}. {q['topic']}",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer question {number}: yes, no or don't know."},
            )
        self.fields["incident"] = forms.TypedChoiceField(
            label="The incident this follows",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "Not linked to a recorded incident"), *[(i.pk, str(i)) for i in incidents]],
        )
        self.fields["incident"].widget.attrs["class"] = "govuk-select"
        self.fields["incident_date"] = GovukDateField(
            label="Date of the incident", error_messages={"required": "Enter the date of the incident"}
        )
        self.fields["professional_judgement"] = forms.BooleanField(
            required=False,
            label="Refer on professional judgement",
            help_text="Judgement may raise the grading, never lower it. Give the reason below.",
        )
        self.fields["reason"] = forms.CharField(
            required=False,
            max_length=2000,
            label="Reason for your professional judgement",
            widget=forms.Textarea(attrs=TEXTAREA),
        )

    def clean(self):
        data = super().clean()
        incident_date, assessed_on = data.get("incident_date"), data.get("assessed_on")
        if incident_date and assessed_on and incident_date > assessed_on:
            self.add_error("incident_date", "The incident must be on or before the date of the assessment.")
        return data


class DaraForm(AssessmentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for theme in self.definition["themes"]:
            self.fields[f"theme_{theme['key']}"] = forms.CharField(
                label=theme["topic"],
                help_text=theme["prompt"],
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs=TEXTAREA),
            )
        self.fields["grade"] = forms.ChoiceField(
            label="Your grading of the risk",
            choices=[(g["key"], g["label"]) for g in self.definition["grades"]],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the risk grading."},
        )
        self.fields["rationale"] = forms.CharField(
            label="Why you graded it so",
            max_length=4000,
            widget=forms.Textarea(attrs=TEXTAREA),
            error_messages={"required": "Enter why you graded the risk so"},
        )


class Rm2000Form(AssessmentForm):
    required_messages = {
        "age_at_commencement": "Enter the age at commencement of risk, in years",
        "sexual_appearances": "Enter the number of sexual appearances",
        "criminal_appearances": "Enter the number of criminal appearances",
        "violent_appearances": "Enter the number of violent appearances",
    }
    age_at_commencement = forms.IntegerField(
        label="Age at commencement of risk", min_value=0, max_value=120, help_text="In years."
    )
    sexual_appearances = forms.IntegerField(label="Sexual appearances", min_value=0, max_value=200)
    criminal_appearances = forms.IntegerField(label="Criminal appearances", min_value=0, max_value=500)
    violent_appearances = forms.IntegerField(label="Violent appearances", min_value=0, max_value=500)
    any_burglary = forms.BooleanField(required=False, label="Any conviction for burglary")
    aggravating_factors = forms.MultipleChoiceField(
        required=False,
        label="Aggravating factors (/S step 2)",
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("male_victim", "Any sexual offence against a male"),
            ("stranger_victim", "Any sexual offence against a stranger"),
            ("never_married", "Never in a marriage-like relationship of two years or more"),
            ("non_contact", "Any non-contact sexual offence"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("age_at_commencement", "sexual_appearances", "criminal_appearances", "violent_appearances"):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"})


class ArmsForm(AssessmentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scales = self.definition.get("rating_scales", {})
        for factor in self.definition["factors"]:
            scale = scales.get(factor["kind"], {}).get("levels", [])
            self.fields[f"rating_{factor['key']}"] = forms.ChoiceField(
                label=factor["label"],
                choices=[(s["key"], s["label"]) for s in scale],
                widget=forms.RadioSelect,
                error_messages={"required": f"Rate {factor['label']}."},
            )
            self.fields[f"evidence_{factor['key']}"] = forms.CharField(
                label=f"Evidence: {factor['label']}",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs=TEXTAREA),
            )
        self.fields["priorities"] = forms.MultipleChoiceField(
            label="Priorities for work",
            widget=forms.CheckboxSelectMultiple,
            choices=[(f["key"], f["label"]) for f in self.definition["factors"]],
            error_messages={"required": "Choose at least one priority for work."},
        )
        self.fields["priority_notes"] = forms.CharField(
            label="What the priorities mean for the risk management plan",
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs=TEXTAREA),
        )


FORMS = {"dash": DashForm, "dash-yp": DashForm, "dara": DaraForm, "rm2000": Rm2000Form, "arms": ArmsForm}
