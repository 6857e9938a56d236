"""The gate's one-record answers and its many-record scopes never disagree."""

import pytest

from safeguard.access import gate
from safeguard.audit.models import AuditEvent, Operation
from safeguard.events.models import Incident
from safeguard.offenders.models import Nominal
from safeguard.people.models import Person
from tests.helpers import EVERY_USER

USERS = EVERY_USER


@pytest.fixture
def world(shared_world):
    """The tests here only read the world (what one changes, its own transaction rolls back): one world for
    the class."""
    return shared_world


class TestOneRecordRuleAndScope:
    """Every test reads one world built for the class."""

    @pytest.mark.parametrize("who", USERS)
    def test_person_scope_agrees_with_person_predicate(self, world, who):
        user = getattr(world.users, who)
        in_scope = set(gate.scoped(user, Person.objects.all()).values_list("pk", flat=True))
        for person in Person.objects.all():
            assert (person.pk in in_scope) == gate.decide(user, Operation.VIEW, person).allowed, (who, person)

    @pytest.mark.parametrize("who", USERS)
    def test_nominal_scope_agrees_with_nominal_predicate(self, world, who):
        user = getattr(world.users, who)
        in_scope = set(gate.scoped(user, Nominal.objects.all()).values_list("pk", flat=True))
        for nominal in Nominal.objects.all():
            assert (nominal.pk in in_scope) == gate.decide(user, Operation.VIEW, nominal).allowed, (who, nominal)

    def test_incident_scope_agrees_with_incident_predicate(self, world):
        import datetime as dt

        from django.utils import timezone

        from safeguard.events.models import IncidentPerson

        incident = Incident.objects.create(
            reference="INC-1",
            occurred_at=timezone.now() - dt.timedelta(days=1),
            local_area=world.home["local"][0],
            domestic_abuse=True,
            recorded_by=world.police,
        )
        IncidentPerson.objects.create(incident=incident, person=world.people.victim, role="victim")
        for who in USERS:
            user = getattr(world.users, who)
            in_scope = set(gate.scoped(user, Incident.objects.all()).values_list("pk", flat=True))
            assert (incident.pk in in_scope) == gate.decide(user, Operation.VIEW, incident).allowed, who

    def test_analysts_and_administrators_see_no_named_record(self, world):
        for who in ("analyst", "admin", "norole"):
            user = getattr(world.users, who)
            assert not gate.scoped(user, Person.objects.all()).exists()
            assert not gate.scoped(user, Nominal.objects.all()).exists()

    def test_only_allocation_coordinator_or_team_supervisor_may_change_a_nominal(self, world):
        nominal = world.nominals.mine
        allowed = {who for who in USERS if gate.decide(getattr(world.users, who), Operation.CHANGE, nominal)}
        assert allowed == {"om", "coordinator", "supervisor"}

    def test_partner_sees_the_victim_on_its_forum_only_while_the_case_is_open(self, world):
        import datetime as dt

        partner = world.users.partner
        assert gate.decide(partner, Operation.VIEW, world.people.victim)
        assert not gate.decide(partner, Operation.CHANGE, world.people.victim)
        assert not gate.decide(partner, Operation.VIEW, world.people.offender)
        world.marac.cases.update(closed_on=dt.date.today())
        assert not gate.decide(partner, Operation.VIEW, world.people.victim)

    def test_a_refusal_is_audited_once(self, world):
        ctx = gate.AccessContext(world.users.away_om, "offender_management")
        with pytest.raises(gate.AccessRefused) as refused:
            gate.authorise(ctx, Operation.VIEW, world.people.offender)
        gate.record_refusal(refused.value)
        gate.record_refusal(refused.value)
        event = AuditEvent.objects.get(actor_id=world.users.away_om.pk, outcome="refused")
        assert (event.record_type, event.record_id) == ("people.person", world.people.offender.pk)
        assert event.reason == "no need to know"

    def test_unknown_record_kinds_are_refused(self, world):
        assert not gate.decide(world.users.coordinator, Operation.VIEW, world.police)
