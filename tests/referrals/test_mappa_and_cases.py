"""MAPPA screening sets the level on the nominal; acceptance opens (or reuses) the forum's case; IOM de-selection."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguard.meetings.models import ForumCase
from safeguard.offenders.models import Nominal
from safeguard.referrals import services
from safeguard.referrals.models import Referral
from safeguard.referrals.services import facts
from tests.referrals import builders as b

S = Referral.Status


def test_the_draft_carries_the_category_the_record_supports_and_goes_to_the_level_sought(world, forums):
    referral = b.mappa_referral(world, level_sought=3)
    assert referral.forum == forums.l3
    assert referral.nominal == world.nominals.mine
    assert facts.category_for(referral.person, referral.nominal).category is None  # no conviction recorded


def test_acceptance_sets_the_level_on_the_nominal_with_the_rationale_as_reason(world, forums):
    nominal = world.nominals.mine
    assert nominal.management_level == 1
    referral = b.advance(world, b.mappa_referral(world), S.ACCEPTED, level_set=2)
    nominal.refresh_from_db()
    assert nominal.management_level == 2
    assert referral.level_set == 2 and referral.decision_rationale == b.RATIONALE
    latest = nominal.history.first()
    assert latest.management_level == 2 and latest.history_change_reason == b.RATIONALE
    assert referral.forum_case.forum == forums.l2 and referral.forum_case.person == nominal.person


def test_the_coordinator_may_set_another_level_and_the_referral_moves_to_that_forum(world, forums):
    referral = b.advance(world, b.mappa_referral(world, level_sought=2), S.ACCEPTED, level_set=3)
    world.nominals.mine.refresh_from_db()
    assert world.nominals.mine.management_level == 3
    assert referral.forum == forums.l3 and referral.forum_case.forum == forums.l3


def test_acceptance_without_a_level_is_refused(world, forums):
    referral = b.advance(world, b.mappa_referral(world), S.SCREENING)
    with pytest.raises(ValidationError) as refused:
        services.accept_referral(b.ctx(world.users.coordinator), referral, rationale=b.RATIONALE, level_set=None)
    assert refused.value.message_dict == {"level_set": ["Set the management level: 2 or 3"]}
    world.nominals.mine.refresh_from_db()
    assert world.nominals.mine.management_level == 1


def test_a_person_without_a_nominal_gets_one_opened_at_the_level_set(world, forums):
    newcomer = b.person(world, "Nora", "Newcomer")
    referral = b.advance(world, b.mappa_referral(world, person=newcomer), S.SCREENING)
    boss = b.ctx(world.users.coordinator)
    with pytest.raises(ValidationError) as refused:
        services.accept_referral(boss, referral, rationale=b.RATIONALE, level_set=3)
    assert set(refused.value.message_dict) == {"local_area", "lead_agency"}
    assert not Nominal.objects.filter(person=newcomer).exists()
    accepted = services.accept_referral(
        boss,
        referral,
        rationale=b.RATIONALE,
        level_set=3,
        local_area=world.home["local"][1],
        lead_agency=world.probation,
    )
    nominal = Nominal.objects.get(person=newcomer)
    assert accepted.nominal == nominal
    assert (nominal.management_level, nominal.mappa_category, nominal.local_area) == (3, "2", world.home["local"][1])


def test_acceptance_reuses_an_open_case_of_the_forum(world, forums):
    case = ForumCase.objects.create(forum=forums.l2, person=world.people.offender, opened_on=dt.date(2025, 1, 1))
    referral = b.advance(world, b.mappa_referral(world), S.ACCEPTED)
    assert referral.forum_case == case
    assert ForumCase.objects.filter(forum=forums.l2, person=world.people.offender).count() == 1


def test_a_marac_acceptance_opens_the_victim_case_on_the_marac(world, forums):
    newcomer = b.person(world, "Vera", "Victim")
    referral = b.advance(world, b.marac_referral(world, person=newcomer, perpetrators=[]), S.ACCEPTED)
    assert referral.forum_case.forum == world.marac and referral.forum_case.person == newcomer
    assert referral.forum_case.closed_on is None


def test_iom_selection_and_deselection_with_a_reason(world, forums):
    selection = services.select_for_iom(
        b.ctx(world.users.om), person=world.people.offender, forum=forums.iom, cohort="fixed", reason="Burglary."
    )
    assert selection.nominal == world.nominals.mine
    listed = b.advance(world, selection, S.LISTED)
    boss = b.ctx(world.users.coordinator)
    with pytest.raises(ValidationError):
        services.deselect_from_iom(boss, listed, reason="short")
    assert Referral.objects.get(pk=listed.pk).status == S.LISTED
    out = services.deselect_from_iom(boss, listed, reason="No further offending in twelve months.")
    assert out.status == S.WITHDRAWN
    assert out.deselection_reason == "No further offending in twelve months." and out.deselected_on is not None
    assert [t.to_status for t in out.transitions.all()][-2:] == [S.ACCEPTED, S.WITHDRAWN]
    out.forum_case.refresh_from_db()
    assert out.forum_case.closed_on is not None


def test_only_an_iom_selection_can_be_deselected(world, forums):
    referral = b.advance(world, b.mappa_referral(world), S.ACCEPTED)
    with pytest.raises(ValidationError):
        services.deselect_from_iom(b.ctx(world.users.coordinator), referral, reason="Not an IOM selection at all.")


def test_matac_partner_referral_is_scored_against_the_rfg(world, forums):
    one, two = b.person(world, "Vic", "One"), b.person(world, "Vic", "Two")
    today = dt.date.today()
    b.incident(world, perpetrator=world.people.other_offender, victim=one, on=today - dt.timedelta(days=20))
    b.incident(world, perpetrator=world.people.other_offender, victim=two, on=today - dt.timedelta(days=10))
    referral = services.refer_to_matac(
        b.ctx(world.users.om2), person=world.people.other_offender, forum=forums.matac, reason="Probation reports."
    )
    assert referral.matac_source == "partner" and referral.rfg_score > 0
    assert referral.rfg_working[0]["text"].startswith(f"RFG {referral.rfg_score}")
    assert any("Serial perpetrator" in step["text"] for step in referral.rfg_working)


def test_matac_nomination_needs_a_serial_perpetrator(world, forums):
    with pytest.raises(ValidationError) as refused:
        services.nominate_for_matac(b.ctx(world.users.marac), person=world.people.offender, forum=forums.matac)
    assert "partner referral" in refused.value.messages[0]
