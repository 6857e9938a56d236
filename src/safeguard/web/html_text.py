"""``{{ value }}`` as a template writes it, for rows written in Python (web.my_work, actions.rows_html)."""

from __future__ import annotations

import html

from django.utils.formats import localize
from django.utils.html import conditional_escape


def text(value) -> str:
    """``{{ value }}`` in a template: localised, then escaped (a plain string straight to ``html.escape``, which is
    what Django's ``escape`` does with it, without making a SafeString of each)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(localize(value))
