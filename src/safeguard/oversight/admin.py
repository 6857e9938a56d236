from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LocalAreaSettings, MaracSettings, OversightSettings


@admin.register(OversightSettings)
class OversightSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("area", "small_number_threshold", "population", "population_basis")


@admin.register(MaracSettings)
class MaracSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("forum", "adult_women", "adult_women_source")


@admin.register(LocalAreaSettings)
class LocalAreaSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("area", "adult_women", "idva_posts")
