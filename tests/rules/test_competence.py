import datetime as dt
from dataclasses import fields
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules.competence import (
    COURSES,
    DEFAULTS,
    POLICE_RANKS,
    PROBATION_GRADES,
    CompetenceSettings,
    Completion,
    competence,
    needs_buddy,
    rank_code,
)
from safeguard.rules.working import RuleInputError, Status, explain

ON = date(2025, 6, 11)
DAY = dt.timedelta(days=1)
LONG_AGO = date(2020, 1, 6)

TRAINED_CHAIR = [Completion("mosovo", LONG_AGO), Completion("mappa_chair", LONG_AGO), Completion("arms", LONG_AGO)]


def field_of(call) -> str:
    with pytest.raises(RuleInputError) as err:
        call()
    return err.value.field


def counts(completion: Completion, on: date = ON, settings: CompetenceSettings | None = None) -> bool:
    args = (settings,) if settings else ()
    return completion.course in competence([completion], None, on, *args).valid_courses


# --- settings and defaults ----------------------------------------------------------------------


def test_every_setting_has_a_default_with_its_status():
    assert {f.name for f in fields(CompetenceSettings)} == {d.name for d in DEFAULTS}
    status = {d.name: d.status for d in DEFAULTS}
    assert status["hold_level_2_3_courses"] is Status.LOCAL
    assert status["chair_min_rank_level_1"] is Status.LOCAL
    assert status["chair_min_rank_level_3"] is Status.LOCAL
    assert status["probation_equivalents"] is Status.UNCONFIRMED
    assert status["refresh_months"] is Status.LOCAL
    values = {d.name: d.value for d in DEFAULTS}
    assert values["hold_level_2_3_courses"] == ["mosovo"]
    assert values["chair_min_rank_level_3"] == "chief_inspector"
    assert values["probation_equivalents"] == {"spo": "inspector"}
    assert values["refresh_months"] == {}
    assert "Recommendation 18" in next(d for d in DEFAULTS if d.name == "hold_level_2_3_courses").source


def test_the_catalogue_holds_the_domain_courses():
    assert set(COURSES) == {
        "mosovo",
        "arms",
        "visor",
        "mappa_chair",
        "standing_panel_cpd",
        "da_cpd",
        "digital_investigation",
        "marac_to_mappa_referral",
    }


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"hold_level_2_3_courses": {"sotp"}}, "hold_level_2_3_courses"),
        ({"arms_courses": set()}, "arms_courses"),
        ({"chair_courses": "mappa_chair"}, "chair_courses"),
        ({"buddy_until_courses": ["mosovo", "x"]}, "buddy_until_courses"),
        ({"chair_min_rank_level_1": "Inspector"}, "chair_min_rank_level_1"),
        ({"chair_min_rank_level_3": "commander"}, "chair_min_rank_level_3"),
        ({"probation_equivalents": {"spo": "major"}}, "probation_equivalents"),
        ({"probation_equivalents": {"aco": "superintendent"}}, "probation_equivalents"),
        ({"probation_equivalents": [("spo", "inspector"), ("spo", "sergeant")]}, "probation_equivalents"),
        ({"refresh_months": {"arms": 0}}, "refresh_months"),
        ({"refresh_months": {"arms": 121}}, "refresh_months"),
        ({"refresh_months": {"arms": True}}, "refresh_months"),
        ({"refresh_months": {"arms": 1.5}}, "refresh_months"),
        ({"refresh_months": {"karate": 12}}, "refresh_months"),
    ],
)
def test_bad_settings_name_the_setting(kwargs, field):
    assert field_of(lambda: CompetenceSettings(**kwargs)) == field


def test_settings_accept_lists_and_mappings():
    settings = CompetenceSettings(
        hold_level_2_3_courses=["mosovo", "visor"],
        probation_equivalents={"po": "sergeant", "spo": "inspector"},
        refresh_months={"arms": 24, "visor": None},
    )
    assert settings.hold_level_2_3_courses == frozenset({"mosovo", "visor"})
    assert settings.probation_equivalents == (("po", "sergeant"), ("spo", "inspector"))
    assert settings.refresh_months == (("arms", 24),)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"course": "karate", "completed_on": ON}, "course"),
        ({"course": "arms", "completed_on": "2025-01-01"}, "completed_on"),
        ({"course": "arms", "completed_on": dt.datetime(2025, 1, 1, 9, 0)}, "completed_on"),
        ({"course": "arms", "completed_on": ON, "expires_on": ON}, "expires_on"),
        ({"course": "arms", "completed_on": ON, "expires_on": ON - DAY}, "expires_on"),
        ({"course": "arms", "completed_on": ON, "expires_on": "2026-01-01"}, "expires_on"),
    ],
)
def test_bad_completions_name_the_field(kwargs, field):
    assert field_of(lambda: Completion(**kwargs)) == field


