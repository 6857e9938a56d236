"""Template filters for dates as a person reads them (web/dates.py). Built in to every template (settings)."""

from __future__ import annotations

from django import template

from safeguard.web import dates

register = template.Library()


@register.filter
def govuk_date(value) -> str:
    """{{ day|govuk_date }}: "6 December 2026"."""
    return dates.long_date(value)


@register.filter
def govuk_datetime(value) -> str:
    """{{ moment|govuk_datetime }}: "6 December 2026 at 2:30pm"."""
    return dates.long_datetime(value)


@register.filter
def govuk_time(value) -> str:
    """{{ moment|govuk_time }}: "2:30pm"."""
    return dates.time_of_day(value) if value else ""


@register.filter(is_safe=True)
def dates_in_words(value) -> str:
    """{{ step.text|dates_in_words }}: a generated text's ISO dates as words. Keeps the value's escaping."""
    if value is None:
        return ""
    return dates.dates_in_words(value)


@register.filter
def category_words(value) -> str:
    """{{ nominal.mappa_category|category_words }}: "Category 1", or "Category to be determined" (never "tbd")."""
    if value in (None, ""):
        return "No category"
    return "Category to be determined" if str(value) == "tbd" else f"Category {value}"


SOURCE_STATUS = {
    "confirmed": "confirmed from a public source",
    "unconfirmed": "widely cited, not confirmed from a primary source",
    "local": "one area's local practice",
    "safeguard": "Safeguard's documented choice where no published rule exists",
}


@register.filter
def source_status(value) -> str:
    """{{ instrument.status|source_status }}: how far a definition's source is confirmed, in words."""
    return SOURCE_STATUS.get(str(value), str(value))


NOTICE_OVERDUE = {
    "notification": "Notification overdue",
    "mappa_review": "Level review overdue",
    "level_set": "Level setting overdue",
    "retention_review": "Retention review overdue",
}


@register.filter
def overdue_words(kind) -> str:
    """{{ notice.kind|overdue_words }}: a fallen-due notice's tag names which date has passed."""
    return NOTICE_OVERDUE.get(str(kind), "Overdue")


@register.filter
def meeting_title(forum_name) -> str:
    """{{ forum.name|meeting_title }}: "Northtown MARAC meeting", never "... meeting meeting"."""
    from safeguard.meetings.services.minutes.invitations import meeting_title as title

    return title(str(forum_name))
