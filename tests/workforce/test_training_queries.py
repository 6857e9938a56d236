"""The training page's cost does not grow with the officers it lists: its three lists (officers, waiting-list
entries, places) are each one bounded page, and what a row shows is read with the page (names, team, course,
place, buddy), never one query a row. Benchmarks are not tests: bench/paged_lists.py times the page at national
size; this counts its queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.demo import factories as f
from safeguard.workforce.models import (
    Buddy,
    Course,
    CoursePlace,
    Role,
    Staff,
    TrainingCompletion,
    WaitingListEntry,
)
from tests.workforce.roles_training import records

# Every query of one request to the training page: the session, the user and their second factor; the user's
# agency and area; the area's teams; a count and a page for each of the three lists; the audit event; the
# completions and CPD attendance of the officers shown; their area's settings; their buddies; the session saved
# when its idle time-out is renewed.
MOST_QUERIES = 22


def _add_officers(world, n: int) -> None:
    """``n`` more officers in om's team, each with completions, an open waiting-list entry, a buddy, and a place on
    a course run of the area."""
    t = records(world)
    today = dt.date.today()
    courses = list(Course.objects.order_by("code"))
    supervisor = world.users.supervisor
    for i in range(n):
        officer = f.staff(f"more{i}", world.police, [Role.OFFENDER_MANAGER], team_=world.users.om.team, last=f"M{i:02}")
        for course in courses[:3]:
            TrainingCompletion.objects.create(
                staff=officer, course=course, completed_on=today - dt.timedelta(days=300 + i), recorded_by=supervisor
            )
        WaitingListEntry.objects.create(staff=officer, course=courses[i % len(courses)], joined_on=today)
        Buddy.objects.create(new_joiner=officer, buddy=t.trained, started_on=today, recorded_by=supervisor)
        CoursePlace.objects.create(
            course=courses[i % len(courses)],
            offered_by="Force trainers",
            starts_on=today + dt.timedelta(days=i + 1),
            places=3,
            area=world.home["mappa"],
            recorded_by=supervisor,
        )


def _queries(client, params: dict) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("workforce:training"), params)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("who", ["coordinator", "supervisor"])
@pytest.mark.parametrize("params", [{}, {"sort": "team", "page": 2, "waiting-page": 2, "places-page": 2}])
def test_the_training_page_reads_as_many_queries_for_40_more_officers(
    world, sign_in, django_assert_max_num_queries, who, params
):
    client = sign_in(getattr(world.users, who))
    records(world)
    # A first page after signing in renews the session in the store (at most once a minute: web/session_middleware):
    # it is opened once first so that both counts below are of pages that do not.
    _queries(client, params)
    few, _ = _queries(client, params)
    _add_officers(world, 40)
    with django_assert_max_num_queries(MOST_QUERIES):
        many, html = _queries(client, params)
    assert many == few
    # The rows read with the page are shown: names, buddies, courses and places of the officers added.
    assert "M00" in html or "M39" in html
    assert "Force trainers" in html and str(records(world).trained) in html


def test_a_row_shows_what_its_page_read(world, sign_in):
    """The columns read with a page (name, team, rank, buddy; course, place) are those its rows show."""
    t = records(world)
    _add_officers(world, 1)
    officer = Staff.objects.get(username="more0")
    html = sign_in(world.users.coordinator).get(reverse("workforce:training"), {"sort": "team"}).content.decode()
    row = html.split(f'id="officer-{officer.pk}"', 1)[1].split("</tr>", 1)[0]
    assert str(officer) in row and officer.team.name in row and "Not recorded" in row
    assert str(t.trained) in row and "since" in row  # the current buddy
    waiting = html.split('id="waiting"', 1)[1].split("</tbody>", 1)[0].split("<tr")
    entry = next(r for r in waiting if str(officer) in r)
    assert WaitingListEntry.objects.get(staff=officer).course.name in entry and str(t.trained) in entry
    offered = next(r for r in waiting if str(world.users.om) in r and "Place offered" in r)
    assert "Force trainers" in offered  # the place offered: who offers it (and when it starts)
