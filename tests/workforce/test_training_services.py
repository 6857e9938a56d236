"""Training use cases: every rule and every refusal, each change through the gate and audited."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.core.exceptions import ValidationError

from safeguard.access.gate import AccessRefused
from safeguard.access.services import VersionConflict
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.workforce.catalogue import sync_courses
from safeguard.workforce.competence import competence_of
from safeguard.workforce.models import (
    AreaSettings,
    Buddy,
    Course,
    CoursePlace,
    Staff,
    TrainingCompletion,
    WaitingListEntry,
)
from safeguard.workforce.services import training as services
from tests.helpers import ctx_for

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


ctx = partial(ctx_for, purpose="supervision")


def errors(exc_info) -> dict:
    return {field: " ".join(messages) for field, messages in exc_info.value.message_dict.items()}


def course(code: str) -> Course:
    sync_courses()
    return Course.objects.get(code=code)


@pytest.fixture
def team(world):
    """om and a trained colleague in the supervisor's team; om2 in another team."""
    sync_courses()
    trained = Staff.objects.create(
        username="trained",
        agency=world.police,
        team=world.users.om.team,
        roles=["offender_manager"],
        rank_or_grade="DC",
    )
    TrainingCompletion.objects.create(
        staff=trained, course=course("mosovo"), completed_on=TODAY - 400 * DAY, recorded_by=world.users.supervisor
    )
    return world.users.om, trained, world.users.supervisor


def place_for(world, code="mosovo", places=2, starts=20) -> CoursePlace:
    return CoursePlace.objects.create(
        course=course(code),
        offered_by="Neighbouring Police",
        starts_on=TODAY + starts * DAY,
        places=places,
        area=world.home["mappa"],
        recorded_by=world.users.supervisor,
    )


def entry_for(staff, code="mosovo", **fields) -> WaitingListEntry:
    fields.setdefault("joined_on", TODAY - 30 * DAY)
    return WaitingListEntry.objects.create(staff=staff, course=course(code), **fields)


def audited(user, operation, record) -> bool:
    return AuditEvent.objects.filter(
        actor_id=user.pk,
        operation=operation,
        record_type=record._meta.label_lower,
        record_id=record.pk,
        outcome=Outcome.ALLOWED,
    ).exists()


# Completions ---------------------------------------------------------------------------------------------------


def test_supervisor_records_a_completion_and_competence_follows(world, team):
    om, _, supervisor = team
    assert not competence_of(om, TODAY).may_hold_level_2_3
    completion = services.record_completion(ctx(supervisor), om, course=course("mosovo"), completed_on=TODAY - 2 * DAY)
    assert completion.expires_on is None and completion.recorded_by == supervisor
    assert competence_of(om, TODAY).may_hold_level_2_3
    assert audited(supervisor, Operation.CREATE, completion)
    assert completion.history.get().history_user == supervisor


def test_a_blank_expiry_takes_the_areas_refresh_period(world, team):
    om, _, supervisor = team
    AreaSettings.objects.create(area=world.home["mappa"], course_refresh_months={"mosovo": 12})
    completion = services.record_completion(
        ctx(supervisor), om, course=course("mosovo"), completed_on=dt.date(2024, 5, 1)
    )
    assert completion.expires_on is None  # the area's period applies when competence is worked out
    assert competence_of(om, dt.date(2025, 4, 30)).may_hold_level_2_3
    lapsed = competence_of(om, dt.date(2025, 5, 1))
    assert not lapsed.may_hold_level_2_3
    assert "expired on 1 May 2025" in " ".join(lapsed.gaps)


@pytest.mark.parametrize(
    ("completed_on", "expires_on", "field"),
    [
        (TODAY + DAY, None, "completed_on"),
        (TODAY - 10 * DAY, TODAY - 10 * DAY, "expires_on"),
        (TODAY - 10 * DAY, TODAY - 11 * DAY, "expires_on"),
    ],
)
def test_completion_dates_are_checked(world, team, completed_on, expires_on, field):
    om, _, supervisor = team
    with pytest.raises(ValidationError) as caught:
        services.record_completion(
            ctx(supervisor), om, course=course("mosovo"), completed_on=completed_on, expires_on=expires_on
        )
    assert field in errors(caught)
    assert not TrainingCompletion.objects.filter(staff=om).exists()


def test_a_completion_recorded_twice_is_refused(world, team):
    om, _, supervisor = team
    services.record_completion(ctx(supervisor), om, course=course("arms"), completed_on=TODAY - DAY)
    with pytest.raises(ValidationError) as caught:
        services.record_completion(ctx(supervisor), om, course=course("arms"), completed_on=TODAY - DAY)
    assert "already recorded" in errors(caught)["completed_on"]


