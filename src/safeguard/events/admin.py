"""Offences are reference data an administrator extends; incidents and convictions are personal
records and are kept out of the admin, which has no access gate."""

from django.contrib import admin

from .models import Offence


@admin.register(Offence)
class OffenceAdmin(admin.ModelAdmin):
    list_display = ("code", "description", "statute", "soa_schedule_3", "cja_schedule_15", "domestic_abuse_related")
    list_filter = ("soa_schedule_3", "cja_schedule_15", "domestic_abuse_related")
    search_fields = ("code", "description", "statute")
