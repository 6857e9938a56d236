from dataclasses import fields
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules.working import RuleInputError, Status, explain
from safeguard.rules.workload import (
    CASE_LOCATIONS,
    DEFAULT_POINT_TABLE,
    DEFAULTS,
    CaseFacts,
    CaseloadMeasure,
    CaseloadSettings,
    PointTable,
    available_points,
    capacity_percent,
    case_points,
    caseload_measure,
    impact_of_allocation,
    team_measure,
    workload_capacity,
)

HIGH = CaseFacts(rosh="high")
VERY_HIGH = CaseFacts(rosh="very_high")
LOW = CaseFacts(rosh="low")
MEDIUM = CaseFacts(rosh="medium")


def caseload(high: int, total: int, **kwargs) -> CaseloadMeasure:
    return caseload_measure([HIGH] * high + [LOW] * (total - high), **kwargs)


def field_of(call) -> str:
    with pytest.raises(RuleInputError) as err:
        call()
    return err.value.field


# --- settings and defaults ----------------------------------------------------------------------


def test_every_setting_has_a_default_with_its_status():
    names = {d.name for d in DEFAULTS}
    assert {f.name for f in fields(CaseloadSettings)} <= names
    status = {d.name: d.status for d in DEFAULTS}
    assert status["ratio_cases_per_officer"] is Status.LOCAL
    assert status["high_risk_cap_percent"] is Status.LOCAL
    assert status["weight_approved_premises"] is Status.SAFEGUARD
    assert status["point_table"] is Status.UNCONFIRMED
    values = {d.name: d.value for d in DEFAULTS}
    assert values["ratio_cases_per_officer"] == 50
    assert values["high_risk_cap_percent"] == 20
    assert all(values[f"weight_{n}"] == 1 for n in ("community", "custody", "approved_premises", "level_2", "level_3"))


def test_the_placeholder_point_table_says_it_is_not_hmppss():
    point_table = next(d for d in DEFAULTS if d.name == "point_table")
    assert "not HMPPS" in point_table.source
    assert "not HMPPS" in DEFAULT_POINT_TABLE.name


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ratio_cases_per_officer": 0}, "ratio_cases_per_officer"),
        ({"ratio_cases_per_officer": 50.0}, "ratio_cases_per_officer"),
        ({"ratio_cases_per_officer": True}, "ratio_cases_per_officer"),
        ({"high_risk_cap_percent": -1}, "high_risk_cap_percent"),
        ({"high_risk_cap_percent": 101}, "high_risk_cap_percent"),
        ({"high_risk_cap_percent": 20.5}, "high_risk_cap_percent"),
        ({"weight_community": 0}, "weight_community"),
        ({"weight_custody": Decimal("-1")}, "weight_custody"),
        ({"weight_approved_premises": Decimal("NaN")}, "weight_approved_premises"),
        ({"weight_level_2": "1.5"}, "weight_level_2"),
        ({"weight_level_3": float("inf")}, "weight_level_3"),
        ({"weight_level_3": Fraction(1, 3)}, "weight_level_3"),
    ],
)
def test_bad_settings_name_the_setting(kwargs, field):
    assert field_of(lambda: CaseloadSettings(**kwargs)) == field


def test_weights_are_held_as_exact_decimals():
    settings = CaseloadSettings(weight_approved_premises=1.1, weight_level_3=2, weight_level_2=Fraction(3, 2))
    assert settings.weight_approved_premises == Decimal("1.1")
    assert settings.weight_level_3 == Decimal(2)
    assert settings.weight_level_2 == Decimal("1.5")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"location": "prison"}, "location"),
        ({"rosh": "HIGH"}, "rosh"),
        ({"management_level": 4}, "management_level"),
        ({"management_level": True}, "management_level"),
    ],
)
def test_bad_case_facts_name_the_field(kwargs, field):
    assert field_of(lambda: CaseFacts(**kwargs)) == field


def test_cases_must_be_case_facts():
    assert field_of(lambda: caseload_measure([{"rosh": "high"}])) == "cases"
    assert field_of(lambda: caseload_measure("high")) == "cases"


# --- the ratio ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "over", "by"), [(49, False, 0), (50, False, 0), (51, True, 1), (60, True, 10)])
def test_ratio_edges_exactly_fifty_is_not_over(n, over, by):
    m = caseload(0, n)
    assert m.over_ratio is over
    assert m.over_ratio_by == by
    assert m.weighted_units == n
    assert m.over is over
    assert bool(m.reasons) is over


