import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import encompass as e


def test_reception_is_the_september_after_the_fourth_birthday():
    assert e.reception_from(dt.date(2020, 8, 31)) == dt.date(2024, 9, 1)  # youngest of the year
    assert e.reception_from(dt.date(2020, 9, 1)) == dt.date(2025, 9, 1)  # oldest of the next year
    assert e.reception_from(dt.date(2020, 2, 29)) == dt.date(2024, 9, 1)
    assert e.reception_from(dt.date(2019, 2, 28)) == dt.date(2023, 9, 1)


def test_a_child_before_reception_needs_no_notice():
    dob = dt.date(2020, 8, 31)
    assert not e.notice_due(dob, dt.date(2024, 8, 31)).due  # the day before
    assert e.notice_due(dob, dt.date(2024, 9, 1)).due  # the day
    assert e.notice_due(dob, dt.date(2024, 9, 2)).due  # the day after


def test_seventeen_is_in_eighteen_is_out():
    dob = dt.date(2008, 3, 10)
    assert e.notice_due(dob, dt.date(2026, 3, 9)).due
    assert not e.notice_due(dob, dt.date(2026, 3, 10)).due
    assert "reception to 17" in e.notice_due(dob, dt.date(2026, 3, 10)).working[0].text


def test_unknown_date_of_birth_is_taken_as_due():
    found = e.notice_due(None, dt.date(2026, 1, 5))
    assert found.due and "not recorded" in found.working[0].text


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(0, 25 * 366))
def test_due_exactly_from_reception_until_eighteen(dob, days):
    on = dob + dt.timedelta(days=days)
    eighteenth = e._birthday(dob, 18)
    assert e.notice_due(dob, on).due == (e.reception_from(dob) <= on < eighteenth)
