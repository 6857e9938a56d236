import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules.category3_decisions import after_decision

DAY = dt.date(2026, 6, 10)


def test_never_decided_raises_whatever_fires():
    assert after_decision(("matac",), {"matac": None}, None).raise_prompt


def test_nothing_fires_nothing_raised():
    assert not after_decision((), {"high_dash": DAY}, None).raise_prompt


def test_evidence_before_on_and_after_the_decision_day():
    evidence = {"high_dash": DAY}
    assert not after_decision(("high_dash",), evidence, DAY + dt.timedelta(1)).raise_prompt  # the day before it
    assert not after_decision(("high_dash",), evidence, DAY).raise_prompt  # the day of it: seen by it
    again = after_decision(("high_dash",), evidence, DAY - dt.timedelta(1))  # the day after it
    assert again.raise_prompt and again.new_triggers == ("high_dash",)
    assert "new since then: a high DASH" in again.working[0].text


def test_only_the_triggers_with_newer_evidence_are_new():
    evidence = {"high_dash": DAY - dt.timedelta(30), "repeat_marac": DAY, "matac": None}
    again = after_decision(("high_dash", "repeat_marac", "matac"), evidence, DAY - dt.timedelta(5))
    assert again.new_triggers == ("repeat_marac",)


@given(st.dates(), st.dates(), st.sampled_from(["high_dash", "repeat_marac", "matac"]))
def test_raised_again_exactly_when_the_evidence_is_newer(evidence_on, decided_on, trigger):
    assert after_decision((trigger,), {trigger: evidence_on}, decided_on).raise_prompt is (evidence_on > decided_on)
