from decimal import Decimal

import pytest

from safeguard.rules import meeting_audit as m
from safeguard.rules.working import RuleInputError


def test_scores_total_mean_and_lowest():
    scores = dict.fromkeys(m.ITEMS, 4) | {"dissent_recorded": 1, "started_on_time": 1}
    audit = m.score_meeting(scores)
    assert audit.total == 4 * 5 + 2 and audit.mean == Decimal("3.1")
    assert audit.lowest == ("started_on_time", "dissent_recorded")


def test_every_item_must_be_scored_4_to_1():
    with pytest.raises(RuleInputError) as err:
        m.score_meeting(dict.fromkeys(m.ITEMS, 4) | {"purpose_stated": 5})
    assert err.value.field == "purpose_stated"
    partial = dict.fromkeys(list(m.ITEMS)[:-1], 3)
    with pytest.raises(RuleInputError):
        m.score_meeting(partial)
    with pytest.raises(RuleInputError):
        m.score_meeting(dict.fromkeys(m.ITEMS, 3) | {"lunch": 4})
