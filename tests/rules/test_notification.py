import dataclasses
import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import notification as n
from safeguard.rules.working import RuleInputError, Status

D = dt.date
RELEVANT = D(2024, 6, 10)
ADULT = D(1980, 1, 1)
CHILD = D(2009, 1, 1)  # 15 on the relevant date
DATES = st.dates(D(2004, 5, 1), D(2150, 12, 31))


def period(disposal, born=ADULT, on=RELEVANT, **kw):
    return n.notification_period(on, born, disposal, **kw)


def length(p):
    """A comparable length: infinite when indefinite."""
    return math.inf if p.indefinite else p.years * 12 + p.months


# The s.82(1) table ----------------------------------------------------------


@pytest.mark.parametrize(
    ("disposal", "kw", "adult", "under_18"),
    [
        ("imprisonment", {"term_months": 1}, (7, 0, D(2031, 6, 9)), (3, 6, D(2027, 12, 9))),
        ("imprisonment", {"term_months": 6}, (7, 0, D(2031, 6, 9)), (3, 6, D(2027, 12, 9))),
        ("imprisonment", {"term_months": 7}, (10, 0, D(2034, 6, 9)), (5, 0, D(2029, 6, 9))),
        ("imprisonment", {"term_months": 29}, (10, 0, D(2034, 6, 9)), (5, 0, D(2029, 6, 9))),
        ("detention", {"term_months": 6}, (7, 0, D(2031, 6, 9)), (3, 6, D(2027, 12, 9))),
        ("detention", {"term_months": 24}, (10, 0, D(2034, 6, 9)), (5, 0, D(2029, 6, 9))),
        ("hospital_order", {}, (7, 0, D(2031, 6, 9)), (3, 6, D(2027, 12, 9))),
        ("caution", {}, (2, 0, D(2026, 6, 9)), (1, 0, D(2025, 6, 9))),
        ("other", {}, (5, 0, D(2029, 6, 9)), (2, 6, D(2026, 12, 9))),
        ("community_order", {}, (5, 0, D(2029, 6, 9)), (2, 6, D(2026, 12, 9))),
        ("fine", {}, (5, 0, D(2029, 6, 9)), (2, 6, D(2026, 12, 9))),
        ("conditional_discharge", {"discharge_months": 18}, (1, 6, D(2025, 12, 9)), (1, 6, D(2025, 12, 9))),
        ("conditional_discharge", {"discharge_months": 36}, (3, 0, D(2027, 6, 9)), (3, 0, D(2027, 6, 9))),
    ],
)
def test_fixed_periods_for_adults_and_under_18s(disposal, kw, adult, under_18):
    grown = period(disposal, ADULT, **kw)
    young = period(disposal, CHILD, **kw)
    assert (grown.years, grown.months, grown.end_date) == adult
    assert (young.years, young.months, young.end_date) == under_18
    assert not grown.indefinite and not young.indefinite
    assert not grown.under_18 and young.under_18
    assert not grown.halved
    assert young.halved == (disposal != "conditional_discharge")


@pytest.mark.parametrize(
    ("disposal", "kw"),
    [
        ("life", {}),
        ("ipp", {}),
        ("hospital_order_with_restriction", {}),
        ("imprisonment", {"term_months": 30}),
        ("detention", {"term_months": 30}),
        ("imprisonment", {"term_months": 31}),
        ("life", {"term_months": 180}),  # a minimum term makes no difference
    ],
)
@pytest.mark.parametrize("born", [ADULT, CHILD])
def test_indefinite_periods(disposal, kw, born):
    p = period(disposal, born, **kw)
    assert p.indefinite
    assert (p.years, p.months, p.end_date) == (0, 0, None)
    assert not p.halved


