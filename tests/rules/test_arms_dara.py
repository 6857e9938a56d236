import copy
import re

import pytest

from safeguard.rules import instruments
from safeguard.rules.arms import ARMS_2014, record_arms
from safeguard.rules.dara import DARA_2022, grade_dara
from safeguard.rules.working import RuleInputError, Status

FACTORS = {f["key"]: f for f in ARMS_2014["factors"]}
RISK = [k for k, f in FACTORS.items() if f["kind"] == "risk"]
PROTECTIVE = [k for k, f in FACTORS.items() if f["kind"] == "protective"]


def all_rated(risk="medium", protective="partly_present"):
    return {k: (risk if FACTORS[k]["kind"] == "risk" else protective) for k in FACTORS}


def record(**overrides):
    args = {
        "ratings": all_rated(),
        "evidence": {},
        "priorities": ["opportunity_to_offend"],
        "priority_notes": "",
    }
    args.update(overrides)
    return record_arms(**args)


# ARMS definition


def test_seven_risk_and_four_protective_factors():
    assert len(RISK) == 7
    assert len(PROTECTIVE) == 4


def test_only_the_publicly_named_factors_are_named():
    named = {f["label"] for f in ARMS_2014["factors"] if f["status"] == Status.CONFIRMED}
    assert named == {
        "Opportunity to offend",
        "Sexual preoccupation",
        "Offence-related sexual interest",
        "Positive routine",
        "Social investment",
        "Commitment to desist",
    }
    slots = [f for f in ARMS_2014["factors"] if f["status"] != Status.CONFIRMED]
    assert len(slots) == 5
    assert [f["kind"] for f in slots] == ["risk"] * 4 + ["protective"]
    for slot in slots:
        assert slot["status"] == Status.UNCONFIRMED
        assert re.fullmatch(r"(Risk|Protective) factor \d \(name from the licensed ARMS manual\)", slot["label"])
    assert ARMS_2014["status"] == Status.UNCONFIRMED
    assert all(scale["status"] == Status.UNCONFIRMED for scale in ARMS_2014["rating_scales"].values())


# ARMS record


def test_a_complete_record_gives_priorities_not_a_label():
    result = record(
        ratings=all_rated(risk="high"),
        evidence={k: "Seen at the home visit" for k in RISK},
        priorities=["opportunity_to_offend", "social_investment"],
        priority_notes="  Work on routine  ",
    )
    assert result.priorities == ("opportunity_to_offend", "social_investment")
    assert result.priority_notes == "Work on routine"
    assert result.ratings == all_rated(risk="high")
    assert set(result.evidence) == set(RISK)
    assert not hasattr(result, "grade")
    assert "Priorities for work: Opportunity to offend; Social investment" in result.working[-2].text
    assert "not a risk label" in result.working[-2].text
    assert "unconfirmed" in result.working[-1].text


def test_every_factor_must_be_rated_and_the_error_names_it():
    ratings = all_rated()
    del ratings["sexual_preoccupation"]
    with pytest.raises(RuleInputError, match="Rate 'Sexual preoccupation'") as err:
        record(ratings=ratings)
    assert err.value.field == "ratings"
    ratings = all_rated()
    ratings["risk_factor_5"] = ""
    with pytest.raises(RuleInputError, match=r"Rate 'Risk factor 5 \(name from the licensed ARMS manual\)'"):
        record(ratings=ratings)


@pytest.mark.parametrize(
    ("key", "value"),
    [("opportunity_to_offend", "present"), ("positive_routine", "high"), ("positive_routine", ["present"])],
)
def test_a_rating_must_come_from_its_kinds_scale(key, value):
    ratings = all_rated()
    ratings[key] = value
    with pytest.raises(RuleInputError, match="as one of") as err:
        record(ratings=ratings)
    assert err.value.field == "ratings"
    assert FACTORS[key]["label"] in err.value.message


def test_unknown_factors_are_refused():
    with pytest.raises(RuleInputError) as err:
        record(ratings={**all_rated(), "grooming": "high"})
    assert err.value.field == "ratings"
    with pytest.raises(RuleInputError) as err:
        record(evidence={"grooming": "text"})
    assert err.value.field == "evidence"


