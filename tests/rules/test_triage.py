import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from safeguard.rules import triage as t
from safeguard.rules.working import RuleInputError

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, h=9, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=LONDON)


def test_window_24_hours_72_on_a_monday():
    tuesday = t.triage_window(at(2026, 6, 9))
    assert tuesday.hours == 24 and tuesday.start == at(2026, 6, 8)
    monday = t.triage_window(at(2026, 6, 8))
    assert monday.hours == 72 and monday.start == at(2026, 6, 5)
    with pytest.raises(RuleInputError):
        t.triage_window(dt.datetime(2026, 6, 8, 9))


def test_a_triage_that_sits_at_weekends_takes_24_hours_on_a_monday():
    monday = t.triage_window(at(2026, 6, 8), meets_at_weekends=True)
    assert monday.hours == 24 and monday.start == at(2026, 6, 7)
    sunday = t.triage_window(at(2026, 6, 7), meets_at_weekends=True)
    assert sunday.hours == 24 and sunday.start == at(2026, 6, 6)


def test_regrade_needs_a_reason():
    assert t.check_grade(t.RED).target_hours == 4
    assert t.check_grade(t.AMBER, t.AMBER).target_hours == 24
    with pytest.raises(RuleInputError) as err:
        t.check_grade(t.GREEN, t.RED, "")
    assert err.value.field == "reason"
    assert t.check_grade(t.GREEN, t.RED, "Perpetrator now in custody.").target_hours == 72
    with pytest.raises(RuleInputError):
        t.check_grade("blue")


def test_encompass_deadline_next_school_day():
    friday_night = t.encompass_deadline(at(2026, 6, 12, 23, 30), LONDON)
    assert friday_night.due_by == at(2026, 6, 15, 8, 0)  # Monday
    early_tuesday = t.encompass_deadline(at(2026, 6, 9, 6, 0), LONDON)
    assert early_tuesday.school_day == dt.date(2026, 6, 10)  # the next school day, not the same day
    holiday = t.encompass_deadline(at(2026, 6, 12, 10), LONDON, dt.time(8, 45), [dt.date(2026, 6, 15)])
    assert holiday.due_by == at(2026, 6, 16, 8, 45)
    # An incident stored in UTC late on Sunday is Monday morning in London in summer.
    utc = dt.datetime(2026, 6, 7, 23, 30, tzinfo=dt.UTC)
    assert t.encompass_deadline(utc, LONDON).school_day == dt.date(2026, 6, 9)
