"""The load test's ceiling endpoints: only where the load settings switch them on, never otherwise."""

from __future__ import annotations

from django.test import RequestFactory

from safeguard.audit.models import AuditEvent
from safeguard.web import load_ceiling


def test_not_served_unless_the_load_settings_switch_them_on(world, sign_in, settings):
    assert settings.SAFEGUARD_LOAD_CEILING is False
    client = sign_in(world.users.om)
    assert client.get("/load-ceiling/plain/").status_code == 404
    assert client.get(f"/load-ceiling/nominal/{world.nominals.mine.pk}/").status_code == 404


def test_only_the_load_settings_switch_them_on(monkeypatch):
    import importlib

    monkeypatch.setenv("SAFEGUARD_SECRET_KEY", "a-key-for-this-test-only")
    for name, on in (("base", False), ("demo", False), ("production", False), ("load", True)):
        assert importlib.import_module(f"safeguard.settings.{name}").SAFEGUARD_LOAD_CEILING is on


def test_the_key_lookup_goes_through_the_gate_and_audits(world):
    request = RequestFactory().get("/")
    request.user, request.session = world.users.om, {}
    response = load_ceiling.nominal_reference(request, world.nominals.mine.pk)
    assert response.status_code == 200 and response.content.decode() == world.nominals.mine.reference
    event = AuditEvent.objects.filter(record_type="offenders.nominal", record_id=world.nominals.mine.pk).latest("id")
    assert event.actor_username == world.users.om.username and event.operation == "view"
