"""Query parameters: only those an operation documents are accepted; any other is a 400 naming it.

A misspelt filter (``?levle=3``) would otherwise be ignored silently and the
caller would read an unfiltered list as if it were filtered.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.settings import api_settings


def accepted_parameters(view) -> set[str]:
    """The query parameters this request's operation documents: its filters, and `page` on a paged list or search."""
    accepted = set()
    action = getattr(view, "action", None)
    filterset_class = getattr(view, "filterset_class", None)
    uses_filters = getattr(view, "filter_backends", api_settings.DEFAULT_FILTER_BACKENDS)
    if filterset_class is not None and action == "list" and uses_filters:
        accepted |= set(filterset_class.base_filters)
    searching = action in getattr(view, "search_actions", ())
    if action in getattr(view, "paged_actions", ()) and (view.request.method == "GET" or searching):
        accepted.add(view.paginator.page_query_param)
    return accepted


class RefuseUnknownParameters:
    """A view mix-in: refuse the request, before anything else is done, when a query parameter is unknown."""

    paged_actions: tuple[str, ...] = ()

    def unknown_parameter_message(self, name: str) -> str:
        return "This query parameter is not accepted here."

    def perform_content_negotiation(self, request, force=False):
        # DRF reads `?format=` to choose a renderer and answers 404 for one it lacks; here `format` is an unknown
        # parameter like any other, refused with a 400 by initial().
        return super().perform_content_negotiation(request, force=force or "format" in request.query_params)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - accepted_parameters(self))
        if unknown:
            raise serializers.ValidationError({name: [self.unknown_parameter_message(name)] for name in unknown})
