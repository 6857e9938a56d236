import datetime as dt

import pytest

from safeguard.rules import cadence as c
from safeguard.rules.working import RuleInputError


def test_fortnightly_and_four_weekly_from_the_first_meeting():
    first = dt.date(2026, 1, 6)  # a Tuesday
    days = c.meeting_days(c.FORTNIGHTLY, first, dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert days == [dt.date(2026, 2, 3), dt.date(2026, 2, 17)]
    assert c.meeting_days(c.FOUR_WEEKLY, first, first, dt.date(2026, 3, 31)) == [
        dt.date(2026, 1, 6),
        dt.date(2026, 2, 3),
        dt.date(2026, 3, 3),
        dt.date(2026, 3, 31),
    ]


def test_monthly_same_weekday_of_the_month():
    first = dt.date(2026, 1, 13)  # 2nd Tuesday
    days = c.meeting_days(c.MONTHLY, first, first, dt.date(2026, 4, 30))
    assert days == [dt.date(2026, 1, 13), dt.date(2026, 2, 10), dt.date(2026, 3, 10), dt.date(2026, 4, 14)]
    fifth = dt.date(2026, 3, 31)  # 5th Tuesday: the last Tuesday of months without one
    assert c.meeting_days(c.MONTHLY, fifth, fifth, dt.date(2026, 4, 30)) == [fifth, dt.date(2026, 4, 28)]


def test_weekdays_skip_weekends_and_closed_days():
    days = c.meeting_days(
        c.WEEKDAYS, dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 1, 6), [dt.date(2026, 1, 5)]
    )
    assert days == [dt.date(2026, 1, 2), dt.date(2026, 1, 6)]


def test_daily_meets_every_day_weekends_too_but_not_on_closed_days():
    days = c.meeting_days(
        c.DAILY, dt.date(2026, 12, 5), dt.date(2026, 12, 4), dt.date(2026, 12, 8), [dt.date(2026, 12, 7)]
    )
    assert days == [dt.date(2026, 12, 5), dt.date(2026, 12, 6), dt.date(2026, 12, 8)]  # Saturday, Sunday, Tuesday
    assert c.next_meeting_day(c.DAILY, dt.date(2026, 12, 1), dt.date(2026, 12, 6)) == dt.date(2026, 12, 6)
    assert c.meets_at_weekends(c.DAILY) and not c.meets_at_weekends(c.WEEKDAYS) and not c.meets_at_weekends(c.WEEKLY)


def test_next_meeting_and_bad_input():
    assert c.next_meeting_day(c.WEEKLY, dt.date(2026, 1, 5), dt.date(2026, 1, 6)) == dt.date(2026, 1, 12)
    with pytest.raises(RuleInputError):
        c.meeting_days("yearly", dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    with pytest.raises(RuleInputError):
        c.meeting_days(c.WEEKLY, dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 1, 1))
