import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import instruments
from safeguard.rules.dash import (
    DASH_2009,
    DASH_YP,
    DEFAULTS,
    DashSettings,
    grade_for,
    score_dash,
)
from safeguard.rules.rm2000 import RM2000
from safeguard.rules.working import RuleInputError, Status

GRADE_ORDER = ["standard", "medium", "high"]


def answers_with(yes: int, rest: str = "no") -> list[str]:
    return ["yes"] * yes + [rest] * (24 - yes)


# The definition as data


def test_dash_2009_has_24_paraphrased_questions_in_safelives_order():
    questions = DASH_2009["questions"]
    assert [q["key"] for q in questions] == [f"q{n}" for n in range(1, 25)]
    assert questions[0]["topic"] == "Current injury"
    assert questions[14]["topic"].startswith("Strangulation")
    assert questions[23]["topic"] == "Abuser's criminal history"
    assert DASH_2009["status"] == Status.CONFIRMED
    assert DASH_2009["answers"] == ["yes", "no", "dont_know"]


def test_every_registered_definition_validates_and_is_plain_json():
    assert {
        ("dash", "2009"),
        ("dash-yp", "2009-provisional"),
        ("dara", "2022"),
        ("rm2000", "2007"),
        ("arms", "2014"),
    } <= set(instruments.DEFINITIONS)
    for key, defn in instruments.DEFINITIONS.items():
        assert instruments.validate_definition(defn) == defn
        assert json.loads(json.dumps(defn)) == defn
        assert (defn["code"], defn["edition"]) == key


def test_young_peoples_version_is_shipped_unconfirmed_with_the_same_topics():
    assert DASH_YP["code"] == "dash-yp"
    assert DASH_YP["status"] == Status.UNCONFIRMED
    assert "UNCONFIRMED" in DASH_YP["notes"]
    assert DASH_YP["ages"] == {"min": 13, "max": 17}
    assert DASH_YP["questions"] == DASH_2009["questions"]
    result = score_dash(answers_with(14), definition=DASH_YP)
    assert result.grade == "high"
    assert any("unconfirmed" in step.text for step in result.working)
    assert not any("unconfirmed" in step.text for step in score_dash(answers_with(14)).working)


def test_latest_and_get():
    assert instruments.latest("dash") is DASH_2009
    assert instruments.get("dash-yp", "2009-provisional") is DASH_YP
    with pytest.raises(RuleInputError) as err:
        instruments.latest("oasys")
    assert err.value.field == "code"
    with pytest.raises(RuleInputError) as err:
        instruments.get("dash", "1999")
    assert err.value.field == "edition"


def test_a_new_edition_becomes_latest_and_an_edition_cannot_change(monkeypatch):
    monkeypatch.setattr(instruments, "DEFINITIONS", dict(instruments.DEFINITIONS))
    newer = copy.deepcopy(DASH_2009)
    newer["edition"] = "2009-area-b"
    instruments.register(newer)
    assert instruments.latest("dash") is newer
    changed = copy.deepcopy(DASH_2009)
    changed["notes"] = "different"
    with pytest.raises(RuleInputError, match="own edition") as err:
        instruments.register(changed)
    assert err.value.field == "definition"
    assert instruments.register(copy.deepcopy(DASH_2009)) == DASH_2009  # the same content again is harmless


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.pop("source"), "'source'"),
        (lambda d: d.update(status="maybe"), "'status'"),
        (lambda d: d.update(questions=tuple(d["questions"])), "plain JSON"),
        (lambda d: d["questions"][3].update(topic="x" * 81), "question 4's topic"),
        (lambda d: d["questions"][3].update(key="q1"), "unique 'key'"),
        (lambda d: d["questions"][5].pop("topic"), "question 6 needs a 'topic'"),
        (lambda d: d.update(bands=[instruments.band("high", 14, 24), instruments.band("x", 20, 30)]), "gaps"),
        (lambda d: d.update(bands=[instruments.band("high", 14, 2)]), "below 'min'"),
        (lambda d: d.pop("answers"), "needs 'answers'"),
        (lambda d: d.update(extra={1: "a"}), "plain JSON"),
    ],
)
def test_validate_definition_names_the_problem(change, problem):
    broken = copy.deepcopy(DASH_2009)
    change(broken)
    with pytest.raises(RuleInputError, match=problem) as err:
        instruments.validate_definition(broken)
    assert err.value.field == "definition"


def test_defaults_list_the_local_band():
    medium = next(d for d in DEFAULTS if d.name == "medium_from")
    assert (medium.value, medium.status) == (10, Status.LOCAL)
    assert DashSettings().medium_from == 10


