"""Every move of a referral through the services: legal ones recorded and audited, illegal ones refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.access.gate import AccessRefused
from safeguard.access.services import VersionConflict
from safeguard.audit.models import AuditEvent
from safeguard.referrals import services
from safeguard.referrals.models import Referral, ReferralTransition
from safeguard.rules import referrals as rules
from tests.referrals import builders as b

S = Referral.Status


def _events(referral: Referral) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(record_type="referrals.referral", record_id=referral.pk, operation="change").order_by(
            "pk"
        )
    )


def _do(world, referral: Referral, target: str, **accept) -> Referral:
    """The service for the move to `target`, as the person allowed to make it."""
    referrer = b.ctx(referral.referred_by)
    boss = b.ctx(b.coordinator_for(world, referral))
    fresh = Referral.objects.get(pk=referral.pk)
    if target == S.SUBMITTED:
        return services.submit_referral(referrer, fresh)
    if target == S.SCREENING:
        return services.start_screening(boss, fresh)
    if target == S.ACCEPTED and fresh.status == S.LISTED:
        return services.delist_referral(boss, fresh, rationale=b.RATIONALE)
    if target == S.ACCEPTED:
        return services.accept_referral(boss, fresh, rationale=b.RATIONALE, level_set=fresh.level_sought, **accept)
    if target == S.DECLINED:
        return services.decline_referral(boss, fresh, rationale=b.RATIONALE)
    if target == S.WITHDRAWN:
        return services.withdraw_referral(referrer, fresh, rationale=b.RATIONALE)
    if target == S.LISTED:
        return services.list_referral(boss, fresh, b.meeting(fresh.forum))
    raise AssertionError(target)


@pytest.mark.parametrize("status", [s for s in rules.STATES])
def test_each_state_is_reached_with_a_transition_and_an_audit_event_per_move(world, forums, status):
    referral = b.advance(world, b.mappa_referral(world), status)
    assert referral.status == status
    moves = list(referral.transitions.all())
    events = _events(referral)
    assert len(moves) == len(events)
    for move, event in zip(moves, events, strict=True):
        assert rules.transition(move.from_status, move.to_status, rationale=b.RATIONALE, kind="mappa", level_set=2)
        assert event.detail["transition"] == move.pk
        assert (event.detail["from"], event.detail["to"]) == (move.from_status, move.to_status)
    if moves:
        assert moves[0].from_status == S.DRAFT and moves[-1].to_status == status


ILLEGAL = [(a, z) for a in rules.STATES for z in rules.STATES if z not in rules.TRANSITIONS[a] and z != S.DRAFT]


@pytest.mark.parametrize(("start", "target"), ILLEGAL)
def test_an_illegal_move_is_refused_and_leaves_no_trace(world, forums, start, target):
    referral = b.advance(world, b.mappa_referral(world), start)
    moves_before = ReferralTransition.objects.filter(referral=referral).count()
    events_before = len(_events(referral))
    with pytest.raises(ValidationError) as refused:
        _do(world, referral, target, local_area=world.home["local"][0], lead_agency=world.police)
    assert (
        "to_status" in refused.value.message_dict
        or "meeting" in refused.value.message_dict
        or ("__all__" in refused.value.message_dict)
    )
    referral.refresh_from_db()
    assert referral.status == start
    assert ReferralTransition.objects.filter(referral=referral).count() == moves_before
    assert len(_events(referral)) == events_before


def test_decisions_need_a_rationale(world, forums):
    referral = b.advance(world, b.mappa_referral(world), S.SCREENING)
    boss = b.ctx(world.users.coordinator)
    for move in (
        lambda: services.accept_referral(boss, referral, rationale="", level_set=2),
        lambda: services.decline_referral(boss, referral, rationale="too short"),
        lambda: services.withdraw_referral(boss, referral, rationale=""),
    ):
        with pytest.raises(ValidationError) as refused:
            move()
        assert refused.value.message_dict["rationale"] == ["Give the reason for this decision (at least 10 characters)"]
    referral.refresh_from_db()
    assert referral.status == S.SCREENING


def test_a_stale_version_is_refused(world, forums):
    referral = b.advance(world, b.mappa_referral(world), S.SUBMITTED)
    with pytest.raises(VersionConflict):
        services.start_screening(b.ctx(world.users.coordinator), referral, expected_version=referral.version - 1)


def test_only_the_referrer_or_coordinator_submits_and_only_the_coordinator_screens(world, forums):
    referral = b.mappa_referral(world)
    with pytest.raises(AccessRefused):
        services.submit_referral(b.ctx(world.users.om2), referral)
    submitted = services.submit_referral(b.ctx(world.users.om), referral)
    for outsider in (world.users.om, world.users.marac, world.users.partner, world.users.chair):
        with pytest.raises(AccessRefused):
            services.start_screening(b.ctx(outsider), submitted)
    assert services.start_screening(b.ctx(world.users.coordinator), submitted).status == S.SCREENING


def test_declined_and_withdrawn_are_final(world, forums):
    for final in (S.DECLINED, S.WITHDRAWN):
        referral = b.advance(world, b.mappa_referral(world), final)
        assert rules.allowed_next(referral.status) == frozenset()
        with pytest.raises(ValidationError):
            _do(world, referral, S.SUBMITTED)


def test_a_second_undecided_referral_to_the_area_is_refused_until_the_first_is_decided(world, forums):
    first = b.mappa_referral(world)
    with pytest.raises(ValidationError) as refused:
        b.mappa_referral(world, level_sought=3)
    assert f"Referral {first.pk}" in refused.value.messages[0]
    b.advance(world, first, S.DECLINED)
    assert b.mappa_referral(world, level_sought=3).status == S.DRAFT


def test_listing_needs_a_scheduled_meeting_of_the_referral_forum(world, forums):
    referral = b.advance(world, b.mappa_referral(world), S.ACCEPTED)
    boss = b.ctx(world.users.coordinator)
    with pytest.raises(ValidationError) as refused:
        services.list_referral(boss, referral, b.meeting(forums.l3))
    assert "meeting" in refused.value.message_dict
    held = b.meeting(forums.l2)
    held.status = "held"
    held.save()
    with pytest.raises(ValidationError) as refused:
        services.list_referral(boss, referral, held)
    assert "meeting" in refused.value.message_dict
    held.status = "scheduled"
    held.save()
    listed = services.list_referral(boss, referral, held)
    assert listed.status == S.LISTED
    assert "Listed for the" in listed.transitions.last().rationale


# Random sequences ---------------------------------------------------------------------

MOVES = [S.SUBMITTED, S.SCREENING, S.ACCEPTED, S.DECLINED, S.WITHDRAWN, S.LISTED]
_counter = iter(range(10_000))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kind=st.sampled_from(["mappa", "iom"]), sequence=st.lists(st.sampled_from(MOVES), max_size=8))
def test_random_sequences_follow_the_rule_and_every_move_is_recorded(world, forums, kind, sequence):
    """Whatever is tried, the stored status is the rule's, and each move kept leaves a transition and an event."""
    who = b.person(world, "Random", f"Person{next(_counter)}")
    if kind == "mappa":
        referral = b.mappa_referral(world, person=who)
    else:
        referral = services.select_for_iom(
            b.ctx(world.users.om), person=who, forum=forums.iom, cohort="flex", reason="Domestic abuse priority."
        )
    expected = S.DRAFT
    kept = 0
    for target in sequence:
        allowed = target in rules.allowed_next(expected)
        try:
            _do(world, referral, target, local_area=world.home["local"][0], lead_agency=world.police)
        except ValidationError:
            assert not allowed, f"{expected} to {target} should have been allowed"
        else:
            assert allowed, f"{expected} to {target} should have been refused"
            expected = target
            kept += 1
        stored = Referral.objects.get(pk=referral.pk)
        assert stored.status == expected
    assert ReferralTransition.objects.filter(referral=referral).count() == kept
    assert len(_events(referral)) == kept
    chain = list(ReferralTransition.objects.filter(referral=referral).order_by("at", "pk"))
    for before, after in zip(chain, chain[1:], strict=False):
        assert before.to_status == after.from_status
