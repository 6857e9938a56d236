from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import GovukForm


class SignInForm(GovukForm):
    required_messages = {
        "username": "Enter your username",
        "password": "Enter your password",
    }
    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"})
    )
    password = forms.CharField(max_length=200, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def _code_field(label: str = "Code from your authenticator app") -> forms.RegexField:
    return forms.RegexField(
        label=label,
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


class CodeForm(GovukForm):
    code = _code_field()

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class EnrolmentCodeForm(GovukForm):
    enrolment_code = forms.CharField(
        label="Enrolment code",
        help_text="The code your administrator gave you, for example ABCD-EFGH-JKLM",
        max_length=30,
        error_messages={"required": "Enter the enrolment code your administrator gave you"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}),
    )


class PasswordChangeForm(GovukForm):
    """A new password, for the signed-in user: their current password and, where two-factor sign-in is
    on, a code from their app; the new one is checked by every validator (AUTH_PASSWORD_VALIDATORS,
    which include Django's list of common passwords)."""

    required_messages = {
        "current_password": "Enter your current password",
        "new_password": "Enter a new password",
        "new_password_again": "Enter the new password again",
    }
    current_password = forms.CharField(
        max_length=200, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = _code_field()
    new_password = forms.CharField(
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=" ".join(password_validators_help_texts()),
    )
    new_password_again = forms.CharField(
        label="Confirm the new password",
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, require_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.failed_check = False
        if not require_code:
            del self.fields["code"]

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            self.failed_check = True
            raise ValidationError("Your current password is not right")
        return password

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        devices = TOTPDevice.objects.filter(user=self.user, confirmed=True)
        if not any(device.verify_token(code) for device in devices):
            self.failed_check = True
            raise ValidationError("The code is not right. Enter the 6-digit code your app shows now")
        return code

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", "The two new passwords are not the same")
        elif new:
            try:
                validate_password(new, self.user)
            except ValidationError as error:
                self.add_error("new_password", error)
        return data
