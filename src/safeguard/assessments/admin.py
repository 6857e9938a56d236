"""Instrument versions are reference data: an area loads a licensed edition here. Assessments are personal
records and stay out of the admin, which has no access gate."""

from django.contrib import admin

from .models import InstrumentVersion


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "edition", "name", "status", "current", "loaded_at")
    list_filter = ("code", "status", "current")

    def get_readonly_fields(self, request, obj=None):
        # A version in use is never edited: assessments point at it. Load a new edition instead.
        return ("code", "edition", "definition") if obj and obj.assessments.exists() else ()
