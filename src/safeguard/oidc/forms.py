"""The administrator's form: which member of staff, and their subject at the provider."""

from __future__ import annotations

from django import forms

from safeguard.web.forms import GovukForm
from safeguard.workforce.models import Staff

from . import config
from .claims import subject_key

CLAIM_HELP = {
    "iss": "The issuer exactly as in the ID token.",
    "sub": "The subject identifier the provider gives this person for Safeguard (the sub claim).",
    "oid": "The person's object ID in Entra ID (the oid claim).",
    "tid": "The directory (tenant) ID in Entra ID (the tid claim).",
}


class LinkFormBase(GovukForm):
    username = forms.CharField(
        label="Safeguard username",
        max_length=150,
        error_messages={"required": "Enter the Safeguard username of the member of staff"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-20"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        staff = Staff.objects.filter(username=username).first()
        if staff is None:
            raise forms.ValidationError("There is no member of staff with this username.")
        self.cleaned_data["staff"] = staff
        return username

    def subject(self) -> str:
        return subject_key({n: self.cleaned_data[n] for n in config.subject_claims()}, config.subject_claims())


def link_form(*args, **kwargs) -> LinkFormBase:
    """The form with one field per configured subject claim."""
    fields = {}
    for name in config.subject_claims():
        initial = config.issuer() if name == "iss" and config.enabled() else None
        fields[name] = forms.CharField(
            label=f"Claim {name}",
            max_length=250,
            initial=initial,
            help_text=CLAIM_HELP.get(name, f"The value of the {name} claim in this person's ID token."),
            error_messages={"required": f"Enter the value of the {name} claim"},
            widget=forms.TextInput(attrs={"spellcheck": "false"}),
        )
    form_class = type("LinkForm", (LinkFormBase,), fields)
    return form_class(*args, **kwargs)
