"""The "are you sure" pages of destructive moves pass axe: withdrawing a referral, removing a person from an
incident, cancelling a meeting. Each is reached as a user reaches it, and "No, go back" changes nothing."""

import pytest

from safeguard.events.models import IncidentPerson
from safeguard.referrals.models import Referral
from tests.events.url_roles import incident
from tests.meetings.builders import records
from tests.referrals import builders as b

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def test_the_confirmation_pages_pass_axe(page, live_server, world):
    referral = b.advance(world, b.marac_referral(world), Referral.Status.SUBMITTED)
    found = incident(world)
    meeting = records(world).next
    problems = {}

    def check(name):
        if found_problems := violations(page):
            problems[name] = found_problems

    sign_in(page, live_server, world.users.marac)
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    page.locator("summary", has_text="Withdraw the referral").click()
    page.get_by_label("Why it is withdrawn").fill("The victim has moved out of the area.")
    page.get_by_role("button", name="Withdraw the referral").click()
    page.get_by_role("heading", name=f"Are you sure you want to withdraw referral {referral.pk}?").wait_for()
    check("withdraw a referral")
    page.get_by_role("link", name="No, go back to the referral").click()
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.SUBMITTED

    page.context.clear_cookies()
    sign_in(page, live_server, world.users.supervisor)
    page.goto(f"{live_server.url}/incidents/{found.pk}/people/")
    page.get_by_role("button", name="Remove").first.click()
    page.get_by_role("heading", name="Are you sure you want to remove").wait_for()
    check("remove a person from an incident")
    page.get_by_role("link", name="No, go back").click()
    assert IncidentPerson.objects.filter(incident=found).count() == 2

    page.context.clear_cookies()
    sign_in(page, live_server, world.users.coordinator)
    page.goto(f"{live_server.url}/forums/meetings/{meeting.pk}/cancel/")
    page.get_by_role("heading", name="Cancel the meeting").wait_for()
    check("cancel a meeting")
    assert problems == {}