@pytest.mark.parametrize(
    ("term", "row", "years"),
    [
        (5, n.ROW_SHORT_TERM, 7),
        (6, n.ROW_SHORT_TERM, 7),  # exactly 6 months: "6 months or less"
        (7, n.ROW_MIDDLE_TERM, 10),  # more than 6 months
        (29, n.ROW_MIDDLE_TERM, 10),  # less than 30 months
    ],
)
def test_six_month_boundary(term, row, years):
    p = period("imprisonment", term_months=term)
    assert p.table_row == row
    assert p.years == years


@pytest.mark.parametrize(("term", "indefinite"), [(29, False), (30, True), (31, True)])
def test_thirty_month_boundary(term, indefinite):
    p = period("imprisonment", term_months=term)
    assert p.indefinite is indefinite
    assert (p.table_row == n.ROW_INDEFINITE_SENTENCE) is indefinite


def test_disposal_names_are_forgiving_about_case_and_spaces():
    assert period(" Caution ").years == 2
    assert period(n.Disposal.CAUTION).years == 2


def test_working_names_the_statute():
    p = period("imprisonment", CHILD, term_months=12)
    sources = " ".join(s.source for s in p.working)
    assert "s.82(1)" in sources and "s.82(2)" in sources and "s.131" in sources
    assert "halved" in " ".join(s.text for s in p.working)


def test_conditional_discharge_working_says_it_is_not_halved():
    p = period("conditional_discharge", CHILD, discharge_months=12)
    assert "not halved" in " ".join(s.text for s in p.working)


# Age on the relevant date: the 17/18 boundary and 29 February -------------------


@pytest.mark.parametrize(
    ("born", "under_18"),
    [
        (D(2006, 6, 9), False),  # 18th birthday the day before the relevant date
        (D(2006, 6, 10), False),  # 18th birthday on the relevant date: 18 from the start of the day
        (D(2006, 6, 11), True),  # 18th birthday the day after
    ],
)
def test_eighteenth_birthday_around_the_relevant_date(born, under_18):
    p = period("caution", born)
    assert p.under_18 is under_18
    assert p.years == (1 if under_18 else 2)


@pytest.mark.parametrize(
    ("relevant", "under_18"),
    [
        (D(2026, 2, 27), True),  # born 29 Feb 2008: 17 the day before
        (D(2026, 2, 28), False),  # 18 on 28 Feb in a common year: the protective reading (never halved a day late)
        (D(2026, 3, 1), False),
    ],
)
def test_born_on_29_february(relevant, under_18):
    p = period("other", D(2008, 2, 29), on=relevant)
    assert p.under_18 is under_18
    assert (p.years, p.months) == ((2, 6) if under_18 else (5, 0))


@pytest.mark.parametrize(
    ("born", "disposal", "kw", "end"),
    [
        # A start on 29 February ends on the later candidate day, 28 February (Dodds v Walker on 28 February)
        (ADULT, "caution", {}, D(2026, 2, 28)),
        (CHILD, "caution", {}, D(2025, 2, 28)),
        (ADULT, "imprisonment", {"term_months": 3}, D(2031, 2, 28)),
        (CHILD, "imprisonment", {"term_months": 3}, D(2027, 8, 28)),
        (ADULT, "other", {}, D(2029, 2, 28)),
    ],
)
def test_relevant_date_on_29_february(born, disposal, kw, end):
    assert period(disposal, born, on=D(2024, 2, 29), **kw).end_date == end


# Input errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"disposal_type": "imprisonment"}, "term_months"),
        ({"disposal_type": "detention"}, "term_months"),
        ({"disposal_type": "imprisonment", "term_months": 0}, "term_months"),
        ({"disposal_type": "imprisonment", "term_months": 6.5}, "term_months"),
        ({"disposal_type": "caution", "term_months": 6}, "term_months"),
        ({"disposal_type": "conditional_discharge"}, "discharge_months"),
        ({"disposal_type": "conditional_discharge", "discharge_months": 37}, "discharge_months"),
        ({"disposal_type": "caution", "discharge_months": 12}, "discharge_months"),
        ({"disposal_type": "suspended_vibes"}, "disposal_type"),
    ],
)
def test_bad_input_names_the_field(kw, field):
    with pytest.raises(RuleInputError) as caught:
        n.notification_period(RELEVANT, ADULT, **kw)
    assert caught.value.field == field
    assert "2024" not in caught.value.message and "1980" not in caught.value.message


