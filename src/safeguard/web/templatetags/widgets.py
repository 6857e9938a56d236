"""``{% widget_include sub %}``: a multi-widget's part, as ``{% include sub.template_name with widget=sub %}``.

A plain input or a textarea is written in Python (web/form_renderer.py), the rest by its template as the include
would. Django's ``include`` does not strip what the widget's templates end with (``input.html``'s line end, then
the widget template's own), so neither does this.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from safeguard.web.form_renderer import INPUTS, python_html

register = template.Library()


@register.simple_tag(takes_context=True)
def widget_include(context: template.Context, sub: dict[str, Any]) -> str:
    name = sub["template_name"]
    written = python_html(name, sub)
    if written is not None:
        # input.html ends with a line end, and so does text.html (and the others) that includes it; textarea.html
        # ends with its own.
        return mark_safe(written + ("\n\n" if name in INPUTS else "\n"))  # noqa: S308 (escaped in form_renderer)
    assert context.template is not None  # a tag is only rendered within a template
    found = context.template.engine.get_template(name)
    with context.push(widget=sub):
        return found.render(context)
