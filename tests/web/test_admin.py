from safeguard.access import gate
from safeguard.audit.models import Operation


def test_administrator_manages_reference_data(world, sign_in):
    client = sign_in(world.users.admin)
    assert client.get("/admin/workforce/agency/").status_code == 200
    assert client.get("/admin/events/offence/").status_code == 200


def test_administrator_is_not_let_through_the_gate(world):
    assert not gate.decide(world.users.admin, Operation.VIEW, world.people.offender)


def test_admin_needs_the_second_factor(world, client):
    client.force_login(world.users.admin)
    assert client.get("/admin/workforce/agency/").status_code == 302


def test_admin_holds_no_personal_records(world, sign_in):
    client = sign_in(world.users.admin)
    assert client.get("/admin/people/person/").status_code == 404
    assert client.get("/admin/offenders/nominal/").status_code == 404
    assert client.get("/admin/audit/auditevent/").status_code == 404


def test_non_staff_cannot_use_the_admin(world, sign_in):
    assert sign_in(world.users.om).get("/admin/workforce/agency/").status_code == 302