def test_over_ratio_says_why_and_by_how_much():
    m = caseload(0, 51)
    assert m.reasons == ("51 cases, 1 more than the area's ratio of 50 per officer",)
    assert "over by 1" in explain(m.working)


def test_an_area_ratio_replaces_the_default():
    assert caseload(0, 46, settings=CaseloadSettings(ratio_cases_per_officer=45)).over_ratio
    assert not caseload(0, 45, settings=CaseloadSettings(ratio_cases_per_officer=45)).over_ratio


def test_weights_count_against_the_ratio():
    settings = CaseloadSettings(weight_approved_premises=Decimal("1.5"))
    ap = CaseFacts(location="approved_premises", rosh="low")
    at_ratio = caseload_measure([LOW] * 44 + [ap] * 4, settings)
    assert at_ratio.cases == 48
    assert at_ratio.weighted_units == 50
    assert not at_ratio.over_ratio
    over = caseload_measure([LOW] * 43 + [ap] * 5, settings)
    assert over.weighted_units == Decimal("50.5")
    assert over.over_ratio_by == Decimal("0.5")
    assert over.reasons == ("48 cases weighing 50.5 units, 0.5 more than the area's ratio of 50 per officer",)


def test_location_and_level_weights_multiply():
    settings = CaseloadSettings(weight_custody=Decimal("0.5"), weight_level_3=3, weight_level_2=2)
    m = caseload_measure(
        [
            CaseFacts(location="custody", management_level=3),
            CaseFacts(location="community", management_level=2),
            CaseFacts(),
        ],
        settings,
    )
    assert m.weighted_units == Decimal("1.5") + 2 + 1
    assert "times its level weight" in explain(m.working)


def test_default_weights_make_one_case_one_unit():
    cases = [CaseFacts(location=loc, management_level=lv) for loc in CASE_LOCATIONS for lv in (1, 2, 3)]
    m = caseload_measure(cases)
    assert m.weighted_units == len(cases) == m.cases
    assert "Each case is one unit" in explain(m.working)


# --- the high-risk cap --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("high", "total", "over", "by", "allowed"),
    [
        (10, 50, False, 0, 10),  # exactly 20%
        (11, 50, True, 1, 10),
        (1, 5, False, 0, 1),  # exactly 20% of a small caseload
        (2, 5, True, 1, 1),
        (1, 4, True, 1, 0),  # 25%: the cap allows none of 4
        (1, 1, True, 1, 0),
        (0, 0, False, 0, 0),
        (0, 7, False, 0, 1),
        (9, 49, False, 0, 9),  # 18.4%
        (10, 49, True, 1, 9),  # 20.4%
    ],
)
def test_high_risk_cap_edges(high, total, over, by, allowed):
    m = caseload(high, total)
    assert m.over_high_risk_cap is over
    assert m.over_high_risk_cap_by == by
    assert m.high_risk_allowed == allowed
    assert m.high_risk_cases == high


def test_high_risk_percent_is_shown_to_one_place():
    assert caseload(11, 50).high_risk_percent == Decimal("22.0")
    assert caseload(1, 3).high_risk_percent == Decimal("33.3")
    assert caseload(0, 0).high_risk_percent == 0


def test_a_share_a_hair_over_the_cap_is_over_even_if_it_rounds_to_the_cap():
    m = caseload(2001, 10000, settings=CaseloadSettings(ratio_cases_per_officer=20000))
    assert m.high_risk_percent == Decimal("20.0")
    assert m.over_high_risk_cap
    assert m.over_high_risk_cap_by == 1


def test_very_high_counts_as_high_risk_and_medium_and_not_known_do_not():
    m = caseload_measure([VERY_HIGH, HIGH, MEDIUM, LOW, CaseFacts()])
    assert m.high_risk_cases == 2
    assert m.rosh_not_known_cases == 1
    assert "RoSH not known" in explain(m.working)


def test_over_the_cap_says_why_and_names_approved_premises_work():
    ap_high = CaseFacts(location="approved_premises", rosh="very_high")
    m = caseload_measure([HIGH] * 8 + [ap_high] * 3 + [LOW] * 39)
    assert m.over_high_risk_cap_by == 1
    assert m.high_risk_in_approved_premises == 3
    assert m.reasons == (
        "11 of 50 cases (22.0%) are at high or very high risk of serious harm, 1 more than the 10 the area's 20% "
        "cap allows; 3 of them in Approved Premises",
    )


