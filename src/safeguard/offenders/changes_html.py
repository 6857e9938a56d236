"""A record's recent changes (record_history.Change) written in Python: the HTML offenders/changes_list.html draws.

The nominal page shows its last five changes on every view, each with its fields; the template's loops, lookups
and filters cost more than the rest of the page's content. This writes the same HTML, the whitespace included
(tests/offenders/test_changes_html.py compares the two); every value is escaped as the template escaped it. The
other pages that list changes (the full history, an action, a pathway) keep the template.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from safeguard.record_history import Change, FieldChange
from safeguard.web import dates, html_text

NONE = '\n<p class="govuk-body">No changes recorded.</p>\n\n'
LIST = '\n<ol class="govuk-list sg-changes">\n{changes}\n</ol>\n\n'
CHANGE = (
    '\n  <li class="govuk-!-margin-bottom-4">\n'
    '    <p class="govuk-body govuk-!-margin-bottom-1"><strong>{kind}</strong> by {who} on {when}</p>\n'
    "    {fields}\n"
    "    {why}\n"
    "  </li>\n"
)
FIELDS = '\n    <ul class="govuk-list govuk-list--bullet govuk-!-margin-bottom-1">\n      {items}\n    </ul>\n    '
WHY = '<p class="govuk-body-s govuk-!-margin-bottom-0">Reason: {why}</p>'
FIRST = "<li>{label}: <strong>{new}</strong></li>"
CHANGED = (
    '<li>{label}: <span class="sg-diff-old"><span class="govuk-visually-hidden">from </span>{old}</span>'
    " to <strong>{new}</strong></li>"
)


_text = html_text.text


def _field(f: FieldChange) -> str:
    if f.old is None:
        return FIRST.format(label=_text(f.label), new=_text(f.new))
    return CHANGED.format(label=_text(f.label), old=_text(f.old), new=_text(f.new))


def _change(change: Change) -> str:
    fields = FIELDS.format(items="".join(_field(f) for f in change.fields)) if change.fields else ""
    # dates_in_words keeps its input's escaping: a plain text's result is escaped when shown, as here.
    why = WHY.format(why=conditional_escape(dates.dates_in_words(change.why))) if change.why else ""
    return CHANGE.format(
        kind=_text(change.kind),
        who=_text(change.who),
        when=conditional_escape(dates.long_datetime(change.when)),
        fields=fields,
        why=why,
    )


def changes_html(changes: Sequence[Change]) -> SafeString:
    """offenders/changes_list.html for ``changes`` (newest first), as the template drew it."""
    if not changes:
        return mark_safe(NONE)  # noqa: S308 (no value in it)
    return mark_safe(LIST.format(changes="".join(_change(c) for c in changes)))  # noqa: S308 (every value escaped)
