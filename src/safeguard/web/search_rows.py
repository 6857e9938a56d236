"""The rows of the search results, written in Python.

A search shows up to 50 people, and the template's lookups, filters and URL tags for each row cost more than
the rest of the page's rendering; each row here is the HTML web/search.html drew with a template a row (the
whitespace included; tests/web/test_search_rows.py compares the two). Every value is escaped as the template
escaped it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from . import dates, html_text
from .templatetags.govuk import category_words

if TYPE_CHECKING:
    from safeguard.offenders.models import Nominal
    from safeguard.people.search import Match

ROW = """
  <tr class="govuk-table__row">
    <td class="govuk-table__cell"><a class="govuk-link" href="{href}">{name}</a></td>
    <td class="govuk-table__cell">{born}</td>
    <td class="govuk-table__cell">{matched_on}</td>
    <td class="govuk-table__cell">{nominals}</td>
  </tr>
  """
# The columns of a person and of a nominal the row shows (the search reads no others).
PERSON_FIELDS = ("id", "given_name", "middle_names", "family_name", "date_of_birth")
NOMINAL_FIELDS = ("id", "person_id", "reference", "mappa_category", "management_level")
NOMINAL = '<a class="govuk-link" href="{href}">{reference}</a> ({category}, Level {level})'


_text = html_text.text


def _link(name: str, pk: int) -> str:
    """``{% url name pk %}`` as the template wrote it (escaped): ``html_text.href``."""
    return html_text.href(name)(pk)


def row_html(match: Match, nominals: Iterable[Nominal]) -> SafeString:
    """One row: the person found (a link to their record), their date of birth, what matched, their nominals
    that the user may see (each a link)."""
    person = match.person
    shown = "<br>".join(
        NOMINAL.format(
            href=_link("offenders:nominal", n.pk),
            reference=_text(n.reference),
            category=_text(category_words(n.mappa_category)),
            level=_text(n.management_level),
        )
        for n in nominals
    )
    return mark_safe(  # noqa: S308 (every value in it escaped above)
        ROW.format(
            href=_link("people:person", person.pk),
            name=_text(person.full_name),
            born=_text(dates.long_date(person.date_of_birth) or "Not known"),
            matched_on=_text(capfirst(match.matched_on)),
            nominals=shown or "None",
        )
    )
