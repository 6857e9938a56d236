"""Repeat MARAC referrals, found on submission: the 12-month boundary, the crime-based definition, the DASH."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguard.assessments import services as assessment_services
from safeguard.referrals import services
from safeguard.referrals.models import Referral
from safeguard.rules import marac
from tests.referrals import builders as b

S = Referral.Status
INCIDENT = dt.date(2025, 6, 15)


def _earlier(world, submitted: dt.date, status: str = S.ACCEPTED) -> Referral:
    first = b.advance(world, b.marac_referral(world, incident_date=submitted), status)
    if first.submitted_at is None:  # withdrawn as a draft: make it one that was submitted, then withdrawn
        first.submitted_at = b.submitted_on(first, submitted).submitted_at
    return b.submitted_on(first, submitted)


def _submit_new(world, incident_date: dt.date, **changes) -> Referral:
    referral = b.marac_referral(world, incident_date=incident_date, **changes)
    return services.submit_referral(b.ctx(world.users.marac), referral)


@pytest.mark.parametrize(
    ("last", "incident", "repeat"),
    [
        (dt.date(2024, 6, 15), dt.date(2025, 6, 14), True),  # the day before the anniversary
        (dt.date(2024, 6, 15), dt.date(2025, 6, 15), True),  # the anniversary itself is inside the window
        (dt.date(2024, 6, 15), dt.date(2025, 6, 16), False),  # the day after: a new referral
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), True),  # 29 February: the anniversary is 28 February
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), False),
        (dt.date(2025, 6, 15), dt.date(2025, 6, 15), True),  # the same day as the last referral
    ],
)
def test_repeat_at_the_twelve_month_boundary(world, forums, last, incident, repeat):
    first = _earlier(world, last)
    second = _submit_new(world, incident)
    assert second.is_repeat is repeat
    assert (marac.REPEAT in second.criteria_met) is repeat
    assert second.repeat_of_id == (first.pk if repeat else None)
    assert any(step.get("repeat_check") for step in second.criteria_working)


def test_the_forum_repeat_window_is_a_setting(world, forums):
    world.marac.repeat_window_months = 6
    world.marac.save()
    _earlier(world, dt.date(2024, 12, 15))
    assert _submit_new(world, dt.date(2025, 6, 15)).is_repeat
    Referral.objects.filter(kind="marac").update(status=S.DECLINED)
    world.marac.repeat_window_months = 5
    world.marac.save()
    assert not _submit_new(world, dt.date(2025, 6, 15)).is_repeat


def test_a_withdrawn_referral_is_not_a_last_referral_but_a_declined_one_is(world, forums):
    withdrawn = b.advance(world, b.marac_referral(world, incident_date=dt.date(2025, 1, 10)), S.SUBMITTED)
    services.withdraw_referral(b.ctx(world.users.marac), withdrawn, rationale=b.RATIONALE)
    b.submitted_on(withdrawn, dt.date(2025, 1, 10))
    assert not _submit_new(world, INCIDENT).is_repeat

    Referral.objects.filter(kind="marac").exclude(pk=withdrawn.pk).update(status=S.DECLINED)
    declined = b.advance(world, b.marac_referral(world, incident_date=dt.date(2025, 2, 1)), S.DECLINED)
    b.submitted_on(declined, dt.date(2025, 2, 1))
    again = _submit_new(world, INCIDENT)
    assert again.is_repeat and again.repeat_of_id == declined.pk


def test_an_earlier_referral_of_someone_else_is_not_a_repeat(world, forums):
    other = b.person(world, "Rita", "Other")
    b.submitted_on(b.advance(world, b.marac_referral(world, person=other), S.SUBMITTED), dt.date(2025, 5, 1))
    assert not _submit_new(world, INCIDENT).is_repeat


def test_crime_based_definition_needs_the_incident_to_be_a_crime(world, forums):
    world.marac.repeat_definition = marac.REPEAT_CRIME
    world.marac.save()
    _earlier(world, dt.date(2025, 1, 10))
    b.incident(world, perpetrator=world.people.offender, victim=world.people.victim, on=INCIDENT, crime=False)
    not_crime = _submit_new(world, INCIDENT)
    assert not not_crime.is_repeat
    assert any("no crime is recorded" in step["text"] for step in not_crime.criteria_working)

    Referral.objects.filter(pk=not_crime.pk).update(status=S.DECLINED, submitted_at=None)
    b.incident(world, perpetrator=world.people.offender, victim=world.people.victim, on=INCIDENT, crime=True)
    crime = _submit_new(world, INCIDENT)
    assert crime.is_repeat
    assert any("recorded as a crime" in step["text"] for step in crime.criteria_working)


def test_the_current_definition_counts_any_abuse(world, forums):
    _earlier(world, dt.date(2025, 1, 10))
    b.incident(world, perpetrator=world.people.offender, victim=world.people.victim, on=INCIDENT, crime=False)
    assert _submit_new(world, INCIDENT).is_repeat


def test_a_repeat_alone_is_enough_to_make_and_submit_a_referral(world, forums):
    _earlier(world, dt.date(2025, 1, 10))
    referral = b.marac_referral(world, incident_date=INCIDENT, criteria=[], professional_judgement_reason="")
    assert referral.criteria_met == [marac.REPEAT]
    submitted = services.submit_referral(b.ctx(world.users.marac), referral)
    assert submitted.is_repeat and submitted.criteria_met == [marac.REPEAT]


def test_without_criteria_or_a_repeat_there_is_no_referral(world, forums):
    with pytest.raises(ValidationError) as refused:
        b.marac_referral(world, incident_date=INCIDENT, criteria=[], professional_judgement_reason="")
    assert "criteria" in refused.value.message_dict


def test_the_dash_uses_the_last_marac_referral_not_the_case_opening(world, forums):
    """assessments.services.marac_context takes the last referral from Referral rows (the ForumCase is a fallback)."""
    referral = _earlier(world, dt.date(2025, 1, 10))
    assert referral.forum_case.opened_on != dt.date(2025, 1, 10)
    context = assessment_services.marac_context(world.people.victim, INCIDENT)
    assert context.last_marac_referral == dt.date(2025, 1, 10)


def test_the_dash_falls_back_on_the_marac_case_when_no_referral_is_recorded(world, forums):
    case = world.marac.cases.get(person=world.people.victim)
    case.opened_on = dt.date(2025, 3, 3)
    case.save()
    assert assessment_services.marac_context(world.people.victim, INCIDENT).last_marac_referral == dt.date(2025, 3, 3)
