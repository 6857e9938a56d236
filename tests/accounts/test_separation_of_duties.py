"""No administrator grants itself a role; a role that reaches case records needs a second administrator;
every change of role is in the audit store with its before and after."""

import re

import pytest
from django.contrib.admin.widgets import AdminSplitDateTime
from django.forms import CheckboxInput

from safeguard.access import gate
from safeguard.accounts import services
from safeguard.accounts.models import RoleChange
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.workforce.models import Role, Staff

ADD = "/admin/accounts/rolechange/add/"
CHANGES = "/admin/accounts/rolechange/"


def _events(staff, **filters):
    return AuditEvent.objects.filter(record_type="workforce.staff", record_id=staff.pk, **filters).order_by("id")


def _ask(client, staff, role, kind="grant"):
    return client.post(ADD, {"staff": staff.pk, "kind": kind, "role": role, "reason": "New post in the MAPPA unit"})


def _decide(client, change, action):
    return client.post(CHANGES, {"action": action, "_selected_action": [change.pk], "index": 0}, follow=True)


def _change_form_data(client, staff) -> dict:
    """What the admin's change form of `staff` would post back unchanged."""
    form = client.get(f"/admin/workforce/staff/{staff.pk}/change/").context["adminform"].form
    data = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        widget = bound.widget
        if isinstance(widget, AdminSplitDateTime):
            if value:
                data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.time().isoformat()
        elif isinstance(widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


# In /admin/ -----------------------------------------------------------------------------------------


def test_the_staff_admin_cannot_change_roles_not_even_its_own(world, admin_client):
    admin = world.users.admin
    data = _change_form_data(admin_client, admin)
    data["roles"] = [Role.ADMINISTRATOR, Role.MAPPA_COORDINATOR]
    response = admin_client.post(f"/admin/workforce/staff/{admin.pk}/change/", data)
    assert response.status_code == 302  # the form saves: roles are not one of its fields
    admin.refresh_from_db()
    assert admin.roles == [Role.ADMINISTRATOR]
    assert not gate.decide(admin, Operation.VIEW, world.nominals.mine)


def test_an_administrator_cannot_grant_itself_a_role(world, admin_client):
    admin = world.users.admin
    page = _ask(admin_client, admin, Role.MAPPA_COORDINATOR).content.decode()
    assert "You cannot change your own roles" in page
    admin.refresh_from_db()
    assert admin.roles == [Role.ADMINISTRATOR]
    assert not RoleChange.objects.exists()
    refused = _events(admin, outcome=Outcome.REFUSED).get()
    assert refused.operation == Operation.CHANGE and refused.actor_id == admin.pk
    assert refused.reason == "role grant" and refused.detail["role"] == Role.MAPPA_COORDINATOR


def test_a_case_role_waits_for_a_second_administrator(world, admin_client, admin2_client, admin2):
    staff = world.users.norole
    response = _ask(admin_client, staff, Role.MAPPA_COORDINATOR)
    assert response.status_code == 302
    change = RoleChange.objects.get()
    assert change.state == RoleChange.State.PENDING
    staff.refresh_from_db()
    assert staff.roles == []  # no effect until approved
    assert not gate.decide(staff, Operation.VIEW, world.nominals.mine)

    page = _decide(admin_client, change, "approve").content.decode()
    assert "a different administrator must approve it" in page
    change.refresh_from_db()
    assert change.state == RoleChange.State.PENDING

    page = _decide(admin2_client, change, "approve").content.decode()
    assert "approved" in page
    change.refresh_from_db()
    staff.refresh_from_db()
    assert change.state == RoleChange.State.IN_EFFECT and change.decided_by == admin2
    assert staff.roles == [Role.MAPPA_COORDINATOR]
    assert gate.decide(staff, Operation.VIEW, world.nominals.mine)

    requested, refused, approved = _events(staff)
    assert (requested.reason, requested.outcome) == ("role grant requested", Outcome.ALLOWED)
    assert requested.detail["before"] == requested.detail["after"] == []
    assert (refused.reason, refused.outcome, refused.actor_id) == (
        "role grant approval",
        Outcome.REFUSED,
        world.users.admin.pk,
    )
    assert (approved.reason, approved.actor_id) == ("role grant approved", admin2.pk)
    assert approved.detail["before"] == [] and approved.detail["after"] == [Role.MAPPA_COORDINATOR]


def test_a_refused_grant_has_no_effect_and_is_audited(world, admin_client, admin2_client):
    staff = world.users.norole
    _ask(admin_client, staff, Role.OFFENDER_MANAGER)
    change = RoleChange.objects.get()
    _decide(admin2_client, change, "refuse")
    change.refresh_from_db()
    staff.refresh_from_db()
    assert change.state == RoleChange.State.REFUSED and staff.roles == []
    assert _events(staff, reason="role grant refused").get().detail["after"] == []
    _decide(admin2_client, change, "approve")  # decided already
    staff.refresh_from_db()
    assert staff.roles == []


def test_the_analyst_role_is_granted_by_one_administrator(world, admin_client):
    staff = world.users.norole
    _ask(admin_client, staff, Role.ANALYST)
    staff.refresh_from_db()
    assert staff.roles == [Role.ANALYST] and not staff.is_staff
    event = _events(staff, reason="role granted").get()
    assert event.detail["before"] == [] and event.detail["after"] == [Role.ANALYST]


def test_the_administrator_role_waits_for_a_second_administrator_too(world, admin_client, admin2_client):
    """Else one administrator could make two administrators of its own to ask for and approve its case roles."""
    staff = world.users.norole
    _ask(admin_client, staff, Role.ADMINISTRATOR)
    staff.refresh_from_db()
    assert staff.roles == [] and not staff.is_staff
    _decide(admin2_client, RoleChange.objects.get(), "approve")
    staff.refresh_from_db()
    assert staff.roles == [Role.ADMINISTRATOR] and staff.is_staff and staff.is_superuser


@pytest.mark.parametrize(
    "role",
    [
        Role.OFFENDER_MANAGER,
        Role.MAPPA_COORDINATOR,
        Role.MARAC_COORDINATOR,
        Role.IDVA,
        Role.CHAIR,
        Role.SUPERVISOR,
        Role.PARTNER,
        Role.ADMINISTRATOR,
    ],
)
def test_every_role_but_analyst_waits_for_approval(world, role):
    ctx = gate.AccessContext(user=world.users.admin, purpose="offender_management")
    change = services.request_role_change(ctx, world.users.norole, RoleChange.Kind.GRANT, role, "test")
    assert change.state == RoleChange.State.PENDING
    assert Staff.objects.get(pk=world.users.norole.pk).roles == []


def test_a_removal_takes_effect_at_once_and_is_audited(world, admin_client):
    om = world.users.om
    _ask(admin_client, om, Role.OFFENDER_MANAGER, kind="removal")
    om.refresh_from_db()
    assert om.roles == []
    event = _events(om, reason="role removed").get()
    assert event.detail["before"] == [Role.OFFENDER_MANAGER] and event.detail["after"] == []


def test_nobody_approves_a_role_for_themselves(world, admin_client, admin2, admin2_client):
    _ask(admin_client, admin2, Role.MAPPA_COORDINATOR)
    change = RoleChange.objects.get()
    page = _decide(admin2_client, change, "approve").content.decode()
    assert "You cannot approve a role for yourself" in page
    admin2.refresh_from_db()
    assert admin2.roles == [Role.ADMINISTRATOR]


def test_only_an_administrator_changes_roles_on_any_path(world):
    ctx = gate.AccessContext(user=world.users.supervisor, purpose="supervision")
    with pytest.raises(services.AccountError):
        services.request_role_change(ctx, world.users.om, RoleChange.Kind.GRANT, Role.CHAIR, "test")
    assert _events(world.users.om, outcome=Outcome.REFUSED).exists()


def test_the_service_refuses_a_self_grant_too(world):
    admin = world.users.admin
    ctx = gate.AccessContext(user=admin, purpose="offender_management")
    with pytest.raises(services.AccountError, match="your own roles"):
        services.request_role_change(ctx, admin, RoleChange.Kind.GRANT, Role.CHAIR, "test")


def test_changes_of_role_are_for_administrators_only_and_never_edited(world, admin_client, sign_in):
    assert admin_client.get(CHANGES).status_code == 200
    assert sign_in(world.users.supervisor).get(CHANGES).status_code == 302  # not staff: to the admin sign-in
    _ask(admin_client, world.users.norole, Role.CHAIR)
    change = RoleChange.objects.get()
    page = admin_client.get(f"{CHANGES}{change.pk}/change/").content.decode()
    assert 'name="role"' not in page  # read-only
    assert admin_client.post(f"{CHANGES}{change.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RoleChange.objects.filter(pk=change.pk).exists()


def test_the_pending_grant_is_listed(world, admin_client):
    _ask(admin_client, world.users.norole, Role.CHAIR)
    page = admin_client.get(CHANGES).content.decode()
    assert re.search(r"Waiting for a second administrator", page)
