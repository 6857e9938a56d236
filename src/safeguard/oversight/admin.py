from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import OversightSettings


@admin.register(OversightSettings)
class OversightSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("area", "small_number_threshold", "population", "population_basis")
