"""The area's local time: triage days, windows and school days are in Europe/London (settings.TIME_ZONE)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

LOCAL = ZoneInfo(settings.TIME_ZONE)


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL)
