import pytest

from safeguard.audit.models import AuditEvent, Outcome
from safeguard.offenders.models import Nominal


def _form(nominal, **changes):
    data = {
        "mappa_category": nominal.mappa_category,
        "management_level": str(nominal.management_level),
        "offender_manager": str(nominal.offender_manager_id or ""),
        "lead_agency": str(nominal.lead_agency_id),
        "location": nominal.location,
        "location_detail": nominal.location_detail,
        "rosh": nominal.rosh,
        "status": nominal.status,
        "reason": "",
        "version": str(nominal.version),
    }
    data.update(changes)
    return data


def test_nominal_page_shows_management_and_audits_the_view(world, sign_in):
    client = sign_in(world.users.om)
    nominal = world.nominals.mine
    response = client.get(f"/nominals/{nominal.pk}/")
    assert response.status_code == 200
    assert b"Jonathan Smith" in response.content
    assert b"Change management" in response.content
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(actor_id=world.users.om.pk, record_id=nominal.pk, operation="view")
    assert event.purpose == "offender_management"
    assert event.outcome == "allowed"


def test_viewer_who_may_not_change_sees_no_change_button(world, sign_in):
    client = sign_in(world.users.chair)
    response = client.get(f"/nominals/{world.nominals.mine.pk}/")
    assert response.status_code == 200
    assert b"Change management" not in response.content


def test_level_change_needs_a_reason(world, sign_in):
    client = sign_in(world.users.om)
    nominal = world.nominals.mine
    response = client.post(f"/nominals/{nominal.pk}/change/", _form(nominal, management_level="2"))
    assert response.status_code == 200
    assert b"Give the reason for changing the management level" in response.content
    assert b"govuk-error-summary" in response.content
    nominal.refresh_from_db()
    assert nominal.management_level == 1


def test_level_change_with_reason_is_kept_in_history(world, sign_in):
    client = sign_in(world.users.om)
    nominal = world.nominals.mine
    reason = "Escalated to Level 2 after threats reported by the MARAC."
    response = client.post(f"/nominals/{nominal.pk}/change/", _form(nominal, management_level="2", reason=reason))
    assert response.status_code == 302
    nominal.refresh_from_db()
    assert nominal.management_level == 2
    assert nominal.version == 2
    latest = nominal.history.first()
    assert latest.history_change_reason == reason
    assert latest.history_user_id == world.users.om.pk
    page = client.get(f"/nominals/{nominal.pk}/history/").content.decode()
    assert "Management level" in page and reason in page and "Level 2" in page
    assert AuditEvent.objects.filter(operation="change", record_id=nominal.pk, outcome="allowed").exists()


def test_stale_version_is_refused_not_overwritten(world, sign_in):
    client = sign_in(world.users.om)
    nominal = world.nominals.mine
    stale = _form(nominal, rosh="very_high")
    Nominal.objects.filter(pk=nominal.pk).update(version=5)
    response = client.post(f"/nominals/{nominal.pk}/change/", stale)
    assert response.status_code == 200
    assert b"Someone else changed this record" in response.content
    nominal.refresh_from_db()
    assert nominal.rosh == "high"


def test_custody_without_release_date_is_refused_by_field(world, sign_in):
    client = sign_in(world.users.coordinator)
    nominal = world.nominals.mine
    response = client.post(f"/nominals/{nominal.pk}/change/", _form(nominal, location="custody"))
    assert response.status_code == 200
    assert b"Enter the expected release date" in response.content


def test_refused_view_is_404_and_audited(world, sign_in):
    client = sign_in(world.users.away_om)
    response = client.get(f"/nominals/{world.nominals.mine.pk}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=world.users.away_om.pk, record_id=world.nominals.mine.pk, outcome="refused"
    ).exists()


@pytest.mark.parametrize("who", ["om", "supervisor", "coordinator"])
def test_access_log_lists_who_looked(world, sign_in, client, who):
    from tests.conftest import verified_client

    verified_client(client, world.users.chair).get(f"/nominals/{world.nominals.mine.pk}/")
    client.logout()
    page = sign_in(getattr(world.users, who)).get(f"/nominals/{world.nominals.mine.pk}/access-log/")
    assert page.status_code == 200
    chair = world.users.chair
    assert f"{chair.get_full_name()}, {chair.agency}" in page.content.decode()  # the name, not the username
    assert "Looked at the record" in page.content.decode()


