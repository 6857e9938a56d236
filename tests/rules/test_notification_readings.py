"""The second reading of the notification rules: each fix at its boundaries, and properties."""

import datetime as dt
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from safeguard.rules import dates
from safeguard.rules import notification as n
from safeguard.rules.working import RuleInputError

D = dt.date
RELEVANT = D(2024, 6, 10)
ADULT = D(1980, 1, 1)
CHILD = D(2007, 1, 1)  # 17 on the relevant date
DATES = st.dates(D(2004, 5, 1), D(2090, 12, 31))


def length(p):
    return math.inf if p.indefinite else p.years * 12 + p.months


def text(p):
    return " ".join(s.text for s in p.working)


def sources(p):
    return " ".join(s.source for s in p.working)


# 1. A conditional discharge is never halved (s.82(2) halves rows, not lengths) ------------


@pytest.mark.parametrize("months", [23, 24, 25])
def test_a_24_month_discharge_of_a_17_year_old_is_not_halved(months):
    p = n.notification_period(RELEVANT, CHILD, "conditional_discharge", discharge_months=months)
    assert p.under_18 and not p.halved
    assert (p.years, p.months) == divmod(months, 12)
    assert "not halved" in text(p)


@pytest.mark.parametrize("disposal", ["caution", "other", "hospital_order"])
def test_the_fixed_rows_are_still_halved(disposal):
    assert n.notification_period(RELEVANT, CHILD, disposal).halved


@given(DATES, st.integers(1, 36), st.integers(10 * 365, 30 * 365))
@example(D(2024, 6, 10), 24, 17 * 365)  # the 17-year-old's 24-month discharge once halved to 12
def test_halving_never_applies_to_the_conditional_discharge_row(on, months, age_days):
    born = on - dt.timedelta(days=age_days)
    p = n.notification_period(on, born, "conditional_discharge", discharge_months=months)
    assert not p.halved
    assert p.years * 12 + p.months == months


# 2. Consecutive and partly concurrent terms (s.82(3)-(4)) ------------------------------------


def test_two_consecutive_18_month_terms_are_36_months_so_indefinite():
    p = n.notification_period(RELEVANT, ADULT, "imprisonment", terms=[n.Term(18), n.Term(18, consecutive_to=0)])
    assert p.indefinite and p.term_months == 36
    assert "s.82(3)-(4)" in sources(p)


@pytest.mark.parametrize(("second", "indefinite"), [(11, False), (12, True), (13, True)])
def test_the_30_month_boundary_through_the_aggregate(second, indefinite):
    p = n.notification_period(RELEVANT, ADULT, "imprisonment", terms=[n.Term(18), n.Term(second, consecutive_to=0)])
    assert p.indefinite is indefinite


@pytest.mark.parametrize(("overlap", "indefinite"), [(5, True), (6, True), (7, False)])
def test_partly_concurrent_terms_count_x_plus_y_less_z(overlap, indefinite):
    # 18 + 18 - overlap: 31, 30 (indefinite), 29 (10 years)
    p = n.notification_period(
        RELEVANT, ADULT, "imprisonment", terms=[n.Term(18), n.Term(18, consecutive_to=0, overlap_months=overlap)]
    )
    assert p.indefinite is indefinite
    assert p.term_months == 36 - overlap


def test_concurrent_terms_are_not_added():
    p = n.notification_period(RELEVANT, ADULT, "imprisonment", terms=[n.Term(18), n.Term(18)])
    assert not p.indefinite and p.years == 10 and p.term_months == 18


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ([n.Term(6), n.Term(6, consecutive_to=1)], "terms[1].consecutive_to"),
        ([n.Term(6), n.Term(6, consecutive_to=0), n.Term(6, consecutive_to=0)], "terms[2].consecutive_to"),
        ([n.Term(6), n.Term(6, consecutive_to=0, overlap_months=6)], "terms[1].overlap_months"),
        ([n.Term(6, overlap_months=2)], "terms[0].overlap_months"),
        ([n.Term(0)], "terms[0].term_months"),
        ([], "terms"),
    ],
)
def test_bad_terms_are_refused_by_field(terms, field):
    with pytest.raises(RuleInputError) as caught:
        n.notification_period(RELEVANT, ADULT, "imprisonment", terms=terms)
    assert caught.value.field == field


