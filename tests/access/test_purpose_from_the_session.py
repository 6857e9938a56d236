"""The purpose recorded with each access is the session's: no header or parameter sets it, and "system"
is never a person's purpose."""

from safeguard.audit.models import AuditEvent


def _viewed(world, client, **extra):
    response = client.get(f"/nominals/{world.nominals.mine.pk}/", **extra)
    assert response.status_code == 200
    return AuditEvent.objects.filter(actor_id=world.users.om.pk, record_id=world.nominals.mine.pk).latest("id")


def _set_session_purpose(client, purpose):
    session = client.session
    session["purpose"] = purpose
    session.save()


def test_a_header_cannot_set_the_purpose(world, sign_in):
    client = sign_in(world.users.om)
    _set_session_purpose(client, "supervision")
    event = _viewed(world, client, HTTP_X_SAFEGUARD_PURPOSE="system")
    assert event.purpose == "supervision"
    event = _viewed(world, client, HTTP_X_SAFEGUARD_PURPOSE="data_quality")
    assert event.purpose == "supervision"


def test_a_parameter_cannot_set_the_purpose(world, sign_in):
    client = sign_in(world.users.om)
    _set_session_purpose(client, "supervision")
    response = client.get(f"/nominals/{world.nominals.mine.pk}/", {"purpose": "system"})
    assert response.status_code == 200
    event = AuditEvent.objects.filter(actor_id=world.users.om.pk, record_id=world.nominals.mine.pk).latest("id")
    assert event.purpose == "supervision"


def test_system_in_a_person_s_session_is_replaced_by_the_role_s_default(world, sign_in):
    client = sign_in(world.users.om)
    _set_session_purpose(client, "system")
    assert _viewed(world, client).purpose == "offender_management"


def test_the_purpose_page_refuses_system(world, sign_in):
    client = sign_in(world.users.om)
    response = client.post("/purpose/", {"purpose": "system"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert client.session.get("purpose") != "system"


def test_the_purpose_page_sets_the_purpose(world, sign_in):
    client = sign_in(world.users.om)
    assert client.post("/purpose/", {"purpose": "data_quality"}).status_code == 302
    assert _viewed(world, client).purpose == "data_quality"
