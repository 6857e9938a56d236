"""``{{ value }}`` and ``{% url %}`` as a template writes them, for HTML written in Python (my work's rows, the
actions table's rows, the search's rows, the person page's cards): each compared byte for byte with the template it
replaced in its own tests."""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape


def text(value: Any) -> str:
    """``{{ value }}`` in a template: localised, then escaped (a plain string straight to ``html.escape``, which is
    what Django's ``escape`` does with it, without making a SafeString of each)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(localize(value))


# A number no record has, put in place of the pk to reverse a link once (``href``).
_PROBE = 9_876_543_210
_LINKS: dict[Hashable, tuple[str, str] | None] = {}


def href(name: str, *before: Any) -> Callable[[Any], str]:
    """``{% url name *before pk %}`` as a template writes it (escaped), for any pk: a page has many such links,
    and reversing each costs more than the rest of its row. Reversed once a script prefix and URLconf with a probe
    number for the pk, which is then written where the probe was (an int converter writes the number's digits,
    which no quoting or escaping changes); anything else (a pk that is no plain non-negative int, a URL the probe
    appears in twice) is reversed as ever. tests/web/test_html_text.py compares with ``reverse``."""
    key = (name, before, get_script_prefix(), get_urlconf())
    if key not in _LINKS:
        probe = conditional_escape(reverse(name, args=[*before, _PROBE]))
        head, _, tail = probe.partition(str(_PROBE))
        _LINKS[key] = (head, tail) if probe.count(str(_PROBE)) == 1 else None
    parts = _LINKS[key]

    def written(pk: Any) -> str:
        if parts is None or type(pk) is not int or pk < 0:
            return conditional_escape(reverse(name, args=[*before, pk]))
        return f"{parts[0]}{pk}{parts[1]}"

    return written
