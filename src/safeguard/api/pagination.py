"""Pages of API lists: `page` is a whole number from 1 to the last page; anything else is a 400 naming `page`."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

# Ids and page numbers fit a signed 64-bit integer (PostgreSQL's bigint); SQLite and PostgreSQL both refuse more.
MAX_INTEGER = 2**63 - 1


class ApiPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_INTEGER):
            raise serializers.ValidationError({self.page_query_param: ["Give a whole number from 1."]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            # DRF answers 404 "Invalid page."; here a page past the last one is a bad value of `page`.
            raise serializers.ValidationError({self.page_query_param: ["There is no such page."]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER}
                parameter["description"] = "A page number, from 1 to the last page (a page past the last is a 400)."
        return parameters
