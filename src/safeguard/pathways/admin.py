"""The programme catalogue is reference data: the area's administrators keep it here. Referrals, release plans
and peer observations are personal records: deliberately not in the admin."""

from django.contrib import admin

from .models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "provider", "pillar", "area", "active")
    list_filter = ("kind", "active", "area")
    search_fields = ("name", "provider")
