def test_offender_manager_sees_own_caseload_with_due_dates(world, sign_in):
    page = sign_in(world.users.om).get("/").content.decode()
    assert "My caseload" in page
    assert "Jonathan Smith" in page
    assert "Due soon" in page
    assert "Peter Quill" not in page  # allocated to another officer


def test_analyst_sees_counts_never_names(world, sign_in):
    page = sign_in(world.users.analyst).get("/").content.decode()
    assert "Active nominals" in page
    assert "Jonathan Smith" not in page and "Peter Quill" not in page


def test_partner_sees_no_nominals(world, sign_in):
    page = sign_in(world.users.partner).get("/").content.decode()
    assert "Jonathan Smith" not in page


def test_demo_banner_absent_when_mfa_is_required(world, sign_in):
    page = sign_in(world.users.om).get("/").content.decode()
    assert "two-factor sign-in is switched off" not in page
    assert page.count("OFFICIAL-SENSITIVE") >= 2


def test_demo_banner_when_mfa_relaxed(world, sign_in, settings):
    settings.SAFEGUARD_REQUIRE_MFA = False
    page = sign_in(world.users.om).get("/").content.decode()
    assert "two-factor sign-in is switched off" in page


def test_purpose_change_is_recorded_on_later_events(world, sign_in):
    from safeguard.audit.models import AuditEvent

    client = sign_in(world.users.om)
    client.post("/purpose/", {"purpose": "forum"})
    client.get(f"/nominals/{world.nominals.mine.pk}/")
    assert AuditEvent.objects.filter(record_id=world.nominals.mine.pk, operation="view").latest("id").purpose == "forum"
