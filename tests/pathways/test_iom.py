"""The IOM cohort: the stream the published shape suggests, entry with the panel's reason, review and exit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.pathways.models import IomMembership
from safeguard.pathways.services import iom
from safeguard.rules import iom_cohort as rule
from safeguard.rules.working import RuleInputError
from tests.helpers import ctx_for
from tests.pathways.records import records

SOON = timezone.localdate() + dt.timedelta(days=56)


@pytest.mark.parametrize(
    ("crime", "score", "threshold", "stream"),
    [
        (True, None, None, rule.FIXED),
        (True, 1, 50, rule.FIXED),
        (False, 60, None, rule.FREE),  # no threshold set: Free, the panel decides
        (False, 50, 50, rule.FLEX),
        (False, 49, 50, rule.FREE),
        (False, None, 50, rule.FREE),
    ],
)
def test_the_suggested_stream(crime, score, threshold, stream):
    assert rule.suggest_stream(crime, score, {"flex_threshold": threshold}).stream == stream


def test_a_negative_score_and_a_missing_reason_are_refused():
    with pytest.raises(RuleInputError):
        rule.suggest_stream(False, -1)
    with pytest.raises(RuleInputError) as err:
        rule.check_entry(rule.FLEX, " ")
    assert err.value.field == "reason"


@pytest.mark.django_db
def test_entry_review_and_exit(world):
    r = records(world)
    om = world.users.om
    member = iom.enter(
        ctx_for(om),
        r.mine,
        stream=rule.FLEX,
        neighbourhood_crime=True,
        score=None,
        reason="Burglary",
        next_review_on=SOON,
    )
    assert (member.stream, member.suggested_stream) == (rule.FLEX, rule.FIXED)
    with pytest.raises(ValidationError, match="already in the IOM cohort"):
        iom.enter(
            ctx_for(om),
            r.mine,
            stream=rule.FREE,
            neighbourhood_crime=False,
            score=1,
            reason="Again",
            next_review_on=SOON,
        )
    member = iom.review(ctx_for(om), member, next_review_on=SOON + dt.timedelta(days=28), expected_version=1)
    assert member.last_reviewed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        iom.leave(ctx_for(om), member, exit_reason="other", exit_note="", expected_version=2)
    member = iom.leave(ctx_for(om), member, exit_reason="risk_reduced", exit_note="", expected_version=2)
    assert member.exited_on == timezone.localdate() and member.next_review_on is None
    assert member.history.count() == 3


@pytest.mark.django_db
def test_the_cohort_lists_the_open_memberships_the_user_may_see(world):
    r = records(world)
    seen = list(iom.cohort(gate.scoped(world.users.coordinator, IomMembership.objects.all())))
    assert seen == [r.member]
    assert list(iom.cohort(gate.scoped(world.users.away_om, IomMembership.objects.all()))) == []


@pytest.mark.django_db
def test_the_entry_form_says_what_to_enter(world, sign_in):
    r = records(world)
    response = sign_in(world.users.om).post(reverse("pathways:iom", kwargs={"pk": r.mine.pk}), {"score": "many"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose the cohort stream." in page and "Give the selection panel" in page
    assert "Enter the selection score as a whole number, like 42." in page
