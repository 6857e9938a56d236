"""The rows of a table of actions (actions/rows_table.html), written in Python.

An officer's my work lists their open actions (a few dozen each in the national world), and the template's
lookups, filters and URL tag for each row cost more than the rest of the table. Each row here is the HTML the
template drew a row with (the whitespace included; tests/actions/test_rows_html.py compares the two over rows of
every kind), every value escaped as the template escaped it.
"""

from __future__ import annotations

from django.template.defaultfilters import truncatechars
from django.utils.safestring import SafeString, mark_safe

from safeguard.web import dates
from safeguard.web.html_text import href, text

from .models import Action

ROW = """
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="{href}">Action {pk}<span \
class="govuk-visually-hidden"> about {name}</span></a><br><span class="govuk-body-s">{description}</span></td>
      <td class="govuk-table__cell">{name}</td>
      <td class="govuk-table__cell">{forum}</td>
      {owner}
      <td class="govuk-table__cell">{due}
        {tag}
      </td>
    </tr>
  """


def _tag(row: dict, action: Action) -> str:
    if row["overdue"]:
        days = row["days_overdue"]
        return (
            f'<strong class="govuk-tag govuk-tag--red">Overdue by {text(days)} day{"" if days == 1 else "s"}</strong>'
        )
    if row["due_soon"]:
        return '<strong class="govuk-tag govuk-tag--yellow">Due soon</strong>'
    if not action.is_open:
        colour = "govuk-tag--green" if action.status == "complete" else "govuk-tag--grey"
        return f'<strong class="govuk-tag {colour}">{text(action.get_status_display())}</strong>'
    if action.status == "in_progress":
        return '<strong class="govuk-tag govuk-tag--blue">In progress</strong>'
    return ""


def _owner(action: Action) -> str:
    owner = action.owner
    if not owner:
        return '<td class="govuk-table__cell">No named owner</td>'
    return f'<td class="govuk-table__cell">{text(owner.get_full_name() or owner.username)}</td>'


def rows_html(rows: list[dict], show_owner: bool) -> SafeString:
    """The table body's rows for ``action_rows`` rows (each an action and its chasing state)."""
    link = href("actions:action")
    written = []
    for row in rows:
        action = row["action"]
        name = text(action.person.full_name)
        written.append(
            ROW.format(
                href=link(action.pk),
                pk=text(action.pk),
                name=name,
                description=text(truncatechars(action.description, 110)),
                forum=text(str(action.forum)),
                owner=_owner(action) if show_owner else "",
                due=text(dates.long_date(action.due_on)),
                tag=_tag(row, action),
            )
        )
    return mark_safe("".join(written))  # noqa: S308 (every value in it escaped above)
