import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import instruments
from safeguard.rules.rm2000 import AGGRAVATING_FACTORS, DEFAULTS, RM2000, score_rm2000
from safeguard.rules.working import RuleInputError, Status

ORDER = ["low", "medium", "high", "very_high"]


def score(**overrides):
    # Baseline: /S 0 points (Low), /V 1 point (Low), /C 1 + 1 = 2 (Low).
    args = {
        "age_at_commencement": 40,
        "sexual_appearances": 1,
        "criminal_appearances": 0,
        "violent_appearances": 0,
        "any_burglary": False,
        "aggravating_factors": set(),
    }
    args.update(overrides)
    return score_rm2000(**args)


def test_definition_is_data_marked_unconfirmed():
    assert RM2000["code"] == "rm2000"
    assert RM2000["status"] == Status.UNCONFIRMED
    assert "verify against the scoring guide" in RM2000["notes"]
    assert [d.status for d in DEFAULTS] == [Status.UNCONFIRMED]
    assert instruments.latest("rm2000") is RM2000


def test_baseline():
    r = score()
    assert (r.s_points, r.s_step1_category, r.s_category) == (0, "low", "low")
    assert (r.v_points, r.v_category, r.c_points, r.c_category) == (1, "low", 2, "low")
    assert any("unconfirmed" in step.text for step in r.working)
    assert all("Thornton" in step.source for step in r.working)


# /S step 1 items


@pytest.mark.parametrize(("age", "pts"), [(18, 2), (24, 2), (25, 1), (34, 1), (35, 0), (80, 0)])
def test_s_age_points(age, pts):
    assert score(age_at_commencement=age).s_points == pts


@pytest.mark.parametrize(("count", "pts"), [(1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (12, 3)])
def test_sexual_appearance_points(count, pts):
    assert score(sexual_appearances=count).s_points == pts


@pytest.mark.parametrize(("count", "pts"), [(0, 0), (4, 0), (5, 1), (30, 1)])
def test_criminal_appearance_points(count, pts):
    assert score(criminal_appearances=count).s_points == pts


@pytest.mark.parametrize(
    ("age", "sexual", "criminal", "total", "category"),
    [
        (40, 1, 0, 0, "low"),
        (40, 2, 0, 1, "medium"),
        (40, 3, 0, 2, "medium"),
        (40, 5, 0, 3, "high"),
        (30, 5, 0, 4, "high"),
        (20, 5, 0, 5, "very_high"),
        (20, 5, 5, 6, "very_high"),
    ],
)
def test_s_step1_band_edges(age, sexual, criminal, total, category):
    r = score(age_at_commencement=age, sexual_appearances=sexual, criminal_appearances=criminal)
    assert (r.s_points, r.s_step1_category, r.s_category) == (total, category, category)


# /S step 2


@pytest.mark.parametrize(
    ("sexual", "factors", "step1", "final"),
    [
        (1, set(), "low", "low"),
        (1, {"male_victim"}, "low", "low"),
        (1, {"male_victim", "stranger_victim"}, "low", "medium"),
        (1, {"male_victim", "stranger_victim", "non_contact"}, "low", "medium"),
        (1, set(AGGRAVATING_FACTORS), "low", "high"),
        (2, set(AGGRAVATING_FACTORS), "medium", "very_high"),
        (5, set(AGGRAVATING_FACTORS), "high", "very_high"),  # +2 capped at Very High
        (5, {"never_married", "non_contact"}, "high", "very_high"),
    ],
)
def test_s_step2_aggravating_factors(sexual, factors, step1, final):
    r = score(sexual_appearances=sexual, aggravating_factors=factors)
    assert (r.s_step1_category, r.s_category) == (step1, final)


def test_step2_never_goes_above_very_high():
    r = score(age_at_commencement=20, sexual_appearances=5, aggravating_factors=set(AGGRAVATING_FACTORS))
    assert (r.s_step1_category, r.s_category) == ("very_high", "very_high")
    assert "raise the category 2 levels" in r.working[4].text


def test_aggravating_factors_accept_any_collection():
    assert score(aggravating_factors=["male_victim", "stranger_victim"]).s_category == "medium"
    assert score(aggravating_factors=frozenset({"male_victim"})).s_category == "low"


# /V


@pytest.mark.parametrize(("age", "pts"), [(18, 3), (24, 3), (25, 2), (34, 2), (35, 1), (44, 1), (45, 0)])
def test_v_age_points(age, pts):
    assert score(age_at_commencement=age).v_points == pts


@pytest.mark.parametrize(("count", "pts"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (9, 3)])
def test_violent_appearance_points(count, pts):
    assert score(age_at_commencement=50, violent_appearances=count).v_points == pts


def test_burglary_adds_two():
    assert score(age_at_commencement=50, any_burglary=True).v_points == 2


@pytest.mark.parametrize(
    ("age", "violent", "burglary", "total", "category"),
    [
        (50, 0, False, 0, "low"),
        (50, 1, False, 1, "low"),
        (50, 2, False, 2, "medium"),
        (50, 1, True, 3, "medium"),
        (50, 2, True, 4, "high"),
        (50, 4, True, 5, "high"),
        (30, 4, False, 5, "high"),
        (30, 2, True, 6, "very_high"),
        (20, 4, True, 8, "very_high"),
    ],
)
def test_v_band_edges(age, violent, burglary, total, category):
    r = score(age_at_commencement=age, violent_appearances=violent, any_burglary=burglary)
    assert (r.v_points, r.v_category) == (total, category)


# /C


@pytest.mark.parametrize(
    ("overrides", "s", "v", "c_points", "c"),
    [
        ({"age_at_commencement": 50}, "low", "low", 2, "low"),
        ({"age_at_commencement": 50, "violent_appearances": 2}, "low", "medium", 3, "low"),
        (
            {"age_at_commencement": 50, "violent_appearances": 2, "sexual_appearances": 2},
            "medium",
            "medium",
            4,
            "medium",
        ),
        (
            {"age_at_commencement": 50, "violent_appearances": 4, "any_burglary": True, "sexual_appearances": 2},
            "medium",
            "high",
            5,
            "medium",
        ),
        ({"age_at_commencement": 30, "violent_appearances": 2, "sexual_appearances": 5}, "high", "high", 6, "high"),
        (
            {"age_at_commencement": 20, "violent_appearances": 1, "sexual_appearances": 5},
            "very_high",
            "high",
            7,
            "high",
        ),
        (
            {"age_at_commencement": 20, "violent_appearances": 4, "sexual_appearances": 5},
            "very_high",
            "very_high",
            8,
            "very_high",
        ),
    ],
)
def test_c_band_edges(overrides, s, v, c_points, c):
    r = score(**overrides)
    assert (r.s_category, r.v_category, r.c_points, r.c_category) == (s, v, c_points, c)


def test_c_uses_the_category_after_step2():
    r = score(age_at_commencement=50, aggravating_factors={"male_victim", "stranger_victim"})
    assert (r.s_step1_category, r.s_category, r.c_points) == ("low", "medium", 3)


# Who it applies to and bad input


@pytest.mark.parametrize("age", [17, 0, 12])
def test_under_18_is_refused(age):
    with pytest.raises(RuleInputError, match="under 18") as err:
        score(age_at_commencement=age)
    assert err.value.field == "age_at_commencement"


def test_18_is_accepted_and_121_refused():
    assert score(age_at_commencement=18).s_points == 2
    with pytest.raises(RuleInputError) as err:
        score(age_at_commencement=121)
    assert err.value.field == "age_at_commencement"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sexual_appearances", 0),
        ("sexual_appearances", -1),
        ("criminal_appearances", -1),
        ("violent_appearances", -2),
        ("violent_appearances", 1.5),
        ("criminal_appearances", True),
        ("age_at_commencement", "40"),
        ("any_burglary", "no"),
        ("aggravating_factors", {"male_victim", "young_victim"}),
        ("aggravating_factors", "male_victim"),
    ],
)
def test_bad_input_names_the_field(field, value):
    with pytest.raises(RuleInputError) as err:
        score(**{field: value})
    assert err.value.field == field


