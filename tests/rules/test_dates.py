import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules.dates import (
    add_months,
    add_years,
    age_on,
    date_attaining_age,
    days_beginning_with,
    last_day_of_period,
    period_readings,
)

D = dt.date
DATES = st.dates(D(1900, 1, 1), D(2200, 12, 31))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2023, 12, 15), 1, D(2024, 1, 15)),
        (D(2024, 1, 15), -1, D(2023, 12, 15)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),  # no 31 February: last day of the month (Dodds v Walker)
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2023, 8, 31), 1, D(2023, 9, 30)),
        (D(2023, 5, 17), 0, D(2023, 5, 17)),
        (D(2023, 5, 17), 30, D(2025, 11, 17)),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 2, 29), 1, D(2025, 2, 28)),  # the convention chosen: last day of February
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2023, 2, 28), 1, D(2024, 2, 28)),
        (D(2023, 3, 1), 1, D(2024, 3, 1)),
        (D(2024, 2, 29), -1, D(2023, 2, 28)),
    ],
)
def test_add_years(start, n, expected):
    assert add_years(start, n) == expected


@pytest.mark.parametrize(
    ("start", "years", "months", "expected"),
    [
        (D(2020, 5, 1), 10, 0, D(2030, 4, 30)),
        (D(1965, 9, 30), 1, 0, D(1966, 9, 29)),  # Trow v Ind Coope: 12 months beginning with 30 September
        (D(2023, 3, 1), 1, 0, D(2024, 2, 29)),  # a year beginning 1 March ends on a leap day
        (D(2024, 2, 29), 1, 0, D(2025, 2, 28)),  # 29 Feb start: the later of 27 and 28 Feb (protective)
        (D(2024, 2, 28), 1, 0, D(2025, 2, 27)),
        (D(2024, 6, 10), 3, 6, D(2027, 12, 9)),
        (D(2023, 8, 31), 0, 1, D(2023, 9, 30)),  # Dodds v Walker on 30 August: 30 September, not 29
    ],
)
def test_last_day_of_period(start, years, months, expected):
    assert last_day_of_period(start, years=years, months=months) == expected


def test_an_empty_period_is_refused():
    with pytest.raises(ValueError, match="at least one month"):
        last_day_of_period(D(2024, 1, 1))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 6, 10), 3, D(2024, 6, 12)),
        (D(2024, 6, 10), 1, D(2024, 6, 10)),
        (D(2024, 2, 28), 3, D(2024, 3, 1)),  # leap year: 28, 29 February, 1 March
        (D(2023, 2, 28), 3, D(2023, 3, 2)),
        (D(2023, 12, 30), 3, D(2024, 1, 1)),
    ],
)
def test_days_beginning_with(start, n, expected):
    assert days_beginning_with(start, n) == expected


def test_a_period_of_no_days_is_refused():
    with pytest.raises(ValueError, match="at least one day"):
        days_beginning_with(D(2024, 1, 1), 0)


@pytest.mark.parametrize(
    ("on", "age"),
    [(D(2024, 6, 9), 17), (D(2024, 6, 10), 18), (D(2024, 6, 11), 18)],
)
def test_age_changes_on_the_birthday_itself(on, age):
    assert age_on(D(2006, 6, 10), on) == age


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (D(2026, 2, 28), 17),  # common year: still 17 on 28 February
        (D(2026, 3, 1), 18),  # the convention: attains 18 on 1 March
        (D(2028, 2, 28), 19),
        (D(2028, 2, 29), 20),  # leap year: the birthday exists
    ],
)
def test_age_of_a_person_born_on_29_february(on, age):
    assert age_on(D(2008, 2, 29), on) == age


def test_age_before_birth_is_refused():
    with pytest.raises(ValueError):
        age_on(D(2000, 1, 2), D(2000, 1, 1))


@pytest.mark.parametrize(
    ("born", "age", "expected"),
    [
        (D(2008, 2, 29), 18, D(2026, 3, 1)),
        (D(2008, 2, 29), 20, D(2028, 2, 29)),
        (D(2000, 2, 29), 100, D(2100, 3, 1)),  # 2100 is not a leap year
        (D(1990, 7, 4), 18, D(2008, 7, 4)),
    ],
)
def test_date_attaining_age(born, age, expected):
    assert date_attaining_age(born, age) == expected


@given(DATES, st.integers(0, 120))
def test_age_is_attained_on_the_day_and_not_the_day_before(born, age):
    day = date_attaining_age(born, age)
    assert age_on(born, day) == age
    if age > 0:
        assert age_on(born, day - dt.timedelta(days=1)) == age - 1


@given(DATES, st.integers(-600, 600))
def test_add_months_lands_in_the_right_month_and_never_on_a_later_day(start, n):
    moved = add_months(start, n)
    assert (moved.year * 12 + moved.month) - (start.year * 12 + start.month) == n
    assert moved.day <= start.day


@given(DATES, st.integers(0, 50), st.integers(0, 11))
def test_a_period_ends_on_or_after_its_first_day(start, years, months):
    if years == 0 and months == 0:
        months = 1
    end = last_day_of_period(start, years=years, months=months)
    assert end >= start
    # Corrected: the end was always the day before the corresponding date; where the last month is shorter the
    # later candidate (the corresponding date of the day before the start) is taken, never an earlier day.
    day_before_corresponding = add_months(start, years * 12 + months) - dt.timedelta(days=1)
    assert end >= day_before_corresponding
    assert end == max(period_readings(start, years=years, months=months))
    assert (end == day_before_corresponding) or start.day >= 29