def test_both_reasons_when_over_on_both_counts():
    m = caseload(20, 60)
    assert m.over_ratio and m.over_high_risk_cap
    assert len(m.reasons) == 2


def test_community_custody_and_approved_premises_counts():
    m = caseload_measure(
        [CaseFacts(location="custody")] * 3 + [CaseFacts(location="approved_premises")] * 2 + [CaseFacts()] * 5
    )
    assert (m.community_cases, m.custody_cases, m.approved_premises_cases) == (7, 3, 2)


# --- teams --------------------------------------------------------------------------------------


def test_team_measure_adds_up_and_names_officers_over():
    team = team_measure({"ash": caseload(11, 50), "birch": caseload(2, 51), "cedar": caseload(0, 30)})
    assert team.officers == 3
    assert team.cases == 131
    assert team.weighted_units == 131
    assert team.capacity_units == 150
    assert not team.over_ratio
    assert team.officers_over_ratio == ("birch",)
    assert team.officers_over_high_risk_cap == ("ash",)
    assert team.high_risk_cases == 13
    assert team.high_risk_allowed == 26
    assert team.largest_caseload == 51
    assert team.average_units_per_officer == Decimal("43.7")


def test_team_measure_from_a_list_uses_positions():
    team = team_measure([caseload(0, 10), caseload(0, 55)])
    assert team.officers_over_ratio == (1,)


def test_a_team_over_its_combined_ratio():
    team = team_measure([caseload(0, 50), caseload(0, 52)])
    assert team.over_ratio
    assert team.over_ratio_by == 2


def test_empty_team():
    team = team_measure([])
    assert (team.officers, team.cases, team.capacity_units, team.largest_caseload) == (0, 0, 0, 0)
    assert not team.over_ratio and not team.over_high_risk_cap


def test_team_measure_refuses_other_things():
    assert field_of(lambda: team_measure([{"cases": 3}])) == "measures"


# --- available points ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "default", "contracted", "reduction", "expected"),
    [
        (100, 37, 30, 0, 81),  # 81.08 truncated
        (100, 37, 37, 0, 100),
        (100, 37, 37, 7, 81),  # 30 hours available again
        (100, 37, 37, 37, 0),
        (100, 37, 0, 0, 0),
        (37, 37, 1, 0, 1),  # exactly 1: no rounding of the ratio first
        (100, Decimal("37.5"), Decimal("37.5"), Decimal("7.5"), 80),
        (100, 37.5, 22.5, 0, 60),
        (100, 37, 40, 0, 108),  # more than the default hours
        (1000, 37, Decimal("18.5"), Decimal("0.5"), 486),  # 486.486...
        (99, 36, 35, 0, 96),  # 96.25
        (Decimal("100.5"), 37, 37, 0, 100),
    ],
)
def test_available_points_truncated(target, default, contracted, reduction, expected):
    assert available_points(target, default, contracted, reduction) == expected


def test_truncation_is_not_rounding():
    # 100 × 36.9 / 37 = 99.73: rounding would give 100
    assert available_points(100, 37, Decimal("36.9"), 0) == 99


def test_a_float_is_read_as_the_decimal_it_prints():
    # 7.4 as a binary float is a little under 7.4; read as 7.4, 10 × 7.4 / 7.4 is exactly 10.
    assert available_points(10, Decimal("7.4"), 7.4, 0) == 10


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((0, 37, 30, 0), "nominal_target"),
        ((-5, 37, 30, 0), "nominal_target"),
        (("100", 37, 30, 0), "nominal_target"),
        ((100, 0, 30, 0), "default_contracted_hours"),
        ((100, -37, 30, 0), "default_contracted_hours"),
        ((100, 200, 30, 0), "default_contracted_hours"),
        ((100, 37, -1, 0), "contracted_hours"),
        ((100, 37, 169, 0), "contracted_hours"),
        ((100, 37, True, 0), "contracted_hours"),
        ((100, 37, 30, -1), "reduction_hours"),
        ((100, 37, 30, 31), "reduction_hours"),
        ((100, 37, 30, Decimal("30.01")), "reduction_hours"),
        ((100, 37, 30, float("nan")), "reduction_hours"),
        ((100, 37, 30, None), "reduction_hours"),
    ],
)
def test_bad_hours_name_the_field(args, field):
    assert field_of(lambda: available_points(*args)) == field
    assert field_of(lambda: workload_capacity(*args, total_points=10)) == field