def test_sexual_appearances_message_says_who_the_tool_is_for():
    with pytest.raises(RuleInputError, match="convicted of a sexual offence"):
        score(sexual_appearances=0)


def test_a_stored_assessment_is_scored_against_its_own_edition():
    verified = copy.deepcopy(RM2000)
    verified["edition"] = "2007-verified"
    verified["scales"]["v"]["items"][2]["yes_points"] = 1
    instruments.validate_definition(verified)
    assert score(age_at_commencement=50, any_burglary=True, definition=verified).v_points == 1
    assert score(age_at_commencement=50, any_burglary=True).v_points == 2
    with pytest.raises(RuleInputError) as err:
        score(definition=instruments.latest("dash"))
    assert err.value.field == "definition"


def test_a_definition_with_a_gap_in_a_point_table_is_invalid():
    broken = copy.deepcopy(RM2000)
    broken["scales"]["s"]["items"][1]["points"][2]["min"] = 4
    with pytest.raises(RuleInputError, match="scales.s.items"):
        instruments.validate_definition(broken)


# Properties

ages = st.integers(18, 100)
counts = st.integers(0, 15)
factor_sets = st.sets(st.sampled_from(AGGRAVATING_FACTORS))


def rank(result):
    return (ORDER.index(result.s_category), ORDER.index(result.v_category), ORDER.index(result.c_category))


@given(
    age=ages,
    sexual=st.integers(1, 15),
    criminal=counts,
    violent=counts,
    burglary=st.booleans(),
    factors=factor_sets,
    field=st.sampled_from(["sexual_appearances", "criminal_appearances", "violent_appearances"]),
    more=st.integers(1, 5),
)
def test_category_is_monotone_in_each_count(age, sexual, criminal, violent, burglary, factors, field, more):
    base = {
        "age_at_commencement": age,
        "sexual_appearances": sexual,
        "criminal_appearances": criminal,
        "violent_appearances": violent,
        "any_burglary": burglary,
        "aggravating_factors": factors,
    }
    lower = score(**base)
    higher = score(**{**base, field: base[field] + more})
    assert all(a <= b for a, b in zip(rank(lower), rank(higher), strict=True))
    assert lower.s_points <= higher.s_points and lower.v_points <= higher.v_points


@given(age=ages, sexual=st.integers(1, 15), factors=factor_sets, extra=factor_sets)
def test_category_is_monotone_in_aggravating_factors(age, sexual, factors, extra):
    lower = score(age_at_commencement=age, sexual_appearances=sexual, aggravating_factors=factors)
    higher = score(age_at_commencement=age, sexual_appearances=sexual, aggravating_factors=factors | extra)
    assert all(a <= b for a, b in zip(rank(lower), rank(higher), strict=True))


@given(age=ages, older=st.integers(0, 20), sexual=st.integers(1, 15), violent=counts)
def test_older_is_never_scored_higher(age, older, sexual, violent):
    young = score(age_at_commencement=age, sexual_appearances=sexual, violent_appearances=violent)
    old = score(age_at_commencement=age + older, sexual_appearances=sexual, violent_appearances=violent)
    assert all(a >= b for a, b in zip(rank(young), rank(old), strict=True))
