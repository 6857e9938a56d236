"""Reopening a held meeting: within the window, never once the minutes are issued (rules.reopening)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules.reopening import REOPEN_WITHIN_HOURS, may_reopen
from safeguard.rules.working import RuleInputError

HELD = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)


def test_within_the_window_it_may_be_reopened_until_the_windows_end():
    found = may_reopen(HELD, HELD + dt.timedelta(hours=23, minutes=59), REOPEN_WITHIN_HOURS)
    assert found.allowed and found.until == HELD + dt.timedelta(hours=24)
    assert "within 24 hours" in found.working[0].text


def test_at_the_windows_end_it_may_not():
    found = may_reopen(HELD, HELD + dt.timedelta(hours=24), REOPEN_WITHIN_HOURS)
    assert not found.allowed and "passed" in found.reason


def test_never_once_the_minutes_are_issued_or_without_a_time_of_holding():
    assert "minutes have been issued" in may_reopen(HELD, HELD, 24, minutes_issued=True).reason
    assert not may_reopen(None, HELD, 24).allowed


def test_bad_input_is_refused():
    with pytest.raises(RuleInputError):
        may_reopen(HELD, HELD, -1)
    with pytest.raises(RuleInputError):
        may_reopen(HELD.replace(tzinfo=None), HELD, 24)


@given(st.integers(min_value=0, max_value=24 * 14), st.integers(min_value=0, max_value=24 * 60 * 30))
def test_allowed_exactly_while_now_is_before_the_windows_end(hours, minutes_later):
    now = HELD + dt.timedelta(minutes=minutes_later)
    assert may_reopen(HELD, now, hours).allowed == (now < HELD + dt.timedelta(hours=hours))
