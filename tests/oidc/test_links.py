"""Administrators link organisation accounts to staff; every link and removal is audited with before and after."""

import json
import time

from django_otp import DEVICE_ID_SESSION_KEY

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.oidc.models import LinkedIdentity
from safeguard.oidc.services import provider_device

ISS = "https://idp.example/tenant/v2.0"


def _subject(sub: str) -> str:
    return json.dumps({"iss": ISS, "sub": sub}, sort_keys=True, separators=(",", ":"))


def _post_link(client, username, sub):
    return client.post("/oidc/links/", {"username": username, "iss": ISS, "sub": sub})


def test_an_administrator_links_an_account_and_it_is_audited(world, sign_in):
    client = sign_in(world.users.admin)
    response = _post_link(client, "om", "subject-of-olivia")
    assert response.status_code == 302
    link = LinkedIdentity.objects.get(staff=world.users.om)
    assert link.subject == _subject("subject-of-olivia") and link.linked_by_username == "admin"
    event = AuditEvent.objects.get(
        record_type="oidc.linkedidentity", record_id=link.pk, operation=Operation.CREATE, outcome=Outcome.ALLOWED
    )
    assert event.actor_id == world.users.admin.pk
    assert event.detail["staff"] == "om"
    assert event.detail["subject"] == {"before": None, "after": _subject("subject-of-olivia")}
    page = client.get("/oidc/links/").content.decode()
    assert "subject-of-olivia" in page and "Linked organisation accounts" in page


def test_relinking_records_the_subject_before_and_after_and_drops_the_providers_device(world, sign_in):
    client = sign_in(world.users.admin)
    _post_link(client, "om", "old-subject")
    device = provider_device(world.users.om)
    _post_link(client, "om", "new-subject")
    link = LinkedIdentity.objects.get(staff=world.users.om)
    assert link.subject == _subject("new-subject")
    event = AuditEvent.objects.filter(record_type="oidc.linkedidentity", operation=Operation.CHANGE).get()
    assert event.detail["subject"] == {"before": _subject("old-subject"), "after": _subject("new-subject")}
    assert not type(device).objects.filter(pk=device.pk).exists()


def test_one_organisation_account_cannot_be_linked_to_two_members_of_staff(world, sign_in):
    client = sign_in(world.users.admin)
    _post_link(client, "om", "shared")
    page = _post_link(client, "om2", "shared").content.decode()
    assert "This organisation account is already linked to om." in page
    assert not LinkedIdentity.objects.filter(staff=world.users.om2).exists()


def test_the_form_explains_bad_input(world, sign_in):
    client = sign_in(world.users.admin)
    page = client.post("/oidc/links/", {"username": "nobody", "iss": "", "sub": ""}).content.decode()
    assert "There is no member of staff with this username." in page
    assert "Enter the value of the sub claim" in page and "Enter the value of the iss claim" in page
    assert not LinkedIdentity.objects.exists()


def test_removing_a_link_signs_out_sessions_verified_by_the_provider(world, sign_in):
    admin = sign_in(world.users.admin)
    _post_link(admin, "om", "to-be-removed")
    link = LinkedIdentity.objects.get(staff=world.users.om)
    # Olivia's own session, verified by the provider's MFA.
    from django.test import Client

    olivia = Client()
    olivia.force_login(world.users.om)
    session = olivia.session
    session[DEVICE_ID_SESSION_KEY] = provider_device(world.users.om).persistent_id
    session["signed_in_at"] = time.time()
    session.save()
    assert olivia.get("/").status_code == 200
    assert admin.post(f"/oidc/links/{link.pk}/remove/").status_code == 302
    assert not LinkedIdentity.objects.exists()
    event = AuditEvent.objects.get(record_type="oidc.linkedidentity", record_id=link.pk, operation=Operation.CHANGE)
    assert event.detail["subject"] == {"before": _subject("to-be-removed"), "after": None}
    assert olivia.get("/").status_code == 302  # no longer verified: signed out


def test_a_non_administrator_cannot_link_and_the_refusal_is_audited(world, sign_in):
    client = sign_in(world.users.coordinator)
    assert _post_link(client, "coordinator", "mine").status_code == 404
    assert not LinkedIdentity.objects.exists()
    assert AuditEvent.objects.filter(
        actor_id=world.users.coordinator.pk, record_type="oidc.linkedidentity", outcome=Outcome.REFUSED
    ).exists()


def test_the_link_rule_and_the_link_scope_agree_for_every_role(world):
    from safeguard.access import gate

    LinkedIdentity.objects.create(staff=world.users.om, subject=_subject("a"), linked_by_username="t")
    LinkedIdentity.objects.create(staff=world.users.marac, subject=_subject("b"), linked_by_username="t")
    every = list(LinkedIdentity.objects.all())
    for name, user in vars(world.users).items():
        allowed = {link.pk for link in every if gate.decide(user, Operation.VIEW, link)}
        scoped = set(gate.scoped(user, LinkedIdentity.objects.all()).values_list("pk", flat=True))
        assert allowed == scoped, name
        assert bool(allowed) == (name == "admin"), name
