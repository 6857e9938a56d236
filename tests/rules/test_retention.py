import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import retention as r
from safeguard.rules.dates import add_years
from safeguard.rules.working import RuleInputError, Status

D = dt.date
CREATED = D(2020, 1, 1)
DATES = st.dates(D(1990, 1, 1), D(2100, 12, 31))


def schedule(group, **kw):
    kw.setdefault("record_created_on", CREATED)
    kw.setdefault("last_qualifying_event_on", CREATED)
    return r.retention_schedule(group, **kw)


def text(result):
    return " ".join(s.text for s in result.working)


@pytest.mark.parametrize(
    ("flags", "group"),
    [
        ((True, False, False), 1),
        ((False, True, False), 1),
        ((True, True, True), 1),  # the most protective group wins
        ((False, False, True), 2),
        ((False, False, False), 3),
    ],
)
def test_retention_group(flags, group):
    found = r.retention_group(*flags)
    assert found.group == group
    assert found.working


# Groups 2 and 3: clear periods -------------------------------------------------------


def test_group_2_is_reviewed_after_a_10_year_clear_period():
    s = schedule(2, last_qualifying_event_on=D(2021, 3, 15))
    assert s.next_review_on == s.earliest_disposal_on == D(2031, 3, 15)
    assert not s.blocked_by_legal_hold


def test_group_3_has_a_6_year_clear_period():
    s = schedule(3, last_qualifying_event_on=D(2022, 3, 15))
    assert s.earliest_disposal_on == D(2028, 3, 15)


def test_a_new_qualifying_event_restarts_the_clear_period():
    before = schedule(3, last_qualifying_event_on=D(2021, 1, 1))
    after = schedule(3, last_qualifying_event_on=D(2024, 7, 1))
    assert before.earliest_disposal_on == D(2027, 1, 1)
    assert after.earliest_disposal_on == D(2030, 7, 1)


@pytest.mark.parametrize(
    ("event", "disposal"),
    [
        (D(2013, 12, 31), D(2026, 1, 1)),  # clear period ended 2019: the six-year minimum governs
        (D(2020, 1, 1), D(2026, 1, 1)),
        (D(2020, 1, 2), D(2026, 1, 2)),  # the day after: the clear period governs
    ],
)
def test_never_before_the_minimum_retention(event, disposal):
    s = schedule(3, last_qualifying_event_on=event)
    assert s.earliest_disposal_on == disposal
    if event < CREATED:
        assert "minimum" in text(s)


def test_a_clear_period_from_29_february():
    assert schedule(3, last_qualifying_event_on=D(2024, 2, 29)).earliest_disposal_on == D(2030, 2, 28)


def test_after_a_review_that_kept_the_record_the_next_is_one_clear_period_later():
    s = schedule(2, last_qualifying_event_on=D(2020, 1, 1), last_review_on=D(2030, 2, 1))
    assert s.next_review_on == s.earliest_disposal_on == D(2040, 2, 1)


def test_an_early_review_does_not_move_the_clear_period():
    s = schedule(2, last_qualifying_event_on=D(2020, 1, 1), last_review_on=D(2025, 2, 1))
    assert s.next_review_on == D(2030, 1, 1)


# Group 1: until 100, reviewed every 10 years -------------------------------------------


def test_group_1_is_kept_until_the_subject_is_100():
    s = schedule(1, date_of_birth=D(1950, 2, 28))
    assert s.earliest_disposal_on == D(2050, 2, 28)
    assert s.next_review_on == D(2030, 1, 1)


def test_group_1_born_on_29_february_reaches_100_on_1_march_when_that_year_is_common():
    assert schedule(1, date_of_birth=D(2000, 2, 29)).earliest_disposal_on == D(2100, 3, 1)


def test_group_1_review_counts_from_the_last_review():
    assert schedule(1, date_of_birth=D(1950, 1, 1), last_review_on=D(2025, 5, 5)).next_review_on == D(2035, 5, 5)


def test_group_1_without_a_date_of_birth_has_no_disposal_date_and_says_why():
    s = schedule(1)
    assert s.earliest_disposal_on is None
    assert "no date of birth" in text(s)
    assert s.next_review_on == D(2030, 1, 1)


def test_group_1_subject_already_near_100_still_gets_the_minimum():
    s = schedule(1, date_of_birth=D(1925, 1, 1))
    assert s.earliest_disposal_on == D(2026, 1, 1)
    assert "minimum" in text(s)


# Legal holds, settings and errors -----------------------------------------------------


@pytest.mark.parametrize("group", [1, 2, 3])
def test_a_legal_hold_blocks_disposal_but_not_review(group):
    s = schedule(group, date_of_birth=D(1950, 1, 1), legal_hold=True)
    assert s.blocked_by_legal_hold
    assert s.earliest_disposal_on is None
    assert s.next_review_on is not None
    assert "legal hold" in text(s)


def test_schedule_values_are_settings():
    settings = r.RetentionSettings(group3_clear_years=8, minimum_retention_years=1)
    assert schedule(3, last_qualifying_event_on=D(2020, 6, 1), settings=settings).earliest_disposal_on == D(2028, 6, 1)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"group": 4}, "group"),
        ({"group": 0}, "group"),
        ({"group": 2, "last_review_on": D(2019, 12, 31)}, "last_review_on"),
        ({"group": 2, "settings": r.RetentionSettings(group2_clear_years=0)}, "group2_clear_years"),
    ],
)
def test_bad_input_names_the_field(kw, field):
    group = kw.pop("group")
    with pytest.raises(RuleInputError) as caught:
        schedule(group, **kw)
    assert caught.value.field == field
    assert "2019" not in caught.value.message


def test_retention_defaults():
    fields = {f.name: f.default for f in dataclasses.fields(r.RetentionSettings)}
    assert {d.name: d.value for d in r.DEFAULTS} == fields
    statuses = {d.name: d.status for d in r.DEFAULTS}
    assert statuses.pop("minimum_retention_years") is Status.CONFIRMED
    assert set(statuses.values()) == {Status.UNCONFIRMED}


@given(st.sampled_from([1, 2, 3]), DATES, DATES, st.one_of(st.none(), DATES), st.one_of(st.none(), DATES))
def test_disposal_is_never_before_the_minimum_and_review_never_before_creation(
    group, created, event, review_offset, born
):
    review = None if review_offset is None else max(review_offset, created)
    s = r.retention_schedule(
        group, record_created_on=created, last_qualifying_event_on=event, last_review_on=review, date_of_birth=born
    )
    if s.earliest_disposal_on is not None:
        assert s.earliest_disposal_on >= add_years(created, 6)
    assert s.next_review_on > created


@given(st.sampled_from([2, 3]), DATES, DATES, DATES)
def test_a_later_qualifying_event_never_brings_disposal_forward(group, created, e1, e2):
    early, late = sorted((e1, e2))
    a = r.retention_schedule(group, record_created_on=created, last_qualifying_event_on=early)
    b = r.retention_schedule(group, record_created_on=created, last_qualifying_event_on=late)
    assert a.earliest_disposal_on <= b.earliest_disposal_on
