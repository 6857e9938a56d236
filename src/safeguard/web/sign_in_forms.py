from django import forms

from .forms import GovukForm


class SignInForm(GovukForm):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"})
    )
    password = forms.CharField(max_length=200, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(GovukForm):
    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={
            "invalid": "Enter the 6-digit code from your authenticator app",
            "required": "Enter the 6-digit code from your authenticator app",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-5"}
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()
