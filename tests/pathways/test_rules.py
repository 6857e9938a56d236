"""The pure rules: a referral's lifecycle, the release checklist's dates and gaps, the peer observation form."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import interventions as lifecycle
from safeguard.rules import peer_observation as form_rule
from safeguard.rules import release_pathways as rule
from safeguard.rules.working import RuleInputError

STATUSES = st.sampled_from(list(lifecycle.STATUSES))


def test_the_whole_way_to_completion_is_allowed():
    path = ["referred", "assessed", "accepted", "started", "attending", "attending", "completed"]
    for here, there in zip(path, path[1:], strict=False):
        lifecycle.check_move(here, there, sessions=3)


@given(STATUSES, STATUSES)
def test_a_move_is_allowed_exactly_when_the_table_lists_it(here, there):
    allowed = there in lifecycle.NEXT[here]
    try:
        lifecycle.check_move(here, there, reason="A reason given", sessions=1)
    except RuleInputError as err:
        assert not allowed, f"{here} to {there} refused: {err}"
    else:
        assert allowed


@given(st.sampled_from(sorted(lifecycle.FINAL)), STATUSES)
def test_nothing_follows_an_ended_referral(final, there):
    with pytest.raises(RuleInputError, match="make a new referral"):
        lifecycle.check_move(final, there, reason="A reason", sessions=1)


@pytest.mark.parametrize(("here", "to"), [("started", "dropped_out"), ("referred", "refused")])
def test_dropping_out_and_refusal_need_a_reason(here, to):
    with pytest.raises(RuleInputError) as err:
        lifecycle.check_move(here, to, reason="  ")
    assert err.value.field == "reason"


def test_sessions_attended_needs_a_count():
    with pytest.raises(RuleInputError) as err:
        lifecycle.check_move("started", "attending", sessions=None)
    assert err.value.field == "sessions_attended"


def test_no_move_goes_backwards():
    order = list(lifecycle.STATUSES)
    for here, nexts in lifecycle.NEXT.items():
        assert all(order.index(there) >= order.index(here) for there in nexts)


RELEASE = dt.date(2027, 3, 1)


def test_the_checklist_opens_12_weeks_before_release():
    assert rule.opens_on(RELEASE) == dt.date(2026, 12, 7)
    assert not rule.in_window(RELEASE, dt.date(2026, 12, 6))
    assert rule.in_window(RELEASE, dt.date(2026, 12, 7))
    assert rule.in_window(RELEASE, RELEASE)
    assert not rule.in_window(RELEASE, RELEASE + dt.timedelta(days=1))


def test_substance_misuse_within_3_weeks_and_the_rest_on_the_day():
    due = rule.due_dates(RELEASE)
    assert due[rule.SUBSTANCE_MISUSE] == dt.date(2027, 3, 22)
    assert {name for name, day in due.items() if day == RELEASE} == set(rule.PATHWAYS) - {rule.SUBSTANCE_MISUSE}


def test_an_area_may_change_an_offset_and_a_nonsense_one_is_refused():
    assert rule.due_dates(RELEASE, {rule.GP: 7})[rule.GP] == dt.date(2027, 3, 8)
    with pytest.raises(RuleInputError):
        rule.due_dates(RELEASE, {rule.GP: -1})


@pytest.mark.parametrize(
    ("status", "due", "today", "gap"),
    [
        (rule.NOT_POSSIBLE, RELEASE, RELEASE - dt.timedelta(days=70), True),
        (rule.TO_ARRANGE, RELEASE, RELEASE - dt.timedelta(days=70), False),
        (rule.TO_ARRANGE, RELEASE, RELEASE, True),
        (rule.TO_ARRANGE, RELEASE + dt.timedelta(days=21), RELEASE, True),  # still to arrange on the day
        (rule.ARRANGED, RELEASE, RELEASE + dt.timedelta(days=5), False),
    ],
)
def test_gaps(status, due, today, gap):
    assert rule.is_gap(status, due, RELEASE, today) is gap


def test_the_observation_form_needs_every_heading_rated():
    ratings = dict.fromkeys(form_rule.ITEMS, "adequate")
    form_rule.check_form(ratings, ["minutes"])
    del ratings["actions"]
    with pytest.raises(RuleInputError) as err:
        form_rule.check_form(ratings, [])
    assert err.value.field == "actions"
    with pytest.raises(RuleInputError):
        form_rule.check_form(dict.fromkeys(form_rule.ITEMS, "adequate"), ["not a theme"])


def test_themes_are_counted_once_per_observation_most_often_first():
    both = dict.fromkeys(form_rule.ITEMS, "strength") | {"chairing": "develop"}
    summary = form_rule.summarise(
        [
            (both, ["minutes", "victim_voice", "victim_voice"]),
            (dict.fromkeys(form_rule.ITEMS, "adequate"), ["victim_voice"]),
        ]
    )
    assert summary.observations == 2
    assert [(t.key, t.meetings) for t in summary.themes] == [("victim_voice", 2), ("minutes", 1)]
    assert [(t.key, t.meetings) for t in summary.development] == [("chairing", 1)]