def test_bad_competence_input():
    assert field_of(lambda: competence(TRAINED_CHAIR, "Inspector", "2025-06-11")) == "on"
    assert field_of(lambda: competence([("mosovo", ON)], "Inspector", ON)) == "completions"
    assert field_of(lambda: competence(TRAINED_CHAIR, 3, ON)) == "rank"
    assert field_of(lambda: needs_buddy(TRAINED_CHAIR, None)) == "on"


# --- the day a course counts --------------------------------------------------------------------


def test_a_course_completed_today_counts_today():
    assert counts(Completion("mosovo", ON))


def test_a_course_completed_tomorrow_does_not_count_today():
    assert not counts(Completion("mosovo", ON + DAY))


@pytest.mark.parametrize(("expires_on", "valid"), [(ON - DAY, False), (ON, False), (ON + DAY, True)])
def test_a_course_that_expires_today_does_not_count_today(expires_on, valid):
    assert counts(Completion("arms", LONG_AGO, expires_on)) is valid


def test_an_expired_course_is_a_gap_with_its_date():
    result = competence([Completion("mosovo", LONG_AGO, ON)], "Constable", ON)
    assert result.may_hold_level_2_3 is False
    assert (
        "MOSOVO (Management of Sexual or Violent Offenders): expired on 11 June 2025; needed to hold Level 2 and 3 "
        "nominals" in result.gaps
    )


def test_a_course_never_taken_is_a_gap():
    result = competence([], "Constable", ON)
    assert (
        "MOSOVO (Management of Sexual or Violent Offenders): not completed; needed to hold Level 2 and 3 nominals"
        in (result.gaps)
    )


REFRESH_ARMS = CompetenceSettings(refresh_months={"arms": 12})


@pytest.mark.parametrize(
    ("on", "valid"),
    [(date(2025, 4, 29), True), (date(2025, 4, 30), True), (date(2025, 5, 1), False), (date(2025, 5, 2), False)],
)
def test_a_refresh_period_counts_as_a_period_beginning_with_completion(on, valid):
    assert counts(Completion("arms", date(2024, 5, 1)), on, REFRESH_ARMS) is valid


@pytest.mark.parametrize(("on", "valid"), [(date(2025, 2, 27), True), (date(2025, 2, 28), False)])
def test_a_refresh_from_29_february_expires_on_28_february(on, valid):
    assert counts(Completion("arms", date(2024, 2, 29)), on, REFRESH_ARMS) is valid


def test_a_refresh_into_a_leap_year_keeps_the_day():
    completion = Completion("arms", date(2027, 2, 28))
    settings = CompetenceSettings(refresh_months={"arms": 12})
    assert counts(completion, date(2028, 2, 27), settings)
    assert not counts(completion, date(2028, 2, 28), settings)


def test_no_refresh_period_means_no_expiry():
    assert counts(Completion("arms", date(1999, 1, 1)), ON)


def test_a_recorded_expiry_is_used_before_the_refresh_period():
    completion = Completion("arms", date(2024, 5, 1), expires_on=date(2026, 5, 1))
    assert counts(completion, date(2025, 6, 1), REFRESH_ARMS)


def test_the_refresh_period_is_in_the_working():
    result = competence([Completion("arms", date(2024, 5, 1))], None, date(2024, 6, 1), REFRESH_ARMS)
    assert "ARMS (Active Risk Management System) 12 months" in explain(result.working)
    assert result.expiries == (("arms", date(2025, 5, 1)),)


def test_a_fresh_completion_replaces_an_expired_one():
    completions = [Completion("arms", date(2022, 1, 1), date(2024, 1, 1)), Completion("arms", date(2024, 3, 1))]
    assert not competence(completions, None, date(2024, 2, 29), REFRESH_ARMS).may_complete_arms
    result = competence(completions, None, date(2024, 3, 1), REFRESH_ARMS)
    assert result.may_complete_arms
    assert result.expiries == (("arms", date(2025, 3, 1)),)
    assert competence(completions, None, date(2025, 2, 28), REFRESH_ARMS).may_complete_arms
    assert not competence(completions, None, date(2025, 3, 1), REFRESH_ARMS).may_complete_arms


def test_of_two_counting_completions_the_later_expiry_is_shown():
    completions = [Completion("visor", date(2024, 1, 1), date(2025, 7, 1)), Completion("visor", ON, date(2026, 7, 1))]
    assert competence(completions, None, ON).expiries == (("visor", date(2026, 7, 1)),)
    no_expiry = [*completions, Completion("visor", LONG_AGO)]
    assert competence(no_expiry, None, ON).expiries == ()


# --- what the records allow ---------------------------------------------------------------------


