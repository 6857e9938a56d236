"""Use cases for one action: complete (with evidence), in progress, cancel, reassign, new due date."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.access.gate import AccessRefused
from safeguard.actions import services
from safeguard.actions.models import Action
from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f
from safeguard.workforce.models import Role
from tests.helpers import ctx_for

ctx = partial(ctx_for, purpose="forum")


def test_owner_completes_with_evidence_and_it_is_audited(world, aw):
    action = aw.marac_action
    done = services.complete_action(
        ctx(world.users.om), action, evidence="Safety plan sent to the GP; receipt confirmed.", expected_version=1
    )
    assert done.status == Action.Status.COMPLETE and done.completed_on == timezone.localdate()
    assert done.completed_by == world.users.om and done.version == 2
    assert AuditEvent.objects.filter(
        actor_id=world.users.om.pk, record_type="actions.action", record_id=action.pk, operation="change"
    ).exists()
    assert done.history.first().history_change_reason == "Completed"


@pytest.mark.parametrize("evidence", ["", "   ", "done"])
def test_completion_needs_evidence(world, aw, evidence):
    with pytest.raises(ValidationError) as exc:
        services.complete_action(ctx(world.users.om), aw.marac_action, evidence=evidence, expected_version=1)
    assert "completion_evidence" in exc.value.message_dict
    assert Action.objects.get(pk=aw.marac_action.pk).status == Action.Status.OPEN


def test_completion_date_today_or_past_and_not_before_it_was_set(world, aw):
    today = timezone.localdate()
    evidence = "Referral to the sanctuary scheme made and acknowledged."
    with pytest.raises(ValidationError) as exc:
        services.complete_action(
            ctx(world.users.om),
            aw.marac_action,
            evidence=evidence,
            completed_on=today + dt.timedelta(1),
            expected_version=1,
        )
    assert "completed_on" in exc.value.message_dict
    set_on = timezone.localdate(aw.marac_action.created_at)
    with pytest.raises(ValidationError):
        services.complete_action(
            ctx(world.users.om),
            aw.marac_action,
            evidence=evidence,
            completed_on=set_on - dt.timedelta(1),
            expected_version=1,
        )
    done = services.complete_action(
        ctx(world.users.om), aw.marac_action, evidence=evidence, completed_on=set_on, expected_version=1
    )
    assert done.completed_on == set_on


def test_a_stale_version_is_refused(world, aw):
    services.start_action(ctx(world.users.om), aw.marac_action, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.complete_action(
            ctx(world.users.om2), aw.marac_action, evidence="Done by a colleague at the same time.", expected_version=1
        )
    assert "Someone else changed this record" in str(exc.value)


@pytest.mark.parametrize("who", ["om", "om2", "supervisor", "marac"])
def test_owner_owner_agency_and_coordinator_may_change(world, aw, who):
    changed = services.start_action(ctx(getattr(world.users, who)), aw.marac_action, expected_version=1)
    assert changed.status == Action.Status.IN_PROGRESS


@pytest.mark.parametrize("who", ["chair", "partner", "idva", "analyst", "away_om", "norole"])
def test_others_may_not_change(world, aw, who):
    with pytest.raises(AccessRefused):
        services.complete_action(
            ctx(getattr(world.users, who)), aw.marac_action, evidence="Claimed complete by another.", expected_version=1
        )
    assert Action.objects.get(pk=aw.marac_action.pk).status == Action.Status.OPEN


def test_housing_staff_complete_their_agencys_action(world, aw):
    done = services.complete_action(
        ctx(world.users.partner),
        aw.housing_action,
        evidence="Tenancy checked; sanctuary referral made.",
        expected_version=1,
    )
    assert done.status == Action.Status.COMPLETE


def test_status_moves(world, aw):
    user = ctx(world.users.om)
    started = services.start_action(user, aw.marac_action, expected_version=1)
    with pytest.raises(ValidationError):
        services.start_action(user, started, expected_version=2)  # in progress already
    cancelled = services.cancel_action(
        user, started, reason="The victim has moved out of the area.", expected_version=2
    )
    assert cancelled.status == Action.Status.CANCELLED
    assert cancelled.history.first().history_change_reason == "The victim has moved out of the area."
    with pytest.raises(ValidationError):
        services.complete_action(user, cancelled, evidence="Completed after all, apparently.", expected_version=3)


def test_cancel_needs_a_reason(world, aw):
    with pytest.raises(ValidationError) as exc:
        services.cancel_action(ctx(world.users.om), aw.marac_action, reason="no", expected_version=1)
    assert "reason" in exc.value.message_dict


def test_reassign_within_the_owner_agency_only(world, aw):
    user = ctx(world.users.marac)
    moved = services.reassign_action(user, aw.marac_action, owner=world.users.om2, expected_version=1)
    assert moved.owner == world.users.om2
    with pytest.raises(ValidationError) as exc:
        services.reassign_action(user, moved, owner=world.users.partner, expected_version=2)  # housing, not police
    assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.reassign_action(user, moved, owner=world.users.inactive, expected_version=2)
    with pytest.raises(ValidationError):
        services.reassign_action(user, moved, owner=world.users.om2, expected_version=2)  # the same owner
    agency = services.reassign_action(user, moved, owner=None, expected_version=2, reason="Team to pick up.")
    assert agency.owner is None and agency.history.first().history_change_reason == "Team to pick up."


def test_new_due_date_needs_a_reason_and_restarts_the_chasing(world, aw):
    today = timezone.localdate()
    Action.objects.filter(pk=aw.marac_action.pk).update(reminded_on=today - dt.timedelta(7), escalated_on=today)
    user = ctx(world.users.marac)
    with pytest.raises(ValidationError) as exc:
        services.change_due_date(user, aw.marac_action, due_on=today + dt.timedelta(7), reason="", expected_version=1)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.change_due_date(
            user, aw.marac_action, due_on=today - dt.timedelta(1), reason="Agreed at the meeting.", expected_version=1
        )
    assert "due_on" in exc.value.message_dict
    moved = services.change_due_date(
        user,
        aw.marac_action,
        due_on=today + dt.timedelta(7),
        reason="GP surgery closed for a week.",
        expected_version=1,
    )
    assert moved.due_on == today + dt.timedelta(7)
    assert moved.reminded_on is None and moved.escalated_on is None
    latest = moved.history.first()
    assert latest.due_on == today + dt.timedelta(7) and latest.history_change_reason == "GP surgery closed for a week."


def test_record_action_on_a_case_by_the_coordinator(world, aw):
    today = timezone.localdate()
    action = services.record_action(
        ctx(world.users.marac),
        forum_case=aw.marac_case,
        description="Flag the address for an urgent response.",
        owner_agency=world.police,
        owner=world.users.om,
        due_on=today + dt.timedelta(14),
    )
    assert action.forum == world.marac and action.person == world.people.victim and action.is_open
    with pytest.raises(AccessRefused):
        services.record_action(
            ctx(world.users.om),
            forum_case=aw.marac_case,
            description="Flag the address for an urgent response.",
            owner_agency=world.police,
            due_on=today + dt.timedelta(14),
        )
    with pytest.raises(ValidationError) as exc:
        services.record_action(
            ctx(world.users.marac),
            forum_case=aw.marac_case,
            description="Flag the address for an urgent response.",
            owner_agency=world.police,
            owner=world.users.partner,
            due_on=today,
        )
    assert "owner" in exc.value.message_dict


def test_my_open_actions_overdue_first_and_partner_sees_agency_unowned(world, aw):
    mine = list(services.my_open_actions(world.users.om))
    assert mine == [aw.marac_action, aw.mappa_action]  # due five days ago first, then in ten days
    assert list(services.my_open_actions(world.users.partner)) == [aw.housing_action]
    assert list(services.my_open_actions(world.users.om2)) == []  # police: unowned actions are not on my work
    colleague = f.staff("housing2", world.housing, [Role.PARTNER])
    assert list(services.my_open_actions(colleague)) == [aw.housing_action]


def test_agency_actions_open_first_and_own_agency_only(world, aw):
    services.complete_action(
        ctx(world.users.om), aw.marac_action, evidence="Completed early, safety plan shared.", expected_version=1
    )
    police = list(services.agency_actions(world.users.om2))
    assert police == [aw.mappa_action, aw.marac_action]  # open first, then the completed one
    assert list(services.agency_actions(world.users.partner)) == [aw.housing_action]


def test_completion_rates_by_agency(world, aw):
    today = timezone.localdate()
    services.complete_action(
        ctx(world.users.om), aw.marac_action, evidence="Completed late, after the due date.", expected_version=1
    )
    rates = services.completion_rates(world.marac, today - dt.timedelta(30), today + dt.timedelta(30), today)
    by_agency = {r.agency: r for r in rates}
    police, housing = by_agency[world.police.name], by_agency[world.housing.name]
    assert (police.due, police.complete, police.complete_on_time, police.rate_percent) == (1, 1, 0, 100)
    assert (housing.due, housing.complete, housing.open_overdue) == (1, 0, 0)


def test_lists_do_not_repeat_an_action_when_its_forum_has_several_coordinators(world, aw):
    world.marac.coordinators.set([world.users.coordinator, world.users.marac])
    assert list(services.my_open_actions(world.users.om)) == [aw.marac_action, aw.mappa_action]
    assert list(services.agency_actions(world.users.marac)) == [aw.marac_action, aw.mappa_action]
