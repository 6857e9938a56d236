from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules.dash import DashSettings, grade_for
from safeguard.rules.marac import (
    DEFAULTS,
    MaracSettings,
    assess_dash_for_marac,
    escalation_window,
    marac_criteria,
    repeat_window_end,
)
from safeguard.rules.working import RuleInputError, Status

GRADE_ORDER = ["standard", "medium", "high"]
KENT = MaracSettings(escalation_events=3, escalation_months=6)
WOLVERHAMPTON = MaracSettings(escalation_events=5, escalation_months=12)


def criteria(**overrides):
    args = {
        "yes_count": 5,
        "professional_judgement": False,
        "reason": "",
        "events_in_window": 1,
        "last_marac_referral": None,
        "incident_date": date(2025, 6, 1),
    }
    args.update(overrides)
    return marac_criteria(**args)


def test_nothing_met_is_not_a_referral():
    finding = criteria()
    assert finding.criteria == ()
    assert finding.refer_to_marac is False
    assert finding.repeat is False
    assert finding.grade_after_judgement == "standard"
    assert "not a MARAC referral" in finding.working[-1].text


@pytest.mark.parametrize(("yes", "refer"), [(13, False), (14, True), (24, True)])
def test_visible_high_risk_from_14(yes, refer):
    finding = criteria(yes_count=yes)
    assert finding.refer_to_marac is refer
    assert ("visible_high_risk" in finding.criteria) is refer
    assert finding.grade_after_judgement == ("high" if refer else "medium")


def test_professional_judgement_needs_a_reason():
    for blank in ("", "   ", None):
        with pytest.raises(RuleInputError) as err:
            criteria(professional_judgement=True, reason=blank)
        assert err.value.field == "reason"


def test_professional_judgement_raises_the_grade_and_refers():
    finding = criteria(yes_count=4, professional_judgement=True, reason="Victim's account of escalating control")
    assert finding.criteria == ("professional_judgement",)
    assert finding.refer_to_marac is True
    assert finding.grade_after_judgement == "high"
    assert "raised from standard to high" in finding.working[1].text
    assert "Victim's account" not in " ".join(step.text for step in finding.working)


def test_a_reason_without_judgement_is_not_a_criterion():
    finding = criteria(reason="noted", professional_judgement=False)
    assert finding.criteria == ()


def test_judgement_cannot_lower_a_visible_high_risk():
    finding = criteria(yes_count=16, professional_judgement=False)
    assert finding.grade_after_judgement == "high"
    assert finding.refer_to_marac is True


@pytest.mark.parametrize(
    ("settings", "events", "met"),
    [
        (MaracSettings(), 2, False),
        (MaracSettings(), 3, True),
        (KENT, 2, False),
        (KENT, 3, True),
        (WOLVERHAMPTON, 4, False),
        (WOLVERHAMPTON, 5, True),
    ],
)
def test_potential_escalation(settings, events, met):
    finding = criteria(events_in_window=events, settings=settings)
    assert ("potential_escalation" in finding.criteria) is met
    assert finding.refer_to_marac is met


def test_escalation_working_says_national_or_local():
    assert "(national)" in criteria(events_in_window=3).working[2].source
    assert "area setting" in criteria(events_in_window=3, settings=KENT).working[2].source
    assert "3 in 6 months" in criteria(events_in_window=3, settings=KENT).working[2].text


