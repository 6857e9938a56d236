"""The purpose of access follows the page's work where it is obvious, and asks otherwise: a meeting is no
longer run under "Screening a referral"."""

from __future__ import annotations

import pytest

from safeguard.access.purposes import Purpose, purpose_of_page
from safeguard.audit.models import AuditEvent
from safeguard.workforce.models import Role
from tests.meetings.builders import records


def _purpose_of_last_view(user, record) -> str:
    return (
        AuditEvent.objects.filter(actor_id=user.pk, record_type=record._meta.label_lower, record_id=record.pk)
        .latest("id")
        .purpose
    )


def test_a_coordinator_runs_a_meeting_for_the_meeting_not_for_screening(world, sign_in):
    meeting = records(world).now
    client = sign_in(world.users.coordinator)
    session = client.session
    session["purpose"] = Purpose.REFERRAL_SCREENING  # the coordinator's default, as signing in sets it
    session.save()
    page = client.get(f"/forums/meetings/{meeting.pk}/").content.decode()
    assert _purpose_of_last_view(world.users.coordinator, meeting) == Purpose.FORUM
    assert "Screening a referral" not in page.split('id="purpose-of-access"', 1)[1].split("</p>", 1)[0]
    assert "Preparing for or attending a multi-agency meeting</strong> (set by this page&#x27;s work)" in page


def test_back_on_referrals_the_coordinator_screens_again(world, sign_in):
    records(world)
    client = sign_in(world.users.coordinator)
    client.get("/forums/")
    page = client.get("/referrals/").content.decode()
    assert client.session["purpose"] == Purpose.REFERRAL_SCREENING
    assert "Screening a referral</strong> (set by this page" in page


def test_a_page_that_cannot_tell_keeps_the_last_purpose_and_asks(world, sign_in):
    records(world)
    client = sign_in(world.users.om)
    client.get("/forums/")
    page = client.get(f"/nominals/{world.nominals.mine.pk}/").content.decode()
    assert _purpose_of_last_view(world.users.om, world.nominals.mine) == Purpose.FORUM
    assert "carried from the last page. Is it still why you are here?" in page


def test_a_chosen_purpose_holds_where_it_was_chosen_and_on_my_work(world, sign_in):
    meeting = records(world).now
    client = sign_in(world.users.coordinator)
    path = f"/forums/meetings/{meeting.pk}/"
    response = client.post(f"/purpose/?next={path}", {"purpose": "data_quality"})
    assert response.status_code == 302 and response["Location"] == path
    client.get(path)
    assert _purpose_of_last_view(world.users.coordinator, meeting) == Purpose.DATA_QUALITY
    client.get("/")
    assert client.session["purpose"] == Purpose.DATA_QUALITY
    client.get("/referrals/")  # other work: the page's purpose again
    assert client.session["purpose"] == Purpose.REFERRAL_SCREENING


def test_the_purpose_page_goes_back_only_to_this_site(world, sign_in):
    client = sign_in(world.users.om)
    response = client.post("/purpose/?next=https://example.com/", {"purpose": "forum"})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "section, page, roles, expected",
    [
        ("meetings", "meeting", [Role.MAPPA_COORDINATOR], Purpose.FORUM),
        ("triage", "board", [Role.IDVA], Purpose.VICTIM_SAFEGUARDING),
        ("referrals", "list", [Role.MARAC_COORDINATOR], Purpose.REFERRAL_SCREENING),
        ("referrals", "referral", [Role.OFFENDER_MANAGER], None),
        ("offenders", "nominal", [Role.OFFENDER_MANAGER], None),
        ("web", "home", [Role.CHAIR], Purpose.FORUM),
        ("web", "search", [Role.CHAIR], None),
    ],
)
def test_which_pages_make_their_purpose_obvious(section, page, roles, expected):
    assert purpose_of_page(section, page, roles) == expected
