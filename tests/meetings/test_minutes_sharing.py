"""Sharing minutes beyond the agencies that attended: by the chair only, with a reason, and its effect."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguard.access.gate import AccessRefused
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.demo import factories as f
from safeguard.meetings.models import MinutesShare
from safeguard.meetings.services import minutes
from safeguard.workforce.models import Agency
from tests.conftest import verified_client
from tests.meetings import minutes_fixtures as mf

REASON = "The IDVA supports the former victim and must know the exclusion zone."


@pytest.fixture
def records(world):
    return mf.minutes_records(world)


def test_the_chair_shares_the_minutes_and_the_agency_may_then_read_them(world, records):
    meeting = records.issued.meeting
    idva = world.users.idva
    with pytest.raises(AccessRefused):
        minutes.reader_copy(mf.ctx_for(idva), meeting)
    share = minutes.share_minutes(mf.ctx_for(world.users.chair), meeting, agency=world.idva_service, reason=REASON)
    assert share.permitted_by == world.users.chair and share.reason == REASON
    copy = minutes.reader_copy(mf.ctx_for(idva), meeting)
    assert copy.available and mf.POLICE_FACT in copy.body and mf.RESTRICTED_TEXT in copy.body
    event = AuditEvent.objects.get(record_type="meetings.minutesshare", record_id=share.pk)
    assert event.operation == Operation.CREATE and event.actor_id == world.users.chair.pk
    assert event.detail == {"meeting": meeting.pk, "agency": world.idva_service.pk}
    # The permission is for that agency only.
    with pytest.raises(AccessRefused):
        minutes.reader_copy(mf.ctx_for(world.users.away_om), meeting)


@pytest.mark.parametrize("who", ["coordinator", "om", "partner", "supervisor", "idva"])
def test_only_the_chair_permits_sharing(world, records, who):
    with pytest.raises(AccessRefused):
        minutes.share_minutes(
            mf.ctx_for(getattr(world.users, who)), records.issued.meeting, agency=world.idva_service, reason=REASON
        )
    assert not MinutesShare.objects.exists()


def test_a_chair_of_another_meeting_may_not_share_these_minutes(world, records):
    other_chair = f.staff("other_chair", world.probation, ["chair"], rank="Senior Probation Officer")
    meeting = records.issued.meeting
    meeting.chair = other_chair
    meeting.save(update_fields=["chair"])
    with pytest.raises(AccessRefused):
        minutes.share_minutes(mf.ctx_for(world.users.chair), meeting, agency=world.idva_service, reason=REASON)


def test_the_agencies_offered_are_those_that_can_open_the_meeting_and_do_not_have_the_minutes(world, records):
    meeting = records.issued.meeting
    prison = f.agency(world.home["mappa"], Agency.Kind.PRISON, "HMP Fictional")
    health = f.agency(world.home["mappa"], Agency.Kind.HEALTH, "Fictional Health Trust")
    offered = set(minutes.shareable_agencies(meeting))
    assert offered == {world.idva_service, prison}  # apologies only; an RA agency of the area
    assert health not in offered  # not a member: its staff could not open the meeting
    minutes.share_minutes(mf.ctx_for(world.users.chair), meeting, agency=prison, reason=REASON)
    assert set(minutes.shareable_agencies(meeting)) == {world.idva_service}


@pytest.mark.parametrize(
    ("agency", "reason", "field", "message"),
    [
        ("idva_service", "short", "reason", "Give the reason for sharing (at least 10 characters)."),
        ("idva_service", "   ", "reason", "Give the reason for sharing"),
        (None, REASON, "agency", "Choose the agency to share the minutes with."),
        ("housing", REASON, "agency", "Northtown Housing attended the meeting: it has the minutes already."),
        ("away_om", REASON, "agency", "Choose one of the forum's member agencies"),
    ],
)
def test_sharing_needs_an_agency_without_the_minutes_and_a_reason(world, records, agency, reason, field, message):
    with pytest.raises(ValidationError) as error:
        minutes.share_minutes(
            mf.ctx_for(world.users.chair),
            records.issued.meeting,
            agency=_agency(world, agency),
            reason=reason,
        )
    assert error.value.message_dict[field][0].startswith(message)


def _agency(world, name):
    if name is None:
        return None
    if name == "away_om":
        return world.users.away_om.agency  # another MAPPA area's police
    return getattr(world, name)


def test_minutes_are_shared_once_per_agency_and_only_once_issued(world, records):
    chair = mf.ctx_for(world.users.chair)
    minutes.share_minutes(chair, records.issued.meeting, agency=world.idva_service, reason=REASON)
    with pytest.raises(ValidationError, match="already been shared with Fictional IDVA Service"):
        minutes.share_minutes(chair, records.issued.meeting, agency=world.idva_service, reason=REASON)
    with pytest.raises(ValidationError, match="Issue the minutes before sharing them"):
        minutes.share_minutes(chair, records.held.meeting, agency=world.idva_service, reason=REASON)


def test_the_share_page_for_the_chair(world, records, client):
    meeting = records.issued.meeting
    verified_client(client, world.users.chair)
    url = reverse("meetings:minutes-share", kwargs={"pk": meeting.pk})
    page = client.get(url).content.decode()
    assert "Share the minutes with another agency" in page and "Fictional IDVA Service" in page
    assert ">Northtown Housing</option>" not in page  # attended
    error = client.post(url, {"agency": world.idva_service.pk, "reason": "too short"}).content.decode()
    assert "There is a problem" in error and 'href="#id_reason"' in error
    assert "Give the reason for sharing (at least 10 characters)" in error
    done = client.post(url, {"agency": world.idva_service.pk, "reason": REASON})
    assert done.status_code == 302 and done["Location"] == reverse("meetings:minutes", kwargs={"pk": meeting.pk})
    shown = client.get(done["Location"]).content.decode()
    assert "The minutes have been shared with Fictional IDVA Service." in shown and REASON in shown


def test_the_share_page_is_refused_to_anyone_but_the_chair_and_the_refusal_audited(world, records, client):
    meeting = records.issued.meeting
    coordinator = world.users.coordinator
    verified_client(client, coordinator)
    assert client.get(reverse("meetings:minutes-share", kwargs={"pk": meeting.pk})).status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=coordinator.pk, record_type="meetings.meeting", record_id=meeting.pk, outcome=Outcome.REFUSED
    ).exists()
    page = client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk})).content.decode()
    assert "Share with another agency" not in page
