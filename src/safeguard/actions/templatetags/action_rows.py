"""``{% action_rows rows show_owner %}``: a table of actions' rows, written in Python (actions.rows_html)."""

from django import template

from safeguard.actions.rows_html import rows_html

register = template.Library()


@register.simple_tag
def action_rows(rows, show_owner=False):
    return rows_html(rows or [], bool(show_owner))
