"""Forms for recording and changing convictions and incidents. The models validate; these collect."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from safeguard.web.forms import GovukDateField, GovukModelForm
from safeguard.workforce.models import Area

from .models import TERM_REQUIRED, Conviction, Incident, IncidentPerson, IncidentRole, Notification, Offence

CHOOSE_OFFENCE = "Choose an offence from the list"
OFFENCE_HINT = "Start typing the offence or its statute, then choose it from the list"
_TIME = re.compile(r"^(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)$")


class ConvictionForm(GovukModelForm):
    required_messages = {
        "kind": "Select whether it was a conviction, a caution or a finding",
        "relevant_date": "Enter the date of the conviction, finding or caution",
        "overlap_months": "Enter how many months the two terms run together, or 0",
    }
    conditionally_required = frozenset({"term_months", "discharge_months"})
    offence_date = GovukDateField(required=False, label="Date of the offence")
    relevant_date = GovukDateField(label="Date of conviction, finding or caution", help_text="For example, 14 2 2019")
    sentence_date = GovukDateField(required=False, label="Date of sentence")
    licence_or_order_end = GovukDateField(
        required=False,
        label="Licence or hospital order ends",
        help_text="For custody of 12 months or more, or a hospital order: MAPPA Category 2 lasts until then.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Conviction
        fields = [
            "kind",
            "offence",
            "offence_date",
            "relevant_date",
            "court",
            "disposal",
            "sentence_date",
            "term_months",
            "discharge_months",
            "consecutive_to",
            "overlap_months",
            "licence_or_order_end",
            "soa_schedule_3",
            "cja_schedule_15",
        ]
        labels = {"kind": "What was recorded", "term_months": "Custodial term in months"}
        help_texts = {
            "term_months": "Needed for imprisonment or detention. For life or IPP, leave blank.",
            "discharge_months": "Needed for a conditional discharge. It runs from the date of sentence where that "
            "is later than the conviction (an adjourned sentence): enter the date of sentence above.",
            "consecutive_to": "If this term was ordered to follow another term of this person's (consecutive, or "
            "partly concurrent), choose that conviction: the notification period is then worked out from the "
            "terms added together (two consecutive 18-month terms count as 36 months). Leave blank for a "
            "concurrent or single term.",
            "overlap_months": "For partly concurrent terms: how many months the two terms run together (they count as "
            "the two terms less the overlap). 0 for consecutive terms.",
            "soa_schedule_3": "Leave both unticked to take the flags from the offence list.",
        }
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "offence": {"required": CHOOSE_OFFENCE, "invalid_choice": CHOOSE_OFFENCE},
            "disposal": {"required": "Choose the disposal"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence"].queryset = Offence.objects.all()
        self.fields["offence"].empty_label = ""
        self.fields["offence"].widget.attrs["data-sg-autocomplete"] = "offences"
        self.fields["offence"].help_text = OFFENCE_HINT
        person_id = self.instance.person_id
        others = Conviction.objects.filter(person_id=person_id, disposal__in=list(TERM_REQUIRED)).exclude(
            term_months=None
        )
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["consecutive_to"].queryset = others.select_related("offence")
        self.fields["consecutive_to"].empty_label = "Does not follow another term"
        self.fields["overlap_months"].required = False

    def clean_overlap_months(self) -> int:
        return self.cleaned_data.get("overlap_months") or 0


def local_areas_of(user) -> forms.models.QuerySet:
    return Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY, parent_id=user.mappa_area_id)


class IncidentDetailsForm(GovukModelForm):
    """What happened, when and where: the incident without its people (changed on a page of their own)."""

    required_messages = {
        "occurred_on": "Enter the date of the incident",
    }
    occurred_on = GovukDateField(label="Date of the incident", help_text="For example, 14 2 2025")
    occurred_time = forms.CharField(
        label="Time of the incident",
        max_length=5,
        help_text="Use the 24-hour clock, for example 21:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the time of the incident"},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Incident
        fields = ["reference", "place", "local_area", "domestic_abuse", "offence", "summary"]
        labels = {
            "local_area": "Local authority area",
            "domestic_abuse": "This is a domestic-abuse incident",
            "offence": "Offence",
        }
        help_texts = {"reference": "The force's incident or crime reference"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "reference": {
                "required": "Enter the police reference",
                "unique": "An incident with this police reference is already recorded",
            },
            "local_area": {"required": "Choose the local authority area", "invalid_choice": "Choose an area"},
            "offence": {"invalid_choice": CHOOSE_OFFENCE},
        }

    def __init__(self, *args, user, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.occurred_at:
            local = timezone.localtime(instance.occurred_at)
            kwargs["initial"] = {
                "occurred_on": local.date(),
                "occurred_time": f"{local:%H:%M}",
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        self.fields["local_area"].queryset = local_areas_of(user)
        self.fields["local_area"].empty_label = "Choose an area"
        self.fields["offence"].queryset = Offence.objects.all()
        self.fields["offence"].required = False
        self.fields["offence"].empty_label = "None or not known"
        self.fields["offence"].widget.attrs["data-sg-autocomplete"] = "offences"
        self.fields["offence"].help_text = OFFENCE_HINT

    def clean_occurred_time(self) -> dt.time:
        match = _TIME.match(self.cleaned_data["occurred_time"].strip())
        if not match:
            raise forms.ValidationError("Enter the time as hours and minutes on the 24-hour clock, like 21:30")
        return dt.time(int(match["hour"]), int(match["minute"]))

    def clean(self):
        data = super().clean()
        day, time = data.get("occurred_on"), data.get("occurred_time")
        if day and time:
            occurred = timezone.make_aware(dt.datetime.combine(day, time))
            if occurred > timezone.now():
                self.add_error("occurred_on", "The incident date and time must be now or in the past")
            else:
                self.instance.occurred_at = occurred
        return data


class IncidentForm(IncidentDetailsForm):
    """The incident, and a role for each person chosen for it (fields role_<person id>)."""

    def __init__(self, *args, user, people, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.people = people
        for person in people:
            self.fields[f"role_{person.pk}"] = forms.ChoiceField(
                label=f"Role of {person.full_name}",
                choices=[("", "Choose a role"), *IncidentRole.choices],
                error_messages={"required": f"Choose the role of {person.full_name}"},
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )

    @property
    def role_fields(self):
        return [self[f"role_{p.pk}"] for p in self.people]

    @property
    def detail_fields(self):
        return [self[name] for name in self.fields if not name.startswith("role_")]

    def clean(self):
        if not self.people:
            super().clean()
            raise forms.ValidationError("Add at least one person to the incident")
        return super().clean()

    def people_with_roles(self) -> list[tuple[object, str]]:
        return [(p, self.cleaned_data[f"role_{p.pk}"]) for p in self.people]


class IncidentPersonForm(GovukModelForm):
    """The role of one more person in a recorded incident."""

    class Meta:
        model = IncidentPerson
        fields = ["role"]
        error_messages = {"role": {"required": "Choose their role in the incident"}}

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].label = f"Role of {person.full_name}"
        self.fields["role"].choices = [("", "Choose a role"), *IncidentRole.choices]


class NotificationForm(GovukModelForm):
    required_messages = {
        "kind": "Select the kind of notification",
        "notified_on": "Enter the date notified",
    }
    notified_on = GovukDateField(label="Date notified")
    event_on = GovukDateField(
        required=False, label="Date of the change", help_text="For a change: the day it happened."
    )
    departure_on = GovukDateField(required=False, label="Date of departure", help_text="For foreign travel.")
    return_on = GovukDateField(required=False, label="Date of return", help_text="For foreign travel, if known.")

    class Meta:
        model = Notification
        fields = [
            "kind",
            "notified_on",
            "change",
            "event_on",
            "departure_on",
            "return_on",
            "destination",
            "police_station",
        ]
        widgets = {"kind": forms.RadioSelect}
