"""Django admin for reference data: areas, agencies, teams, staff, the course catalogue and course places.

A member of staff's own training records (completions, waiting lists, buddies) are not here: they are
recorded by the supervisor of their team on the training pages, through the gate and audited.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm

from .models import Agency, Area, AreaSettings, Course, CoursePlace, Role, Staff, Team


class StaffChangeForm(UserChangeForm):
    roles = forms.MultipleChoiceField(choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple)

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
        *UserAdmin.fieldsets,
        ("Work", {"fields": ("agency", "team", "rank_or_grade", "roles")}),
    )


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
