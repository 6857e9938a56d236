"""The one change path: lock, authorise, check the version, let the use case change the record, audit."""

from __future__ import annotations

import pytest

from safeguard.access import gate
from safeguard.access.errors import VersionConflict
from safeguard.audit.models import AuditEvent
from safeguard.offenders.models import Nominal


def ctx(user):
    return gate.AccessContext(user, "offender_management")


def test_a_change_is_saved_one_version_on_and_audited_once(world):
    nominal = world.nominals.mine
    with gate.changing(ctx(world.users.om), Nominal, nominal.pk, nominal.version, detail={"why": "test"}) as change:
        change.record.rosh = "very_high"
        change.detail["more"] = 1
        change.save(reason="Escalating")
    fresh = Nominal.objects.get(pk=nominal.pk)
    assert (fresh.rosh, fresh.version) == ("very_high", nominal.version + 1)
    event = AuditEvent.objects.get(record_type="offenders.nominal", record_id=nominal.pk, operation="change")
    assert (event.outcome, event.actor_username, event.detail) == ("allowed", "om", {"why": "test", "more": 1})


def test_a_stale_version_is_a_conflict_and_nothing_changes(world):
    nominal = world.nominals.mine
    with pytest.raises(VersionConflict), gate.changing(ctx(world.users.om), Nominal, nominal.pk, nominal.version - 1):
        pytest.fail("the body must not run on a stale version")
    assert Nominal.objects.get(pk=nominal.pk).version == nominal.version
    assert not AuditEvent.objects.filter(record_type="offenders.nominal", outcome="allowed").exists()


def test_a_refusal_comes_before_the_version_and_is_audited(world):
    nominal = world.nominals.mine
    with pytest.raises(gate.AccessRefused) as refused, gate.changing(ctx(world.users.partner), Nominal, nominal.pk, 0):
        pytest.fail("the body must not run when refused")
    gate.record_refusal(refused.value)  # as the middleware does once the request's transaction has rolled back
    assert AuditEvent.objects.filter(actor_username="partner", outcome="refused", record_id=nominal.pk).count() == 1


def test_an_error_in_the_use_case_leaves_nothing_behind(world):
    nominal = world.nominals.mine
    with pytest.raises(ValueError), gate.changing(ctx(world.users.om), Nominal, nominal.pk) as change:
        change.record.rosh = "very_high"
        change.save()
        raise ValueError("a rule error after the save")
    assert Nominal.objects.get(pk=nominal.pk).rosh == nominal.rosh
    assert not AuditEvent.objects.filter(record_type="offenders.nominal").exists()


def test_a_change_decided_on_another_record_audits_the_record_locked(world):
    nominal = world.nominals.mine
    with gate.changing(ctx(world.users.om), Nominal, nominal.pk, on=lambda locked: locked.person) as change:
        assert change.decided == world.people.offender and change.record.pk == nominal.pk
    event = AuditEvent.objects.get(record_type="offenders.nominal", record_id=nominal.pk, operation="change")
    assert event.reason == gate.decide(world.users.om, "change", world.people.offender).reason
    elsewhere = gate.changing(ctx(world.users.om), Nominal, nominal.pk, on=lambda locked: world.people.away)
    with pytest.raises(gate.AccessRefused) as refused, elsewhere:
        pytest.fail("the body must not run when the record decided on is refused")
    assert (refused.value.record_type, refused.value.record_id) == ("people.person", world.people.away.pk)


def test_the_version_checked_may_be_a_related_records(world):
    nominal, person = world.nominals.mine, world.people.offender
    stale = gate.changing(
        ctx(world.users.om), Nominal, nominal.pk, person.version - 1, related=("person",), versioned="person"
    )
    with pytest.raises(VersionConflict), stale:
        pytest.fail("the body must not run on a stale version of the related record")
    with gate.changing(
        ctx(world.users.om), Nominal, nominal.pk, person.version, related=("person",), versioned="person"
    ) as change:
        assert change.record.person.version == person.version


def test_a_row_held_still_is_neither_decided_nor_audited(world):
    held = gate.locked(Nominal, world.nominals.mine.pk, related=("person",))
    assert held.person == world.people.offender
    assert not AuditEvent.objects.exists()