@pytest.mark.parametrize(
    ("last", "incident", "repeat"),
    [
        (date(2024, 3, 10), date(2024, 3, 10), True),  # the same day
        (date(2024, 3, 10), date(2025, 3, 9), True),  # the day before the anniversary
        (date(2024, 3, 10), date(2025, 3, 10), True),  # the anniversary: within 12 months
        (date(2024, 3, 10), date(2025, 3, 11), False),  # the day after: a new referral
        (date(2024, 2, 29), date(2025, 2, 28), True),  # 29 February: anniversary is 28 February
        (date(2024, 2, 29), date(2025, 3, 1), False),
        (date(2023, 2, 28), date(2024, 2, 28), True),
        (date(2023, 2, 28), date(2024, 2, 29), False),  # into a leap year
        (date(2023, 3, 1), date(2024, 2, 29), True),
        (date(2024, 12, 31), date(2025, 12, 31), True),
        (date(2024, 12, 31), date(2026, 1, 1), False),
    ],
)
def test_repeat_window_boundaries(last, incident, repeat):
    finding = criteria(yes_count=0, last_marac_referral=last, incident_date=incident)
    assert finding.repeat is repeat
    assert ("repeat" in finding.criteria) is repeat
    assert finding.refer_to_marac is repeat


def test_repeat_window_end_is_the_anniversary():
    assert repeat_window_end(date(2024, 3, 10)) == date(2025, 3, 10)
    assert repeat_window_end(date(2024, 2, 29)) == date(2025, 2, 28)
    assert repeat_window_end(date(2025, 1, 31), MaracSettings(repeat_window_months=1)) == date(2025, 2, 28)
    assert repeat_window_end(date(2024, 1, 31), MaracSettings(repeat_window_months=1)) == date(2024, 2, 29)


def test_a_repeat_is_re_referred_whatever_the_score():
    finding = criteria(yes_count=0, last_marac_referral=date(2024, 9, 1), incident_date=date(2025, 6, 1))
    assert finding.criteria == ("repeat",)
    assert finding.refer_to_marac is True
    assert finding.grade_after_judgement == "standard"
    assert "whatever the score" in finding.working[3].text


def test_incident_before_the_last_referral_is_refused():
    with pytest.raises(RuleInputError) as err:
        criteria(last_marac_referral=date(2025, 6, 2), incident_date=date(2025, 6, 1))
    assert err.value.field == "incident_date"


@pytest.mark.parametrize("is_crime", [True, False])
def test_repeat_definitions(is_crime):
    args = {"yes_count": 0, "last_marac_referral": date(2025, 1, 1), "incident_is_crime": is_crime}
    assert criteria(**args).repeat is True  # current definition: need not be criminal
    crime_based = criteria(**args, settings=MaracSettings(repeat_definition="crime"))
    assert crime_based.repeat is is_crime
    if not is_crime:
        assert "crime-based" in crime_based.working[3].text


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("events_in_window", {"events_in_window": -1}),
        ("yes_count", {"yes_count": -1}),
        ("incident_date", {"incident_date": "2025-06-01"}),
        ("last_marac_referral", {"last_marac_referral": "2025-01-01"}),
    ],
)
def test_bad_input_names_the_field(field, kwargs):
    with pytest.raises(RuleInputError) as err:
        criteria(**kwargs)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("repeat_definition", "criminal"),
        ("escalation_events", 0),
        ("escalation_months", -6),
        ("repeat_window_months", 0),
    ],
)
def test_settings_refuse_nonsense(field, value):
    with pytest.raises(RuleInputError) as err:
        MaracSettings(**{field: value})
    assert err.value.field == field


@pytest.mark.parametrize(
    ("incident", "start"),
    [
        (date(2025, 3, 10), date(2024, 3, 10)),
        (date(2024, 2, 29), date(2023, 2, 28)),
        (date(2025, 2, 28), date(2024, 2, 28)),
    ],
)
def test_escalation_window(incident, start):
    window = escalation_window(incident)
    assert (window.start, window.end) == (start, incident)
    assert escalation_window(date(2025, 8, 31), KENT).start == date(2025, 2, 28)
    assert "inclusive" in window.working[0].text


def test_defaults_carry_the_national_values_and_the_local_variants():
    by_name = {d.name: d for d in DEFAULTS}
    assert by_name["escalation_events"].value == 3
    assert by_name["escalation_months"].value == 12
    assert "Kent" in by_name["escalation_events"].note
    assert by_name["repeat_definition"].value == "any_abuse"
    assert all(d.status == Status.CONFIRMED for d in DEFAULTS)
    assert {d.name for d in DEFAULTS} == set(MaracSettings.__dataclass_fields__)


