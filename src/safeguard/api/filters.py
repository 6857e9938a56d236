"""Filters for API lists. Unknown choice codes or malformed values answer 400, keyed by the filter's name.

Ids are whole numbers that fit a 64-bit integer: a longer number or an empty
value is a 400 naming the filter, never a database error.
"""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from safeguard.events.models import Incident
from safeguard.offenders.models import Nominal

from .pagination import MAX_INTEGER


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_INTEGER)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if value is not None and str(value).strip() == "":
            raise forms.ValidationError("Give an id: a whole number from 1.", code="required")
        return super().clean(value)


class TrueOrFalseField(forms.Field):
    """`true` or `false`, as the schema says (not 1, 0, yes or on)."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError("Give true or false.", code="invalid")


class TrueOrFalseFilter(django_filters.BooleanFilter):
    field_class = TrueOrFalseField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_INTEGER})
class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class NominalFilter(django_filters.FilterSet):
    offender_manager = IdFilter(field_name="offender_manager_id", help_text="A member of staff's id.")
    local_area = IdFilter(field_name="local_area_id", help_text="A local authority area's id.")

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
    domestic_abuse = TrueOrFalseFilter(help_text="Only domestic-abuse incidents (true) or only others.")

    class Meta:
        model = Incident
        fields = ["occurred_from", "occurred_to", "domestic_abuse"]
