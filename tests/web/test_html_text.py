"""``html_text``: ``{{ value }}`` and ``{% url %}`` as a template writes them, for HTML written in Python."""

from __future__ import annotations

import datetime as dt

from django.template import engines
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils.html import conditional_escape

from safeguard.web import html_text


def test_a_link_is_what_the_url_tag_writes():
    before = get_script_prefix()
    try:
        for prefix in ("/", "/safeguard/", "/a b/", "/r&d/"):
            set_script_prefix(prefix)
            for name, args in (("people:person", ()), ("offenders:nominal", ()), ("people:change-alias", (3,))):
                link = html_text.href(name, *args)
                for pk in (0, 1, 7, 10, 99, 12345, 9_876_543_210, 10**12 + 1):
                    assert link(pk) == conditional_escape(reverse(name, args=[*args, pk])), (prefix, name, pk)
                    drawn = engines["django"].from_string("{% url name a pk %}" if args else "{% url name pk %}")
                    assert link(pk) == drawn.render({"name": name, "a": args[0] if args else None, "pk": pk})
    finally:
        set_script_prefix(before)


def test_a_value_is_what_the_template_writes():
    drawn = engines["django"].from_string("{{ v }}")
    for value in ("plain", '<b>O\'Neil & "Co"</b>', 12345, 0, 3.5, dt.date(2026, 12, 7), None, True):
        assert html_text.text(value) == drawn.render({"v": value}), value
