import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import referrals as r
from safeguard.rules.working import RuleInputError

REASON = "Enough information to decide."


@pytest.mark.parametrize(
    ("a", "b"),
    [(r.DRAFT, r.SUBMITTED), (r.SUBMITTED, r.SCREENING), (r.ACCEPTED, r.LISTED)],
)
def test_moves_without_a_rationale(a, b):
    assert r.transition(a, b).to_state == b


@pytest.mark.parametrize(("a", "b"), sorted(r.NEEDS_RATIONALE))
def test_decisions_need_a_rationale(a, b):
    kw = {"kind": "mappa", "level_set": 2}
    with pytest.raises(RuleInputError) as err:
        r.transition(a, b, rationale="too short", **kw)
    assert err.value.field == "rationale"
    assert r.transition(a, b, rationale=REASON, **kw).to_state == b


def test_mappa_acceptance_sets_the_level():
    with pytest.raises(RuleInputError) as err:
        r.transition(r.SCREENING, r.ACCEPTED, rationale=REASON, kind="mappa")
    assert err.value.field == "level_set"
    with pytest.raises(RuleInputError):
        r.transition(r.SCREENING, r.ACCEPTED, rationale=REASON, kind="mappa", level_set=1)
    t = r.transition(r.SCREENING, r.ACCEPTED, rationale=REASON, kind="mappa", level_set=3)
    assert "Level 3" in t.working[-1].text
    # A MARAC referral has no level.
    assert r.transition(r.SCREENING, r.ACCEPTED, rationale=REASON, kind="marac").to_state == r.ACCEPTED


def test_final_states_go_nowhere():
    for final in r.FINAL:
        assert r.allowed_next(final) == frozenset()
        with pytest.raises(RuleInputError, match="final"):
            r.transition(final, r.SUBMITTED, rationale=REASON)


@given(st.sampled_from(r.STATES), st.sampled_from(r.STATES))
def test_only_listed_transitions_are_allowed(a, b):
    allowed = b in r.TRANSITIONS[a]
    try:
        r.transition(a, b, rationale=REASON, kind="mappa", level_set=2)
    except RuleInputError as err:
        assert not allowed and err.field == "to_status"
    else:
        assert allowed


def test_unknown_states():
    with pytest.raises(RuleInputError):
        r.allowed_next("heard")
    with pytest.raises(RuleInputError):
        r.transition(r.DRAFT, "heard")


def test_screening_timer_at_its_target():
    start = dt.date(2026, 1, 1)
    assert not r.screening_timer(r.SCREENING, start, dt.date(2026, 1, 6), 5).over_target
    assert r.screening_timer(r.SCREENING, start, dt.date(2026, 1, 7), 5).over_target
    none = r.screening_timer(r.SUBMITTED, start, dt.date(2026, 3, 1), None)
    assert not none.over_target and none.days_in_state == 59
    assert "no screening target" in none.working[-1].text
    assert not r.screening_timer(r.ACCEPTED, start, dt.date(2026, 3, 1), 5).over_target
    with pytest.raises(RuleInputError):
        r.screening_timer(r.SCREENING, start, dt.date(2025, 12, 31), 5)