def test_mosovo_allows_holding_level_2_and_3_nominals():
    assert competence([Completion("mosovo", LONG_AGO)], "DC", ON).may_hold_level_2_3
    assert not competence([Completion("visor", LONG_AGO)], "DC", ON).may_hold_level_2_3


def test_an_area_can_require_more_than_mosovo():
    settings = CompetenceSettings(hold_level_2_3_courses={"mosovo", "visor"})
    result = competence([Completion("mosovo", LONG_AGO)], "DC", ON, settings)
    assert not result.may_hold_level_2_3
    assert any(g.startswith("ViSOR: not completed") for g in result.gaps)


def test_arms_allows_completing_arms():
    assert competence([Completion("arms", LONG_AGO)], "DC", ON).may_complete_arms
    result = competence([Completion("mosovo", LONG_AGO)], "DC", ON)
    assert not result.may_complete_arms
    assert "ARMS (Active Risk Management System): not completed; needed to complete ARMS assessments" in result.gaps


@pytest.mark.parametrize(
    ("rank", "levels"),
    [
        ("Constable", set()),
        ("Detective Sergeant", set()),
        ("Inspector", {1, 2}),
        ("DI", {1, 2}),
        ("Chief Inspector", {1, 2, 3}),
        ("DCI", {1, 2, 3}),
        ("Superintendent", {1, 2, 3}),
        ("Chief Constable", {1, 2, 3}),
        ("SPO", {1, 2}),
        ("PO", set()),
        ("PSO", set()),
        (None, set()),
        ("", set()),
        ("Band 4", set()),
    ],
)
def test_chair_levels_by_rank(rank, levels):
    assert competence(TRAINED_CHAIR, rank, ON).may_chair_levels == frozenset(levels)


def test_a_chair_must_be_trained_whatever_the_rank():
    result = competence([Completion("mosovo", LONG_AGO)], "Chief Superintendent", ON)
    assert result.may_chair_levels == frozenset()
    assert "MAPPA chair training and CPD: not completed; needed to chair MAPPA meetings" in result.gaps


def test_an_expired_chair_course_stops_chairing_on_its_expiry_day():
    completions = [Completion("mappa_chair", LONG_AGO, ON + DAY)]
    assert competence(completions, "DCI", ON).may_chair_levels == frozenset({1, 2, 3})
    assert competence(completions, "DCI", ON + DAY).may_chair_levels == frozenset()


def test_rank_gaps_are_plain_sentences():
    inspector = competence(TRAINED_CHAIR, "Inspector", ON)
    assert inspector.gaps == (
        "Chairing Level 3 meetings needs Chief Inspector or above; the rank recorded is Inspector",
    )
    sergeant = competence(TRAINED_CHAIR, "PS", ON)
    assert sergeant.gaps == (
        "Chairing Level 1 and 2 meetings needs Inspector or above; the rank recorded is Sergeant",
        "Chairing Level 3 meetings needs Chief Inspector or above; the rank recorded is Sergeant",
    )
    spo = competence(TRAINED_CHAIR, "Senior Probation Officer", ON)
    assert spo.gaps == (
        "Chairing Level 3 meetings needs Chief Inspector or above; the rank recorded is Senior Probation Officer "
        "(SPO), treated as Inspector",
    )
    assert competence(TRAINED_CHAIR, "DCI", ON).gaps == ()


def test_no_rank_unknown_rank_and_unmatched_grade_say_so():
    assert "No rank or grade is recorded" in competence(TRAINED_CHAIR, None, ON).gaps[0]
    assert "not one Safeguard recognises" in competence(TRAINED_CHAIR, "Band 4", ON).gaps[0]
    po = competence(TRAINED_CHAIR, "Probation Officer", ON)
    assert po.rank == "po"
    assert po.chair_rank is None
    assert "no police-rank equivalent for the grade Probation Officer (PO)" in po.gaps[0]


def test_an_area_can_set_grade_equivalents_and_chair_ranks():
    settings = CompetenceSettings(probation_equivalents={"po": "inspector", "spo": "chief_inspector"})
    assert competence(TRAINED_CHAIR, "PO", ON, settings).may_chair_levels == frozenset({1, 2})
    assert competence(TRAINED_CHAIR, "SPO", ON, settings).may_chair_levels == frozenset({1, 2, 3})
    hmicfrs = CompetenceSettings(chair_min_rank_level_3="superintendent")
    assert competence(TRAINED_CHAIR, "DCI", ON, hmicfrs).may_chair_levels == frozenset({1, 2})
    assert competence(TRAINED_CHAIR, "Supt", ON, hmicfrs).may_chair_levels == frozenset({1, 2, 3})


