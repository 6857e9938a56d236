"""Forms for people and the parts of their record. Validation lives in the models; these only collect."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.web.forms import GovukDateField, GovukForm, GovukModelForm

from .models import Address, Alias, LegalHold, Person, Relationship, WarningMarker
from .search import find_people

REASON_HELP = "Optional. Say why, for example the document the change comes from. It is kept in the record's history."


class PersonForm(GovukModelForm):
    required_messages = {
        "gender": "Select the gender",
        "ethnicity": "Select the ethnicity",
    }
    date_of_birth = GovukDateField(required=False, label="Date of birth", help_text="For example, 27 3 1985")
    reason = forms.CharField(
        required=False,
        max_length=200,
        label="Reason for the change",
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Person
        fields = [
            "given_name",
            "middle_names",
            "family_name",
            "date_of_birth",
            "gender",
            "ethnicity",
            *Person.IDENTIFIER_FIELDS,
        ]
        help_texts = {
            "pnc_id": "For example, 2004/0012345D",
            "cro_number": "For example, 012345/04U",
            "nomis_number": "For example, A1234BC",
            "crn": "For example, X123456",
            "visor_ref": "Letters, digits, '/' and '-' only",
        }
        error_messages = {
            "given_name": {"required": "Enter the first name"},
            "family_name": {"required": "Enter the last name"},
        }

    def validate_unique(self):
        """Identifiers held by another record are not refused here, naming that record: the service sends
        them to review (people.services.create_person)."""
        exclude = self._get_validation_exclusions() | set(Person.IDENTIFIER_FIELDS)
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["reason"], self.fields["version"]
        for name in Person.IDENTIFIER_FIELDS:
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-input--width-20", "spellcheck": "false"})


class AliasForm(GovukModelForm):
    required_messages = {
        "kind": "Select the kind of name",
    }
    date_of_birth = GovukDateField(
        required=False, label="Date of birth used with this name", help_text="For example, 27 3 1985"
    )

    class Meta:
        model = Alias
        fields = ["kind", "given_name", "family_name", "date_of_birth"]
        labels = {"kind": "Kind of name"}
        error_messages = {"family_name": {"required": "Enter the last name used"}}


class AddressForm(GovukModelForm):
    required_messages = {
        "kind": "Select the kind of address",
        "from_date": "Enter the date they began living here",
    }
    from_date = GovukDateField(label="Lived here from", help_text="For example, 1 4 2023")
    to_date = GovukDateField(required=False, label="Lived here until", help_text="Leave blank if they still live here")

    class Meta:
        model = Address
        fields = ["kind", "line_1", "line_2", "town", "postcode", "from_date", "to_date"]
        labels = {"kind": "Kind of address"}
        widgets = {"postcode": forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"})}


class EndAddressForm(GovukModelForm):
    required_messages = {
        "to_date": "Enter the date they left",
    }
    to_date = GovukDateField(label="Date they left", help_text="For example, 30 6 2025")

    class Meta:
        model = Address
        fields = ["to_date"]

    def clean_to_date(self):
        value = self.cleaned_data["to_date"]
        if value is None:
            raise forms.ValidationError("Enter the date they left")
        return value


class WarningMarkerForm(GovukModelForm):
    required_messages = {
        "from_date": "Enter the date the warning marker applies from",
    }
    from_date = GovukDateField(label="Applies from", help_text="For example, 1 4 2023")

    class Meta:
        model = WarningMarker
        fields = ["code", "note", "from_date"]
        labels = {"code": "Warning marker", "note": "Note"}
        help_texts = {"note": "What staff need to know to stay safe. Optional."}
        error_messages = {"code": {"required": "Choose a warning marker"}}


class WarningMarkerChangeForm(GovukModelForm):
    """The note and the start date; a different kind of warning is a new marker (and this one removed)."""

    required_messages = {
        "from_date": "Enter the date the warning marker applies from",
    }
    from_date = GovukDateField(label="Applies from", help_text="For example, 1 4 2023")
    reason = forms.CharField(
        required=False,
        max_length=200,
        label="Reason for the change",
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = WarningMarker
        fields = ["note", "from_date"]
        labels = {"note": "Note"}
        help_texts = {"note": "What staff need to know to stay safe. Optional."}


class RemoveWarningMarkerForm(GovukForm):
    reason = forms.CharField(
        max_length=200,
        label="Why is the warning marker being removed?",
        help_text="For example, recorded against the wrong person. It is kept in the record's history.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why the warning marker is being removed"},
    )


RELATIONSHIP_LABELS = {
    "kind": "What this person is to the other person",
    "former": "The relationship has ended (for example, ex-partner)",
    "personal_connection": "How they are personally connected",
    "domestic_abuse": "Domestic abuse in this relationship",
}
RELATIONSHIP_HELP = {
    "former": "",
    "personal_connection": "The Domestic Abuse Act 2021 s.2 ground. Needed if there is domestic abuse.",
    "domestic_abuse": "Tick if either has been abusive to the other.",
}


class RelationshipChangeForm(GovukModelForm):
    """The same questions as adding one, with the two people fixed."""

    required_messages = {
        "personal_connection": "Select how they are personally connected",
    }
    from_date = GovukDateField(required=False, label="Relationship began")
    to_date = GovukDateField(required=False, label="Relationship ended", help_text="Leave blank if it continues")
    reason = forms.CharField(
        required=False,
        max_length=200,
        label="Reason for the change",
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Relationship
        fields = ["kind", "former", "personal_connection", "domestic_abuse", "from_date", "to_date"]
        labels = RELATIONSHIP_LABELS
        help_texts = RELATIONSHIP_HELP
        widgets = {"personal_connection": forms.RadioSelect}
        error_messages = {"kind": {"required": "Choose the relationship"}}


class EndRelationshipForm(GovukModelForm):
    to_date = GovukDateField(
        label="Date the relationship ended",
        help_text="For example, 30 6 2025",
        error_messages={"required": "Enter the date the relationship ended"},
    )

    class Meta:
        model = Relationship
        fields = ["to_date"]

    def clean_to_date(self):
        value = self.cleaned_data["to_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date the relationship ended must be today or in the past")
        return value


class RelationshipForm(GovukModelForm):
    """`other` arrives as a person id picked from a search the user was allowed to make."""

    required_messages = {
        "personal_connection": "Select how they are personally connected",
    }
    from_date = GovukDateField(required=False, label="Relationship began")
    to_date = GovukDateField(required=False, label="Relationship ended", help_text="Leave blank if it continues")

    class Meta:
        model = Relationship
        fields = ["other", "kind", "former", "personal_connection", "domestic_abuse", "from_date", "to_date"]
        labels = RELATIONSHIP_LABELS
        help_texts = RELATIONSHIP_HELP
        widgets = {
            "other": forms.HiddenInput,
            "personal_connection": forms.RadioSelect,
        }
        error_messages = {
            "other": {
                "required": "Search for and choose the other person",
                "invalid_choice": "Search for and choose the other person",
            },
            "kind": {"required": "Choose the relationship"},
        }

    def __init__(self, *args, visible_people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = visible_people if visible_people is not None else Person.objects.none()


class FindPersonForm(GovukForm):
    """A small search for choosing another person. A POST, so that names stay out of URLs."""

    find_name = forms.CharField(
        max_length=120, required=False, label="Name", help_text="First and last name, or last name only"
    )
    find_identifier = forms.CharField(
        max_length=20, required=False, label="Or an identifier", help_text="PNC ID, CRO, NOMIS, CRN or ViSOR"
    )

    def clean(self):
        data = super().clean()
        if not (data.get("find_name") or data.get("find_identifier")) and not self.errors:
            self.add_error("find_name", "Enter a name or an identifier to search for")
        return data

    def search(self, ctx: gate.AccessContext, exclude: set[int] = frozenset()) -> list[Person]:
        """People the user may see who match, best first; the search is audited like any other."""
        data = self.cleaned_data
        matches = find_people(ctx.user, name=data["find_name"], identifier=data["find_identifier"])
        people = [m.person for m in matches if m.person.pk not in exclude]
        criteria = {"name": data["find_name"], "identifier": data["find_identifier"]}
        gate.audit_list(ctx, Operation.SEARCH, Person, [p.pk for p in people], {"criteria": criteria})
        return people


class LegalHoldForm(GovukModelForm):
    required_messages = {
        "reason": "Enter why the records must be kept",
    }

    class Meta:
        model = LegalHold
        fields = ["reason"]
        labels = {"reason": "Why the records must be kept"}
        help_texts = {"reason": "For example the litigation, inquiry or complaint, with its reference."}


class LiftLegalHoldForm(GovukModelForm):
    class Meta:
        model = LegalHold
        fields = ["lift_reason"]
        labels = {"lift_reason": "Why the hold can be lifted"}

    def clean_lift_reason(self):
        reason = self.cleaned_data["lift_reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the hold can be lifted.")
        return reason