def test_relevant_date_before_birth_is_refused_without_echoing_dates():
    with pytest.raises(RuleInputError) as caught:
        n.notification_period(D(1979, 12, 31), ADULT, "caution")
    assert caught.value.field == "relevant_date"
    assert "1979" not in caught.value.message and "1980" not in caught.value.message


# Properties ---------------------------------------------------------------------


@given(st.integers(1, 400), st.integers(1, 400), DATES, st.sampled_from(["imprisonment", "detention"]))
def test_a_longer_term_never_gives_a_shorter_period(t1, t2, relevant, disposal):
    short, long_ = sorted((t1, t2))
    born = D(1960, 1, 1)
    a = n.notification_period(relevant, born, disposal, term_months=short)
    b = n.notification_period(relevant, born, disposal, term_months=long_)
    assert length(a) <= length(b)
    if not b.indefinite:
        assert a.end_date <= b.end_date


DISPOSALS = st.sampled_from(
    [
        ("life", {}),
        ("ipp", {}),
        ("hospital_order", {}),
        ("hospital_order_with_restriction", {}),
        ("caution", {}),
        ("other", {}),
        ("community_order", {}),
        ("fine", {}),
    ]
)


@st.composite
def disposal_and_kw(draw):
    kind = draw(st.sampled_from(["fixed", "custody", "discharge"]))
    if kind == "custody":
        return draw(st.sampled_from(["imprisonment", "detention"])), {"term_months": draw(st.integers(1, 400))}
    if kind == "discharge":
        return "conditional_discharge", {"discharge_months": draw(st.integers(1, 36))}
    return draw(DISPOSALS)


@given(disposal_and_kw(), DATES, st.integers(0, 17), st.integers(18, 90), st.integers(0, 364))
def test_an_under_18_period_is_never_longer_than_the_adult_one(dk, relevant, young_age, old_age, days):
    disposal, kw = dk
    young = D(relevant.year - young_age, 1, 1) + dt.timedelta(days=days)
    old = D(relevant.year - old_age - 1, 1, 1)
    if young > relevant:
        young = relevant
    p_young = n.notification_period(relevant, young, disposal, **kw)
    p_old = n.notification_period(relevant, old, disposal, **kw)
    assert p_young.under_18 and not p_old.under_18
    assert length(p_young) <= length(p_old)
    if p_young.halved:
        assert length(p_young) * 2 == length(p_old)


@given(disposal_and_kw(), DATES)
def test_a_fixed_period_ends_after_it_begins(dk, relevant):
    disposal, kw = dk
    p = n.notification_period(relevant, D(1950, 1, 1), disposal, **kw)
    assert p.indefinite or p.end_date > relevant


# Initial notification (s.83) ------------------------------------------------------


@pytest.mark.parametrize(
    ("relevant", "released", "due"),
    [
        (D(2024, 6, 10), None, D(2024, 6, 12)),  # day 1 is the relevant date
        (D(2024, 2, 28), None, D(2024, 3, 1)),  # through a leap day
        (D(2023, 2, 28), None, D(2023, 3, 2)),
        (D(2024, 2, 29), None, D(2024, 3, 2)),
        (D(2024, 6, 10), D(2024, 6, 10), D(2024, 6, 12)),  # released the same day
        (D(2024, 6, 10), D(2024, 6, 11), D(2024, 6, 13)),
        (D(2024, 6, 10), D(2025, 1, 31), D(2025, 2, 2)),  # counted from release
        (D(2003, 1, 1), None, D(2004, 5, 3)),  # before Part 2: from commencement
    ],
)
def test_initial_notification_due(relevant, released, due):
    deadline = n.initial_notification_due(relevant, released_on=released)
    assert deadline.due == due
    assert any("s.83" in s.source for s in deadline.working)


