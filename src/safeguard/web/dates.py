"""Dates and times as a person reads them (GOV.UK style): "6 December 2026", "6 December 2026 at 2:30pm".

One place for the words, used by the template filters (``web/templatetags/govuk.py``) and by Python that writes
text a person reads (history, calendar files). The rules write ISO dates (2026-12-06) into their workings, which
the API returns as they are; pages turn them into words with :func:`dates_in_words`, so the rules stay pure.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

ISO_DATE_TIME = re.compile(
    r"\b(?P<date>\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))"
    r"(?:[T ](?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"
)


def long_date(value: dt.date | dt.datetime | str | None) -> str:
    """ "6 December 2026"; a datetime is taken in local time; an ISO string is read first; empty stays empty."""
    day = _as_date(value)
    return f"{day.day} {day:%B %Y}" if day else ""


def time_of_day(value: dt.time | dt.datetime) -> str:
    """ "2:30pm", "10am", "midday", "midnight" (GOV.UK style guide: times)."""
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def long_datetime(value: dt.datetime | str | None) -> str:
    """ "6 December 2026 at 2:30pm", in local time."""
    if isinstance(value, str):
        value = _parse(value)
    if not isinstance(value, dt.datetime):
        return long_date(value)
    local = _local(value)
    return f"{long_date(local.date())} at {time_of_day(local)}"


def dates_in_words(text: str) -> str:
    """Every ISO date (and date and time) in a text written as words: "due 2026-12-06" becomes "due 6 December
    2026". For the rules' workings and other generated text; anything else is left as it is."""

    def words(match: re.Match) -> str:
        day = dt.date.fromisoformat(match["date"])
        if match["hour"] is None:
            return long_date(day)
        return f"{long_date(day)} at {time_of_day(dt.time(int(match['hour']), int(match['minute'])))}"

    return ISO_DATE_TIME.sub(words, str(text))


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _parse(value: str) -> dt.date | dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
    except ValueError:
        return None


def _as_date(value) -> dt.date | None:
    if isinstance(value, str):
        value = _parse(value)
    if isinstance(value, dt.datetime):
        return _local(value).date()
    return value if isinstance(value, dt.date) else None
