"""A viewer's stand-in is read by every rule as the member of staff it stands for (access.viewer).

For every registered kind of record, every member of staff of the test world and every operation, the gate's
scope for the stand-in is the same SQL with the same parameters as for the real member of staff; building it
reads nothing from the database; and members of staff Hypothesis varies (agency, roles, team) agree as well.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.access import gate, policy, registry, viewer
from safeguard.audit.models import Operation
from safeguard.workforce.models import Agency, Role, Staff, Team
from tests.access import test_registry
from tests.access.test_registry import ALL_USERS

# The registry test's world, with a record of every registered kind, built once for the class.
class_full_world = test_registry.class_full_world
full_world = test_registry.full_world


def _sql(queryset):
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except Exception as empty:  # EmptyResultSet: a scope that is nobody, for both or neither
        return type(empty).__name__, ()
    return sql, tuple((type(p), p) for p in params)


def differences(user) -> list:
    """Every (kind, operation) whose scope for the stand-in differs from the scope for ``user``."""
    found = viewer.facts(user)
    assert found is not None
    key, arguments = found
    differing = []
    for model in registry.registered():
        for operation in Operation:
            with policy.remembering():
                real = _sql(gate.scoped(user, model._default_manager.all(), operation))
            with viewer.standing_in(key, **arguments) as stand_in:
                standing = _sql(gate.scoped(stand_in, model._default_manager.all(), operation))
            if real != standing:
                differing.append((model._meta.label_lower, operation, real, standing))
    return differing


class TestStandIn:
    @pytest.mark.parametrize("who", ALL_USERS)
    def test_every_scope_of_the_stand_in_is_the_users_own(self, full_world, who):
        user = getattr(full_world.users, who)
        if viewer.facts(user) is None:
            assert user.agency_id is None or user.mappa_area_id is None
            return
        assert differences(user) == []

    def test_building_the_stand_ins_scopes_reads_nothing(self, full_world):
        key, arguments = viewer.facts(full_world.users.coordinator)
        with CaptureQueriesContext(connection) as captured, viewer.standing_in(key, **arguments) as stand_in:
            for model in registry.registered():
                for operation in Operation:
                    _sql(gate.scoped(stand_in, model._default_manager.all(), operation))
        assert captured.captured_queries == []

    def test_the_key_holds_what_changes_the_sql_and_the_arguments_the_rest(self, full_world):
        om = full_world.users.om
        key, arguments = viewer.facts(om)
        assert key == (tuple(om.roles), True, om.agency.kind, om.team_id is None)
        assert arguments["viewer"] == om.pk and arguments["agency"] == om.agency_id
        assert arguments["area"] == om.mappa_area_id
        assert arguments["local_areas"] == policy.local_area_ids(om)

    def test_no_agency_no_facts(self, full_world):
        assert viewer.facts(Staff(username="nobody", roles=[Role.OFFENDER_MANAGER])) is None

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        agency=st.sampled_from(["police", "probation", "housing", "idva_service"]),
        roles=st.lists(st.sampled_from(list(Role.values)), max_size=3, unique=True),
        team=st.booleans(),
        active=st.booleans(),
    )
    def test_generated_staff_agree(self, full_world, agency, roles, team, active):
        with transaction.atomic():
            chosen = getattr(full_world, agency)
            user = Staff.objects.create(
                username="generated-viewer",
                agency=chosen,
                roles=roles,
                team=Team.objects.filter(agency=chosen).first() if team else None,
                is_active=active,
            )
            user = Staff.objects.select_related("agency__area").get(pk=user.pk)
            found = differences(user)
            transaction.set_rollback(True)
        assert found == []


def test_an_agency_kind_the_rules_read_is_kept(full_world):
    """The agency's kind decides a Responsible Authority: a stand-in of a housing officer is no police officer."""
    housing = Staff(username="h", agency=full_world.housing, roles=[Role.MAPPA_COORDINATOR])
    key, arguments = viewer.facts(housing)
    with viewer.standing_in(key, **arguments) as stand_in:
        assert not policy.in_responsible_authority(stand_in)
        assert stand_in.agency.kind == Agency.objects.get(pk=full_world.housing.pk).kind
