"""Running a 30-case meeting with "save and next": the coordinator ticks the attendance at once, goes through the
cases one after another (a decision on one, one skipped and come back to), defers the last three with one reason
after the page asks, ends the meeting after the page lists what is left undone, and finds the ended meeting's
minutes, PDF, sharing, quality audit and calendar file linked; axe finds no serious problem on the new pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeguard.meetings.models import AgendaItem, Attendance, Decision, Meeting
from tests.meetings.builders import add_cases, at, mappa_forum, train_chair

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser
CASES = 30


def test_running_a_30_case_meeting_with_save_and_next(page, live_server, world):
    today = timezone.localdate()
    forum = mappa_forum(world)
    chair = world.users.chair
    train_chair(chair, world.users.supervisor)
    meeting = Meeting.objects.create(
        forum=forum, starts_at=at(today, 10), chair=chair, status=Meeting.Status.IN_PROGRESS
    )
    items = add_cases(world, meeting, CASES)
    page.set_default_timeout(60_000)  # about a hundred page loads: a busy test machine must not fail the journey
    problems: dict[str, list] = {}

    def check(name: str) -> None:
        if found := violations(page):
            problems[name] = found

    sign_in(page, live_server, world.users.coordinator)
    page.goto(f"{live_server.url}/forums/meetings/{meeting.pk}/")
    page.get_by_text(f"0 of {CASES} cases discussed").wait_for()

    page.get_by_role("link", name="Attendance").click()
    page.get_by_role("heading", name="Record the attendance").wait_for()
    check("attendance list")
    page.get_by_role("group", name=f"Present from {chair.agency.name}").get_by_label(
        chair.get_full_name(), exact=False
    ).check()
    page.get_by_label(f"Others present from {world.police.name}").fill("DI Rivers, Detective Inspector\nPC Lake")
    page.get_by_role("button", name="Record the attendance").click()
    page.get_by_text("3 present and 0 sending apologies added to the attendance.").wait_for()
    page.goto(f"{live_server.url}/forums/meetings/{meeting.pk}/")

    page.get_by_role("link", name="Run the meeting case by case").click()
    page.get_by_text(f"Case 1 of {CASES}").wait_for()
    check("case by case")
    page.get_by_label("Decision (optional)", exact=True).fill("Refer to the approved premises panel.")
    page.get_by_label("Rationale for the decision (optional)", exact=True).fill(
        "The address offered is not yet approved."
    )
    page.get_by_label("Heard").check()
    page.get_by_role("button", name="Save and next case").click()
    page.get_by_text(f"Case 2 of {CASES}").wait_for()
    assert f"1 of {CASES} cases discussed" in page.content()

    page.get_by_role("link", name="Skip to case 3").click()  # case 2 passed over for now
    page.get_by_text(f"Case 3 of {CASES}").wait_for()
    for number in range(3, CASES - 2):
        page.get_by_label("Heard").check()
        page.get_by_role("button", name="Save and next case").click()
        page.get_by_text(f"Case {number + 1} of {CASES}").wait_for()
    page.get_by_role("navigation", name="Go to a case").get_by_role(
        "link", name=f"2. {items[1].person.full_name}"
    ).click()
    page.get_by_text(f"Case 2 of {CASES}").wait_for()
    page.get_by_label("Heard").check()
    page.get_by_role("button", name="Save and next case").click()
    page.get_by_text(f"Case {CASES - 2} of {CASES}").wait_for()  # on to the first case still listed
    assert f"{CASES - 3} of {CASES} cases discussed" in page.content()

    page.get_by_role("link", name="Defer several cases").click()
    page.get_by_role("heading", name="Defer several cases").wait_for()
    check("defer several cases")
    for item in items[-3:]:
        page.get_by_label(f"{item.position}. {item.person.full_name}").check()
    page.get_by_label("Why the cases are deferred").fill("Out of time: the panel ran late.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Are you sure you want to defer 3 cases?").wait_for()
    check("defer: are you sure")
    page.get_by_role("button", name="Yes, defer 3 cases").click()
    page.get_by_text("3 cases deferred to the next meeting.").wait_for()
    assert f"{CASES} of {CASES} cases discussed" in page.content()

    page.get_by_role("link", name="End the meeting").click()
    page.get_by_role("heading", name="Are you sure you want to end the meeting?").wait_for()
    assert "heard with no risk level agreed" in page.content()
    check("end: are you sure")
    page.get_by_role("button", name="Yes, end the meeting").click()
    page.get_by_text("The meeting has ended and is recorded as held.").wait_for()
    for link in ("Minutes", "Minutes as a PDF", "Quality audit of the meeting", "Calendar file (.ics)"):
        assert page.get_by_role("link", name=link, exact=True).count() == 1
    assert page.get_by_role("link", name="Share the minutes with an agency that did not attend").count() == 1
    check("ended meeting")

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    outcomes = list(AgendaItem.objects.filter(meeting=meeting).values_list("outcome", flat=True))
    assert outcomes.count("heard") == CASES - 3 and outcomes.count("deferred") == 3
    assert Attendance.objects.filter(meeting=meeting, present=True).count() == 3
    assert Decision.objects.filter(item__meeting=meeting).count() == 1
    assert problems == {}