# --- capacity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "available", "percent"),
    [
        (81, 81, Decimal("100.0")),
        (82, 81, Decimal("101.2")),
        (0, 81, Decimal("0.0")),
        (1, 8, Decimal("12.5")),
        (1, 16, Decimal("6.3")),  # 6.25 half up, not to even
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (1000, 1, Decimal("100000.0")),
    ],
)
def test_capacity_percent(total, available, percent):
    assert capacity_percent(total, available) == percent
    assert str(capacity_percent(total, available)) == str(percent)


def test_capacity_with_no_available_points_is_refused():
    assert field_of(lambda: capacity_percent(10, 0)) == "available_points"
    assert field_of(lambda: capacity_percent(-1, 10)) == "total_points"
    assert field_of(lambda: capacity_percent(10, 2.0)) == "available_points"


def test_workload_capacity_for_the_api():
    result = workload_capacity(
        nominal_target=100, default_contracted_hours=37, contracted_hours=30, reduction_hours=0, total_points=81
    )
    assert result.available_points == 81
    assert result.capacity_percent == Decimal("100.0")
    assert result.over_capacity is False  # exactly 100% is not over
    text = explain(result.working)
    assert "81.08, truncated to 81" in text
    assert "HMPPS" in text


def test_workload_capacity_one_point_over():
    result = workload_capacity(100, 37, 30, 0, 82)
    assert result.capacity_percent == Decimal("101.2")
    assert result.over_capacity is True


def test_workload_capacity_with_reduction_hours():
    result = workload_capacity(100, 37, 37, Decimal("3.7"), 45)
    assert result.available_points == 90
    assert result.capacity_percent == Decimal("50.0")


def test_workload_capacity_with_no_available_points_answers_none():
    held = workload_capacity(100, 37, 30, 30, 5)
    assert held.available_points == 0
    assert held.capacity_percent is None
    assert held.over_capacity is True
    empty = workload_capacity(100, 37, 30, 30, 0)
    assert empty.capacity_percent is None
    assert empty.over_capacity is False
    assert "not a percentage" in explain(empty.working)


def test_workload_capacity_refuses_bad_total_points():
    assert field_of(lambda: workload_capacity(100, 37, 30, 0, -1)) == "total_points"
    assert field_of(lambda: workload_capacity(100, 37, 30, 0, 1.5)) == "total_points"


# --- points per case ----------------------------------------------------------------------------


def test_placeholder_points_rise_with_tier_and_custody_weighs_less():
    assert case_points("A3", "community") > case_points("B3", "community") > case_points("D0", "community")
    assert case_points("A3", "custody") < case_points("A3", "community")
    assert case_points(" a3 ", "licence") == case_points("A3", "licence")


def test_an_area_table_replaces_the_placeholder():
    table = PointTable.from_dict(
        {"community": {"A": 90, "B": 60}, "custody": {"A": 30}, "licence": {"a": 100}}, name="Area X"
    )
    assert case_points("A", "licence", table) == 100
    assert case_points("b", "community", table) == 60
    assert table.to_dict() == {"community": {"A": 90, "B": 60}, "custody": {"A": 30}, "licence": {"A": 100}}
    assert PointTable.from_dict(table.to_dict(), name="Area X") == table
    assert field_of(lambda: case_points("B", "custody", table)) == "tier"


@pytest.mark.parametrize(
    ("tier", "case_type", "field"),
    [("Z9", "community", "tier"), ("", "community", "tier"), ("A3", "court", "case_type"), (3, "custody", "tier")],
)
def test_case_points_bad_input(tier, case_type, field):
    assert field_of(lambda: case_points(tier, case_type)) == field


@pytest.mark.parametrize(
    "data",
    [
        {"community": {"A": 1}, "custody": {"A": 1}},  # no licence points
        {"community": {"A": -1}, "custody": {"A": 1}, "licence": {"A": 1}},
        {"community": {"A": 1.5}, "custody": {"A": 1}, "licence": {"A": 1}},
        {"community": {"A": 1, "a": 2}, "custody": {"A": 1}, "licence": {"A": 1}},
        {"court": {"A": 1}, "community": {"A": 1}, "custody": {"A": 1}, "licence": {"A": 1}},
        {"community": [1], "custody": {"A": 1}, "licence": {"A": 1}},
        "A3=10",
    ],
)
def test_bad_point_tables_are_refused(data):
    assert field_of(lambda: PointTable.from_dict(data) if isinstance(data, dict) else PointTable(data)) == (
        "point_table"
    )


# --- impact of allocation -----------------------------------------------------------------------