def test_terms_and_a_single_term_together_are_refused():
    with pytest.raises(RuleInputError) as caught:
        n.notification_period(RELEVANT, ADULT, "imprisonment", term_months=6, terms=[n.Term(6)])
    assert caught.value.field == "terms"


@given(
    st.lists(st.integers(1, 40), min_size=1, max_size=5),
    st.integers(1, 40),
    st.booleans(),
)
def test_adding_a_consecutive_term_never_shortens_the_period(months, extra, young):
    born = CHILD if young else ADULT
    chain = [n.Term(m, consecutive_to=None if i == 0 else i - 1) for i, m in enumerate(months)]
    before = n.notification_period(RELEVANT, born, "imprisonment", terms=chain)
    after = n.notification_period(
        RELEVANT, born, "imprisonment", terms=[*chain, n.Term(extra, consecutive_to=len(chain) - 1)]
    )
    assert length(after) >= length(before)


# 3. A conditional discharge runs from the date of the order (Sentencing Act 2020 s.80) ------


@pytest.mark.parametrize(
    ("sentenced", "end"),
    [
        (D(2024, 6, 9), None),  # the day before the conviction: refused
        (D(2024, 6, 10), D(2025, 6, 9)),  # sentenced the same day
        (D(2024, 6, 11), D(2025, 6, 10)),  # adjourned a day: runs a day later
    ],
)
def test_a_discharge_begins_with_the_order(sentenced, end):
    if end is None:
        with pytest.raises(RuleInputError) as caught:
            n.notification_period(RELEVANT, ADULT, "conditional_discharge", discharge_months=12, sentenced_on=sentenced)
        assert caught.value.field == "sentenced_on"
        return
    p = n.notification_period(RELEVANT, ADULT, "conditional_discharge", discharge_months=12, sentenced_on=sentenced)
    assert p.end_date == end and p.starts_on == sentenced
    assert "Sentencing Act 2020 s.80" in sources(p)


def test_the_sentence_date_does_not_move_other_rows():
    p = n.notification_period(RELEVANT, ADULT, "caution", sentenced_on=D(2024, 7, 1))
    assert p.end_date == D(2026, 6, 9)


# 4. The 2012 Regulations' changes have the s.84 deadline ---------------------------------------


@pytest.mark.parametrize("kind", ["bank_or_card_account", "identity_document", "child_in_household"])
def test_the_2012_changes_are_due_within_3_days_beginning_with_the_event(kind):
    d = n.change_notification_due(D(2024, 6, 10), kind)
    assert d.due == D(2024, 6, 12)
    assert any("SI 2012/1876" in s.source for s in d.working)


# 6. Custody during a 3-day period; the periodic extension --------------------------------------


@pytest.mark.parametrize(
    ("custody", "due"),
    [
        (n.Detention(D(2024, 6, 13), D(2024, 6, 20)), D(2024, 6, 12)),  # custody begins the day after: no change
        (n.Detention(D(2024, 6, 12), D(2024, 6, 20)), D(2024, 6, 21)),  # third day in custody: next free day
        (n.Detention(D(2024, 6, 11), D(2024, 6, 20)), D(2024, 6, 22)),  # second day: two days after release
    ],
)
def test_days_in_custody_in_a_change_period_are_disregarded(custody, due):
    d = n.change_notification_due(D(2024, 6, 10), "home_address", detained=[custody])
    assert d.due == due
    assert any("s.84(5)" in s.source for s in d.working)


@pytest.mark.parametrize(
    ("custody", "due"),
    [
        (n.Detention(D(2025, 5, 1), D(2025, 6, 9)), D(2025, 6, 10)),  # released the day before the anniversary
        (n.Detention(D(2025, 5, 1), D(2025, 6, 10)), D(2025, 6, 13)),  # in custody on the last day: extended
        (n.Detention(D(2025, 6, 11), D(2025, 7, 1)), D(2025, 6, 10)),  # custody begins the day after
    ],
)
def test_the_periodic_deadline_is_extended_when_in_custody_at_its_end(custody, due):
    d = n.periodic_notification_due(D(2024, 6, 10), detained=[custody])
    assert d.due == due
    assert any("s.85(3)-(4)" in s.source for s in d.working)


@given(DATES, st.integers(0, 30), st.integers(0, 60))
def test_custody_never_brings_a_change_deadline_forward(event, offset, days):
    custody = n.Detention(event + dt.timedelta(days=offset), event + dt.timedelta(days=offset + days))
    assert (
        n.change_notification_due(event, "name", detained=[custody]).due >= n.change_notification_due(event, "name").due
    )


