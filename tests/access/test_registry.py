"""The registry's promise: for every record kind, a list and a page never disagree.

For every registered kind, every member of staff of the test world and every operation, a record is in the
policy's scope exactly when its one-record rule allows it; over the fixed world, and over members of staff
and records that Hypothesis varies. A model holding personal or case data without a policy fails here, as
a URL without a role case fails the URL matrix.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.access import gate, registry
from safeguard.actions.models import Action, Prompt
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum, ForumCase, Meeting, SharedInformation
from safeguard.offenders.models import Nominal
from safeguard.workforce.models import Agency, Role, Staff, Team
from tests.access import registry_world
from tests.access.test_policy import USERS

ALL_USERS = [*USERS, *registry_world.EXTRA_USERS]

# Models that hold no personal or case data: reference data, the audit store itself, the task queue.
NOT_PERSONAL = {
    "workforce.area": "reference data",
    "workforce.agency": "reference data",
    "workforce.team": "reference data",
    "workforce.areasettings": "an area's settings",
    "workforce.course": "the training catalogue",
    "pathways.programme": "the catalogue of interventions and programmes",
    "pathways.pathwaysettings": "an area's release offsets, outcome follow-up and IOM selection threshold",
    "events.offence": "the offence catalogue",
    "assessments.instrumentversion": "instrument definitions",
    "audit.auditevent": "the audit store, written only by the gate",
    "audit.auditseal": "the audit store's seals over its events (hashes, no personal data)",
    "oversight.oversightsettings": "an area's settings for its published figures (threshold, population)",
    "oversight.maracsettings": "a MARAC's population of women aged 16 and over, for its published rate",
    "oversight.localareasettings": "a local area's women aged 16 and over and IDVA posts, for the capacity guides",
    "oidc.providermfadevice": "a sign-in factor (a django-otp device), never shown as a record",
}


def safeguard_models():
    for model in apps.get_models():
        if model.__module__.startswith("safeguard."):
            yield model


def test_every_model_holding_personal_or_case_data_has_a_policy():
    registered = registry.registered()
    missing = []
    for model in safeguard_models():
        label = model._meta.label_lower
        history_of = getattr(model, "instance_type", None)  # django-simple-history's versions of a record
        if history_of is not None:
            if history_of not in registered and history_of._meta.label_lower not in NOT_PERSONAL:
                missing.append(f"{label} (versions of an unregistered kind)")
        elif model not in registered and label not in NOT_PERSONAL:
            missing.append(label)
    assert not missing, f"models without an access policy: {missing}"


def test_a_kind_without_a_policy_is_refused_and_lists_nothing(world):
    assert not gate.decide(world.users.coordinator, Operation.VIEW, world.police)
    assert not gate.scoped(world.users.coordinator, Agency.objects.all()).exists()


def records_of(model):
    return list(model._default_manager.all())


def disagreements(user, who: str, kinds=None, operations=tuple(Operation)) -> list:
    found = []
    for model, policy in (kinds or registry.registered()).items():
        records = records_of(model)
        for operation in operations:
            in_scope = set(gate.scoped(user, model._default_manager.all(), operation).values_list("pk", flat=True))
            for record in records:
                allowed = gate.decide(user, operation, record).allowed
                if (record.pk in in_scope) != allowed:
                    found.append((who, model._meta.label_lower, operation, record.pk, "page" if allowed else "list"))
    return found


@pytest.fixture(scope="class")
def class_full_world(class_world, django_db_blocker):
    """The class's world with a record of every registered kind (``registry_world``), built once."""
    with django_db_blocker.unblock():
        registry_world.build(class_world)
    return class_world


@pytest.fixture
def full_world(class_full_world, shared_world):
    """The tests here only read the fixed world (a generated one is rolled back): one for the class."""
    return shared_world


# Generated worlds: a member of staff of any agency, roles, team and coordinated forums, over the fixed world
# changed in ways that move the rules (a case closed, an action handed to another agency, an item restricted,
# the user made a meeting's chair, a nominal's offender manager or given a prompt).


