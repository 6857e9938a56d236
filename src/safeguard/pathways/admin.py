"""The programme catalogue and the area's pathway settings are reference data: the area's administrators keep
them here. Referrals, release plans and peer observations are personal records: deliberately not in the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PathwaySettings, Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "provider", "pillar", "area", "active")
    list_filter = ("kind", "active", "area")
    search_fields = ("name", "provider")


@admin.register(PathwaySettings)
class PathwaySettingsAdmin(SimpleHistoryAdmin):
    list_display = ("area", "checklist_opens_weeks", "substance_misuse_due_days", "follow_up_months")
