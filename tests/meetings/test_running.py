"""Running a meeting: start, attendance and confidentiality, shared information and its restrictions, levels
applied to the nominal, decisions with dissent, plan versions, actions, outcomes, ending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.access import policy
from safeguard.access.gate import AccessRefused
from safeguard.access.services import VersionConflict
from safeguard.actions.models import Action
from safeguard.meetings.models import AgendaItem, Attendance, Decision, Meeting, RiskManagementPlan
from safeguard.meetings.services import plans, running
from safeguard.offenders.models import Nominal

PLAN = {
    "supervision": "Fortnightly appointments with the offender manager",
    "monitoring_and_control": "Curfew 19:00 to 07:00; exclusion zone",
    "interventions_and_treatment": "Healthy Relationships programme",
    "victim_safety": "Victim told of the exclusion zone",
    "contingency": "Recall on any contact with the victim",
    "licence_conditions": "No contact with the victim",
}


def fresh(record):
    return type(record).objects.get(pk=record.pk)


# The meeting ------------------------------------------------------------------------------------------------


def test_start_on_the_day_with_an_eligible_chair(world, ctx, forums):
    coordinator = ctx(world.users.coordinator)
    running.start_meeting(coordinator, forums.today, expected_version=1)
    assert fresh(forums.today).status == Meeting.Status.IN_PROGRESS
    with pytest.raises(ValidationError) as early:
        forums.next.chair = world.users.chair
        running.start_meeting(coordinator, forums.next, expected_version=1)
    assert "start it on the day" in str(early.value)
    with pytest.raises(ValidationError):
        running.start_meeting(coordinator, fresh(forums.today), expected_version=2)  # already started


def test_attendance_and_the_confidentiality_statement(world, ctx, forums):
    coordinator = ctx(world.users.coordinator)
    meeting = forums.now
    present = running.record_attendance(coordinator, meeting, agency=world.police, name="DI Rivers", role="Chair")
    apologies = running.record_attendance(coordinator, meeting, agency=world.probation, name="Pat", present=False)
    with pytest.raises(ValidationError) as not_member:
        running.record_attendance(coordinator, meeting, agency=world.housing, name="Hal")
    assert "member agencies" in not_member.value.message_dict["agency"][0]
    with pytest.raises(ValidationError) as absent:
        running.record_attendance(
            coordinator, meeting, agency=world.probation, name="Kim", present=False, agreed_confidentiality=True
        )
    assert "agreed_confidentiality" in absent.value.message_dict
    with pytest.raises(ValidationError) as only_present:
        running.read_confidentiality(coordinator, meeting, agreed=[apologies.pk], expected_version=1)
    assert "present" in only_present.value.message_dict["agreed"][0]
    running.read_confidentiality(coordinator, meeting, agreed=[present.pk], expected_version=1)
    meeting.refresh_from_db()
    assert meeting.confidentiality_read_at is not None
    assert fresh(present).agreed_confidentiality and not fresh(apologies).agreed_confidentiality


def test_a_meeting_ends_only_when_every_case_is_heard_or_deferred(world, ctx, forums):
    coordinator = ctx(world.users.coordinator)
    with pytest.raises(ValidationError) as waiting:
        running.end_meeting(coordinator, forums.now, expected_version=1)
    assert "1 still listed" in str(waiting.value)
    running.record_outcome(
        coordinator, forums.item, outcome="deferred", summary="Awaiting the police report.", expected_version=1
    )
    running.end_meeting(coordinator, fresh(forums.now), expected_version=1)
    ended = fresh(forums.now)
    assert ended.status == Meeting.Status.HELD and ended.ends_at is not None
    with pytest.raises(ValidationError):
        running.share_information(coordinator, fresh(forums.item), agency=world.police, content="Too late")


# What each agency shared ------------------------------------------------------------------------------------


def test_a_partner_never_sees_an_item_restricted_from_it_and_the_restricting_agency_does(world, forums, sign_in):
    item = forums.marac_item
    shared = item.shared.all()
    assert list(policy.visible_shared(world.users.partner, shared)) == [forums.open_to_all]
    assert set(policy.visible_shared(world.users.marac, shared)) == {forums.restricted, forums.open_to_all}
    assert set(policy.visible_shared(world.users.idva, shared)) == {forums.restricted, forums.open_to_all}
    url = reverse("meetings:item", kwargs={"pk": item.pk})
    partner_page = sign_in(world.users.partner).get(url).content.decode()
    assert "IDVA: the victim wants a move." in partner_page
    assert "covert intelligence" not in partner_page
    police_page = sign_in(world.users.marac).get(url).content.decode()
    assert "covert intelligence" in police_page and "Not shown to: Northtown Housing" in police_page


def test_sharing_checks_the_agencies(world, ctx, forums):
    marac = ctx(world.users.marac)
    item = forums.marac_item
    with pytest.raises(ValidationError) as own:
        running.share_information(
            marac, item, agency=world.police, content="Police view", restricted_from=[world.police]
        )
    assert "cannot be restricted" in own.value.message_dict["restricted_from"][0]
    with pytest.raises(ValidationError) as outsider:
        running.share_information(marac, item, agency=world.probation, content="Not a member")
    assert "agency" in outsider.value.message_dict
    shared = running.share_information(
        marac,
        item,
        agency=world.housing,
        content="Housing opinion: the tenancy is at risk",
        is_opinion=True,
        withheld="Neighbour's statement: third-party data",
        restricted_from=[world.idva_service],
    )
    assert list(shared.restricted_from.all()) == [world.idva_service] and shared.is_opinion
    with pytest.raises(AccessRefused):
        running.share_information(ctx(world.users.partner), item, agency=world.housing, content="By a partner")


# Levels and decisions ---------------------------------------------------------------------------------------


def test_the_mappa_level_agreed_is_applied_to_the_nominal_with_the_decision_as_reason(world, ctx, forums):
    coordinator = ctx(world.users.coordinator)
    decision = running.agree_levels(
        coordinator,
        forums.item,
        risk_level="very_high",
        management_level=3,
        rationale="Escalating contact with the victim's children.",
        dissent="Probation thinks Level 2 is enough.",
        dissent_agency=world.probation,
        expected_version=1,
    )
    nominal = Nominal.objects.get(pk=world.nominals.mine.pk)
    assert nominal.management_level == 3
    latest = nominal.history.first()
    assert "MAPPA management level agreed: Level 3 (was Level 2)" in latest.history_change_reason
    assert "Escalating contact" in latest.history_change_reason
    item = fresh(forums.item)
    assert (item.risk_level_agreed, item.management_level_agreed, item.version) == ("very_high", 3, 2)
    assert decision.dissent_agency == world.probation and decision.text.startswith("Risk level agreed: Very high")


def test_a_chair_who_may_not_change_the_nominal_is_told_and_nothing_is_saved(world, ctx, forums):
    with pytest.raises(ValidationError) as refused:
        running.agree_levels(
            ctx(world.users.chair),
            forums.item,
            risk_level="high",
            management_level=3,
            rationale="Escalating contact with the victim's children.",
            expected_version=1,
        )
    assert "You may not change this nominal" in refused.value.message_dict["management_level"][0]
    assert fresh(forums.item).risk_level_agreed == "" and not Decision.objects.filter(item=forums.item).exists()
    same = running.agree_levels(
        ctx(world.users.chair),
        fresh(forums.item),
        risk_level="high",
        management_level=2,
        rationale="No change in the risk since the last review.",
        expected_version=1,
    )
    assert "Level 2 (unchanged)" in same.text


def test_levels_need_a_rationale_and_a_level(world, ctx, forums):
    coordinator = ctx(world.users.coordinator)
    with pytest.raises(ValidationError) as errors:
        running.agree_levels(coordinator, forums.item, risk_level="high", rationale="short", expected_version=1)
    assert "rationale" in errors.value.message_dict
    with pytest.raises(ValidationError) as errors:
        running.agree_levels(
            coordinator, forums.item, risk_level="high", rationale="A proper rationale here.", expected_version=1
        )
    assert "management_level" in errors.value.message_dict
    marac = running.agree_levels(
        ctx(world.users.marac),
        forums.marac_item,
        risk_level="high",
        rationale="DASH 16 and escalating.",
        expected_version=1,
    )
    assert marac.text == "Risk level agreed: High." and fresh(forums.marac_item).management_level_agreed is None


def test_a_decision_with_its_rationale_and_dissent(world, ctx, forums):
    decision = running.record_decision(
        ctx(world.users.chair),
        forums.item,
        text="Apply for a Sexual Harm Prevention Order",
        rationale="Repeated approaches to children at the school gate.",
        dissent="Health: insufficient evidence yet.",
        dissent_agency=world.probation,
    )
    assert Decision.objects.get(pk=decision.pk).dissent == "Health: insufficient evidence yet."
    with pytest.raises(ValidationError) as no_view:
        running.record_decision(
            ctx(world.users.chair),
            forums.item,
            text="Something",
            rationale="A long enough rationale.",
            dissent_agency=world.probation,
        )
    assert "dissent" in no_view.value.message_dict


# Plans --------------------------------------------------------------------------------------------------------


def test_each_save_is_a_new_version_and_a_stale_one_is_refused(world, ctx, forums):
    chair = ctx(world.users.chair)
    second = plans.save_plan(chair, forums.item, based_on_version=1, **PLAN)
    assert second.version == 2 and second.agenda_item == forums.item and second.nominal == world.nominals.mine
    assert fresh(forums.plan).supervision == "Weekly appointments"  # version 1 untouched
    with pytest.raises(VersionConflict):
        plans.save_plan(chair, forums.item, based_on_version=1, **PLAN)
    third = plans.save_plan(chair, forums.item, based_on_version=2, **{**PLAN, "supervision": "Weekly"})
    assert [p.version for p in plans.plan_versions(world.people.offender.pk, forums.forum.pk)] == [3, 2, 1]
    assert plans.current_plan(world.people.offender.pk, forums.forum.pk) == third


def test_a_mappa_plan_needs_the_four_pillars(world, ctx, forums):
    with pytest.raises(ValidationError) as missing:
        plans.save_plan(ctx(world.users.coordinator), forums.item, based_on_version=1, supervision="Weekly")
    assert set(missing.value.message_dict) == {"monitoring_and_control", "interventions_and_treatment", "victim_safety"}
    with pytest.raises(ValidationError) as empty:
        plans.save_plan(ctx(world.users.marac), forums.marac_item, based_on_version=0)
    assert "at least one part" in str(empty.value)
    plans.save_plan(ctx(world.users.marac), forums.marac_item, based_on_version=0, victim_safety="Sanctuary scheme")


def test_the_plan_page_shows_the_previous_version_beside_the_new(world, forums, sign_in):
    client = sign_in(world.users.coordinator)
    url = reverse("meetings:plan", kwargs={"pk": forums.item.pk})
    page = client.get(url).content.decode()
    assert "Version 1 (the current plan)" in page and "Weekly appointments" in page
    saved = client.post(url, {"based_on_version": 1, **PLAN})
    assert saved.status_code == 302
    version_two = RiskManagementPlan.objects.get(person=world.people.offender, version=2)
    both = client.get(reverse("meetings:plan-version", kwargs={"pk": version_two.pk})).content.decode()
    assert "Healthy Relationships programme" in both and "Version 1 (before it)" in both and "Curfew" in both
    stale = client.post(url, {"based_on_version": 1, **PLAN})
    assert stale.status_code == 200 and "Someone else changed this record" in stale.content.decode()
    partner = sign_in(world.users.partner).get(reverse("meetings:plan-version", kwargs={"pk": version_two.pk}))
    assert partner.status_code == 404


# Actions and outcomes -----------------------------------------------------------------------------------------


def test_an_action_has_an_owner_agency_a_due_date_and_at_mappa_a_rationale(world, ctx, forums):
    coordinator = ctx(world.users.coordinator)
    today = timezone.localdate()
    base = {"description": "Home visit", "owner_agency": world.police, "due_on": today + dt.timedelta(days=14)}
    with pytest.raises(ValidationError) as no_rationale:
        running.create_action(coordinator, forums.item, **base)
    assert "rationale" in no_rationale.value.message_dict
    with pytest.raises(ValidationError) as wrong_owner:
        running.create_action(coordinator, forums.item, **base, rationale="Check the address.", owner=world.users.chair)
    assert "owner" in wrong_owner.value.message_dict
    with pytest.raises(ValidationError) as past:
        running.create_action(
            coordinator, forums.item, **{**base, "due_on": today - dt.timedelta(days=1)}, rationale="Check the address."
        )
    assert "due_on" in past.value.message_dict
    made = running.create_action(
        coordinator, forums.item, **base, rationale="Check the address.", owner=world.users.om, plan=forums.plan
    )
    made = Action.objects.get(pk=made.pk)
    assert (made.forum, made.forum_case, made.person, made.status) == (
        forums.forum,
        forums.case,
        world.people.offender,
        "open",
    )
    assert made.agenda_item == forums.item and made.plan == forums.plan and made.created_by == world.users.coordinator
    marac = running.create_action(
        ctx(world.users.marac),
        forums.marac_item,
        description="Sanctuary assessment",
        owner_agency=world.housing,
        due_on=today,
    )
    assert marac.rationale == ""


def test_hearing_a_mappa_case_records_the_review_and_limits_the_next(world, ctx, forums):
    coordinator = ctx(world.users.coordinator)
    today = timezone.localdate(forums.now.starts_at)
    too_late = today + dt.timedelta(weeks=16, days=1)
    with pytest.raises(ValidationError) as late:
        running.record_outcome(coordinator, forums.item, outcome="heard", next_review_on=too_late, expected_version=1)
    assert "on or before" in late.value.message_dict["next_review_on"][0]
    running.record_outcome(
        coordinator,
        forums.item,
        outcome="heard",
        next_review_on=today + dt.timedelta(weeks=8),
        summary="Plan agreed.",
        expected_version=1,
    )
    nominal = Nominal.objects.get(pk=world.nominals.mine.pk)
    assert nominal.last_reviewed_on == today
    assert nominal.mappa_review_due == today + dt.timedelta(weeks=16)  # the due dates moved by the area's interval
    item = fresh(forums.item)
    assert item.outcome == "heard" and item.next_review_on == today + dt.timedelta(weeks=8)


def test_deferring_needs_the_reason(world, ctx, forums):
    with pytest.raises(ValidationError) as reason:
        running.record_outcome(ctx(world.users.chair), forums.item, outcome="deferred", expected_version=1)
    assert "summary" in reason.value.message_dict
    running.record_outcome(
        ctx(world.users.marac),
        forums.marac_item,
        outcome="deferred",
        summary="The IDVA needs to speak to the victim first.",
        expected_version=1,
    )
    assert fresh(forums.marac_item).outcome == AgendaItem.Outcome.DEFERRED


def test_a_stale_outcome_is_refused(world, ctx, forums):
    running.record_outcome(ctx(world.users.marac), forums.marac_item, outcome="heard", expected_version=1)
    with pytest.raises(VersionConflict):
        running.record_outcome(ctx(world.users.marac), fresh(forums.marac_item), outcome="heard", expected_version=1)


def test_nothing_is_recorded_on_a_meeting_not_in_progress(world, ctx, forums):
    item = AgendaItem.objects.create(
        meeting=forums.next,
        position=1,
        section="review",
        why="Review due",
        forum_case=forums.case,
        person=world.people.offender,
    )
    with pytest.raises(ValidationError) as not_started:
        running.record_decision(ctx(world.users.coordinator), item, text="x", rationale="A long enough reason.")
    assert "start it" in str(not_started.value)
    assert Attendance.objects.filter(meeting=forums.next).count() == 0