# DASH and MARAC together (the API and the DASH page)


def test_journey_fifteen_yes_is_offered_a_referral():
    answers = ["yes"] * 15 + ["no"] * 9
    result = assess_dash_for_marac(
        answers,
        professional_judgement=False,
        reason="",
        events_in_window=1,
        last_marac_referral=None,
        incident_date=date(2025, 6, 1),
    )
    assert (result.yes_count, result.grade, result.refer_to_marac) == (15, "high", True)
    assert result.criteria == ("visible_high_risk",)
    assert result.working[0].source.startswith("SafeLives DASH")
    assert result.working[-1].text.endswith("refer to MARAC")


def test_journey_repeat_nine_months_after_the_last_marac_is_listed_whatever_its_score():
    result = assess_dash_for_marac(
        ["no"] * 24,
        professional_judgement=False,
        reason="",
        events_in_window=1,
        last_marac_referral=date(2024, 9, 15),
        incident_date=date(2025, 6, 15),
    )
    assert (result.grade, result.repeat, result.refer_to_marac) == ("standard", True, True)


def test_combined_uses_the_areas_settings_and_checks_answers_first():
    result = assess_dash_for_marac(
        ["yes"] * 11 + ["no"] * 13,
        professional_judgement=True,
        reason="Recent threats",
        events_in_window=0,
        last_marac_referral=None,
        incident_date=date(2025, 6, 1),
        dash_settings=DashSettings(medium_from=12),
    )
    assert (result.grade, result.grade_after_judgement) == ("standard", "high")
    with pytest.raises(RuleInputError) as err:
        assess_dash_for_marac(
            ["no"] * 23,
            professional_judgement=False,
            reason="",
            events_in_window=0,
            last_marac_referral=None,
            incident_date=date(2025, 6, 1),
        )
    assert err.value.field == "answers"


# Properties

dates = st.dates(date(2000, 1, 1), date(2040, 12, 31))


@given(
    yes=st.integers(0, 24),
    judgement=st.booleans(),
    events=st.integers(0, 10),
    medium_from=st.integers(0, 14),
)
def test_judgement_never_lowers_a_grade(yes, judgement, events, medium_from):
    dash_settings = DashSettings(medium_from=medium_from)
    finding = criteria(
        yes_count=yes,
        professional_judgement=judgement,
        reason="reason" if judgement else "",
        events_in_window=events,
        dash_settings=dash_settings,
    )
    before = GRADE_ORDER.index(grade_for(yes, settings=dash_settings))
    assert GRADE_ORDER.index(finding.grade_after_judgement) >= before
    if yes >= 14:
        assert finding.grade_after_judgement == "high"


@given(
    yes=st.integers(0, 24),
    judgement=st.booleans(),
    events=st.integers(0, 10),
    last=st.one_of(st.none(), dates),
    gap=st.integers(0, 800),
    is_crime=st.booleans(),
    settings=st.sampled_from([MaracSettings(), KENT, WOLVERHAMPTON, MaracSettings(repeat_definition="crime")]),
)
def test_refer_whenever_14_or_more_and_exactly_when_a_criterion_is_met(
    yes, judgement, events, last, gap, is_crime, settings
):
    incident = date.fromordinal((last or date(2020, 1, 1)).toordinal() + gap)
    finding = criteria(
        yes_count=yes,
        professional_judgement=judgement,
        reason="reason",
        events_in_window=events,
        last_marac_referral=last,
        incident_date=incident,
        incident_is_crime=is_crime,
        settings=settings,
    )
    if yes >= 14:
        assert finding.refer_to_marac is True
    assert finding.refer_to_marac == bool(finding.criteria)
    assert finding.repeat == ("repeat" in finding.criteria)
    if last is not None and gap > 366:
        assert finding.repeat is False
