"""Staff records (training, competence, caseload figures): the one-record rule and the scope agree for every role."""

import pytest

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.demo import factories as f
from safeguard.workforce.models import Role, Staff
from tests.access.test_policy import USERS


@pytest.fixture(scope="class")
def class_staff_world(class_world, django_db_blocker):
    """The class's world with two chairs more: one of the home area's police, one of the other area."""
    with django_db_blocker.unblock():
        f.staff("chair_ci", class_world.police, [Role.CHAIR], rank="Chief Inspector")
        f.staff("away_chair", f.agency(class_world.away["mappa"], "probation", "Otherland Probation"), [Role.CHAIR])
    return class_world


@pytest.fixture
def staff_world(class_staff_world, shared_world):
    """The tests here only read the world: one for the class."""
    return shared_world


class TestStaffScope:
    """Every test reads one world built for the class."""

    @pytest.mark.parametrize("who", USERS)
    def test_staff_scope_agrees_with_staff_predicate(self, staff_world, who):
        user = getattr(staff_world.users, who)
        in_scope = set(gate.scoped(user, Staff.objects.all()).values_list("pk", flat=True))
        for other in Staff.objects.all():
            assert (other.pk in in_scope) == gate.decide(user, Operation.VIEW, other).allowed, (who, other.username)

    def test_the_marac_coordinator_sees_the_areas_chairs_only(self, staff_world):
        marac = staff_world.users.marac
        assert gate.decide(marac, Operation.VIEW, Staff.objects.get(username="chair_ci")).allowed
        assert not gate.decide(marac, Operation.VIEW, Staff.objects.get(username="away_chair")).allowed
        assert not gate.decide(marac, Operation.VIEW, staff_world.users.om).allowed
        assert not gate.decide(marac, Operation.CHANGE, Staff.objects.get(username="chair_ci")).allowed