def test_open_a_nominal(world, sign_in):
    client = sign_in(world.users.coordinator)
    person = world.people.other_offender
    data = {
        "mappa_category": "2",
        "management_level": "2",
        "local_area": str(world.home["local"][1].pk),
        "lead_agency": str(world.probation.pk),
        "offender_manager": str(world.users.om2.pk),
        "location": "custody",
        "location_detail": "HMP Fictional",
        "release_date_0": "1",
        "release_date_1": "6",
        "release_date_2": "2027",
        "rosh": "high",
        "managed_from_0": "1",
        "managed_from_1": "1",
        "managed_from_2": "2026",
    }
    response = client.post(f"/people/{person.pk}/nominals/new/", data)
    assert response.status_code == 302
    nominal = Nominal.objects.filter(person=person).latest("id")
    assert (nominal.mappa_category, nominal.management_level, nominal.offender_manager) == ("2", 2, world.users.om2)
    assert nominal.allocated_on is not None
    assert AuditEvent.objects.filter(operation="create", record_id=nominal.pk, record_type="offenders.nominal").exists()


def test_open_a_nominal_refuses_a_partner_agency_lead_and_names_the_field(world, sign_in):
    client = sign_in(world.users.coordinator)
    person = world.people.other_offender
    before = Nominal.objects.count()
    response = client.post(
        f"/people/{person.pk}/nominals/new/",
        {
            "mappa_category": "9",
            "management_level": "1",
            "local_area": str(world.home["local"][0].pk),
            "lead_agency": str(world.housing.pk),
            "location": "community",
            "rosh": "low",
            "managed_from_0": "1",
            "managed_from_1": "13",
            "managed_from_2": "2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and Nominal.objects.count() == before
    assert "Managed from must be a real date" in page
    assert "Select a valid choice" in page  # unknown category code and a non-RA lead agency


def test_a_nominal_with_no_history_rows_still_shows(world, sign_in):
    world.nominals.mine.history.all().delete()  # as bulk-generated records have none
    response = sign_in(world.users.om).get(f"/nominals/{world.nominals.mine.pk}/")
    assert response.status_code == 200
    assert b"No changes recorded" in response.content


def test_recent_changes_are_the_newest_five_each_against_its_predecessor(world):
    from safeguard.offenders.history import nominal_changes

    nominal = world.nominals.mine
    for level in (2, 3, 2, 3, 2, 3, 2):
        nominal.management_level = level
        nominal._change_reason = f"to {level}"
        nominal.save()
    recent = nominal_changes(nominal, limit=5)
    assert len(recent) == 5
    assert [c.fields[0].new for c in recent[:2]] == [
        "Level 2: multi-agency meetings",
        "Level 3: senior multi-agency management",
    ]
    assert all(c.kind == "Changed" for c in recent)


def test_a_past_release_reads_released_and_a_future_one_expected(world, sign_in):
    import datetime as dt

    nominal = world.nominals.mine
    client = sign_in(world.users.om)
    Nominal.objects.filter(pk=nominal.pk).update(release_date=dt.date(2020, 1, 2))
    assert "Released" in client.get(f"/nominals/{nominal.pk}/").content.decode()
    Nominal.objects.filter(pk=nominal.pk).update(release_date=dt.date.today() + dt.timedelta(days=30))
    assert "Expected release" in client.get(f"/nominals/{nominal.pk}/").content.decode()


def test_closing_a_nominal_records_when_management_ended(world, sign_in):
    client = sign_in(world.users.coordinator)
    nominal = world.nominals.mine
    import datetime as dt

    day = nominal.managed_from + dt.timedelta(days=1)
    early = nominal.managed_from - dt.timedelta(days=1)
    data = _form(
        nominal, status="closed", managed_until_0=early.day, managed_until_1=early.month, managed_until_2=early.year
    )
    page = client.post(f"/nominals/{nominal.pk}/change/", data).content.decode()
    assert "The end of management must be on or after its start" in page
    data.update(managed_until_0=day.day, managed_until_1=day.month, managed_until_2=day.year)
    assert client.post(f"/nominals/{nominal.pk}/change/", data).status_code == 302
    nominal.refresh_from_db()
    assert nominal.status == "closed" and nominal.managed_until == day


def test_offender_managers_offered_are_those_of_the_area(world):
    from safeguard.offenders.services import offender_managers_in

    offered = set(offender_managers_in(world.home["mappa"].pk).values_list("username", flat=True))
    assert offered == {"om", "om2"}  # not the inactive one, not the other area's, no other role


@pytest.mark.parametrize("pk", ["999999", str(2**63 - 1), str(2**63), "1" + "0" * 30])
def test_a_nominal_that_does_not_exist_is_404_whatever_its_number(world, sign_in, pk):
    response = sign_in(world.users.om).get(f"/nominals/{pk}/")
    assert response.status_code == 404
    # The refusal is audited: an id the audit's 64-bit column holds as the record id, a larger one as text.
    refusal = AuditEvent.objects.filter(outcome=Outcome.REFUSED, record_type="offenders.nominal").latest("pk")
    if int(pk) < 2**63:
        assert refusal.record_id == int(pk)
    else:
        assert refusal.record_id is None and refusal.detail["asked_for"] == pk[:40]