def test_working_names_the_sources():
    text = explain(competence(TRAINED_CHAIR, "SPO", ON).working)
    assert "Recommendation 18" in text
    assert "West Midlands" in text
    assert "No published equivalence" in text
    assert "may chair: Level 1 and 2" in text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Constable", "constable"),
        ("PC", "constable"),
        ("Detective Constable", "constable"),
        ("DC", "constable"),
        ("Police Sergeant", "sergeant"),
        ("D/Sgt", None),
        ("DS", "sergeant"),
        ("Detective Inspector", "inspector"),
        ("insp.", "inspector"),
        ("Chief Inspector", "chief_inspector"),
        ("Det Chief Inspector", "chief_inspector"),
        ("Det. Supt", "superintendent"),
        ("Ch Supt", "chief_superintendent"),
        ("chief_superintendent", "chief_superintendent"),
        ("SPO", "spo"),
        ("Senior Probation Officer", "spo"),
        ("probation officer", "po"),
        ("PQiP", "pqip"),
        ("", None),
        (None, None),
        ("Band 4", None),
    ],
)
def test_rank_code(text, code):
    assert rank_code(text) == code


# --- expiring soon ------------------------------------------------------------------------------


def test_expiring_within_counts_the_expiry_day():
    completions = [
        Completion("mosovo", LONG_AGO),
        Completion("arms", LONG_AGO, ON + dt.timedelta(days=30)),
        Completion("visor", LONG_AGO, ON + dt.timedelta(days=10)),
        Completion("da_cpd", LONG_AGO, ON),  # already expired today
    ]
    result = competence(completions, None, ON)
    assert result.expiries == (("visor", ON + dt.timedelta(days=10)), ("arms", ON + dt.timedelta(days=30)))
    assert result.expiring_within(30) == result.expiries
    assert result.expiring_within(29) == (("visor", ON + dt.timedelta(days=10)),)
    assert result.expiring_within(9) == ()
    assert result.expiring_within(0) == ()
    assert field_of(lambda: result.expiring_within(-1)) == "days"


# --- buddies ------------------------------------------------------------------------------------


def test_a_new_joiner_without_mosovo_works_with_a_buddy():
    finding = needs_buddy([Completion("visor", LONG_AGO)], ON)
    assert finding.needs_buddy
    assert finding.missing_courses == ("mosovo",)
    assert "a buddy until trained" in explain(finding.working)


def test_mosovo_completed_today_ends_the_buddy_today():
    assert not needs_buddy([Completion("mosovo", ON)], ON).needs_buddy
    assert needs_buddy([Completion("mosovo", ON)], ON - DAY).needs_buddy


def test_a_lapsed_mosovo_means_a_buddy_until_refreshed():
    finding = needs_buddy([Completion("mosovo", LONG_AGO, ON)], ON)
    assert finding.needs_buddy
    assert "until it is refreshed" in explain(finding.working)
    assert not needs_buddy([Completion("mosovo", LONG_AGO, ON + DAY)], ON).needs_buddy


# --- properties ---------------------------------------------------------------------------------

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def completions_strategy(draw):
    course = draw(st.sampled_from(sorted(COURSES)))
    completed = draw(days)
    expires = draw(st.none() | st.integers(1, 2000).map(lambda n: completed + dt.timedelta(days=n)))
    return Completion(course, completed, expires)


ranks = st.sampled_from([*POLICE_RANKS, *PROBATION_GRADES, None])


@given(completions=st.lists(completions_strategy(), max_size=8), on=days)
def test_a_course_counts_exactly_from_completion_until_the_day_before_expiry(completions, on):
    result = competence(completions, None, on)
    for course in COURSES:
        expected = any(
            c.course == course and c.completed_on <= on and (c.expires_on is None or on < c.expires_on)
            for c in completions
        )
        assert (course in result.valid_courses) is expected


@given(completions=st.lists(completions_strategy(), max_size=8), extra=completions_strategy(), on=days, rank=ranks)
def test_another_completion_never_takes_a_capability_away(completions, extra, on, rank):
    before = competence(completions, rank, on)
    after = competence([*completions, extra], rank, on)
    assert before.valid_courses <= after.valid_courses
    assert before.may_chair_levels <= after.may_chair_levels
    assert after.may_hold_level_2_3 >= before.may_hold_level_2_3
    assert after.may_complete_arms >= before.may_complete_arms
    assert len(after.gaps) <= len(before.gaps)


@given(a=st.sampled_from(list(POLICE_RANKS)), b=st.sampled_from(list(POLICE_RANKS)))
def test_a_higher_rank_never_chairs_fewer_levels(a, b):
    order = list(POLICE_RANKS)
    low, high = sorted((a, b), key=order.index)
    assert competence(TRAINED_CHAIR, low, ON).may_chair_levels <= competence(TRAINED_CHAIR, high, ON).may_chair_levels


@given(completions=st.lists(completions_strategy(), max_size=8), on=days)
def test_a_buddy_exactly_when_mosovo_does_not_count(completions, on):
    assert needs_buddy(completions, on).needs_buddy is not competence(completions, None, on).may_hold_level_2_3
