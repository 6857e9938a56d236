"""When a recurring task runs next (local time, across the clocks changing)."""

import datetime as dt
from zoneinfo import ZoneInfo

from safeguard.jobs import schedule

LONDON = ZoneInfo("Europe/London")


def test_a_daily_run_is_the_next_one_strictly_after_now():
    at = dt.time(5, 30)
    assert schedule.next_daily(dt.datetime(2026, 6, 1, 5, 0, tzinfo=LONDON), at) == dt.datetime(
        2026, 6, 1, 5, 30, tzinfo=LONDON
    )
    assert schedule.next_daily(dt.datetime(2026, 6, 1, 5, 30, tzinfo=LONDON), at) == dt.datetime(
        2026, 6, 2, 5, 30, tzinfo=LONDON
    )


def test_a_daily_run_keeps_its_local_time_when_the_clocks_go_forward():
    run = schedule.next_daily(dt.datetime(2026, 3, 28, 23, 0, tzinfo=LONDON), dt.time(5, 30))
    assert (run.date(), run.time()) == (dt.date(2026, 3, 29), dt.time(5, 30))
    assert run.utcoffset() == dt.timedelta(hours=1)


def test_a_monthly_run_is_the_next_first_of_a_month_strictly_after_now():
    at = dt.time(2, 0)
    assert schedule.next_monthly(dt.datetime(2026, 12, 1, 1, 0, tzinfo=LONDON), at) == dt.datetime(
        2026, 12, 1, 2, 0, tzinfo=LONDON
    )
    assert schedule.next_monthly(dt.datetime(2026, 12, 1, 2, 0, tzinfo=LONDON), at) == dt.datetime(
        2027, 1, 1, 2, 0, tzinfo=LONDON
    )
    assert schedule.next_monthly(dt.datetime(2027, 1, 31, 23, 0, tzinfo=LONDON), at) == dt.datetime(
        2027, 2, 1, 2, 0, tzinfo=LONDON
    )
