"""Django admin for reference data: areas, agencies, teams, staff, the course catalogue and course places.

A member of staff's roles are read-only here: they change only through "changes of role"
(safeguard.accounts), granted by one administrator and, for a role that reaches case records, approved by
another. Resetting a password here also removes the authenticator and ends the sessions (the member of
staff enrols again with a new enrolment code); nobody resets their own sign-in here.

A member of staff's own training records (completions, waiting lists, buddies) are not here: they are
recorded by the supervisor of their team on the training pages, through the gate and audited.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from safeguard.access import gate
from safeguard.accounts import services
from safeguard.accounts.models import ENROLMENT_CODE_HOURS

from .models import Agency, Area, AreaSettings, Course, CoursePlace, Staff, Team


class StaffChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = Staff


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "area")
    list_filter = ("kind", "area")
    search_fields = ("name", "code")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "area")
    list_filter = ("agency",)


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    form = StaffChangeForm
    list_display = ("username", "first_name", "last_name", "agency", "team", "rank_or_grade", "is_active")
    list_filter = ("agency", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Account", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
        ("Work", {"fields": ("agency", "team", "rank_or_grade", "roles")}),
    )
    # Roles change through "changes of role"; the admin flags follow the administrator role.
    readonly_fields = ("roles", "is_staff", "is_superuser", "last_login", "date_joined")
    actions = ("issue_enrolment_code", "reset_sign_in")

    def user_change_password(self, request, id, form_url=""):
        if str(id) == str(request.user.pk):
            raise PermissionDenied("Change your own password from your account page.")
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            services.reset_sign_in(gate.context_for(request), self.get_object(request, id), services.PASSWORD_RESET)
            messages.info(
                request,
                "Their authenticator was removed and their sessions ended. Another administrator must now issue "
                "their enrolment code (an action on the staff list) so that they can set up their app again.",
            )
        return response

    def _one(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select one member of staff.", messages.ERROR)
            return None
        return queryset.get()

    def _show_code(self, request, staff, code, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "staff": staff,
            "code": code,
            "hours": ENROLMENT_CODE_HOURS,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/enrolment_code.html", context)

    @admin.action(description="Issue an enrolment code (to set up a first authenticator app)")
    def issue_enrolment_code(self, request, queryset):
        staff = self._one(request, queryset)
        if staff is None:
            return None
        try:
            code = services.issue_enrolment_code(gate.context_for(request), staff)
        except services.AccountError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        return self._show_code(request, staff, code, "Enrolment code")

    @admin.action(description="Reset sign-in: remove the authenticator, end the sessions, issue an enrolment code")
    def reset_sign_in(self, request, queryset):
        staff = self._one(request, queryset)
        if staff is None:
            return None
        ctx = gate.context_for(request)
        try:
            services.reset_sign_in(ctx, staff, "sign-in reset by an administrator")
            code = services.issue_enrolment_code(ctx, staff)
        except services.AccountError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        return self._show_code(request, staff, code, "Sign-in reset")


@admin.register(AreaSettings)
class AreaSettingsAdmin(admin.ModelAdmin):
    """The rules' settings of each MAPPA area; every default comes from safeguard.rules with its source."""

    list_display = ("area", "level2_review_weeks", "level3_review_weeks", "level_before_release_months")


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    """The course catalogue. Codes (and so what each course allows) are the rules'; administrators keep the
    names, who takes each course and who delivers it. A course in use cannot be deleted (its records are kept)."""

    list_display = ("name", "code", "audience", "provider")
    search_fields = ("name", "code")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()


@admin.register(CoursePlace)
class CoursePlaceAdmin(admin.ModelAdmin):
    """Places on course runs for an area's waiting lists (not a member of staff's record)."""

    list_display = ("course", "offered_by", "starts_on", "places", "area")
    list_filter = ("course", "area")
    date_hierarchy = "starts_on"
    exclude = ("recorded_by", "recorded_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
