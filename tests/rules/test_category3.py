import datetime as dt

import pytest

from safeguard.rules.category3 import PerpetratorFacts, category3_prompt
from safeguard.rules.working import RuleInputError

TODAY = dt.date(2026, 6, 15)


def test_no_trigger_no_prompt():
    p = category3_prompt(PerpetratorFacts(), TODAY)
    assert not p.raise_prompt and p.triggers == ()


def test_high_dash_at_the_12_month_boundary():
    on_boundary = PerpetratorFacts(high_dash_dates=(dt.date(2025, 6, 15),))
    assert category3_prompt(on_boundary, TODAY).raise_prompt
    day_before = PerpetratorFacts(high_dash_dates=(dt.date(2025, 6, 14),))
    assert not category3_prompt(day_before, TODAY).raise_prompt
    future = PerpetratorFacts(high_dash_dates=(dt.date(2026, 6, 16),))
    assert not category3_prompt(future, TODAY).raise_prompt


def test_repeat_marac_by_flag_or_two_referrals():
    assert category3_prompt(PerpetratorFacts(repeat_marac_dates=(dt.date(2026, 1, 1),)), TODAY).triggers == (
        "repeat_marac",
    )
    one = PerpetratorFacts(marac_referral_dates=(dt.date(2026, 1, 1),))
    assert not category3_prompt(one, TODAY).raise_prompt
    two = PerpetratorFacts(marac_referral_dates=(dt.date(2026, 1, 1), dt.date(2026, 5, 1)))
    p = category3_prompt(two, TODAY)
    assert p.raise_prompt and "2 MARAC referrals" in p.reasons[0]


def test_matac_selection():
    assert category3_prompt(PerpetratorFacts(matac_selected=True), TODAY).triggers == ("matac",)


@pytest.mark.parametrize("level", [2, 3])
def test_mappa_level_2_or_3_means_no_prompt(level):
    facts = PerpetratorFacts(matac_selected=True, mappa_level=level)
    p = category3_prompt(facts, TODAY)
    assert not p.raise_prompt and f"Level {level}" in " ".join(s.text for s in p.working)


def test_open_mappa_referral_means_no_prompt():
    assert not category3_prompt(PerpetratorFacts(matac_selected=True, open_mappa_referral=True), TODAY).raise_prompt


def test_level_1_nominal_still_prompts_and_says_so():
    p = category3_prompt(PerpetratorFacts(matac_selected=True, mappa_level=1), TODAY)
    assert p.raise_prompt and any("Level 1" in r for r in p.reasons)


def test_window_setting():
    facts = PerpetratorFacts(high_dash_dates=(dt.date(2025, 12, 14),))
    assert not category3_prompt(facts, TODAY, window_months=6).raise_prompt
    assert category3_prompt(PerpetratorFacts(high_dash_dates=(dt.date(2025, 12, 15),)), TODAY, 6).raise_prompt
    with pytest.raises(RuleInputError):
        category3_prompt(facts, TODAY, window_months=0)
