import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import mappa as m
from safeguard.rules.working import RuleInputError, Status

D = dt.date
ON = D(2025, 6, 1)
DATES = st.dates(D(2000, 1, 1), D(2150, 12, 31))


def conviction(**kw):
    base = {
        "is_murder": False,
        "schedule_15": True,
        "custody_months": 12,
        "hospital_order": False,
        "licence_or_order_end": D(2026, 1, 1),
        "relevant_date": D(2023, 1, 1),
    }
    base.update(kw)
    return m.ConvictionFacts(**base)


def facts(*convictions, on_register=False, end=None, indefinite=False):
    return m.MappaFacts(
        notification_end=end, notification_indefinite=indefinite, on_register=on_register, convictions=convictions
    )


def text(finding):
    return " ".join(s.text for s in finding.working)


# Category 1 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "category"),
    [
        (D(2025, 6, 2), "1"),  # ends the day after
        (D(2025, 6, 1), "1"),  # ends that day: the last day still counts
        (D(2025, 5, 31), None),  # ended the day before
    ],
)
def test_category_1_while_the_notification_period_runs(end, category):
    found = m.supported_category(facts(on_register=True, end=end), ON)
    assert found.category == category
    if category:
        assert found.eligibility_ends == end
    else:
        assert "ended" in text(found)


def test_indefinite_notification_is_category_1_with_no_end():
    found = m.supported_category(facts(on_register=True, indefinite=True), ON)
    assert found.category == "1"
    assert found.eligibility_ends is None and found.eligibility_ends_indefinite


def test_registered_with_no_recorded_end_is_category_1_and_says_so():
    found = m.supported_category(facts(on_register=True), ON)
    assert found.category == "1"
    assert found.eligibility_ends is None and not found.eligibility_ends_indefinite
    assert "not recorded" in text(found)


def test_not_on_the_register_is_not_category_1_whatever_the_end_date():
    found = m.supported_category(facts(on_register=False, end=D(2030, 1, 1)), ON)
    assert found.category is None
    assert not found.category3_candidate  # no conviction recorded


# Category 2 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "category"),
    [
        ({"custody_months": 12}, "2"),
        ({"custody_months": 11}, None),
        ({"custody_months": 13}, "2"),
        ({"custody_months": None, "hospital_order": True}, "2"),
        ({"custody_months": None}, None),
        ({"custody_months": None, "indeterminate": True}, "2"),
        ({"schedule_15": False, "custody_months": 48}, None),  # not a Schedule 15 offence
        ({"schedule_15": False, "is_murder": True, "custody_months": None}, "2"),  # murder: mandatory life
    ],
)
def test_category_2_needs_murder_or_schedule_15_and_12_months_or_a_hospital_order(kw, category):
    found = m.supported_category(facts(conviction(**kw)), ON)
    assert found.category == category
    assert found.category3_candidate is (category is None)


@pytest.mark.parametrize(
    ("licence_end", "category"),
    [(D(2025, 6, 2), "2"), (D(2025, 6, 1), "2"), (D(2025, 5, 31), None)],
)
def test_category_2_ends_with_the_licence(licence_end, category):
    found = m.supported_category(facts(conviction(licence_or_order_end=licence_end)), ON)
    assert found.category == category
    assert found.eligibility_ends == (licence_end if category else None)


def test_unknown_licence_end_is_treated_as_running_and_says_so():
    found = m.supported_category(facts(conviction(licence_or_order_end=None)), ON)
    assert found.category == "2"
    assert found.eligibility_ends is None and not found.eligibility_ends_indefinite
    assert "not recorded" in text(found)


def test_the_latest_licence_end_of_several_convictions_is_given():
    found = m.supported_category(
        facts(conviction(licence_or_order_end=D(2026, 1, 1)), conviction(licence_or_order_end=D(2027, 3, 4))), ON
    )
    assert found.eligibility_ends == D(2027, 3, 4)


# One category only ----------------------------------------------------------------


def test_category_1_wins_over_category_2():
    found = m.supported_category(facts(conviction(), on_register=True, end=D(2030, 1, 1)), ON)
    assert found.category == "1"
    assert not found.category3_candidate
    assert any("one category" in s.text or "one category" in s.source for s in found.working)


def test_eligibility_runs_on_into_a_later_category_2_licence():
    found = m.supported_category(
        facts(conviction(licence_or_order_end=D(2032, 1, 1)), on_register=True, end=D(2030, 1, 1)), ON
    )
    assert found.category == "1"
    assert found.eligibility_ends == D(2032, 1, 1)
    assert "Category 2 applies until" in text(found)


def test_category_1_end_is_given_when_the_licence_ends_first():
    found = m.supported_category(
        facts(conviction(licence_or_order_end=D(2026, 1, 1)), on_register=True, end=D(2030, 1, 1)), ON
    )
    assert found.eligibility_ends == D(2030, 1, 1)


