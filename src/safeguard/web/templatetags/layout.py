"""The layout's links (base.html), each found once a process rather than on every page.

Every page's header, navigation and footer link to the same pages and load the same static files: ``{% url %}``
and ``{% static %}`` worked them out afresh on every request (about a third of the layout's rendering). A page
that takes no arguments has the same address for every request and every user, given the URL configuration and
the script prefix the site is served under, and a static file the same address given the static files' settings:
``layout_url`` and ``layout_static`` keep each answer under those keys, and write it as the two tags would
(escaped where the template escapes). Nothing about a user or a request is kept.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_URLS: dict[tuple[str, str, str], str] = {}
_STATIC: dict[tuple[str, str, int], str] = {}


@register.simple_tag
def layout_url(name: str) -> str:
    """``{% url name %}`` of a page that takes no arguments."""
    key = (name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    found = _URLS.get(key)
    if found is None:
        found = _URLS[key] = reverse(name)
    return found


@register.simple_tag
def layout_static(path: str) -> str:
    """``{% static path %}``."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    key = (path, settings.STATIC_URL or "", id(staticfiles_storage._wrapped))
    found = _STATIC.get(key)
    if found is None:
        found = _STATIC[key] = static(path)
    return found
