"""The layout's links (base.html), each found once a process rather than on every page.

Every page's header, navigation and footer link to the same pages and load the same static files: ``{% url %}``
and ``{% static %}`` worked them out afresh on every request (about a third of the layout's rendering). A page
that takes no arguments has the same address for every request and every user, given the URL configuration and
the script prefix the site is served under, and a static file the same address given the static files' settings:
``layout_url`` and ``layout_static`` keep each answer under those keys, and write it as the two tags would
(escaped where the template escapes). Nothing about a user or a request is kept.

``primary_navigation`` writes the header's tabs (each a link, marked as the current page's where it is, the tabs
a role sees from the context processor's ``nav_tabs``), as the template's nine lines of ``{% if %}`` and
``{% layout_url %}`` wrote them, character for character (tests/web/base_before.html): some ten tag and twelve
``{% if %}`` nodes on every page, written in one go.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_URLS: dict[tuple[str, str, str], str] = {}
_STATIC: dict[tuple[str, str, int], str] = {}


@register.simple_tag
def layout_url(name: str) -> str:
    """``{% url name %}`` of a page that takes no arguments."""
    return _url(name, _where())


def _where() -> tuple[str, str]:
    """What a page's address depends on besides its name: the URL configuration and the script prefix."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


def _url(name: str, where: tuple[str, str]) -> str:
    key = (name, *where)
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


_INDENT = "\n            "  # the template's indentation of the list's lines (base.html)


def _tab(url: str, current: bool, text: str, where: tuple[str, str]) -> str:
    """One tab: ``<li ...><a ... {% if current %}aria-current="page"{% endif %} href="...">text</a></li>``."""
    marked = 'aria-current="page"' if current else ""
    return (
        f'<li class="moj-primary-navigation__item"><a class="moj-primary-navigation__link" {marked} '
        f'href="{conditional_escape(_url(url, where))}">{text}</a></li>'
    )


@register.simple_tag(takes_context=True)
def primary_navigation(context: template.Context) -> SafeString:
    """The primary navigation's list items (base.html), each tab where the role sees it, the page's marked."""
    nav, section = context.get("nav"), context.get("nav_section")
    tabs = context.get("nav_tabs") or ()
    where = _where()
    lines = [
        _tab("web:home", nav == "home", "My work", where),
        _tab("web:search", nav == "search", "Search", where),
        _tab("calculators:index", nav == "calculators", "Calculators", where),
        _tab("workforce:index", nav == "workforce" or section == "workforce", "Workforce", where)
        if "workforce" in tabs
        else "",
        _tab("oversight:index", nav == "oversight", "Oversight", where) if "oversight" in tabs else "",
        _tab("meetings:forums", nav == "forums" or section == "meetings", "Forums", where)
        + _INDENT
        + _tab("referrals:list", nav == "referrals" or section == "referrals", "Referrals", where)
        if "forums" in tabs
        else "",
        _tab("triage:index", nav == "triage" or section == "triage", "Triage", where) if "triage" in tabs else "",
        _tab("matching:queue", section == "matching", "Possible matches", where) if "matching" in tabs else "",
        f'<li class="moj-primary-navigation__item"><a class="moj-primary-navigation__link" '
        f'href="{conditional_escape(_url("api-docs", where))}">API</a></li>',
    ]
    return mark_safe(_INDENT.join(lines))  # noqa: S308 (constant text; every address escaped above)
