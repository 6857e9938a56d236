"""Allocation from the database (workforce.services.allocation): the problem as built from the records,
the batch as stored, and decisions (accept, accept all, override) through the gate."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.core.exceptions import ValidationError

from safeguard.access.gate import AccessRefused, record_refusal
from safeguard.access.services import VersionConflict
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.offenders.models import Nominal
from safeguard.people.models import Relationship
from safeguard.workforce.models import AllocationBatch, AllocationRecommendation, AreaSettings
from safeguard.workforce.services import allocation as service
from tests import helpers
from tests.workforce.roles_allocation import REASON, add_nominal, add_officer, add_release, team_of, train

ctx_for = partial(helpers.ctx_for, purpose="public_protection")


def team_request(world, kind=service.UNALLOCATED, **fields) -> service.BatchRequest:
    return service.BatchRequest(kind=kind, area=world.home["mappa"], team=team_of(world), **fields)


def build(world, nominals, officers=None):
    team = team_of(world)
    officers = officers if officers is not None else list(service.officers_for(world.home["mappa"].pk, team))
    return service.build_problem(nominals, officers, area=world.home["mappa"], on=dt.date.today())


def officer_of(built, staff):
    return next(o for o in built.problem.officers if o.id == service.officer_label(staff))


def new_incident(world) -> Incident:
    return Incident.objects.create(
        reference=f"INC-{Incident.objects.count() + 1}",
        occurred_at=dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC),
        local_area=world.home["local"][0],
        recorded_by=world.police,
    )


def incident(world, perpetrator, victim) -> Incident:
    record = new_incident(world)
    IncidentPerson.objects.create(incident=record, person=perpetrator, role=IncidentRole.PERPETRATOR)
    IncidentPerson.objects.create(incident=record, person=victim, role=IncidentRole.VICTIM)
    return record


# ---------------------------------------------------------------------------
# The problem, from the records


def test_capacity_and_cap_come_from_the_area_settings(world):
    AreaSettings.objects.create(area=world.home["mappa"], ratio_cases_per_officer=7, high_risk_cap_percent=30)
    built = build(world, [add_nominal(world)])
    om = officer_of(built, world.users.om)
    assert (om.capacity_cases, om.high_risk_cap_percent) == (7, 30)


def test_default_settings_when_the_area_has_none(world):
    built = build(world, [add_nominal(world)])
    om = officer_of(built, world.users.om)
    assert (om.capacity_cases, om.high_risk_cap_percent) == (50, 20)


def test_cases_are_counted_outside_the_batch(world):
    add_nominal(world, om=world.users.om, rosh="low")
    built = build(world, [add_nominal(world)])
    om = officer_of(built, world.users.om)
    assert (om.current_cases, om.current_high_risk) == (2, 1)  # "mine" is high risk
    # The same officer's high-risk nominal, once in the batch, is not counted in their caseload.
    built = build(world, [world.nominals.mine])
    om = officer_of(built, world.users.om)
    assert (om.current_cases, om.current_high_risk) == (1, 0)
    assert built.problem.nominals[0].current_officer_id == service.officer_label(world.users.om)


def test_closed_nominals_do_not_count(world):
    add_nominal(world, om=world.users.om, status=Nominal.Status.CLOSED)
    built = build(world, [add_nominal(world)])
    assert officer_of(built, world.users.om).current_cases == 1


def test_training_comes_from_the_completions_on_the_day(world):
    trained = add_officer(world, "trained", trained=True)
    lapsed = add_officer(world, "lapsed")
    train(lapsed, on=dt.date.today() - dt.timedelta(days=800), expires_on=dt.date.today())  # no longer counts today
    untrained = add_officer(world, "untrained")
    built = build(world, [add_nominal(world, management_level=2)])
    assert officer_of(built, trained).trained_for_level_2_3 is True
    assert officer_of(built, lapsed).trained_for_level_2_3 is False
    assert officer_of(built, untrained).trained_for_level_2_3 is False


def test_team_scope_takes_only_the_teams_officers(world):
    built = build(world, [add_nominal(world)])
    usernames = {s.username for s in built.officers.values()}
    assert usernames == {"om"}  # om2 is in another team; the supervisor is no offender manager
    area_wide = service.build_problem(
        [add_nominal(world)],
        list(service.officers_for(world.home["mappa"].pk)),
        area=world.home["mappa"],
        on=dt.date.today(),
    )
    assert {s.username for s in area_wide.officers.values()} == {"om", "om2"}  # inactive and away_om are not


def test_an_officer_who_manages_a_victim_of_the_person_is_excluded(world):
    keeper = add_officer(world, "keeper")
    victim_nominal = add_nominal(world, om=keeper)
    batch_nominal = add_nominal(world)
    incident(world, batch_nominal.person, victim_nominal.person)
    built = build(world, [batch_nominal])
    assert built.problem.nominals[0].excluded_officer_ids == frozenset({service.officer_label(keeper)})


def test_the_rule_is_read_both_ways_an_officer_of_the_perpetrator_is_excluded_for_the_victim(world):
    keeper = add_officer(world, "keeper")
    perpetrator_nominal = add_nominal(world, om=keeper)
    victim_nominal = add_nominal(world)
    incident(world, perpetrator_nominal.person, victim_nominal.person)
    built = build(world, [victim_nominal])
    assert built.problem.nominals[0].excluded_officer_ids == frozenset({service.officer_label(keeper)})


def test_a_witness_or_a_relationship_does_not_exclude(world):
    keeper = add_officer(world, "keeper")
    other = add_nominal(world, om=keeper)
    batch_nominal = add_nominal(world)
    record = new_incident(world)
    IncidentPerson.objects.create(incident=record, person=batch_nominal.person, role=IncidentRole.PERPETRATOR)
    IncidentPerson.objects.create(incident=record, person=other.person, role=IncidentRole.WITNESS)
    Relationship.objects.create(person=batch_nominal.person, other=other.person, kind="intimate_partner")
    built = build(world, [batch_nominal])
    assert built.problem.nominals[0].excluded_officer_ids == frozenset()


def test_linked_nominals_of_one_batch_are_not_given_the_same_officer(world):
    # Two officers: "light" holds nothing, "heavy" holds ten; balance alone gives both new nominals to "light".
    light = add_officer(world, "light")
    heavy = add_officer(world, "heavy")
    for _ in range(10):
        add_nominal(world, om=heavy, rosh="low")
    first, second = add_nominal(world, rosh="low"), add_nominal(world, rosh="low")
    officers = [light, heavy]
    unlinked = build(world, [first, second], officers)
    result, _ = service.solve_batch(unlinked)
    assert set(result.assignments.values()) == {service.officer_label(light)}
    incident(world, first.person, second.person)
    linked = build(world, [first, second], officers)
    assert linked.links == [tuple(sorted((first.reference, second.reference)))]
    result, steps = service.solve_batch(linked)
    assert len(set(result.assignments.values())) == 2
    assert any("linked as victim and perpetrator" in s.text for s in steps)


def test_location_comes_from_the_team_base_and_the_local_area(world):
    team = team_of(world)
    team.base_latitude, team.base_longitude = 52.5, -1.9
    team.save()
    area = world.home["local"][0]
    area.latitude, area.longitude = 52.6, -1.9
    area.save()
    built = build(world, [add_nominal(world)])
    assert officer_of(built, world.users.om).location == (52.5, -1.9)
    assert built.problem.nominals[0].location == (52.6, -1.9)


# ---------------------------------------------------------------------------
# Starting a batch


def test_a_batch_recommends_and_is_audited(world):
    trained = add_officer(world, "trained", trained=True)
    level_two = add_nominal(world, management_level=2, rosh="high")
    plain = add_nominal(world, rosh="low")
    ctx = ctx_for(world.users.supervisor)
    batch = service.start_batch(ctx, team_request(world))
    assert batch.status == AllocationBatch.Status.RECOMMENDED
    assert batch.method == "highs" and batch.proven_optimal
    recs = {r.nominal_id: r for r in batch.recommendations.all()}
    assert recs.keys() == {level_two.pk, plain.pk}
    assert recs[level_two.pk].recommended_officer == trained
    assert any("trained for Level 2/3" in reason for reason in recs[level_two.pk].reasons)
    assert batch.figures["least_loaded"]["feasible"] is True
    assert batch.figures["recommended"]["placed"] == 2
    assert {row["id"] for row in batch.figures["officers"]} == {world.users.om.pk, trained.pk}
    events = AuditEvent.objects.filter(actor_id=world.users.supervisor.pk)
    assert events.filter(operation=Operation.CREATE, record_type="workforce.allocationbatch", record_id=batch.pk)
    for rec in recs.values():
        assert events.filter(record_type="workforce.allocationrecommendation", record_id=rec.pk).exists()
    search = events.get(operation=Operation.SEARCH, record_type="offenders.nominal")
    assert sorted(search.detail["shown"]) == sorted([level_two.pk, plain.pk])
    assert not Nominal.objects.filter(pk__in=[level_two.pk, plain.pk], offender_manager__isnull=False).exists()


def test_releases_between_two_dates(world):
    soon = add_release(world, days=10, om=world.users.om)
    later = add_release(world, days=60)
    add_nominal(world)  # unallocated, in the community: not a release
    request = team_request(
        world,
        service.RELEASES,
        released_from=dt.date.today(),
        released_to=dt.date.today() + dt.timedelta(days=31),
    )
    batch = service.start_batch(ctx_for(world.users.supervisor), request)
    recs = list(batch.recommendations.all())
    assert [r.nominal_id for r in recs] == [soon.pk]
    assert later.pk not in [r.nominal_id for r in recs]
    assert recs[0].previous_officer == world.users.om
    assert recs[0].recommended_officer == world.users.om
    assert "Current officer kept" in recs[0].reasons


def test_a_team_batch_leaves_out_nominals_of_another_team_and_of_other_local_areas(world):
    add_release(world, days=5, om=world.users.om2)  # another team's officer: not moved by this team
    add_release(world, days=5, local=1)  # Southvale: the team covers Northtown
    mine = add_release(world, days=5)
    request = team_request(
        world, service.RELEASES, released_from=dt.date.today(), released_to=dt.date.today() + dt.timedelta(days=9)
    )
    batch = service.start_batch(ctx_for(world.users.coordinator), request)
    assert [r.nominal_id for r in batch.recommendations.all()] == [mine.pk]
    assert batch.figures["selection"]["held_by_another_team"] == 1


def test_only_nominals_the_user_may_change_pass(world):
    # The supervisor may change a nominal of their team's officer or an unallocated one, not om2's.
    add_release(world, days=5, om=world.users.om2)
    own = add_release(world, days=5)
    request = service.BatchRequest(
        kind=service.RELEASES,
        area=world.home["mappa"],
        team=team_of(world),
        released_from=dt.date.today(),
        released_to=dt.date.today() + dt.timedelta(days=9),
    )
    batch = service.start_batch(ctx_for(world.users.supervisor), request)
    assert [r.nominal_id for r in batch.recommendations.all()] == [own.pk]
    assert batch.figures["selection"]["may_not_change"] == 1


def test_nothing_to_allocate_is_said(world):
    with pytest.raises(service.NothingToAllocate):
        service.start_batch(ctx_for(world.users.supervisor), team_request(world))


def test_infeasible_batch_names_the_binding_rule(world):
    add_nominal(world, management_level=3, rosh="very_high")  # nobody in the team is trained
    batch = service.start_batch(ctx_for(world.users.supervisor), team_request(world))
    assert batch.status == AllocationBatch.Status.INFEASIBLE
    assert any("trained" in reason for reason in batch.infeasible_reasons)
    rec = batch.recommendations.get()
    assert rec.recommended_officer is None
    with pytest.raises(ValidationError):
        service.accept(ctx_for(world.users.supervisor), rec, expected_version=rec.nominal.version)


def test_a_supervisor_may_not_start_a_batch_for_another_team(world):
    other_team = world.users.om2.team
    request = service.BatchRequest(kind=service.UNALLOCATED, area=world.home["mappa"], team=other_team)
    add_nominal(world)
    with pytest.raises(AccessRefused) as refused:
        service.start_batch(ctx_for(world.users.supervisor), request)
    record_refusal(refused.value)  # as the middleware does, once the request's transaction has rolled back
    area_wide = service.BatchRequest(kind=service.UNALLOCATED, area=world.home["mappa"], team=None)
    with pytest.raises(AccessRefused) as refused:
        service.start_batch(ctx_for(world.users.supervisor), area_wide)
    record_refusal(refused.value)
    assert not AllocationBatch.objects.exists()
    assert AuditEvent.objects.filter(actor_id=world.users.supervisor.pk, outcome=Outcome.REFUSED).count() == 2


# ---------------------------------------------------------------------------
# Decisions


@pytest.fixture
def batch_of_two(world):
    trained = add_officer(world, "trained", trained=True)
    spare = add_officer(world, "spare")
    level_two = add_nominal(world, management_level=2, rosh="high")
    plain = add_nominal(world, rosh="low")
    batch = service.start_batch(ctx_for(world.users.supervisor), team_request(world))
    recs = {r.nominal_id: r for r in batch.recommendations.select_related("nominal", "recommended_officer")}
    return batch, recs[level_two.pk], recs[plain.pk], trained, spare


def test_accept_allocates_through_the_nominal_change_with_its_history(world, batch_of_two):
    batch, level_two, _, trained, _ = batch_of_two
    ctx = ctx_for(world.users.supervisor)
    service.accept(ctx, level_two, expected_version=level_two.nominal.version)
    nominal = Nominal.objects.get(pk=level_two.nominal_id)
    assert nominal.offender_manager == trained and nominal.version == 2 and nominal.allocated_on
    assert f"Allocation batch {batch.pk}" in nominal.history.first().history_change_reason
    level_two.refresh_from_db()
    assert level_two.decision == AllocationRecommendation.Decision.ACCEPTED
    assert level_two.allocated_officer == trained and level_two.decided_by == world.users.supervisor
    events = AuditEvent.objects.filter(actor_id=world.users.supervisor.pk, operation=Operation.CHANGE)
    assert events.filter(record_type="offenders.nominal", record_id=nominal.pk).exists()
    assert events.filter(record_type="workforce.allocationrecommendation", record_id=level_two.pk).exists()
    batch.refresh_from_db()
    assert batch.version == 2 and batch.status == AllocationBatch.Status.RECOMMENDED


def test_accept_with_a_stale_version_is_refused(world, batch_of_two):
    _, level_two, _, _, _ = batch_of_two
    with pytest.raises(VersionConflict):
        service.accept(ctx_for(world.users.supervisor), level_two, expected_version=level_two.nominal.version + 1)
    assert Nominal.objects.get(pk=level_two.nominal_id).offender_manager is None


def test_accept_twice_is_refused(world, batch_of_two):
    _, level_two, _, _, _ = batch_of_two
    ctx = ctx_for(world.users.supervisor)
    service.accept(ctx, level_two, expected_version=1)
    with pytest.raises(ValidationError, match="decided already"):
        service.accept(ctx, level_two, expected_version=2)


def test_a_nominal_allocated_by_hand_since_the_batch_is_not_overwritten(world, batch_of_two):
    _, _, plain, _, spare = batch_of_two
    nominal = Nominal.objects.get(pk=plain.nominal_id)
    nominal.offender_manager = spare
    nominal.save()
    with pytest.raises(ValidationError, match="changed since the batch"):
        service.accept(ctx_for(world.users.supervisor), plain, expected_version=nominal.version)
    assert Nominal.objects.get(pk=plain.nominal_id).offender_manager == spare


def test_override_needs_a_reason(world, batch_of_two):
    _, _, plain, _, spare = batch_of_two
    ctx = ctx_for(world.users.supervisor)
    with pytest.raises(ValidationError) as error:
        service.override(ctx, plain, spare, "too short", expected_version=1)
    assert "reason" in error.value.error_dict
    assert Nominal.objects.get(pk=plain.nominal_id).offender_manager is None


def test_override_with_a_reason_is_applied_and_kept(world, batch_of_two):
    batch, _, plain, _, spare = batch_of_two
    if plain.recommended_officer == spare:
        spare = world.users.om
    service.override(ctx_for(world.users.supervisor), plain, spare, REASON, expected_version=1)
    nominal = Nominal.objects.get(pk=plain.nominal_id)
    assert nominal.offender_manager == spare
    assert REASON in nominal.history.first().history_change_reason
    plain.refresh_from_db()
    assert plain.decision == AllocationRecommendation.Decision.OVERRIDDEN and plain.override_reason == REASON


def test_an_override_that_breaks_a_hard_rule_is_refused_naming_it(world, batch_of_two):
    _, level_two, _, _, spare = batch_of_two
    with pytest.raises(ValidationError) as error:
        service.override(ctx_for(world.users.supervisor), level_two, spare, REASON, expected_version=1)
    assert "not trained for Level 2/3" in " ".join(error.value.error_dict["officer"][0].messages)
    assert Nominal.objects.get(pk=level_two.nominal_id).offender_manager is None


def test_an_override_over_capacity_is_refused_naming_it(world, batch_of_two):
    _, _, plain, _, spare = batch_of_two
    AreaSettings.objects.create(area=world.home["mappa"], ratio_cases_per_officer=2)
    add_nominal(world, om=spare)
    add_nominal(world, om=spare)
    with pytest.raises(ValidationError, match="over capacity"):
        service.override(ctx_for(world.users.supervisor), plain, spare, REASON, expected_version=1)


def test_an_override_to_an_officer_outside_the_team_is_refused(world, batch_of_two):
    _, _, plain, _, _ = batch_of_two
    with pytest.raises(ValidationError, match="right area or team"):
        service.override(ctx_for(world.users.supervisor), plain, world.users.om2, REASON, expected_version=1)


def test_accept_all_decides_the_batch_and_moves_nothing_else(world, batch_of_two):
    batch, level_two, plain, _, _ = batch_of_two
    outside = dict(
        Nominal.objects.exclude(pk__in=[level_two.nominal_id, plain.nominal_id]).values_list("pk", "version")
    )
    done = service.accept_all(ctx_for(world.users.supervisor), batch, expected_version=batch.version)
    assert len(done.accepted) == 2 and done.refused == []
    batch.refresh_from_db()
    assert batch.status == AllocationBatch.Status.DECIDED
    for rec in (level_two, plain):
        rec.refresh_from_db()
        assert Nominal.objects.get(pk=rec.nominal_id).offender_manager_id == rec.recommended_officer_id
    assert dict(Nominal.objects.filter(pk__in=outside).values_list("pk", "version")) == outside


def test_accept_all_with_a_stale_batch_version_is_refused(world, batch_of_two):
    batch, level_two, _, _, _ = batch_of_two
    service.accept(ctx_for(world.users.supervisor), level_two, expected_version=1)
    with pytest.raises(VersionConflict):
        service.accept_all(ctx_for(world.users.supervisor), batch, expected_version=1)


def test_accept_all_lists_what_the_rules_now_refuse(world, batch_of_two):
    batch, level_two, plain, trained, _ = batch_of_two
    # The trained officer's MOSOVO is withdrawn after the batch: the Level 2 recommendation breaks a rule now.
    trained.completions.all().delete()
    done = service.accept_all(ctx_for(world.users.supervisor), batch, expected_version=batch.version)
    assert [r.pk for r in done.accepted] == [plain.pk]
    assert [r.pk for r, _ in done.refused] == [level_two.pk]
    assert "not trained" in " ".join(done.refused[0][1])
    assert Nominal.objects.get(pk=level_two.nominal_id).offender_manager is None


def test_another_teams_supervisor_may_not_decide(world, batch_of_two):
    _, _, plain, _, _ = batch_of_two
    other = f.staff("supervisor2", world.police, ["supervisor"], team_=world.users.om2.team)
    with pytest.raises(AccessRefused):
        service.accept(ctx_for(other), plain, expected_version=1)
    assert Nominal.objects.get(pk=plain.nominal_id).offender_manager is None


def test_accept_all_refuses_what_would_now_go_over_capacity(world):
    AreaSettings.objects.create(area=world.home["mappa"], ratio_cases_per_officer=3)
    only = add_officer(world, "only", trained=True)
    world.users.om.is_active = False  # the team's other offender manager leaves
    world.users.om.save()
    add_nominal(world, rosh="low")
    add_nominal(world, rosh="low")
    batch = service.start_batch(ctx_for(world.users.supervisor), team_request(world))
    assert {r.recommended_officer for r in batch.recommendations.all()} == {only}
    add_nominal(world, om=only, rosh="low")  # allocated by hand meanwhile: room for one of the two now
    add_nominal(world, om=only, rosh="low")
    done = service.accept_all(ctx_for(world.users.supervisor), batch, expected_version=batch.version)
    assert len(done.accepted) == 1 and len(done.refused) == 1
    assert "over capacity" in " ".join(done.refused[0][1])
    assert Nominal.objects.filter(offender_manager=only).count() == 3
