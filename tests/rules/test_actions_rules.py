import datetime as dt
from decimal import Decimal

import pytest

from safeguard.rules import actions as a
from safeguard.rules.working import RuleInputError

DUE = dt.date(2026, 6, 10)


def test_due_today_is_not_overdue():
    today = a.chase(a.OPEN, DUE, DUE)
    assert not today.overdue and today.remind
    assert a.chase(a.OPEN, DUE, DUE + dt.timedelta(days=1)).overdue


def test_reminder_window_and_once_only():
    assert not a.chase(a.OPEN, DUE, DUE - dt.timedelta(days=3)).remind
    assert a.chase(a.OPEN, DUE, DUE - dt.timedelta(days=2)).remind
    assert not a.chase(a.OPEN, DUE, DUE, reminded_on=DUE - dt.timedelta(days=2)).remind


def test_escalation_after_the_setting():
    assert not a.chase(a.OPEN, DUE, DUE + dt.timedelta(days=6)).escalate
    assert a.chase(a.IN_PROGRESS, DUE, DUE + dt.timedelta(days=7)).escalate
    assert not a.chase(a.OPEN, DUE, DUE + dt.timedelta(days=9), escalated_on=DUE + dt.timedelta(days=7)).escalate
    assert a.chase(a.OPEN, DUE, DUE + dt.timedelta(days=1), escalate_days_overdue=1).escalate
    assert not a.chase(a.COMPLETE, DUE, DUE + dt.timedelta(days=30)).escalate
    with pytest.raises(RuleInputError):
        a.chase(a.OPEN, DUE, DUE, remind_days_before=-1)


def test_completion_rates_by_agency():
    facts = [
        a.ActionFacts("police", a.COMPLETE, DUE, DUE),
        a.ActionFacts("police", a.COMPLETE, DUE, DUE + dt.timedelta(days=1)),
        a.ActionFacts("police", a.OPEN, DUE),
        a.ActionFacts("police", a.CANCELLED, DUE),
        a.ActionFacts("housing", a.OPEN, DUE + dt.timedelta(days=60)),
    ]
    rates = a.completion_rates(facts, dt.date(2026, 6, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 1))
    assert [r.agency for r in rates] == ["police"]
    police = rates[0]
    assert (police.due, police.complete, police.complete_on_time, police.open_overdue) == (3, 2, 1, 1)
    assert police.rate_percent == Decimal("66.7") and police.on_time_percent == Decimal("33.3")