@pytest.mark.parametrize(
    ("key", "top", "below"),
    [("offence_related_sexual_interest", "high", "medium"), ("commitment_to_desist", "present", "partly_present")],
)
def test_evidence_is_required_at_the_top_of_a_scale(key, top, below):
    ratings = all_rated()
    ratings[key] = top
    for missing in ({}, {key: "   "}):
        with pytest.raises(RuleInputError, match=re.escape(FACTORS[key]["label"])) as err:
            record(ratings=ratings, evidence=missing)
        assert err.value.field == "evidence"
    assert record(ratings=ratings, evidence={key: "Disclosed in interview"}).evidence == {key: "Disclosed in interview"}
    ratings[key] = below
    assert record(ratings=ratings).evidence == {}


@pytest.mark.parametrize(
    "priorities",
    [[], "opportunity_to_offend", ["grooming"], ["positive_routine", "positive_routine"], None],
)
def test_priorities_must_be_factor_keys_and_at_least_one(priorities):
    with pytest.raises(RuleInputError) as err:
        record(priorities=priorities)
    assert err.value.field == "priorities"


def test_an_area_loads_the_licensed_names_as_a_new_edition(monkeypatch):
    monkeypatch.setattr(instruments, "DEFINITIONS", dict(instruments.DEFINITIONS))
    licensed = copy.deepcopy(ARMS_2014)
    licensed["edition"] = "2014-licensed"
    licensed["status"] = str(Status.CONFIRMED)
    for number, f in enumerate(licensed["factors"]):
        f["label"] = f"Licensed name {number}"
        f["status"] = str(Status.CONFIRMED)
    instruments.register(licensed)
    assert instruments.latest("arms") is licensed
    result = record(definition=licensed)
    assert "Licensed name 0" in result.working[0].text
    assert "unconfirmed" not in result.working[-1].text
    assert result.ratings == all_rated()  # the keys carry over


def test_a_factor_without_a_scale_makes_the_definition_invalid():
    broken = copy.deepcopy(ARMS_2014)
    broken["factors"][0]["kind"] = "dynamic"
    with pytest.raises(RuleInputError, match="no rating scale"):
        instruments.validate_definition(broken)


# DARA


def test_dara_ships_themes_not_the_colleges_questions():
    assert DARA_2022["status"] == Status.UNCONFIRMED
    assert "questions" not in DARA_2022
    assert [g["key"] for g in DARA_2022["grades"]] == ["standard", "medium", "high"]
    keys = {t["key"] for t in DARA_2022["themes"]}
    assert {"coercive_control", "physical_harm", "escalation", "victim_view"} <= keys
    assert all(t["kind"] == "safeguard_recording_prompt" for t in DARA_2022["themes"])
    assert "not the College's questions" in DARA_2022["notes"]


def test_dara_records_the_officers_graded_judgement():
    result = grade_dara(
        " High ",
        "  Controlling behaviour escalating since separation  ",
        {"coercive_control": " Monitors phone ", "escalation": "   "},
    )
    assert result.grade == "high"
    assert result.rationale == "Controlling behaviour escalating since separation"
    assert result.notes == {"coercive_control": "Monitors phone"}
    assert "Coercive and controlling behaviour" in result.working[0].text
    assert "officer's judgement" in result.working[1].text
    assert "Monitors phone" not in " ".join(step.text for step in result.working)


@pytest.mark.parametrize("rationale", ["", "  ", None])
def test_dara_needs_a_rationale(rationale):
    with pytest.raises(RuleInputError) as err:
        grade_dara("medium", rationale, {})
    assert err.value.field == "rationale"


@pytest.mark.parametrize("grade", ["very high", "", None, "5"])
def test_dara_grade_is_one_of_three(grade):
    with pytest.raises(RuleInputError) as err:
        grade_dara(grade, "reason", {})
    assert err.value.field == "grade"


@pytest.mark.parametrize("notes", [{"question_1": "yes"}, {"escalation": 3}, ["escalation"]])
def test_dara_notes_only_under_themes(notes):
    with pytest.raises(RuleInputError) as err:
        grade_dara("standard", "reason", notes)
    assert err.value.field == "notes"


def test_dara_refuses_another_instruments_definition():
    with pytest.raises(RuleInputError) as err:
        grade_dara("high", "reason", {}, definition=ARMS_2014)
    assert err.value.field == "definition"