@pytest.mark.parametrize("who", ["om", "coordinator", "chair", "om2", "analyst", "admin"])
def test_only_the_teams_supervisor_records_training(world, team, who):
    om = team[0]
    with pytest.raises(AccessRefused):
        services.record_completion(
            ctx(getattr(world.users, who)), om, course=course("mosovo"), completed_on=TODAY - DAY
        )
    assert not TrainingCompletion.objects.filter(staff=om).exists()


def test_a_supervisor_does_not_record_their_own_training(world, team):
    supervisor = team[2]
    with pytest.raises(AccessRefused):
        services.record_completion(ctx(supervisor), supervisor, course=course("mosovo"), completed_on=TODAY - DAY)


def test_recording_a_completion_closes_the_open_waiting_entry(world, team):
    om, _, supervisor = team
    place = place_for(world, places=1)
    entry = entry_for(om, status="offered", place=place)
    other = entry_for(om, "arms")
    services.record_completion(ctx(supervisor), om, course=course("mosovo"), completed_on=TODAY - 900 * DAY)
    entry.refresh_from_db()
    other.refresh_from_db()
    assert entry.status == "completed" and entry.closed_on == TODAY
    assert entry.place is None and services.places_taken(place) == 0  # the place offered is free again
    assert other.status == "waiting"
    assert audited(supervisor, Operation.CHANGE, entry)


def test_a_booked_place_stays_taken_when_the_completion_is_recorded_directly(world, team):
    om, _, supervisor = team
    place = place_for(world, places=1)
    entry = entry_for(om, status="booked", place=place)
    services.record_completion(ctx(supervisor), om, course=course("mosovo"), completed_on=TODAY)
    entry.refresh_from_db()
    assert entry.status == "completed" and entry.place == place
    assert services.places_taken(place) == 1


def test_a_correction_keeps_the_old_values_and_the_reason(world, team):
    om, _, supervisor = team
    completion = services.record_completion(ctx(supervisor), om, course=course("visor"), completed_on=TODAY - 9 * DAY)
    services.correct_completion(
        ctx(supervisor),
        completion,
        course=course("visor"),
        completed_on=TODAY - 10 * DAY,
        expires_on=TODAY + 100 * DAY,
        evidence="CERT-1",
        reason="Certificate shows the day before",
    )
    completion.refresh_from_db()
    assert completion.completed_on == TODAY - 10 * DAY and completion.expires_on == TODAY + 100 * DAY
    latest, first = completion.history.order_by("-history_id")[:2]
    assert latest.history_change_reason == "Certificate shows the day before"
    assert first.completed_on == TODAY - 9 * DAY
    event = AuditEvent.objects.get(actor_id=supervisor.pk, operation=Operation.CHANGE, record_id=completion.pk)
    assert set(event.detail["fields"]) == {"completed_on", "expires_on", "evidence"}


def test_a_correction_needs_a_change_and_a_reason(world, team):
    om, _, supervisor = team
    completion = services.record_completion(ctx(supervisor), om, course=course("visor"), completed_on=TODAY - 9 * DAY)
    same = {"course": course("visor"), "completed_on": TODAY - 9 * DAY, "expires_on": None, "evidence": ""}
    with pytest.raises(ValidationError) as caught:
        services.correct_completion(ctx(supervisor), completion, reason="A good long reason", **same)
    assert "Nothing has changed" in errors(caught)["__all__"]
    with pytest.raises(ValidationError) as caught:
        services.correct_completion(ctx(supervisor), completion, reason="short", **{**same, "evidence": "X"})
    assert "reason" in errors(caught)
    with pytest.raises(AccessRefused):
        services.correct_completion(ctx(om), completion, reason="A good long reason", **{**same, "evidence": "X"})
    completion.refresh_from_db()
    assert completion.evidence == ""


def test_removing_a_completion_keeps_its_history_and_audits(world, team):
    om, _, supervisor = team
    completion = services.record_completion(ctx(supervisor), om, course=course("mosovo"), completed_on=TODAY - DAY)
    pk = completion.pk
    with pytest.raises(ValidationError):
        services.remove_completion(ctx(supervisor), completion, reason="oops")
    with pytest.raises(AccessRefused):
        services.remove_completion(
            ctx(world.users.coordinator), completion, reason="Recorded against the wrong officer"
        )
    services.remove_completion(ctx(supervisor), completion, reason="Recorded against the wrong officer")
    assert not TrainingCompletion.objects.filter(pk=pk).exists()
    assert not competence_of(om, TODAY).may_hold_level_2_3
    removed = TrainingCompletion.history.filter(id=pk, history_type="-").get()
    assert removed.history_change_reason == "Recorded against the wrong officer"
    assert removed.history_user == supervisor
    event = AuditEvent.objects.get(record_type="workforce.trainingcompletion", record_id=pk, operation=Operation.CHANGE)
    assert event.detail["removed"] is True and event.actor_id == supervisor.pk