def test_release_from_custody_is_named_in_the_working():
    deadline = n.initial_notification_due(D(2024, 6, 10), released_on=D(2025, 1, 31))
    assert any("s.83(6)" in s.source for s in deadline.working)


def test_release_before_the_relevant_date_is_refused():
    with pytest.raises(RuleInputError) as caught:
        n.initial_notification_due(D(2024, 6, 10), released_on=D(2024, 6, 9))
    assert caught.value.field == "released_on"
    assert "2024" not in caught.value.message


# Changes (s.84) -------------------------------------------------------------------


@pytest.mark.parametrize("kind", [k.value for k in n.ChangeKind] + ["release", "name", "address", "stay"])
def test_change_is_due_within_3_days_beginning_with_the_event(kind):
    assert n.change_notification_due(D(2024, 2, 28), kind).due == D(2024, 3, 1)
    assert n.change_notification_due(D(2023, 2, 28), kind).due == D(2023, 3, 2)


def test_unknown_change_kind_is_refused():
    with pytest.raises(RuleInputError) as caught:
        n.change_notification_due(D(2024, 1, 1), "new_hat")
    assert caught.value.field == "change_kind"


def test_qualifying_stay_working_explains_the_7_days():
    deadline = n.change_notification_due(D(2024, 1, 7), "unnotified_address_stay")
    assert "7 days" in deadline.working[0].text
    assert "s.84(1)(c)" in deadline.working[0].source


# Periodic (s.85) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (D(2024, 6, 10), D(2025, 6, 10)),  # one year after: the anniversary
        (D(2024, 2, 29), D(2025, 2, 28)),  # no 29 February next year
        (D(2023, 3, 1), D(2024, 3, 1)),
        (D(2023, 2, 28), D(2024, 2, 28)),
        (D(2027, 2, 28), D(2028, 2, 28)),
    ],
)
def test_periodic_notification_is_due_on_the_anniversary(last, due):
    assert n.periodic_notification_due(last).due == due


@pytest.mark.parametrize(
    ("last", "due"),
    [(D(2024, 2, 26), D(2024, 3, 4)), (D(2023, 2, 26), D(2023, 3, 5)), (D(2024, 12, 28), D(2025, 1, 4))],
)
def test_no_fixed_abode_is_weekly(last, due):
    deadline = n.periodic_notification_due(last, no_fixed_abode=True)
    assert deadline.due == due
    assert any("Regulations 2012" in s.source for s in deadline.working)


@given(DATES, st.one_of(st.none(), st.integers(0, 4000)))
def test_initial_notification_is_never_before_the_relevant_date_or_the_release(relevant, after):
    released = None if after is None else relevant + dt.timedelta(days=after)
    due = n.initial_notification_due(relevant, released_on=released).due
    assert due >= relevant
    if released is not None:
        assert due >= released
        assert due == released + dt.timedelta(days=2)


@given(DATES, st.sampled_from(list(n.ChangeKind)))
def test_a_change_is_never_due_before_the_event(event, kind):
    due = n.change_notification_due(event, kind).due
    assert event <= due <= event + dt.timedelta(days=2)


@given(DATES, st.booleans())
def test_periodic_is_never_due_before_the_last_notification(last, nfa):
    due = n.periodic_notification_due(last, no_fixed_abode=nfa).due
    assert due > last
    assert ((due - last).days == 7) if nfa else (365 <= (due - last).days <= 366)


# Foreign travel -------------------------------------------------------------------


