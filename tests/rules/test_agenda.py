import datetime as dt

import pytest

from safeguard.rules import agenda as a
from safeguard.rules.working import RuleInputError

MEETING = dt.date(2026, 6, 10)


def c(case_id, **kw):
    kw.setdefault("opened_on", dt.date(2026, 3, 1))
    return a.Candidate(case_id=case_id, **kw)


def test_order_of_sections():
    cands = [
        c("twelve", opened_on=dt.date(2025, 6, 20)),
        c("review", review_due=dt.date(2026, 6, 1)),
        c("new", accepted_referral=True),
        c("children", accepted_referral=True, has_children=True),
        c("actions", open_actions_due=(dt.date(2026, 5, 1),), review_due=dt.date(2026, 6, 1)),
    ]
    built = a.build_agenda(cands, MEETING)
    assert [i.case_id for i in built.items] == ["actions", "children", "new", "review", "twelve"]
    first = built.items[0]
    assert first.section == a.ACTIONS and first.other_reasons == ("Review due 2026-06-01",)


def test_each_case_once_and_nothing_due_is_left_off():
    built = a.build_agenda([c("quiet"), c("due", review_due=MEETING)], MEETING)
    assert [i.case_id for i in built.items] == ["due"]
    assert "1 open cases" in built.working[-1].text
    with pytest.raises(RuleInputError):
        a.build_agenda([c("x"), c("x")], MEETING)


def test_review_due_after_the_meeting_is_not_listed():
    assert not a.build_agenda([c("later", review_due=MEETING + dt.timedelta(days=1))], MEETING).items


def test_ties_are_stable():
    cands = [c(i, accepted_referral=True, opened_on=dt.date(2026, 5, d)) for i, d in (("b", 2), ("a", 2), ("c", 1))]
    assert [i.case_id for i in a.build_agenda(cands, MEETING).items] == ["c", "a", "b"]
    assert [i.case_id for i in a.build_agenda(reversed(cands), MEETING).items] == ["c", "a", "b"]


def test_oldest_action_first():
    cands = [c("x", open_actions_due=(dt.date(2026, 5, 9),)), c("y", open_actions_due=(dt.date(2026, 4, 1),))]
    assert [i.case_id for i in a.build_agenda(cands, MEETING).items] == ["y", "x"]


def test_twelve_months_horizon_edges():
    opened = dt.date(2025, 7, 10)  # anniversary 30 days after the meeting
    assert a.build_agenda([c("edge", opened_on=opened)], MEETING).items
    assert not a.build_agenda([c("out", opened_on=dt.date(2025, 7, 11))], MEETING).items
    assert a.build_agenda([c("before", opened_on=dt.date(2025, 5, 11))], MEETING).items  # 30 days before
    assert not a.build_agenda([c("long", opened_on=dt.date(2025, 5, 10))], MEETING).items
    with pytest.raises(RuleInputError):
        a.build_agenda([], MEETING, horizon_days=-1)