# Waiting lists -------------------------------------------------------------------------------------------------


def test_joining_a_waiting_list_once_per_course(world, team):
    om, _, supervisor = team
    entry = services.join_waiting_list(ctx(supervisor), om, course=course("mosovo"))
    assert entry.status == "waiting" and entry.joined_on == TODAY
    assert audited(supervisor, Operation.CREATE, entry)
    with pytest.raises(ValidationError) as caught:
        services.join_waiting_list(ctx(supervisor), om, course=course("mosovo"))
    assert "already on the waiting list" in errors(caught)["course"]
    services.withdraw(ctx(supervisor), entry, reason="Moved to another team for now")
    again = services.join_waiting_list(ctx(supervisor), om, course=course("mosovo"), joined_on=TODAY - 5 * DAY)
    assert again.joined_on == TODAY - 5 * DAY


def test_joining_refusals(world, team):
    om, _, supervisor = team
    with pytest.raises(ValidationError) as caught:
        services.join_waiting_list(ctx(supervisor), om, course=course("mosovo"), joined_on=TODAY + DAY)
    assert "joined_on" in errors(caught)
    for who in ("om", "coordinator", "om2"):
        with pytest.raises(AccessRefused):
            services.join_waiting_list(ctx(getattr(world.users, who)), om, course=course("mosovo"))
    assert not WaitingListEntry.objects.exists()


# Course places -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "coordinator"])
def test_supervisors_and_the_coordinator_record_places(world, team, who):
    user = getattr(world.users, who)
    place = services.record_places(
        ctx(user),
        course=course("mosovo"),
        offered_by="Neighbouring Police",
        starts_on=TODAY + 10 * DAY,
        places=3,
        area=world.home["mappa"],
    )
    assert place.recorded_by == user
    assert audited(user, Operation.CREATE, place)


@pytest.mark.parametrize("who", ["om", "chair", "analyst", "admin", "marac", "away_om", "norole"])
def test_others_do_not_record_places(world, team, who):
    with pytest.raises(AccessRefused):
        services.record_places(
            ctx(getattr(world.users, who)),
            course=course("mosovo"),
            offered_by="Neighbouring Police",
            starts_on=TODAY + 10 * DAY,
            places=3,
            area=world.home["mappa"],
        )
    assert not CoursePlace.objects.exists()


def test_no_places_for_another_area_or_in_the_past(world, team):
    supervisor = team[2]
    base = {"course": course("mosovo"), "offered_by": "Us", "places": 3}
    with pytest.raises(AccessRefused):
        services.record_places(ctx(supervisor), starts_on=TODAY + DAY, area=world.away["mappa"], **base)
    with pytest.raises(ValidationError) as caught:
        services.record_places(ctx(supervisor), starts_on=TODAY - DAY, area=world.home["mappa"], **base)
    assert "starts_on" in errors(caught)
    with pytest.raises(ValidationError) as caught:
        services.record_places(ctx(supervisor), starts_on=TODAY, area=world.home["mappa"], **{**base, "places": 0})
    assert "places" in errors(caught)
    with pytest.raises(ValidationError) as caught:
        services.record_places(
            ctx(supervisor), starts_on=TODAY, area=world.home["mappa"], **{**base, "offered_by": " "}
        )
    assert "offered_by" in errors(caught)


def test_no_more_offers_than_places(world, team):
    om, trained, supervisor = team
    joiner = Staff.objects.create(username="joiner", agency=world.police, team=om.team, roles=["offender_manager"])
    third = Staff.objects.create(username="third", agency=world.police, team=om.team, roles=["offender_manager"])
    place = place_for(world, places=2)
    a, b, c = entry_for(om), entry_for(joiner), entry_for(third)
    with pytest.raises(ValidationError) as caught:
        services.offer_places(ctx(supervisor), place, [a, b, c])
    assert "2 places left" in errors(caught)["entries"]
    services.offer_places(ctx(supervisor), place, [a, b])
    for entry in (a, b):
        entry.refresh_from_db()
        assert entry.status == "offered" and entry.place == place
        assert audited(supervisor, Operation.CHANGE, entry)
    with pytest.raises(ValidationError) as caught:
        services.offer_places(ctx(supervisor), place, [c])
    assert "no places left" in errors(caught)["entries"]
    services.decline_offer(ctx(supervisor), a)  # a declined place is free again
    a.refresh_from_db()
    assert a.status == "waiting" and a.place is None and a.joined_on == TODAY - 30 * DAY
    services.offer_places(ctx(supervisor), place, [c])
    assert services.places_taken(place) == 2


