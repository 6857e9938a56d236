"""My work shows the forum roles their real work: a chair the meetings they chair and the minutes to approve;
an IDVA their forums' cases and the DASHs due before a meeting hears them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.assessments.models import Assessment, InstrumentVersion
from safeguard.audit.models import AuditEvent
from safeguard.meetings.models import Meeting
from tests.meetings.builders import at, records


def _section(page: str, key: str) -> str:
    return page.split(f'id="{key}"', 1)[1].split("</table>", 1)[0]


def test_a_chair_sees_the_meetings_they_chair_and_the_minutes_to_issue(world, sign_in):
    forums = records(world)
    today = timezone.localdate()
    held = Meeting.objects.create(
        forum=forums.forum, starts_at=at(today - dt.timedelta(days=3)), chair=world.users.chair, status="held"
    )
    issued = Meeting.objects.create(
        forum=forums.forum,
        starts_at=at(today - dt.timedelta(days=10)),
        chair=world.users.chair,
        status="held",
        minutes_issued_at=timezone.now(),
    )
    page = sign_in(world.users.chair).get("/").content.decode()
    chairing = _section(page, "chairing")
    for meeting in (forums.now, forums.today):
        assert f"/forums/meetings/{meeting.pk}/" in chairing
    assert f"/forums/meetings/{forums.next.pk}/" not in chairing  # chaired by nobody yet
    minutes = _section(page, "minutes")
    assert f"/forums/meetings/{held.pk}/minutes/" in minutes and f"/{issued.pk}/" not in minutes
    assert "Showing 1 to 3 of 3 meetings" in page  # now, done (in progress) and today's
    event = AuditEvent.objects.filter(detail__page="my work: meetings").latest("id")
    assert held.pk in event.detail["shown"]


def test_another_chairs_meetings_are_not_on_my_work(world, sign_in):
    forums = records(world)
    Meeting.objects.filter(pk=forums.today.pk).update(chair=world.users.coordinator)
    page = sign_in(world.users.chair).get("/").content.decode()
    assert f"/forums/meetings/{forums.today.pk}/" not in page


def test_an_idva_sees_the_forum_cases_and_the_dash_due_until_one_is_done(world, sign_in):
    forums = records(world)
    client = sign_in(world.users.idva)
    page = client.get("/").content.decode()
    assert world.people.victim.full_name in _section(page, "cases")
    assert world.people.victim.full_name in _section(page, "dash")
    assert forums.marac_meeting.starts_at.astimezone(timezone.get_current_timezone()).strftime("%-d %b %Y") in page
    Assessment.objects.create(
        person=world.people.victim,
        instrument=InstrumentVersion.current_for("dash"),
        answers={},
        result={},
        summary="High",
        assessed_on=timezone.localdate(),
        assessor=world.users.idva,
    )
    page = client.get("/").content.decode()
    assert "Every open case has a DASH since it was opened." in page
    assert world.people.victim.full_name in _section(page, "cases")


def test_a_partner_without_the_idva_role_sees_no_dash_list(world, sign_in):
    records(world)
    page = sign_in(world.users.partner).get("/").content.decode()
    assert 'id="dash"' not in page
