"""The layout's links, found once a process (web/templatetags/layout.py), are the ones Django's tags write."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import engines
from django.templatetags.static import static
from django.urls import reverse, set_script_prefix

from safeguard.web.context_processors import NAV_TABS
from safeguard.web.templatetags.layout import layout_static, layout_url, primary_navigation

BASE = Path(__file__).resolve().parents[2] / "src" / "safeguard" / "web" / "templates" / "base.html"
BEFORE = Path(__file__).resolve().parent / "base_before.html"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _names(tag: str) -> list[str]:
    return re.findall(rf"\{{% {tag} '([^']+)' %\}}", BASE.read_text())


def test_the_layout_s_links_are_django_s_under_any_script_prefix():
    names, paths = _names("layout_url"), _names("layout_static")
    assert names and paths
    try:
        for prefix in ("/", "/safeguard/"):
            set_script_prefix(prefix)
            for name in names:
                assert layout_url(name) == reverse(name) and reverse(name).startswith(prefix)
            for path in paths:
                assert layout_static(path) == static(path)
    finally:
        set_script_prefix("/")


def test_the_tabs_links_are_django_s_under_any_script_prefix():
    """The primary navigation (written in Python, not by {% url %}) links where Django's reverse does."""
    from django.template import Context

    names = ["web:home", "web:search", "calculators:index", "workforce:index", "oversight:index"]
    names += ["meetings:forums", "referrals:list", "triage:index", "matching:queue", "api-docs"]
    try:
        for prefix in ("/", "/safeguard/"):
            set_script_prefix(prefix)
            written = primary_navigation(Context({"nav_tabs": frozenset(NAV_TABS)}))
            assert re.findall(r'href="([^"]+)"', written) == [reverse(name) for name in names]
    finally:
        set_script_prefix("/")


SECTIONS = ["web:home", "referrals:list", "workforce:index", "meetings:forums", "triage:index", "matching:queue"]


@pytest.mark.parametrize("who", ["om", "coordinator", "marac", "supervisor", "chair", "idva", "partner", "analyst"])
def test_every_page_s_layout_is_what_the_template_before_wrote(world, sign_in, who):
    """base.html writes, byte for byte, what it wrote with Django's {% url %} and {% static %} and the tabs decided
    role by role in the template (tests/web/base_before.html), for every role, tab and section."""
    client = sign_in(getattr(world.users, who))
    engine = engines["django"]
    before = engine.from_string(BEFORE.read_text())
    after = engine.from_string("{% extends 'base.html' %}")
    for section in SECTIONS:
        request = client.get(reverse(section)).wsgi_request
        for nav in ("home", "search", "calculators", "workforce", "oversight", "forums", "referrals", "triage", ""):
            ours = after.render({"nav": nav}, request)
            assert "Sign out" in ours
            assert TOKEN.sub("", ours) == TOKEN.sub("", before.render({"nav": nav}, request))
