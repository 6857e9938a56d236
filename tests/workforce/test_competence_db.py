"""Competence read from the training records, at its dates; chair eligibility and refusal reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard.rules.working import RuleInputError
from safeguard.workforce.catalogue import sync_courses
from safeguard.workforce.competence import (
    chair_candidates,
    chair_refusal,
    competence_of,
    competences,
    eligible_chairs,
    trained_for_level_2_3,
)
from safeguard.workforce.models import AreaSettings, Course, Staff, TrainingCompletion

ON = dt.date(2025, 6, 11)
DAY = dt.timedelta(days=1)


@pytest.fixture
def world(module_shared_world):
    """These tests only read the world (what one adds, its own transaction rolls back): one for the module."""
    return module_shared_world


def completed(member, code, on, expires_on=None):
    sync_courses()
    return TrainingCompletion.objects.create(
        staff=member,
        course=Course.objects.get(code=code),
        completed_on=on,
        expires_on=expires_on,
        recorded_by=member,
    )


def member(world, username, rank, roles=("chair",), agency=None, **fields):
    return Staff.objects.create(
        username=username,
        agency=agency or world.police,
        roles=list(roles),
        rank_or_grade=rank,
        last_name=username.title(),
        **fields,
    )


# At its dates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expires_on", "counts"),
    [(ON, False), (ON + DAY, True), (ON - DAY, False), (None, True)],
    ids=["expires today", "expires tomorrow", "expired yesterday", "never expires"],
)
def test_a_course_that_expires_today_does_not_count(world, expires_on, counts):
    om = world.users.om
    completed(om, "mosovo", dt.date(2023, 3, 1), expires_on)
    assert competence_of(om, ON).may_hold_level_2_3 is counts
    assert trained_for_level_2_3([om], ON) == {om.pk: counts}


def test_a_course_counts_from_the_day_it_was_completed(world):
    om = world.users.om
    completed(om, "arms", ON)
    assert competence_of(om, ON).may_complete_arms
    assert not competence_of(om, ON - DAY).may_complete_arms


def test_the_areas_refresh_period_gives_the_expiry(world):
    om = world.users.om
    AreaSettings.objects.create(area=world.home["mappa"], course_refresh_months={"mosovo": 12})
    completed(om, "mosovo", dt.date(2024, 6, 11))
    assert not competence_of(om, ON).may_hold_level_2_3  # twelve months on: the day it expires
    assert competence_of(om, ON - DAY).may_hold_level_2_3
    # A date recorded on the completion wins over the area's period.
    completed(om, "mosovo", dt.date(2024, 6, 12), expires_on=dt.date(2027, 1, 1))
    assert competence_of(om, ON).may_hold_level_2_3


def test_each_officer_is_judged_by_their_own_areas_settings(world):
    om, away = world.users.om, world.users.away_om
    AreaSettings.objects.create(area=world.home["mappa"], course_refresh_months={"mosovo": 6})
    for officer in (om, away):
        completed(officer, "mosovo", dt.date(2024, 6, 11))
    answers = competences([om, away], ON)
    assert answers[om.pk].may_hold_level_2_3 is False
    assert answers[away.pk].may_hold_level_2_3 is True  # no refresh period set in the other area


def test_trained_for_level_2_3_for_many(world):
    om, om2 = world.users.om, world.users.om2
    completed(om, "mosovo", dt.date(2020, 1, 1))
    assert trained_for_level_2_3([om, om2], ON) == {om.pk: True, om2.pk: False}


# Chairs --------------------------------------------------------------------------------------------------------


@pytest.fixture
def chairs(world):
    chief = member(world, "chief", "Detective Chief Inspector")
    inspector = member(world, "inspector", "Inspector")
    untrained = member(world, "untrained", "Chief Inspector")
    gone = member(world, "gone", "Chief Inspector", is_active=False)
    no_role = member(world, "norank", "Chief Inspector", roles=("supervisor",))
    elsewhere = member(world, "elsewhere", "Chief Inspector", agency=world.users.away_om.agency)
    spo = world.users.chair  # Senior Probation Officer, treated as an Inspector by default
    for person in (chief, inspector, gone, no_role, elsewhere, spo):
        completed(person, "mappa_chair", dt.date(2024, 1, 10))
    return {
        "chief": chief,
        "inspector": inspector,
        "untrained": untrained,
        "gone": gone,
        "no_role": no_role,
        "elsewhere": elsewhere,
        "spo": spo,
    }


def test_eligible_chairs_by_level(world, chairs):
    area = world.home["mappa"].pk
    names = {level: {c.staff.username for c in eligible_chairs(area, level, ON)} for level in (1, 2, 3)}
    assert names[3] == {"chief"}
    assert names[2] == names[1] == {"chief", "inspector", "chair"}
    found = eligible_chairs(area, 3, ON)[0]
    assert found.competence.may_chair_levels == frozenset({1, 2, 3})
    assert found.competence.working  # the working comes with the answer


def test_chair_candidates_hold_the_chair_role_in_the_area(world, chairs):
    found = set(chair_candidates(world.home["mappa"].pk).values_list("username", flat=True))
    assert found == {"chief", "inspector", "untrained", "chair"}


def test_eligible_chairs_among_given_candidates(world, chairs):
    area = world.home["mappa"].pk
    given = Staff.objects.filter(pk__in=[chairs["no_role"].pk, chairs["inspector"].pk])
    assert [c.staff for c in eligible_chairs(area, 3, ON, candidates=given)] == [chairs["no_role"]]


def test_chair_training_expiring_today_bars_the_chair(world, chairs):
    chief = chairs["chief"]
    TrainingCompletion.objects.filter(staff=chief).update(expires_on=ON)
    area = world.home["mappa"].pk
    assert chief not in [c.staff for c in eligible_chairs(area, 3, ON)]
    assert chief in [c.staff for c in eligible_chairs(area, 3, ON - DAY)]
    assert "MAPPA chair training and CPD: expired on 11 June 2025" in chair_refusal(chief, 3, ON)


def test_chair_refusal_reasons(world, chairs):
    assert chair_refusal(chairs["chief"], 3, ON) is None
    assert chair_refusal(chairs["inspector"], 2, ON) is None
    inspector = chair_refusal(chairs["inspector"], 3, ON)
    assert inspector.startswith("May not chair Level 3 meetings on 11 June 2025: ")
    assert "needs Chief Inspector or above; the rank recorded is Inspector" in inspector
    # Only the reasons that bar chairing: the chair training counts, and other courses do not matter.
    assert "training" not in inspector and "MOSOVO" not in inspector and "ARMS" not in inspector
    untrained = chair_refusal(chairs["untrained"], 1, ON)
    assert "MAPPA chair training and CPD: not completed" in untrained
    assert "Chairing" not in untrained  # a Chief Inspector's rank is enough for Level 1: only the training is missing
    assert "MOSOVO" not in untrained
    assert chair_refusal(chairs["gone"], 1, ON) == "Not an active member of staff, so may not chair."
    spo = chair_refusal(chairs["spo"], 3, ON)
    assert "the rank recorded is Senior Probation Officer (SPO), treated as Inspector" in spo


def test_chair_refusal_when_no_rank_can_be_matched(world):
    po = member(world, "po", "Probation Officer", agency=world.probation)
    unknown = member(world, "unknown", "Police Staff")
    blank = member(world, "blank", "")
    for person in (po, unknown, blank):
        completed(person, "mappa_chair", dt.date(2024, 1, 10))
    refusals = {p.username: chair_refusal(p, 1, ON) for p in (po, unknown, blank)}
    assert "no police-rank equivalent for the grade Probation Officer (PO)" in refusals["po"]
    assert "not one Safeguard recognises" in refusals["unknown"]
    assert "No rank or grade is recorded" in refusals["blank"]
    for refusal in refusals.values():
        assert "Chairing Level 1 and 2 meetings needs Inspector or above" in refusal
        assert "MOSOVO" not in refusal and "ARMS" not in refusal and "MAPPA chair training" not in refusal
    AreaSettings.objects.create(area=world.home["mappa"], chair_probation_equivalents={"po": "inspector"})
    assert chair_refusal(po, 2, ON) is None


def test_the_areas_chair_ranks_apply(world, chairs):
    AreaSettings.objects.create(area=world.home["mappa"], chair_min_rank_level_3="superintendent")
    assert "needs Superintendent or above" in chair_refusal(chairs["chief"], 3, ON)
    assert eligible_chairs(world.home["mappa"].pk, 3, ON) == []


@pytest.mark.parametrize("level", [0, 4, True, "3"])
def test_a_level_that_does_not_exist(world, chairs, level):
    with pytest.raises(RuleInputError):
        eligible_chairs(world.home["mappa"].pk, level, ON)
    with pytest.raises(RuleInputError):
        chair_refusal(chairs["chief"], level, ON)
