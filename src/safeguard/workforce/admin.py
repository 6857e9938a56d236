"""Django admin for reference data: areas, agencies, teams, staff."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm

from .models import Agency, Area, AreaSettings, Role, Staff, Team


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