# Scoring


@pytest.mark.parametrize(
    ("yes", "grade"),
    [(0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (15, "high"), (24, "high")],
)
def test_band_edges(yes, grade):
    result = score_dash(answers_with(yes))
    assert (result.yes_count, result.grade) == (yes, grade)


def test_only_yes_counts():
    answers = ["yes"] * 13 + ["dont_know"] * 11
    result = score_dash(answers)
    assert (result.yes_count, result.grade) == (13, "medium")
    assert "11 Don't know" in result.working[0].text


def test_local_medium_band_is_a_setting():
    assert score_dash(answers_with(11), settings=DashSettings(medium_from=12)).grade == "standard"
    assert score_dash(answers_with(12), settings=DashSettings(medium_from=12)).grade == "medium"
    assert score_dash(answers_with(13), settings=DashSettings(medium_from=14)).grade == "standard"
    assert score_dash(answers_with(0), settings=DashSettings(medium_from=0)).grade == "medium"


@pytest.mark.parametrize("bad", [-1, 15, "10"])
def test_settings_refuse_a_medium_band_outside_the_checklist(bad):
    with pytest.raises(RuleInputError) as err:
        DashSettings(medium_from=bad)
    assert err.value.field == "medium_from"


def test_working_names_the_source_and_the_yes_questions():
    answers = answers_with(0)
    answers[0] = answers[14] = "yes"
    result = score_dash(answers)
    assert result.working[1].text == "Yes to questions 1, 15"
    assert all("SafeLives" in step.source or "Local band" in step.source for step in result.working)
    assert "below 10: standard" in result.working[-1].text


@pytest.mark.parametrize("count", [0, 23, 25])
def test_wrong_number_of_answers(count):
    with pytest.raises(RuleInputError, match="24 answers") as err:
        score_dash(["no"] * count)
    assert err.value.field == "answers"
    assert str(count) in err.value.message


@pytest.mark.parametrize("bad", ["maybe", "", None, True, "y"])
def test_an_answer_outside_the_three_names_its_question(bad):
    answers = answers_with(3)
    answers[6] = bad
    with pytest.raises(RuleInputError, match="question 7 ") as err:
        score_dash(answers)
    assert err.value.field == "answers"
    assert "yes, no, dont_know" in err.value.message


def test_answers_ignore_case_and_spaces():
    assert score_dash([" YES "] * 14 + ["No"] * 10).yes_count == 14


def test_answers_may_be_keyed_by_question():
    keyed = {f"q{n}": ("yes" if n <= 14 else "no") for n in range(1, 25)}
    assert score_dash(keyed).grade == "high"
    del keyed["q5"]
    with pytest.raises(RuleInputError, match="question 5 has no answer"):
        score_dash(keyed)
    keyed["q5"] = "no"
    keyed["q25"] = "yes"
    with pytest.raises(RuleInputError, match="unknown question"):
        score_dash(keyed)


@pytest.mark.parametrize("bad", ["yes" * 24, 24, None])
def test_answers_must_be_a_list(bad):
    with pytest.raises(RuleInputError) as err:
        score_dash(bad)
    assert err.value.field == "answers"


def test_another_instruments_definition_is_refused():
    with pytest.raises(RuleInputError, match="dash") as err:
        score_dash(answers_with(3), definition=RM2000)
    assert err.value.field == "definition"


# Properties

answer_lists = st.lists(st.sampled_from(["yes", "no", "dont_know"]), min_size=24, max_size=24)


@given(answer_lists)
def test_yes_count_is_the_number_of_yes_answers(answers):
    assert score_dash(answers).yes_count == answers.count("yes")


@given(answer_lists, answer_lists, st.integers(0, 14))
def test_grade_is_monotone_in_yes_count(first, second, medium_from):
    settings = DashSettings(medium_from=medium_from)
    a, b = score_dash(first, settings=settings), score_dash(second, settings=settings)
    if a.yes_count <= b.yes_count:
        assert GRADE_ORDER.index(a.grade) <= GRADE_ORDER.index(b.grade)
    else:
        assert GRADE_ORDER.index(a.grade) >= GRADE_ORDER.index(b.grade)


@given(st.integers(0, 24), st.integers(0, 14))
def test_grade_for_is_monotone_and_high_exactly_from_14(yes, medium_from):
    settings = DashSettings(medium_from=medium_from)
    here = GRADE_ORDER.index(grade_for(yes, settings=settings))
    nxt = GRADE_ORDER.index(grade_for(yes + 1, settings=settings))
    assert here <= nxt
    assert (grade_for(yes, settings=settings) == "high") == (yes >= 14)
