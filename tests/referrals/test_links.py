"""Reciprocal links: a MARAC perpetrator who is a MAPPA nominal, a MAPPA nominal's victim heard at MARAC."""

from __future__ import annotations

import datetime as dt

from safeguard.actions.models import Prompt
from safeguard.meetings.models import ForumCase
from safeguard.people.models import Relationship
from safeguard.referrals import services
from safeguard.referrals.models import CaseLink, Referral
from tests.referrals import builders as b

S = Referral.Status


def _level(nominal, level: int):
    nominal.management_level = level
    nominal.save(update_fields=["management_level"])
    return nominal


def _prompts(person):
    return {p.assigned_to.username: p for p in Prompt.objects.filter(kind="linked_case", person=person, closed_on=None)}


def test_marac_acceptance_links_the_perpetrator_mappa_case_and_tells_both_sides(world, forums):
    _level(world.nominals.mine, 2)  # the offender is a Level 2 nominal
    referral = b.advance(world, b.marac_referral(world), S.ACCEPTED)
    link = CaseLink.objects.get()
    assert link.from_case == referral.forum_case
    assert link.to_case.forum == forums.l2 and link.to_case.person == world.people.offender
    assert link.reason == CaseLink.Reason.MARAC_PERPETRATOR_IS_NOMINAL
    victim_side = _prompts(world.people.victim)
    nominal_side = _prompts(world.people.offender)
    assert set(victim_side) == {"marac"}  # the area's MARAC coordinator (the forum names none)
    assert set(nominal_side) == {"coordinator", "om"}  # the area's MAPPA coordinator and the offender manager
    reasons = " ".join(nominal_side["om"].reasons)
    assert "named as a perpetrator on MARAC referral" in reasons and world.nominals.mine.reference in reasons
    assert nominal_side["om"].link == link


def test_named_coordinators_of_a_forum_are_told_instead_of_the_area_role(world, forums):
    _level(world.nominals.mine, 2)
    world.marac.coordinators.set([world.users.idva])
    forums.l2.coordinators.set([world.users.supervisor])
    b.advance(world, b.marac_referral(world), S.ACCEPTED)
    assert set(_prompts(world.people.victim)) == {"idva"}
    assert set(_prompts(world.people.offender)) == {"supervisor", "om"}


def test_linking_again_changes_nothing(world, forums):
    _level(world.nominals.mine, 2)
    referral = b.advance(world, b.marac_referral(world), S.ACCEPTED)
    before = (CaseLink.objects.count(), Prompt.objects.count(), ForumCase.objects.count())
    services.link_marac_case(b.ctx(world.users.marac), referral.forum_case)
    services.link_nominal(b.ctx(world.users.coordinator), world.nominals.mine)
    assert (CaseLink.objects.count(), Prompt.objects.count(), ForumCase.objects.count()) == before
    assert all(len(p.reasons) == len(set(p.reasons)) for p in Prompt.objects.all())


def test_mappa_acceptance_links_the_nominal_victim_open_marac_case(world, forums):
    """The reverse: the victim of the nominal's recorded incident is on the MARAC (the world's open case)."""
    b.incident(world, perpetrator=world.people.offender, victim=world.people.victim, on=dt.date(2025, 9, 1))
    referral = b.advance(world, b.mappa_referral(world), S.ACCEPTED)
    link = CaseLink.objects.get()
    marac_case = world.marac.cases.get(person=world.people.victim)
    assert (link.from_case, link.to_case) == (referral.forum_case, marac_case)
    assert link.reason == CaseLink.Reason.NOMINAL_VICTIM_AT_MARAC
    assert "incident INC/" in " ".join(_prompts(world.people.victim)["marac"].reasons)
    assert set(_prompts(world.people.offender)) == {"coordinator", "om"}


def test_a_domestic_abuse_relationship_makes_the_other_a_victim_but_a_plain_one_does_not(world, forums):
    relationship = Relationship.objects.create(
        person=world.people.offender, other=world.people.victim, kind="intimate_partner", former=True
    )
    b.advance(world, b.mappa_referral(world), S.ACCEPTED)
    assert not CaseLink.objects.exists()
    relationship.domestic_abuse = True
    relationship.personal_connection = "intimate_relationship"
    relationship.save()
    services.link_nominal(b.ctx(world.users.coordinator), world.nominals.mine)
    assert CaseLink.objects.get().reason == CaseLink.Reason.NOMINAL_VICTIM_AT_MARAC


def test_a_closed_marac_case_is_not_linked(world, forums):
    world.marac.cases.update(closed_on=dt.date(2025, 1, 1))
    b.incident(world, perpetrator=world.people.offender, victim=world.people.victim, on=dt.date(2025, 9, 1))
    b.advance(world, b.mappa_referral(world), S.ACCEPTED)
    assert not CaseLink.objects.exists()


def test_a_level_1_nominal_has_no_mappa_case_to_link_but_both_sides_are_told(world, forums):
    referral = b.advance(world, b.marac_referral(world), S.ACCEPTED)
    assert not CaseLink.objects.exists()
    assert not ForumCase.objects.filter(person=world.people.offender).exists()
    reasons = " ".join(_prompts(world.people.offender)["om"].reasons)
    assert "no link was made" in reasons
    assert set(_prompts(world.people.victim)) == {"marac"}
    assert referral.forum_case is not None


def test_a_closed_nominal_is_not_a_mappa_nominal(world, forums):
    nominal = _level(world.nominals.mine, 2)
    nominal.status = "closed"
    nominal.save(update_fields=["status"])
    b.advance(world, b.marac_referral(world), S.ACCEPTED)
    assert not CaseLink.objects.exists()
    assert not Prompt.objects.filter(person=world.people.offender).exists()


def test_both_directions_make_one_link(world, forums):
    """The MARAC links first; the nominal's later MAPPA acceptance finds the same pair and adds nothing."""
    _level(world.nominals.mine, 2)
    b.advance(world, b.marac_referral(world), S.ACCEPTED)
    b.advance(world, b.mappa_referral(world), S.ACCEPTED)
    assert CaseLink.objects.count() == 1


def test_matac_subject_who_is_a_nominal_is_linked(world, forums):
    _level(world.nominals.other, 3)
    one, two = b.person(world, "Vic", "One"), b.person(world, "Vic", "Two")
    today = dt.date.today()
    b.incident(world, perpetrator=world.people.other_offender, victim=one, on=today - dt.timedelta(days=20))
    b.incident(world, perpetrator=world.people.other_offender, victim=two, on=today - dt.timedelta(days=10))
    referral = services.nominate_for_matac(
        b.ctx(world.users.marac), person=world.people.other_offender, forum=forums.matac
    )
    accepted = b.advance(world, referral, S.ACCEPTED)
    link = CaseLink.objects.get()
    assert link.reason == CaseLink.Reason.MATAC_SUBJECT_IS_NOMINAL
    assert link.from_case == accepted.forum_case and link.to_case.forum == forums.l3
    assert {"marac", "coordinator", "om2"} <= set(_prompts(world.people.other_offender))
