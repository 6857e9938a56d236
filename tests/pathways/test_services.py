"""The use cases: a referral from a plan's action followed to completion, refusals and their reasons, the release
checklist from 12 weeks before release, gaps (the filter agrees with the rule), the release-day outcome, and a
peer observation recorded and shared with the chair."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.access.errors import VersionConflict
from safeguard.access.gate import AccessRefused
from safeguard.audit.models import AuditEvent
from safeguard.pathways.models import InterventionReferral, PathwayItem, PathwaySettings, PeerObservation, ReleasePlan
from safeguard.pathways.services import interventions, iom, observations, release
from safeguard.rules import release_pathways as rule
from tests.helpers import ctx_for
from tests.pathways.records import RATINGS, put_in_custody, records

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_a_referral_from_a_plan_action_is_followed_to_completion(world):
    r = records(world)
    om = world.users.om
    referral = interventions.refer(
        ctx_for(om), r.mine, programme=r.programme, pillar="interventions_and_treatment", action=r.forums.action
    )
    assert referral.source == InterventionReferral.Source.ACTION
    assert referral.action == r.forums.action
    for to, extra in [
        ("assessed", {}),
        ("accepted", {}),
        ("started", {}),
        ("attending", {"sessions_attended": 6}),
        ("completed", {"sessions_attended": 24}),
    ]:
        referral = interventions.move(
            ctx_for(om), referral, to_status=to, expected_version=referral.version, next_step_due_on=TODAY(), **extra
        )
    referral.refresh_from_db()
    assert (referral.status, referral.sessions_attended, referral.ended_on) == ("completed", 24, TODAY())
    assert referral.next_step_due_on is None
    assert referral.started_on == TODAY()
    assert AuditEvent.objects.filter(record_type="pathways.interventionreferral", record_id=referral.pk).count() == 6
    assert referral.history.count() == 6


def test_a_drop_out_needs_a_reason_and_ends_the_referral(world):
    r = records(world)
    referral = r.referral
    referral = interventions.move(ctx_for(world.users.om), referral, to_status="started", expected_version=1)
    with pytest.raises(ValidationError) as err:
        interventions.move(ctx_for(world.users.om), referral, to_status="dropped_out", expected_version=2)
    assert "reason" in err.value.error_dict
    ended = interventions.move(
        ctx_for(world.users.om), referral, to_status="dropped_out", expected_version=2, reason="Moved out of the area"
    )
    assert (ended.status, ended.reason) == ("dropped_out", "Moved out of the area")
    with pytest.raises(ValidationError, match="make a new referral"):
        interventions.move(ctx_for(world.users.om), ended, to_status="started", expected_version=3)


def test_a_stale_version_is_refused(world):
    r = records(world)
    interventions.move(ctx_for(world.users.om), r.referral, to_status="started", expected_version=1)
    with pytest.raises(VersionConflict):
        interventions.move(ctx_for(world.users.om), r.referral, to_status="started", expected_version=1)


def test_a_referral_is_made_only_by_who_may_change_the_nominal_and_to_the_areas_programmes(world):
    r = records(world)
    with pytest.raises(AccessRefused):
        interventions.refer(ctx_for(world.users.om2), r.mine, programme=r.programme, pillar="supervision")
    with pytest.raises(ValidationError) as err:
        interventions.refer(ctx_for(world.users.om), r.mine, programme=r.other_programme, pillar="supervision")
    assert "programme" in err.value.error_dict


def test_an_action_about_someone_else_is_refused_as_the_source(world):
    r = records(world)
    other = world.nominals.other
    with pytest.raises(ValidationError, match="someone else"):
        interventions.refer(
            ctx_for(world.users.coordinator), other, programme=r.programme, pillar="supervision", action=r.forums.action
        )


def test_steps_due_are_the_offender_managers_open_referrals_due_within_28_days(world):
    r = records(world)
    assert list(interventions.steps_due(world.users.om, TODAY())) == [r.referral]
    assert list(interventions.steps_due(world.users.om2, TODAY())) == []
    InterventionReferral.objects.filter(pk=r.referral.pk).update(next_step_due_on=TODAY() + dt.timedelta(days=29))
    assert list(interventions.steps_due(world.users.om, TODAY())) == []


def test_the_checklist_opens_12_weeks_before_release(world):
    other = put_in_custody(world.nominals.other, 85)
    with pytest.raises(ValidationError, match="opens 12 weeks before"):
        release.start_plan(ctx_for(world.users.om2), other)
    other = put_in_custody(other, 84)
    plan = release.start_plan(ctx_for(world.users.om2), other)
    due = {item.pathway: item.due_on for item in plan.items.all()}
    assert due == rule.due_dates(other.release_date)
    assert {item.owner_agency_id for item in plan.items.all()} == {other.lead_agency_id}
    with pytest.raises(ValidationError, match="already been started"):
        release.start_plan(ctx_for(world.users.om2), other)


def test_the_gap_filter_agrees_with_the_rule(world):
    r = records(world)
    for offset in (-80, -70, -1, 0, 21, 30):
        day = TODAY() + dt.timedelta(days=70 + offset)
        by_rule = {i.pk for i in PathwayItem.objects.select_related("plan") if i.is_gap(day)}
        by_filter = set(PathwayItem.objects.filter(release.gaps(day)).values_list("pk", flat=True))
        assert by_rule == by_filter, offset
    assert list(release.my_gaps(world.users.om, TODAY())) == [r.accommodation]


def test_an_item_that_cannot_be_arranged_needs_a_reason(world):
    r = records(world)
    with pytest.raises(ValidationError) as err:
        release.change_item(
            ctx_for(world.users.om),
            r.gp,
            owner_agency=world.probation,
            due_on=r.gp.due_on,
            status=rule.NOT_POSSIBLE,
            detail="",
            expected_version=1,
        )
    assert "detail" in err.value.error_dict
    item = release.change_item(
        ctx_for(world.users.om),
        r.gp,
        owner_agency=world.probation,
        due_on=r.gp.due_on,
        status=rule.ARRANGED,
        detail="Fictional Street surgery",
        expected_version=1,
    )
    assert (item.status, item.owner_agency, item.version) == (rule.ARRANGED, world.probation, 2)


def test_the_release_day_outcome_records_what_was_in_place_and_closes_the_gaps(world):
    r = records(world)
    plan = release.record_outcome(
        ctx_for(world.users.supervisor),
        r.plan,
        outcome=ReleasePlan.Outcome.RELEASED,
        released_on=TODAY(),
        in_place=[rule.GP, rule.IDENTIFICATION],
        outcome_notes="Met at the gate.",
        expected_version=1,
    )
    in_place = dict(plan.items.values_list("pathway", "in_place_on_day"))
    assert in_place[rule.GP] is True and in_place[rule.ACCOMMODATION] is False
    assert not release.my_gaps(world.users.om, TODAY()).exists()
    with pytest.raises(ValidationError, match="checklist is closed"):
        release.change_item(
            ctx_for(world.users.om),
            r.gp,
            owner_agency=world.police,
            due_on=r.gp.due_on,
            status=rule.ARRANGED,
            detail="Surgery",
            expected_version=1,
        )


def test_released_needs_a_date(world):
    r = records(world)
    with pytest.raises(ValidationError) as err:
        release.record_outcome(
            ctx_for(world.users.om),
            r.plan,
            outcome=ReleasePlan.Outcome.RELEASED,
            released_on=None,
            in_place=[],
            outcome_notes="",
            expected_version=1,
        )
    assert "released_on" in err.value.error_dict


def test_releases_ahead_lists_the_visible_releases_with_their_gaps(world):
    from safeguard.access import gate
    from safeguard.offenders.models import Nominal

    r = records(world)
    put_in_custody(world.nominals.away, 20)
    rows = release.releases_ahead(gate.scoped(world.users.supervisor, Nominal.objects.all()), TODAY())
    assert [row["nominal"] for row in rows] == [r.mine]
    plan = rows[0]["plan"]
    assert (plan.gap_count, plan.arranged, plan.item_count) == (1, 0, 6)


def test_a_peer_observation_is_recorded_and_shared_with_the_chair(world):
    r = records(world)
    users = world.users
    seen = observations.record_observation(
        ctx_for(users.coordinator),
        r.held,
        first_observer=users.supervisor,
        second_observer=users.om,
        ratings=RATINGS,
        strengths="Clear chairing.",
        development="Start on time.",
        themes=["time_management"],
    )
    from safeguard.access import gate

    assert not gate.decide(users.chair, "view", seen)
    observations.share_with_chair(ctx_for(users.om), seen, expected_version=1)
    seen.refresh_from_db()
    assert gate.decide(users.chair, "view", seen)
    assert seen in observations.for_chair(users.chair)
    with pytest.raises(ValidationError, match="already been shared"):
        observations.share_with_chair(ctx_for(users.om), seen, expected_version=2)


def test_the_chair_cannot_observe_their_own_meeting_and_the_pair_is_two_people(world):
    r = records(world)
    users = world.users
    common = {"ratings": RATINGS, "strengths": "Good.", "development": "Better.", "themes": []}
    with pytest.raises(ValidationError, match="chair of the meeting"):
        observations.record_observation(
            ctx_for(users.coordinator), r.held, first_observer=users.chair, second_observer=users.om, **common
        )
    with pytest.raises(ValidationError, match="not the first"):
        observations.record_observation(
            ctx_for(users.coordinator), r.held, first_observer=users.om, second_observer=users.om, **common
        )
    with pytest.raises(ValidationError) as err:
        observations.record_observation(
            ctx_for(users.coordinator),
            r.held,
            first_observer=users.om,
            second_observer=users.om2,
            **(common | {"ratings": {}}),
        )
    assert "preparation" in err.value.error_dict


def test_only_an_observer_or_the_coordinator_records_an_observation(world):
    r = records(world)
    users = world.users
    with pytest.raises(AccessRefused):
        observations.record_observation(
            ctx_for(users.marac),
            r.held,
            first_observer=users.om,
            second_observer=users.om2,
            ratings=RATINGS,
            strengths="Good.",
            development="Better.",
            themes=[],
        )
    assert PeerObservation.objects.count() == 1


def test_the_themes_are_summarised_for_the_coordinator(world):
    r = records(world)
    summary, seen = observations.forum_themes(ctx_for(world.users.coordinator), r.forums.forum)
    assert summary.observations == 1 and seen == [r.observation]
    assert [(t.key, t.meetings) for t in summary.themes] == [("victim_voice", 1)]
    assert [(t.key, t.meetings) for t in summary.development] == [("victim_focus", 1)]


def test_the_areas_settings_move_the_checklist_and_its_due_dates(world, sign_in):
    PathwaySettings.objects.create(area=world.home["mappa"], checklist_opens_weeks=16, gp_due_days=7)
    other = put_in_custody(world.nominals.other, 112)  # 16 weeks: refused under the default 12
    plan = release.start_plan(ctx_for(world.users.om2), other)
    due = {item.pathway: item.due_on for item in plan.items.all()}
    assert due["gp"] == other.release_date + dt.timedelta(days=7)
    assert due["substance_misuse"] == other.release_date + dt.timedelta(days=21)
    page = sign_in(world.users.om2).get(reverse("pathways:releases")).content.decode()
    assert "16 weeks" in page


def test_the_areas_iom_threshold_suggests_flex(world):
    PathwaySettings.objects.create(area=world.home["mappa"], iom_flex_threshold=30)
    soon = TODAY() + dt.timedelta(days=30)
    member = iom.enter(
        ctx_for(world.users.om),
        world.nominals.mine,
        stream="free",
        neighbourhood_crime=False,
        score=30,
        reason="Repeat violence",
        next_review_on=soon,
    )
    assert member.suggested_stream == "flex"
