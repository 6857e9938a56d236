"""Forms for referrals to programmes, release checklists and peer observations (GOV.UK styled, errors that say
what to enter)."""

from __future__ import annotations

from django import forms

from safeguard.rules import interventions as lifecycle
from safeguard.rules import iom_cohort as iom
from safeguard.rules import peer_observation as form_rule
from safeguard.rules import release_pathways as rule
from safeguard.web.forms import GovukDateField, GovukForm
from safeguard.workforce.models import Agency, Course, Staff

from .models import CPD_COURSES, PILLARS, CpdEvent, IomMembership, Programme, ReleasePlan


def _choice(label: str, choices, missing: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, error_messages={"required": missing}, **kwargs
    )


def _text(label: str, help_text: str = "", required: bool = False, missing: str = "") -> forms.CharField:
    field = forms.CharField(
        label=label, help_text=help_text, required=required, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    if missing:
        field.error_messages["required"] = missing
    return field


class VersionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReferForm(GovukForm):
    programme = forms.ModelChoiceField(
        label="Programme or intervention",
        queryset=Programme.objects.none(),
        empty_label="Choose a programme",
        error_messages={"required": "Choose the programme or intervention to refer to."},
    )
    pillar = _choice(
        "Which part of the risk management plan does it serve?",
        list(PILLARS.items()),
        "Choose the part of the risk management plan it serves.",
        initial="interventions_and_treatment",
    )
    next_step_due_on = GovukDateField(
        required=False, label="Next step due", help_text="When the provider should assess. For example, 27 3 2027"
    )
    notes = _text("Notes for the provider", "What the provider needs to know. Kept with the referral.")

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label_from_instance = lambda p: f"{p.name}: {p.get_kind_display()} ({p.provider})"


class StepForm(VersionForm):
    to_status = forms.ChoiceField(
        label="What is the next step?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the next step."},
    )
    on_date = GovukDateField(required=False, label="Date of the step", help_text="Leave empty for today.")
    sessions_attended = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=500,
        label="Sessions attended so far",
        help_text="Only when recording sessions attended, or at completion.",
        error_messages={"invalid": "Enter the number of sessions attended as a whole number, like 6."},
    )
    reason = _text("Reason", "Required when the person dropped out or the referral was refused.")
    next_step_due_on = GovukDateField(
        required=False, label="Next step due", help_text="Shown on the offender manager's work. For example, 27 3 2027"
    )

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, lifecycle.STATUSES[s]) for s in lifecycle.next_statuses(status)]


class ItemForm(VersionForm):
    owner_agency = forms.ModelChoiceField(
        label="Owner agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency that arranges it."},
    )
    due_on = GovukDateField(label="Due", error_messages={"required": "Enter the date it is due."})
    status = _choice("Where is it?", list(rule.ITEM_STATUSES.items()), "Choose where the item is.")
    detail = _text(
        "What is arranged, or why it cannot be",
        "Where, with whom and when; or why not and what is being done instead.",
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies


class OutcomeForm(VersionForm):
    outcome = _choice("What happened on the day?", ReleasePlan.Outcome.choices, "Choose what happened on the day.")
    released_on = GovukDateField(required=False, label="Date of release", help_text="For example, 27 3 2027")
    in_place = forms.MultipleChoiceField(
        label="What was in place on the day?",
        choices=list(rule.PATHWAYS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each pathway that was in place when the person left custody.",
    )
    outcome_notes = _text("Notes", "Anything the team needs to know about the day.")


class ObservationForm(GovukForm):
    first_observer = forms.ModelChoiceField(
        label="First observer",
        queryset=Staff.objects.none(),
        empty_label="Choose an observer",
        error_messages={"required": "Choose the first observer."},
    )
    second_observer = forms.ModelChoiceField(
        label="Second observer",
        queryset=Staff.objects.none(),
        empty_label="Choose an observer",
        error_messages={"required": "Choose the second observer."},
    )
    strengths = _text("What went well", required=True, missing="Say what went well at the meeting.")
    development = _text("What could be better", required=True, missing="Say what could be better at the next meeting.")
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=list(form_rule.THEMES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The themes the coordinators see summarised across meetings.",
    )

    def __init__(self, *args, observers, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_observer", "second_observer"):
            self.fields[name].queryset = observers
            self.fields[name].label_from_instance = lambda s: f"{s.get_full_name() or s.username}, {s.rank_or_grade}"
        for item, label in form_rule.ITEMS.items():
            self.fields[f"rating_{item}"] = _choice(
                label, list(form_rule.RATINGS.items()), f"Choose a rating for {label.lower()}."
            )

    def rating_fields(self):
        return [self[f"rating_{item}"] for item in form_rule.ITEMS]

    def ratings(self) -> dict[str, str]:
        return {item: self.cleaned_data[f"rating_{item}"] for item in form_rule.ITEMS}


class CpdEventForm(GovukForm):
    course = forms.ModelChoiceField(
        label="Which training does it continue?",
        queryset=Course.objects.filter(code__in=CPD_COURSES).order_by("name"),
        empty_label="Choose the course",
        error_messages={"required": "Choose the course the CPD continues."},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title of the session."}
    )
    audience = _choice("Who is it for?", CpdEvent.Audience.choices, "Choose who the session is for.")
    held_on = GovukDateField(label="Date", error_messages={"required": "Enter the date of the session."})
    hours = forms.DecimalField(
        label="Length in hours",
        max_digits=4,
        decimal_places=1,
        error_messages={
            "required": "Enter the length of the session in hours, like 2.5.",
            "invalid": "Enter the length of the session in hours, like 2.5.",
        },
    )
    delivered_by = forms.CharField(
        label="Delivered by", max_length=160, error_messages={"required": "Enter who delivered the session."}
    )
    counts_in_competence = forms.BooleanField(
        required=False,
        label="Counts as a completion of the course",
        help_text="Only where the area counts this CPD as refreshing the course: attendance then counts in competence.",
    )


class AttendanceForm(GovukForm):
    staff = forms.ModelChoiceField(
        label="Who attended?",
        queryset=Staff.objects.none(),
        empty_label="Choose a member of staff",
        error_messages={"required": "Choose the member of staff who attended."},
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: f"{s.get_full_name() or s.username}, {s.rank_or_grade}"


class IomEntryForm(GovukForm):
    neighbourhood_crime = forms.BooleanField(
        required=False,
        label="The offending is neighbourhood crime",
        help_text="Robbery, burglary, vehicle crime or theft from the person: the Fixed cohort.",
    )
    score = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=1000,
        label="Selection score",
        help_text="From the area's scoring tool, if it scored the nominal.",
        error_messages={"invalid": "Enter the selection score as a whole number, like 42."},
    )
    stream = _choice("Which stream does the panel choose?", list(iom.STREAMS.items()), "Choose the cohort stream.")
    reason = _text("The selection panel's reason", required=True, missing="Give the selection panel's reason.")
    next_review_on = GovukDateField(
        label="Next review", error_messages={"required": "Enter the date of the next review."}
    )


class IomReviewForm(VersionForm):
    next_review_on = GovukDateField(
        label="Next review", error_messages={"required": "Enter the date of the next review."}
    )


class IomExitForm(VersionForm):
    exit_reason = _choice(
        "Why does the nominal leave the cohort?", IomMembership.ExitReason.choices, "Choose why the nominal leaves."
    )
    exit_note = _text("Notes", "Required for another reason.")