def test_category_3_is_only_ever_a_candidate():
    found = m.supported_category(facts(conviction(schedule_15=False)), ON)
    assert found.category is None
    assert found.category3_candidate
    assert "decision" in text(found)


convictions = st.builds(
    m.ConvictionFacts,
    is_murder=st.booleans(),
    schedule_15=st.booleans(),
    custody_months=st.one_of(st.none(), st.integers(1, 400)),
    hospital_order=st.booleans(),
    licence_or_order_end=st.one_of(st.none(), DATES),
    relevant_date=DATES,
    indeterminate=st.booleans(),
)


@given(
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), DATES),
    st.lists(convictions, max_size=4).map(tuple),
    DATES,
)
def test_a_finding_is_one_category_and_a_candidate_only_without_one(on_register, indefinite, end, convs, on):
    found = m.supported_category(facts(*convs, on_register=on_register, end=end, indefinite=indefinite), on)
    assert found.category in ("1", "2", None)
    assert not (found.category and found.category3_candidate)
    assert found.category3_candidate == (found.category is None and bool(convs))
    if found.eligibility_ends is not None:
        assert found.eligibility_ends >= on
        assert not found.eligibility_ends_indefinite
    if found.category != "1":
        assert not found.eligibility_ends_indefinite


# Deadlines ------------------------------------------------------------------------


def test_level_1_has_no_review_meeting():
    assert m.review_due(1, D(2024, 1, 1)) is None


@pytest.mark.parametrize(
    ("level", "last", "due"),
    [
        (2, D(2024, 1, 1), D(2024, 4, 22)),  # 16 weeks = 112 days
        (3, D(2024, 1, 1), D(2024, 2, 26)),  # 8 weeks = 56 days
        (3, D(2024, 1, 10), D(2024, 3, 6)),  # across 29 February
        (3, D(2023, 1, 10), D(2023, 3, 7)),
    ],
)
def test_review_due(level, last, due):
    deadline = m.review_due(level, last)
    assert deadline.due == due
    assert "unconfirmed" in " ".join(s.text for s in deadline.working)


def test_review_interval_is_a_setting():
    assert m.review_due(2, D(2024, 1, 1), m.MappaSettings(level2_review_weeks=12)).due == D(2024, 3, 25)


@pytest.mark.parametrize("level", [0, 4, "2", True])
def test_unknown_level_is_refused(level):
    with pytest.raises(RuleInputError) as caught:
        m.review_due(level, D(2024, 1, 1))
    assert caught.value.field == "level"


def test_a_zero_setting_is_refused():
    with pytest.raises(RuleInputError) as caught:
        m.review_due(3, D(2024, 1, 1), m.MappaSettings(level3_review_weeks=0))
    assert caught.value.field == "level3_review_weeks"


@pytest.mark.parametrize(
    ("release", "due"),
    [
        (D(2024, 12, 1), D(2024, 6, 1)),
        (D(2024, 8, 31), D(2024, 2, 29)),  # no 31 February: last day of February
        (D(2023, 8, 31), D(2023, 2, 28)),
        (D(2025, 3, 1), D(2024, 9, 1)),
    ],
)
def test_level_set_by(release, due):
    assert m.level_set_by(release).due == due


@pytest.mark.parametrize(
    ("sentence", "due"),
    [(D(2024, 2, 27), D(2024, 3, 1)), (D(2023, 2, 27), D(2023, 3, 2)), (D(2024, 12, 30), D(2025, 1, 2))],
)
def test_identification_due(sentence, due):
    assert m.identification_due(sentence).due == due


@given(st.sampled_from([2, 3]), DATES, st.integers(1, 52))
def test_a_review_is_never_due_before_the_last_one(level, last, weeks):
    settings = m.MappaSettings(level2_review_weeks=weeks, level3_review_weeks=weeks)
    assert m.review_due(level, last, settings).due > last


@given(DATES, st.integers(1, 24))
def test_the_level_is_set_on_or_before_release(release, months):
    due = m.level_set_by(release, m.MappaSettings(level_before_release_months=months)).due
    assert due < release
    assert (release - due).days >= 28 * months


@given(DATES, st.integers(1, 30))
def test_identification_is_never_due_before_sentence(sentence, days):
    assert m.identification_due(sentence, m.MappaSettings(identify_within_days_of_sentence=days)).due > sentence


def test_mappa_defaults_are_listed_as_unconfirmed():
    fields = {f.name: f.default for f in dataclasses.fields(m.MappaSettings)}
    assert {d.name: d.value for d in m.DEFAULTS} == fields
    assert fields == {
        "level2_review_weeks": 16,
        "level3_review_weeks": 8,
        "level_before_release_months": 6,
        "identify_within_days_of_sentence": 3,
    }
    assert all(d.status is Status.UNCONFIRMED for d in m.DEFAULTS)
