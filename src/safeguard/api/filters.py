"""Filters for API lists. Unknown choice codes or malformed values answer 400, keyed by the filter's name."""

from __future__ import annotations

import django_filters

from safeguard.events.models import Incident
from safeguard.offenders.models import Nominal


class NominalFilter(django_filters.FilterSet):
    offender_manager = django_filters.NumberFilter(
        field_name="offender_manager_id", help_text="A member of staff's id."
    )
    local_area = django_filters.NumberFilter(field_name="local_area_id", help_text="A local authority area's id.")

    class Meta:
        model = Nominal
        fields = ["mappa_category", "management_level", "status", "offender_manager", "local_area"]


class IncidentFilter(django_filters.FilterSet):
    occurred_from = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", help_text="On or after this date (YYYY-MM-DD)."
    )
    occurred_to = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", help_text="On or before this date (YYYY-MM-DD)."
    )
    domestic_abuse = django_filters.BooleanFilter(help_text="Only domestic-abuse incidents (true) or only others.")

    class Meta:
        model = Incident
        fields = ["occurred_from", "occurred_to", "domestic_abuse"]