def test_a_withdrawn_offer_frees_the_place(world, team):
    om, _, supervisor = team
    place = place_for(world, places=1)
    entry = entry_for(om)
    services.offer_places(ctx(supervisor), place, [entry])
    assert services.places_taken(place) == 1
    services.withdraw(ctx(supervisor), entry, reason="Left the public protection unit")
    assert services.places_taken(place) == 0


def test_offers_only_to_people_waiting_for_that_course_here(world, team):
    om, _, supervisor = team
    place = place_for(world)
    with pytest.raises(ValidationError) as caught:
        services.offer_places(ctx(supervisor), place, [])
    assert "Choose at least one" in errors(caught)["entries"]
    arms = entry_for(om, "arms")
    with pytest.raises(ValidationError) as caught:
        services.offer_places(ctx(supervisor), place, [arms])
    assert "waiting for MOSOVO" in errors(caught)["entries"]
    offered = entry_for(om, status="offered", place=place_for(world))
    with pytest.raises(ValidationError) as caught:
        services.offer_places(ctx(supervisor), place, [offered])
    assert "already has a place" in errors(caught)["entries"]


def test_no_offers_on_a_course_that_has_started(world, team):
    om, _, supervisor = team
    started = place_for(world, starts=-1)
    with pytest.raises(ValidationError) as caught:
        services.offer_places(ctx(supervisor), started, [entry_for(om)])
    assert "started" in errors(caught)["entries"]


def test_offering_is_the_supervisors(world, team):
    om, _, _ = team
    place = place_for(world)
    entry = entry_for(om)
    with pytest.raises(AccessRefused):
        services.offer_places(ctx(world.users.coordinator), place, [entry])
    entry.refresh_from_db()
    assert entry.status == "waiting"


def test_from_offer_to_completion(world, team):
    om, _, supervisor = team
    place = place_for(world, starts=0)
    entry = entry_for(om)
    with pytest.raises(ValidationError):
        services.mark_booked(ctx(supervisor), entry)  # nothing offered yet
    services.offer_places(ctx(supervisor), place, [entry])
    entry.refresh_from_db()
    with pytest.raises(ValidationError):
        services.mark_completed(ctx(supervisor), entry, completed_on=TODAY)  # not booked
    with pytest.raises(VersionConflict):
        services.mark_booked(ctx(supervisor), entry, expected_version=entry.version - 1)
    with pytest.raises(AccessRefused):
        services.mark_booked(ctx(om), entry)
    services.mark_booked(ctx(supervisor), entry, expected_version=entry.version)
    entry.refresh_from_db()
    assert entry.status == "booked"
    with pytest.raises(ValidationError) as caught:
        services.mark_completed(ctx(supervisor), entry, completed_on=TODAY - DAY)
    assert "on or after the course started" in errors(caught)["completed_on"]
    completion = services.mark_completed(ctx(supervisor), entry, completed_on=TODAY, evidence="MOSOVO-22")
    entry.refresh_from_db()
    assert entry.status == "completed" and entry.closed_on == TODAY
    assert completion.course.code == "mosovo" and completion.evidence == "MOSOVO-22"
    assert competence_of(om, TODAY).may_hold_level_2_3
    assert audited(supervisor, Operation.CREATE, completion)
    assert services.places_taken(place) == 1  # a completed place stays taken


def test_withdrawal_needs_a_reason_and_an_open_entry(world, team):
    om, _, supervisor = team
    entry = entry_for(om)
    with pytest.raises(ValidationError) as caught:
        services.withdraw(ctx(supervisor), entry, reason="")
    assert "reason" in errors(caught)
    services.withdraw(ctx(supervisor), entry, reason="No longer an offender manager")
    entry.refresh_from_db()
    assert entry.status == "withdrawn" and entry.note == "No longer an offender manager"
    assert entry.history.order_by("-history_id").first().history_change_reason == "No longer an offender manager"
    with pytest.raises(ValidationError):
        services.withdraw(ctx(supervisor), entry, reason="No longer an offender manager")
    with pytest.raises(ValidationError):
        services.decline_offer(ctx(supervisor), entry)


# Buddies -------------------------------------------------------------------------------------------------------