# 7. The protective readings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notice", "in_time"),
    [(D(2024, 2, 29), True), (D(2024, 3, 1), False), (D(2024, 3, 2), False)],
)
def test_travel_notice_is_7_clear_days_before_departure(notice, in_time):
    t = n.foreign_travel_deadlines(D(2024, 3, 8))
    assert (notice <= t.notify_by) is in_time
    assert any("R v Turner" in s.source for s in t.working)


@given(st.dates(D(1990, 1, 1), D(2090, 12, 31)))
def test_clear_days_leave_seven_whole_days_between(departure):
    t = n.foreign_travel_deadlines(departure)
    assert (departure - t.notify_by).days - 1 == 7
    assert t.notify_by < t.notify_by_other_reading


@pytest.mark.parametrize(
    ("start", "end"),
    [(D(2023, 8, 30), D(2023, 9, 29)), (D(2023, 8, 31), D(2023, 9, 30)), (D(2023, 9, 1), D(2023, 9, 30))],
)
def test_one_month_beginning_on_the_31st_ends_on_the_later_day(start, end):
    assert dates.last_day_of_period(start, months=1) == end


@given(st.dates(D(1990, 1, 1), D(2090, 12, 31)), st.integers(1, 400))
def test_the_protective_end_is_never_earlier_than_either_reading(start, months):
    a, b = dates.period_readings(start, months=months)
    end = dates.last_day_of_period(start, months=months)
    assert end >= a and end >= b
    assert end in (a, b)


def test_a_discharge_beginning_31_august_names_both_readings():
    p = n.notification_period(D(2023, 8, 31), ADULT, "conditional_discharge", discharge_months=1)
    assert p.end_date == D(2023, 9, 30)
    assert "Dodds v Walker" in sources(p) and "2023-09-29" in text(p)


@pytest.mark.parametrize(
    ("relevant", "halved"),
    [(D(2026, 2, 27), True), (D(2026, 2, 28), False), (D(2026, 3, 1), False)],
)
def test_born_29_february_is_18_on_28_february_for_halving(relevant, halved):
    p = n.notification_period(relevant, D(2008, 2, 29), "caution")
    assert p.halved is halved
    if relevant == D(2026, 2, 28):
        assert "28 February" in text(p)


@given(st.dates(D(1990, 1, 1), D(2060, 12, 31)), st.dates(D(2004, 5, 1), D(2090, 12, 31)))
def test_the_28_february_reading_is_never_younger(born, on):
    if on < born:
        return
    assert dates.age_on(born, on, leap_birthday=dates.FEBRUARY_28TH) >= dates.age_on(born, on)


# 5. The s.91B relevant notification and the chief officer's further date -----------------------


def test_without_the_relevant_notification_it_cannot_be_worked_out():
    q = n.indefinite_review_qualifying_date(None, False)
    assert q.qualifying_date is None and not q.known and not q.eligible
    assert q.reason == "Cannot be worked out: record the first notification after release"


@pytest.mark.parametrize(
    ("further", "ok"),
    [(D(2025, 8, 1), False), (D(2025, 8, 2), True), (D(2040, 1, 1), True)],
)
def test_a_chief_officer_may_set_a_further_qualifying_date_with_a_reason(further, ok):
    kw = {"last_refusal_on": D(2025, 8, 1), "further_qualifying_date": further, "further_reason": "Risk remains"}
    if not ok:
        with pytest.raises(RuleInputError) as caught:
            n.indefinite_review_qualifying_date(D(2010, 5, 1), False, **kw)
        assert caught.value.field == "further_qualifying_date"
        return
    q = n.indefinite_review_qualifying_date(D(2010, 5, 1), False, **kw)
    assert q.qualifying_date == further and q.further
    assert "Risk remains" in " ".join(s.text for s in q.working)
    assert any("s.91B(4)-(6)" in s.source for s in q.working)


def test_a_further_date_needs_a_reason():
    with pytest.raises(RuleInputError) as caught:
        n.indefinite_review_qualifying_date(
            D(2010, 5, 1), False, last_refusal_on=D(2025, 8, 1), further_qualifying_date=D(2035, 1, 1)
        )
    assert caught.value.field == "further_reason"
