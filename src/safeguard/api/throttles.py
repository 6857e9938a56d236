"""Per-user request limits for the API (DRF throttles), with search and lists held tighter.

Every request counts against the user's overall limit; a search, or a read of
a page of a list, counts too against the tighter limit of its kind. The
rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from the
environment), read at each request. Over a limit the API answers 429 with a
problem body and a Retry-After header (safeguard.api.errors).
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

USER = "api-user"
SEARCH = "api-search"
BULK_READ = "api-bulk-read"


class _SettingsRateThrottle(UserRateThrottle):
    """DRF reads the rates once, at import; these read the current settings, so a deployment's change applies."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(_SettingsRateThrottle):
    scope = USER


class _KindThrottle(_SettingsRateThrottle):
    def applies(self, request, view) -> bool:
        raise NotImplementedError

    def allow_request(self, request, view):
        if not self.applies(request, view):
            return True
        return super().allow_request(request, view)


class SearchThrottle(_KindThrottle):
    scope = SEARCH

    def applies(self, request, view) -> bool:
        return getattr(view, "action", None) in getattr(view, "search_actions", ())


class BulkReadThrottle(_KindThrottle):
    """A page of a list (GET of a paged action)."""

    scope = BULK_READ

    def applies(self, request, view) -> bool:
        return request.method == "GET" and getattr(view, "action", None) in getattr(view, "paged_actions", ())
