"""The rows of the search results, written in Python.

A search shows up to 50 people, and the template's lookups, filters and URL tags for each row cost more than
the rest of the page's rendering; each row here is the HTML web/search.html drew with a template a row (the
whitespace included; tests/web/test_search_rows.py compares the two). Every value is escaped as the template
escaped it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from . import dates
from .templatetags.govuk import category_words

ROW = """
  <tr class="govuk-table__row">
    <td class="govuk-table__cell"><a class="govuk-link" href="{href}">{name}</a></td>
    <td class="govuk-table__cell">{born}</td>
    <td class="govuk-table__cell">{matched_on}</td>
    <td class="govuk-table__cell">{nominals}</td>
  </tr>
  """
# The columns of a nominal the row shows (the search reads no others).
NOMINAL_FIELDS = ("id", "person_id", "reference", "mappa_category", "management_level")
NOMINAL = '<a class="govuk-link" href="{href}">{reference}</a> ({category}, Level {level})'


def _text(value) -> str:
    """``{{ value }}`` in a template: localised, then escaped."""
    return conditional_escape(localize(value))


def row_html(match, nominals) -> SafeString:
    """One row: the person found (a link to their record), their date of birth, what matched, their nominals
    that the user may see (each a link)."""
    person = match.person
    shown = "<br>".join(
        NOMINAL.format(
            href=conditional_escape(reverse("offenders:nominal", args=[n.pk])),
            reference=_text(n.reference),
            category=_text(category_words(n.mappa_category)),
            level=_text(n.management_level),
        )
        for n in nominals
    )
    return mark_safe(  # noqa: S308 (every value in it escaped above)
        ROW.format(
            href=conditional_escape(reverse("people:person", args=[person.pk])),
            name=_text(person.full_name),
            born=_text(dates.long_date(person.date_of_birth) or "Not known"),
            matched_on=_text(capfirst(match.matched_on)),
            nominals=shown or "None",
        )
    )
