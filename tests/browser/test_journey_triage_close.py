"""The triage close confirmation: "Close the triage" asks first and lists the ungraded case and the school notice
still to send; "No, go back" changes nothing; "Yes, close" says what was left undone as a warning, not a success;
the triage is reopened within the window. axe finds no serious problem on the pages."""

import pytest

from safeguard.meetings.models import Meeting
from safeguard.triage.models import TriageCase

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in
from .test_journey_triage import _today_triage

pytestmark = pytest.mark.browser


def test_the_triage_close_confirmation(page, live_server, world):
    forum, found = _today_triage(world)
    sign_in(page, live_server, world.users.marac)
    problems = {}

    def check(name):
        if found_problems := violations(page):
            problems[name] = found_problems

    page.goto(f"{live_server.url}/triage/forums/{forum.pk}/")
    page.get_by_role("button", name="Open today's triage and load the incidents").click()
    page.get_by_text("1 new incident loaded.").wait_for()

    page.get_by_role("link", name="Close the triage").click()
    page.get_by_role("heading", name="Are you sure you want to close the triage").wait_for()
    check("close: are you sure")
    content = page.content()
    assert "1 case left ungraded, 1 case without an outcome, 1 school notice unsent" in content
    assert found.reference in content and "1 Operation Encompass notice not sent" in content
    page.get_by_role("link", name="No, go back to the board").click()
    page.get_by_role("heading", name="Triage for").wait_for()
    case = TriageCase.objects.get(incident=found)
    assert Meeting.objects.get(pk=case.meeting_id).status != Meeting.Status.HELD

    page.get_by_role("link", name="Close the triage").click()
    page.get_by_role("button", name="Yes, close the triage").click()
    banner = page.locator(".govuk-notification-banner")
    banner.wait_for()
    assert (
        "Triage closed: 1 case left ungraded, 1 case without an outcome, 1 school notice unsent." in banner.inner_text()
    )
    assert "Important" in banner.inner_text() and "Success" not in banner.inner_text()
    check("board, closed")
    assert Meeting.objects.get(pk=case.meeting_id).status == Meeting.Status.HELD

    page.get_by_role("button", name="Reopen the triage").click()
    page.get_by_text("The triage has been reopened").wait_for()
    assert Meeting.objects.get(pk=case.meeting_id).status == Meeting.Status.SCHEDULED
    assert problems == {}