@st.composite
def staff_and_changes(draw):
    return {
        "agency": draw(st.sampled_from(["police", "probation", "housing", "idva_service", "away", None])),
        "roles": draw(st.lists(st.sampled_from(list(Role.values)), max_size=3, unique=True)),
        "team": draw(st.sampled_from([None, "om", "om2"])),
        "coordinates": draw(st.lists(st.integers(0, 9), max_size=2, unique=True)),
        "close_case": draw(st.one_of(st.none(), st.integers(0, 9))),
        "action_to_agency": draw(st.one_of(st.none(), st.integers(0, 9))),
        "restrict_shared": draw(st.booleans()),
        "chairs_meeting": draw(st.one_of(st.none(), st.integers(0, 9))),
        "manages_nominal": draw(st.one_of(st.none(), st.integers(0, 2))),
        "assigned_prompt": draw(st.booleans()),
        "operation": draw(st.sampled_from(list(Operation))),
    }


def _pick(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows and index is not None else None


def make_staff_and_changes(world, spec, n: int) -> Staff:
    agencies = {
        "police": world.police,
        "probation": world.probation,
        "housing": world.housing,
        "idva_service": world.idva_service,
        "away": Agency.objects.exclude(area__in=[world.home["mappa"], *world.home["local"]]).first(),
        None: None,
    }
    team = Team.objects.get(pk=getattr(world.users, spec["team"]).team_id) if spec["team"] else None
    user = Staff.objects.create(
        username=f"generated{n}", agency=agencies[spec["agency"]], roles=spec["roles"], team=team
    )
    user.coordinated_forums.set([f for i in spec["coordinates"] if (f := _pick(Forum.objects.all(), i))])
    if (case := _pick(ForumCase.objects.all(), spec["close_case"])) is not None:
        ForumCase.objects.filter(pk=case.pk).update(closed_on=case.opened_on)
    if (action := _pick(Action.objects.all(), spec["action_to_agency"])) is not None and user.agency_id:
        Action.objects.filter(pk=action.pk).update(owner_agency=user.agency, owner=None)
    if spec["restrict_shared"] and user.agency_id:
        for shared in SharedInformation.objects.all()[:1]:
            shared.restricted_from.add(user.agency)
    if (meeting := _pick(Meeting.objects.all(), spec["chairs_meeting"])) is not None:
        Meeting.objects.filter(pk=meeting.pk).update(chair=user)
    if (nominal := _pick(Nominal.objects.all(), spec["manages_nominal"])) is not None:
        Nominal.objects.filter(pk=nominal.pk).update(offender_manager=user)
    if spec["assigned_prompt"]:
        Prompt.objects.filter(pk=Prompt.objects.order_by("pk").values("pk")[:1]).update(assigned_to=user)
    return Staff.objects.get(pk=user.pk)


class RolledBack(Exception):
    pass


class TestFixedWorld:
    """Every test reads one world, with a record of every registered kind, built for the class; each generated
    example changes it in its own transaction, rolled back after it."""

    def test_the_fixed_world_holds_a_record_of_every_registered_kind(self, full_world):
        empty = [m._meta.label_lower for m in registry.registered() if not m._default_manager.exists()]
        assert not empty

    @pytest.mark.parametrize("who", ALL_USERS)
    def test_scope_agrees_with_the_one_record_rule_for_every_kind(self, full_world, who):
        assert disagreements(getattr(full_world.users, who), who) == []

    def test_minutes_scope_agrees_with_the_minutes_rule(self, full_world):
        policy = registry.policy_for(Meeting)
        for who in ALL_USERS:
            user = getattr(full_world.users, who)
            in_scope = set(Meeting.objects.filter(policy.minutes(user)).values_list("pk", flat=True))
            for meeting in Meeting.objects.all():
                assert (meeting.pk in in_scope) == policy.may_read_minutes(user, meeting).allowed, (who, meeting.pk)

    def test_the_housing_mappa_coordinator_neither_lists_nor_opens_a_mappa_action(self, full_world):
        user = full_world.users.housing_coordinator
        mappa_actions = Action.objects.filter(forum__kind__in=["mappa_l2", "mappa_l3"])
        assert mappa_actions.exists()
        assert not gate.scoped(user, mappa_actions).exists()
        assert not any(gate.decide(user, Operation.VIEW, a) for a in mappa_actions)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(spec=staff_and_changes())
    def test_scope_agrees_with_the_one_record_rule_in_generated_worlds(self, full_world, spec):
        counter = getattr(full_world, "generated", 0) + 1
        full_world.generated = counter
        try:
            with transaction.atomic():
                user = make_staff_and_changes(full_world, spec, counter)
                found = disagreements(user, f"{spec}", operations=(spec["operation"],))
                raise RolledBack(found)
        except RolledBack as done:
            assert done.args[0] == []
