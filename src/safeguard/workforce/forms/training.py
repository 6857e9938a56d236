"""Forms for training records: completions, waiting lists, course places, offers, buddies.

The forms check what a person can put right on the page (a missing or
impossible date, an expiry before the completion); the services check the
rules that need the records (an open entry already, places left, a buddy's
MOSOVO) and their errors are shown on the same fields.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.web.forms import GovukDateField, GovukForm

from ..models import Course, Staff, WaitingListEntry
from ..services.training import MIN_REASON_LENGTH

MAX_PLACES = 32767  # the largest number the places column holds; not guidance


def _course_field(label: str = "Course") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Course.objects.order_by("name"),
        label=label,
        empty_label="Choose a course",
        error_messages={"required": "Choose the course", "invalid_choice": "Choose a course from the list"},
    )


def _reason_field(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": f"Give the reason (at least {MIN_REASON_LENGTH} characters)"},
    )


def _date(label: str, *, required: bool = True, hint: str = "", missing: str = "") -> GovukDateField:
    return GovukDateField(
        label=label,
        required=required,
        help_text=hint,
        error_messages={"required": missing or f"Enter the {label[0].lower()}{label[1:]}"},
    )


class CompletionForm(GovukForm):
    """A course completion. ``refresh_hint`` says what an empty expiry means in this area."""

    course = _course_field()
    completed_on = _date(
        "Date completed", hint="For example, 27 3 2025", missing="Enter the date the course was completed"
    )
    expires_on = _date(
        "No longer valid from",
        required=False,
        hint="The first day the course no longer counts, if the certificate gives one.",
    )
    evidence = forms.CharField(
        label="Certificate or evidence",
        required=False,
        max_length=200,
        help_text="A certificate number or where the evidence is kept.",
    )

    def __init__(self, *args, refresh_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if refresh_hint:
            self.fields["expires_on"].help_text += f" Leave empty to use the area's refresh period: {refresh_hint}"

    def clean(self):
        data = super().clean()
        completed, expires = data.get("completed_on"), data.get("expires_on")
        if completed and completed > timezone.localdate():
            self.add_error("completed_on", "The date completed must be today or in the past")
        if completed and expires and expires <= completed:
            self.add_error("expires_on", "The date it is no longer valid from must be after the date completed")
        return data


class CorrectionForm(CompletionForm):
    reason = _reason_field("Reason for the correction", "It is kept in the history of the training record.")


class RemovalForm(GovukForm):
    reason = _reason_field(
        "Reason for removing this completion",
        "For example, recorded against the wrong officer. It is kept in the history.",
    )


class WaitingListForm(GovukForm):
    course = _course_field()
    joined_on = _date(
        "On the waiting list since",
        required=False,
        hint="Leave empty for today. An earlier date keeps the time already waited on another list.",
    )
    note = forms.CharField(label="Note", required=False, max_length=200, help_text="For example, the area's priority.")

    def clean_joined_on(self):
        value = self.cleaned_data.get("joined_on")
        if value and value > timezone.localdate():
            raise ValidationError("The date they joined the list must be today or in the past")
        return value


class PlacesForm(GovukForm):
    course = _course_field()
    offered_by = forms.CharField(
        label="Offered by",
        max_length=160,
        help_text="This force, or the force or body offering the places.",
        error_messages={"required": "Enter who is offering the places"},
    )
    starts_on = _date("Course starts on", hint="For example, 12 6 2026", missing="Enter the date the course starts")
    places = forms.IntegerField(
        label="Number of places",
        min_value=1,
        max_value=MAX_PLACES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "The number of places must be a whole number, like 3",
            "min_value": "Enter at least 1 place",
            "max_value": f"Enter no more than {MAX_PLACES} places",
        },
    )

    def clean_starts_on(self):
        value = self.cleaned_data.get("starts_on")
        if value and value < timezone.localdate():
            raise ValidationError("The date the course starts must be today or in the future")
        return value


class OfferForm(GovukForm):
    entries = forms.ModelMultipleChoiceField(
        queryset=WaitingListEntry.objects.none(),
        label="Offer a place to",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person to offer a place to"},
    )

    def __init__(self, *args, entries=None, left: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["entries"]
        if entries is not None:
            field.queryset = entries
        field.label_from_instance = lambda e: f"{e.staff}, waiting since {e.joined_on.day} {e.joined_on:%B %Y}"
        field.help_text = f"{left} place{'' if left == 1 else 's'} left. The longest waiting are listed first."


class EntryUpdateForm(GovukForm):
    """What happened to a waiting-list entry; the choices depend on where it stands."""

    CHOICES = {
        WaitingListEntry.Status.WAITING: [("withdrawn", "Take them off the waiting list")],
        WaitingListEntry.Status.OFFERED: [
            ("booked", "They took the place: it is booked"),
            ("declined", "They declined the place: back on the waiting list"),
            ("withdrawn", "Take them off the waiting list"),
        ],
        WaitingListEntry.Status.BOOKED: [
            ("completed", "They completed the course"),
            ("withdrawn", "Take them off the waiting list"),
        ],
    }

    action = forms.ChoiceField(
        label="What has happened?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what has happened", "invalid_choice": "Choose what has happened"},
    )
    completed_on = _date("Date completed", required=False, hint="Only when they completed the course.")
    expires_on = _date(
        "No longer valid from",
        required=False,
        hint="Only when they completed the course: the first day it no longer counts, if the certificate gives "
        "one. Leave empty to use the area's refresh period.",
    )
    evidence = forms.CharField(label="Certificate or evidence", required=False, max_length=200)
    reason = forms.CharField(
        label="Reason for taking them off the list",
        required=False,
        max_length=200,
        help_text="Only when taking them off the list. It is kept in the entry's history.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, status: str = WaitingListEntry.Status.WAITING, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = self.CHOICES.get(status, [])

    def clean(self):
        data = super().clean()
        action = data.get("action")
        completed, expires = data.get("completed_on"), data.get("expires_on")
        if action == "completed":
            if not completed and "completed_on" not in self.errors:
                self.add_error("completed_on", "Enter the date the course was completed")
            elif completed and completed > timezone.localdate():
                self.add_error("completed_on", "The date completed must be today or in the past")
            if completed and expires and expires <= completed:
                self.add_error("expires_on", "The date it is no longer valid from must be after the date completed")
        if action == "withdrawn" and len((data.get("reason") or "").strip()) < MIN_REASON_LENGTH:
            self.add_error("reason", f"Give the reason for the withdrawal (at least {MIN_REASON_LENGTH} characters)")
        return data


class BuddyForm(GovukForm):
    buddy = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        label="Buddy",
        empty_label="Choose a buddy",
        error_messages={"required": "Choose a buddy", "invalid_choice": "Choose a buddy from the list"},
    )
    started_on = _date("Pairing starts on", required=False, hint="Leave empty for today.")

    def __init__(self, *args, buddies=None, courses: str = "MOSOVO", **kwargs):
        super().__init__(*args, **kwargs)
        if buddies is not None:
            self.fields["buddy"].queryset = buddies
        self.fields[
            "buddy"
        ].help_text = f"Only colleagues whose training you can see and whose {courses} counts today are listed."
        self.fields["buddy"].label_from_instance = lambda s: f"{s}{', ' + s.rank_or_grade if s.rank_or_grade else ''}"

    def clean_started_on(self):
        value = self.cleaned_data.get("started_on")
        if value and value > timezone.localdate():
            raise ValidationError("The date the pairing starts must be today or in the past")
        return value


class EndBuddyForm(GovukForm):
    ended_on = _date("Pairing ends on", required=False, hint="Leave empty for today.")

    def clean_ended_on(self):
        value = self.cleaned_data.get("ended_on")
        if value and value > timezone.localdate():
            raise ValidationError("The date the pairing ends must be today or in the past")
        return value