def test_a_new_joiner_gets_a_trained_buddy(world, team):
    om, trained, supervisor = team
    pairing = services.assign_buddy(ctx(supervisor), om, trained)
    assert pairing.started_on == TODAY and pairing.ended_on is None
    assert audited(supervisor, Operation.CREATE, pairing)
    assert AuditEvent.objects.filter(
        actor_id=supervisor.pk, operation=Operation.VIEW, record_type="workforce.staff", record_id=trained.pk
    ).exists()


def test_the_buddy_must_be_someone_else(world, team):
    om, _, supervisor = team
    with pytest.raises(ValidationError) as caught:
        services.assign_buddy(ctx(supervisor), om, om)
    assert "someone other" in errors(caught)["buddy"]


def test_the_buddys_mosovo_must_count_on_the_day(world, team):
    om, _, supervisor = team
    lapsing = Staff.objects.create(username="lapsing", agency=world.police, team=om.team, roles=["offender_manager"])
    mosovo = TrainingCompletion.objects.create(
        staff=lapsing, course=course("mosovo"), completed_on=TODAY - 700 * DAY, expires_on=TODAY, recorded_by=supervisor
    )
    with pytest.raises(ValidationError) as caught:  # expires today: does not count today
        services.assign_buddy(ctx(supervisor), om, lapsing)
    assert "must hold a counting MOSOVO" in errors(caught)["buddy"]
    mosovo.expires_on = TODAY + DAY  # expires tomorrow: counts today
    mosovo.save()
    assert services.assign_buddy(ctx(supervisor), om, lapsing).buddy == lapsing
    untrained = Staff.objects.create(
        username="untrained", agency=world.police, team=om.team, roles=["offender_manager"]
    )
    joiner = Staff.objects.create(username="joiner", agency=world.police, team=om.team, roles=["offender_manager"])
    with pytest.raises(ValidationError):
        services.assign_buddy(ctx(supervisor), joiner, untrained)


def test_a_trained_officer_needs_no_buddy(world, team):
    om, trained, supervisor = team
    with pytest.raises(ValidationError) as caught:
        services.assign_buddy(ctx(supervisor), trained, om)
    assert "works without a buddy" in errors(caught)["__all__"]


def test_one_current_buddy_then_another_after_the_end(world, team):
    om, trained, supervisor = team
    second = Staff.objects.create(username="second", agency=world.police, team=om.team, roles=["offender_manager"])
    TrainingCompletion.objects.create(
        staff=second, course=course("mosovo"), completed_on=TODAY - 50 * DAY, recorded_by=supervisor
    )
    first = services.assign_buddy(ctx(supervisor), om, trained, started_on=TODAY - 3 * DAY)
    with pytest.raises(ValidationError) as caught:
        services.assign_buddy(ctx(supervisor), om, second)
    assert "already has a buddy" in errors(caught)["buddy"]
    with pytest.raises(ValidationError) as caught:
        services.end_buddy(ctx(supervisor), first, ended_on=TODAY - 4 * DAY)
    assert "on or after it started" in errors(caught)["ended_on"]
    with pytest.raises(ValidationError) as caught:
        services.end_buddy(ctx(supervisor), first, ended_on=TODAY + DAY)
    assert "ended_on" in errors(caught)
    with pytest.raises(AccessRefused):
        services.end_buddy(ctx(om), first)
    services.end_buddy(ctx(supervisor), first)
    first.refresh_from_db()
    assert first.ended_on == TODAY
    assert audited(supervisor, Operation.CHANGE, first)
    with pytest.raises(ValidationError) as caught:
        services.end_buddy(ctx(supervisor), first)
    assert "already ended" in errors(caught)["__all__"]
    assert services.assign_buddy(ctx(supervisor), om, second).buddy == second
    assert Buddy.objects.filter(new_joiner=om, ended_on=None).count() == 1


def test_buddy_refusals(world, team):
    om, trained, supervisor = team
    other_team = world.users.om2
    TrainingCompletion.objects.create(
        staff=other_team, course=course("mosovo"), completed_on=TODAY - 50 * DAY, recorded_by=supervisor
    )
    with pytest.raises(AccessRefused):  # the supervisor may not read another team's training
        services.assign_buddy(ctx(supervisor), om, other_team)
    for who in ("om", "coordinator", "chair"):
        with pytest.raises(AccessRefused):
            services.assign_buddy(ctx(getattr(world.users, who)), om, trained)
    with pytest.raises(ValidationError):
        services.assign_buddy(ctx(supervisor), om, trained, started_on=TODAY + DAY)
    assert not Buddy.objects.exists()
