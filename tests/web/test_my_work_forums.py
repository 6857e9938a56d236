"""My work shows the forum roles their real work: a chair the meetings they chair and the minutes to approve;
an IDVA their forums' cases and the DASHs due before a meeting hears them."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.assessments.models import Assessment, InstrumentVersion
from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f
from safeguard.meetings.models import AgendaItem, ForumCase, Meeting
from safeguard.web.lists import PAGE_SIZE
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


# A page at a time: an IDVA's forums hold tens of thousands of open cases nationally ------------------------


def _dash_rows(page: str) -> list[str]:
    return re.findall(r'href="/people/(\d+)/"', _section(page, "dash"))


def _many_cases(world, count: int) -> list[ForumCase]:
    """``count`` more open cases on the world's MARAC, each a new person with no DASH, in id order."""
    made = []
    for n in range(count):
        person = f.person(world.home["mappa"], f"Given{n}", f"Victim{n:03d}", dt.date(1990, 1, 1))
        made.append(ForumCase.objects.create(forum=world.marac, person=person, opened_on=timezone.localdate()))
    return made


def _listed(world, case: ForumCase, when: dt.datetime, status=Meeting.Status.SCHEDULED) -> Meeting:
    meeting = Meeting.objects.create(forum=world.marac, starts_at=when, status=status)
    AgendaItem.objects.create(
        meeting=meeting, position=1, section=AgendaItem.Section.NEW, why="Listed", forum_case=case, person=case.person
    )
    return meeting


def test_an_idvas_dash_list_pages_the_cases_on_a_meeting_ahead_first_then_the_rest(world, sign_in):
    forums = records(world)  # the victim's case: on the MARAC meeting in progress today
    victim_case = ForumCase.objects.get(forum=world.marac, person=world.people.victim)
    more = _many_cases(world, PAGE_SIZE + 5)
    later = more[-1]
    _listed(world, later, forums.marac_meeting.starts_at + dt.timedelta(days=7))
    _listed(world, more[0], forums.marac_meeting.starts_at - dt.timedelta(days=30), Meeting.Status.HELD)  # held
    unlisted = [c for c in more if c != later]  # in id order
    expected = [victim_case, later, *unlisted]
    client = sign_in(world.users.idva)

    first = client.get("/").content.decode()
    assert _dash_rows(first) == [str(c.person_id) for c in expected[:PAGE_SIZE]]
    assert f"Showing 1 to {PAGE_SIZE} of {len(expected)} cases, sorted by next meeting, ascending" in first
    assert 'href="?dash-page=2#dash"' in first
    second = client.get("/?dash-page=2").content.decode()
    assert _dash_rows(second) == [str(c.person_id) for c in expected[PAGE_SIZE:]]
    event = AuditEvent.objects.filter(detail__page="my work: forum cases").latest("id")
    assert {c.pk for c in expected[PAGE_SIZE:]} <= set(event.detail["shown"])

    # Latest first: the later meeting's case, then today's, then the rest from the newest id (missing last).
    descending = client.get("/?dash-order=descending").content.decode()
    reverse = [later, victim_case, *reversed(unlisted)]
    assert _dash_rows(descending) == [str(c.person_id) for c in reverse[:PAGE_SIZE]]


def test_an_idvas_forum_cases_show_their_next_meeting_on_every_sort(world, sign_in):
    forums = records(world)
    more = _many_cases(world, 3)
    _listed(world, more[1], forums.marac_meeting.starts_at + dt.timedelta(days=7))
    client = sign_in(world.users.idva)
    for query in ("", "?cases-sort=person", "?cases-sort=next&cases-order=descending"):
        cases = _section(client.get("/" + query).content.decode(), "cases")
        listed_on = (forums.marac_meeting.starts_at + dt.timedelta(days=7)).astimezone(timezone.get_current_timezone())
        row = cases.split(f'href="/people/{more[1].person_id}/"', 1)[1].split("</tr>", 1)[0]
        assert listed_on.strftime("%-d %b %Y") in row, query
        row = cases.split(f'href="/people/{more[2].person_id}/"', 1)[1].split("</tr>", 1)[0]
        assert "Not listed" in row, query


def test_an_idvas_my_work_sends_as_many_queries_for_sixty_cases_as_for_one(world, sign_in):
    records(world)
    client = sign_in(world.users.idva)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    _many_cases(world, PAGE_SIZE + 10)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    assert "Showing 1 to 50 of 61 cases" in page
    # One more and no more: the cases' count, which a list of one page does not ask for (its rows tell it).
    assert len(many.captured_queries) == len(few.captured_queries) + 1
    counts = [q["sql"] for q in many.captured_queries if "COUNT(*)" in q["sql"] and "meetings_forumcase" in q["sql"]]
    # Counted on the cases alone: no join to every agenda item, no grouping, and no further than the cap.
    assert counts and all("GROUP BY" not in sql and "meetings_agendaitem" not in sql for sql in counts)
    assert all("LIMIT 10001" in sql for sql in counts)
