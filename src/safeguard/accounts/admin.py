"""Changes of role and authenticators in the admin.

The access policy of these records: only an administrator (the administrator role, signed in to the
admin with both factors) may list or ask for changes of role; nobody edits or deletes one (each row is the
record of a decision); a grant is decided by the actions "approve" and "refuse", which the services
check (never by the administrator who asked, never for oneself). Authenticators can be listed and removed,
never added or edited here, and their keys are never shown (OTP_ADMIN_HIDE_SENSITIVE_DATA): removing one
resets the member of staff's sign-in.
"""

import contextlib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.sites import NotRegistered
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access import gate
from safeguard.workforce.models import Role

from . import services
from .models import RoleChange


def is_administrator(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and user.has_role(Role.ADMINISTRATOR)


class RoleChangeForm(forms.ModelForm):
    class Meta:
        model = RoleChange
        fields = ("staff", "kind", "role", "reason")
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.made = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.made = services.request_role_change(
                gate.context_for(self.request), data["staff"], data["kind"], data["role"], data["reason"]
            )
        except services.AccountError as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    form = RoleChangeForm
    list_display = ("staff", "kind", "role", "state", "requested_by", "requested_at", "decided_by", "decided_at")
    list_filter = ("state", "kind", "role")
    search_fields = ("staff__username", "staff__last_name")
    actions = ("approve", "refuse")
    autocomplete_fields = ("staff",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change, **kwargs)

        class WithRequest(base):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return WithRequest

    def save_form(self, request, form, change):
        return form.made  # the service made (and audited) the change when the form was checked

    def save_model(self, request, obj, form, change):
        if obj.state == RoleChange.State.PENDING:
            messages.info(request, "The grant waits for a second administrator's approval: it has no effect yet.")

    def save_related(self, request, form, formsets, change):
        pass

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)

    def has_add_permission(self, request):
        return is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, decide, done: str):
        ctx = gate.context_for(request)
        for change in queryset.select_related("staff", "requested_by"):
            try:
                decide(ctx, change)
            except services.AccountError as error:
                self.message_user(request, f"{change}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{change}: {done}.", messages.SUCCESS)

    @admin.action(description="Approve the selected grants (as the second administrator)")
    def approve(self, request, queryset):
        self._decide(request, queryset, services.approve_role_change, "approved")

    @admin.action(description="Refuse the selected grants")
    def refuse(self, request, queryset):
        self._decide(request, queryset, services.refuse_role_change, "refused")


with contextlib.suppress(NotRegistered):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(TOTPDeviceAdmin):
    """Authenticators may be listed and removed (which resets that sign-in), never added, edited or shown."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request) and (obj is None or obj.user_id != request.user.pk)

    def delete_model(self, request, obj):
        self._reset(request, [obj.user])

    def delete_queryset(self, request, queryset):
        self._reset(request, {device.user for device in queryset.select_related("user")})

    def _reset(self, request, users):
        ctx = gate.context_for(request)
        for user in users:
            try:
                services.reset_sign_in(ctx, user, "authenticator removed by an administrator")
            except services.AccountError as error:
                self.message_user(request, f"{user}: {error}", messages.ERROR)
