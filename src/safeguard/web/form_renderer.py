"""Django's form renderer, with a select's options, and the plain inputs, written in Python rather than by templates.

Django draws a select by including ``select_option.html`` (and ``attrs.html`` within it) once for every
option: a nominal's change form lists every offender manager of a national-size area, a few hundred
options, and cost some 300 ms of CPU a page doing it. ``SelectFirst.render`` writes the very same HTML as
Django's templates (``select.html``, ``select_option.html``, ``attrs.html`` of Django 5.2, copied below
character for character; tests/web/test_form_renderer.py compares the two on selects of every kind and on
a nominal's change form), and hands any other template, or an option drawn by another template, to Django's templates.

A plain input (``text.html``, ``number.html`` and the others that only include ``input.html``) and a textarea
are the same: three nested templates (the widget's, ``input.html``, ``attrs.html``) for one element, some
0.1 ms each, a dozen on a page of the load mix (search's form, a nominal's change form with its dates).
``input_html`` and ``textarea_html`` write them as those templates do; ``widget_include`` is ``{% include
sub.template_name with widget=sub %}`` for a multi-widget's parts (web/widgets/date.html), which Django's
``include`` leaves unstripped.
"""

from __future__ import annotations

import html
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
TEXTAREA = "django/forms/widgets/textarea.html"
# Django 5.2's widget templates that are ``{% include "django/forms/widgets/input.html" %}`` and nothing else.
INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("text", "hidden", "number", "date", "email", "password", "search", "tel", "url", "datetime", "time")
)


def _value(value: Any) -> str:
    """``{{ value }}`` in a template: localised, then escaped."""
    if type(value) is str:  # a plain string (not safe, not lazy): localize keeps it, escape is html.escape
        return html.escape(value)
    return conditional_escape(localize(value))


def _string(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe string safe; anything else is escaped."""
    if type(value) is int or type(value) is str:  # an id or a plain string (not a bool, not safe, not lazy)
        return html.escape(str(value))
    text = "%s" % (str(value) if isinstance(value, tuple) else value)  # noqa: UP031 (Django's filter, exactly)
    # mark_safe only what was safe already, as Django's is_safe filters do; everything else is escaped here.
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_value(name)}" if value is True else f' {_value(name)}="{_string(value)}"')
    return "".join(out)


def select_html(widget: dict[str, Any]) -> str:
    """``select.html`` with ``select_option.html`` for each option, as Django's templates write it."""
    parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts).strip()


def input_html(widget: dict[str, Any]) -> str:
    """``input.html`` (with ``attrs.html``), as Django's templates write it."""
    value = widget["value"]
    shown = f' value="{_string(value)}"' if value != None else ""  # noqa: E711 (the template's ``!= None``, exactly)
    return f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def textarea_html(widget: dict[str, Any]) -> str:
    """``textarea.html``, as Django's templates write it."""
    value = widget["value"]
    shown = _value(value) if value else ""
    return f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n{shown}</textarea>'


def python_html(template_name: str, widget: Any) -> str | None:
    """The widget's HTML written here, or None for a template (or a widget) this module does not write."""
    if not isinstance(widget, dict):
        return None
    if template_name in INPUTS and widget.get("template_name") == template_name and "type" in widget:
        return input_html(widget)
    if template_name == TEXTAREA and widget.get("template_name") == template_name:
        return textarea_html(widget)
    return None


class SelectFirst(DjangoTemplates):
    """Django's DjangoTemplates form renderer; a select of Django's own templates is written in Python."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if (
            template_name == SELECT
            and widget is not None
            and all(option.get("template_name") == OPTION for _, group, _ in widget["optgroups"] for option in group)
        ):
            return select_html(widget)  # as Django's renderer: a plain string, marked safe by the widget
        written = python_html(template_name, widget)
        if written is not None:
            return written
        return super().render(template_name, context, request=request)