def test_impact_of_allocation():
    impact = impact_of_allocation(current_total_points=70, available_points=81, case_points=12)
    assert impact.before_percent == Decimal("86.4")
    assert impact.after_percent == Decimal("101.2")
    assert impact.after_total_points == 82
    assert impact.over_capacity_after is True
    assert "12 points" in explain(impact.working)


def test_impact_that_reaches_exactly_full_is_not_over():
    impact = impact_of_allocation(70, 81, 11)
    assert impact.after_percent == Decimal("100.0")
    assert impact.over_capacity_after is False


@pytest.mark.parametrize(
    ("args", "field"),
    [((70, 0, 5), "available_points"), ((-1, 81, 5), "current_total_points"), ((70, 81, -5), "case_points")],
)
def test_impact_bad_input(args, field):
    assert field_of(lambda: impact_of_allocation(*args)) == field


# --- properties ---------------------------------------------------------------------------------

hours = st.decimals(min_value=0, max_value=80, places=2)
weights = st.decimals(min_value=Decimal("0.01"), max_value=10, places=2)
case_facts = st.builds(
    CaseFacts,
    location=st.sampled_from(CASE_LOCATIONS),
    rosh=st.sampled_from(["low", "medium", "high", "very_high", "not_known"]),
    management_level=st.sampled_from([1, 2, 3]),
)
settings_strategy = st.builds(
    CaseloadSettings,
    ratio_cases_per_officer=st.integers(1, 100),
    high_risk_cap_percent=st.integers(0, 100),
    weight_community=weights,
    weight_custody=weights,
    weight_approved_premises=weights,
    weight_level_2=weights,
    weight_level_3=weights,
)


@given(total=st.integers(0, 5000), extra=st.integers(0, 500), available=st.integers(1, 3000))
def test_capacity_grows_with_total_points(total, extra, available):
    assert capacity_percent(total + extra, available) >= capacity_percent(total, available)


@given(target=st.integers(1, 5000), default=st.decimals(min_value=1, max_value=80, places=2), data=st.data())
def test_available_points_never_exceed_the_target_when_contracted_within_default(target, default, data):
    contracted = data.draw(st.decimals(min_value=0, max_value=default, places=2))
    reduction = data.draw(st.decimals(min_value=0, max_value=contracted, places=2))
    points = available_points(target, default, contracted, reduction)
    assert 0 <= points <= target
    # truncation: never more than the exact value, and less than one point below it
    exact = Fraction(target) * (Fraction(contracted) - Fraction(reduction)) / Fraction(default)
    assert points <= exact < points + 1


@given(target=st.integers(1, 5000), default=st.decimals(min_value=1, max_value=80, places=2), a=hours, b=hours)
def test_available_points_rise_with_hours_and_fall_with_reductions(target, default, a, b):
    low, high = sorted((a, b))
    assert available_points(target, default, low, 0) <= available_points(target, default, high, 0)
    assert available_points(target, default, high, high) <= available_points(target, default, high, low)


@given(cases=st.lists(case_facts, max_size=60), extra=case_facts, settings=settings_strategy)
def test_adding_a_case_never_lowers_the_weighted_units(cases, extra, settings):
    before = caseload_measure(cases, settings)
    after = caseload_measure([*cases, extra], settings)
    assert after.weighted_units > before.weighted_units
    assert after.cases == before.cases + 1


@given(cases=st.lists(case_facts, max_size=80), settings=settings_strategy)
def test_the_cap_is_the_exact_share(cases, settings):
    m = caseload_measure(cases, settings)
    share = Fraction(m.high_risk_cases, m.cases) if m.cases else Fraction(0)
    assert m.over_high_risk_cap is (share > Fraction(settings.high_risk_cap_percent, 100))
    assert m.over_ratio is (m.weighted_units > settings.ratio_cases_per_officer)
    # after moving away the number "over by", the caseload would be within the cap at its present size
    assert (m.high_risk_cases - m.over_high_risk_cap_by) * 100 <= settings.high_risk_cap_percent * m.cases
    assert m.community_cases + m.custody_cases == m.cases


@given(caseloads=st.lists(st.lists(case_facts, max_size=20), max_size=8))
def test_team_totals_are_the_sum_of_the_officers(caseloads):
    measures = [caseload_measure(c) for c in caseloads]
    team = team_measure(measures)
    assert team.cases == sum(len(c) for c in caseloads)
    assert team.high_risk_cases == sum(m.high_risk_cases for m in measures)
    assert team.largest_caseload == max((len(c) for c in caseloads), default=0)
