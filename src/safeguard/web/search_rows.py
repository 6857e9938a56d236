"""The rows of the search results, written in Python.

A search shows up to 50 people, and the template's lookups, filters and URL tags for each row cost more than
the rest of the page's rendering; each row here is the HTML web/search.html drew with a template a row (the
whitespace included; tests/web/test_search_rows.py compares the two). Every value is escaped as the template
escaped it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from . import dates
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


# A number no record has, put in place of the pk to reverse a link once (``_link``).
_PROBE = 9_876_543_210
_LINKS: dict[tuple[str, str, object], tuple[str, str] | None] = {}


def _link(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL whose one argument is an ``<int:...>``: a row has one or more
    links, and reversing each costs more than the rest of the row. Reversed once a script prefix and URLconf
    with a probe number for the pk, which is then written where the probe was (an int converter writes the
    number's digits, which no quoting changes; tests/web/test_search_rows.py compares with ``reverse``)."""
    key = (name, get_script_prefix(), get_urlconf())
    if key not in _LINKS:
        probe = reverse(name, args=[_PROBE])
        before, _, after = probe.partition(str(_PROBE))
        _LINKS[key] = (before, after) if probe.count(str(_PROBE)) == 1 else None
    parts = _LINKS[key]
    if parts is None or type(pk) is not int or pk < 0:
        return reverse(name, args=[pk])
    return f"{parts[0]}{pk}{parts[1]}"


def _text(value: Any) -> str:
    """``{{ value }}`` in a template: localised, then escaped. A plain string localises to itself and Django's
    ``escape`` is ``html.escape``: escaped directly, without the lazy-string wrapper and the SafeString that
    ``conditional_escape`` adds to each value (most of a row's cost once the links are written directly)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(localize(value))


def row_html(match: Match, nominals: Iterable[Nominal]) -> SafeString:
    """One row: the person found (a link to their record), their date of birth, what matched, their nominals
    that the user may see (each a link)."""
    person = match.person
    shown = "<br>".join(
        NOMINAL.format(
            href=_text(_link("offenders:nominal", n.pk)),
            reference=_text(n.reference),
            category=_text(category_words(n.mappa_category)),
            level=_text(n.management_level),
        )
        for n in nominals
    )
    return mark_safe(  # noqa: S308 (every value in it escaped above)
        ROW.format(
            href=_text(_link("people:person", person.pk)),
            name=_text(person.full_name),
            born=_text(dates.long_date(person.date_of_birth) or "Not known"),
            matched_on=_text(capfirst(match.matched_on)),
            nominals=shown or "None",
        )
    )