def test_foreign_travel_deadlines():
    t = n.foreign_travel_deadlines(D(2024, 3, 8))
    assert t.notify_by == D(2024, 2, 29)  # 7 clear days (R v Turner): the last day of the month before
    assert t.notify_by_other_reading == D(2024, 3, 1)
    assert t.change_notify_by == D(2024, 3, 7)
    assert t.change_notice_hours == 24
    assert t.late_notify_by == D(2024, 3, 7)
    assert t.late_notice_hours == 12
    assert t.return_notify_by is None


def test_foreign_travel_across_a_leap_day():
    t = n.foreign_travel_deadlines(D(2024, 3, 1), returned_on=D(2024, 3, 1))
    assert t.notify_by == D(2024, 2, 22)
    assert t.change_notify_by == D(2024, 2, 29)
    assert t.return_notify_by == D(2024, 3, 3)


def test_travel_settings_change_the_unconfirmed_values_only():
    settings = n.NotificationSettings(travel_fallback_hours=36, travel_return_days=5)
    t = n.foreign_travel_deadlines(D(2024, 3, 8), settings, returned_on=D(2024, 3, 20))
    assert t.notify_by == D(2024, 2, 29)
    assert t.late_notify_by == D(2024, 3, 6)
    assert t.return_notify_by == D(2024, 3, 24)
    assert "unconfirmed" in " ".join(s.text for s in t.working)


def test_return_before_departure_is_refused():
    with pytest.raises(RuleInputError) as caught:
        n.foreign_travel_deadlines(D(2024, 3, 8), returned_on=D(2024, 3, 7))
    assert caught.value.field == "returned_on"


def test_notification_defaults_are_listed_as_unconfirmed():
    fields = {f.name: f.default for f in dataclasses.fields(n.NotificationSettings)}
    assert {d.name: d.value for d in n.DEFAULTS} == fields
    assert all(d.status is Status.UNCONFIRMED for d in n.DEFAULTS)


# Review of indefinite notification (ss.91A-91F) ------------------------------------


@pytest.mark.parametrize(
    ("first", "under_18", "expected"),
    [
        (D(2010, 5, 1), False, D(2025, 5, 1)),  # the day after the end of 15 years beginning with 1 May 2010
        (D(2010, 5, 1), True, D(2018, 5, 1)),
        (D(2016, 2, 29), False, D(2031, 3, 1)),  # 15 years beginning 29 Feb end on 28 Feb (the later day)
        (D(2016, 2, 29), True, D(2024, 2, 29)),
    ],
)
def test_qualifying_date(first, under_18, expected):
    q = n.indefinite_review_qualifying_date(first, under_18)
    assert q.qualifying_date == expected
    assert q.eligible and not q.further


def test_after_a_refusal_the_further_date_is_8_years_later():
    q = n.indefinite_review_qualifying_date(D(2010, 5, 1), False, last_refusal_on=D(2025, 8, 1))
    assert q.qualifying_date == D(2033, 8, 1)
    assert q.further


def test_a_refusal_on_the_qualifying_date_is_accepted_and_the_day_before_is_not():
    assert n.indefinite_review_qualifying_date(D(2010, 5, 1), False, last_refusal_on=D(2025, 5, 1)).further
    with pytest.raises(RuleInputError) as caught:
        n.indefinite_review_qualifying_date(D(2010, 5, 1), False, last_refusal_on=D(2025, 4, 30))
    assert caught.value.field == "last_refusal_on"


def test_no_review_while_an_shpo_is_in_force():
    q = n.indefinite_review_qualifying_date(D(2010, 5, 1), False, shpo_in_force=True)
    assert not q.eligible
    assert "SHPO" in q.reason
    assert q.qualifying_date == D(2025, 5, 1)


@given(DATES, st.booleans(), st.booleans())
def test_a_qualifying_date_is_never_before_the_first_notification(first, young, shpo):
    q = n.indefinite_review_qualifying_date(first, young, shpo_in_force=shpo)
    assert q.qualifying_date > first
    assert q.eligible is not shpo
