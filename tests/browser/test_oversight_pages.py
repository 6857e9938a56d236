"""axe-core over the oversight pages added for issue 15 (relationship quality by team, the list with its
one-click forms (one used), a record page, forum volumes and MATAC outcomes): no serious or critical
violations, as the coordinator sees them."""

import pytest

from safeguard.referrals.models import Referral
from tests import helpers

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def test_oversight_pages_have_no_serious_violations(page, live_server, world):
    incident = helpers.incident(world, "AXE-REL-1")
    referral = Referral.objects.create(
        kind=Referral.Kind.MARAC,
        forum=world.marac,
        person=world.people.victim,
        status=Referral.Status.ACCEPTED,
        referring_agency=world.police,
        referred_by=world.users.coordinator,
        submitted_at=incident.occurred_at,
    )
    referral.perpetrators.set([world.people.offender])
    sign_in(page, live_server, world.users.coordinator)
    problems = {}
    for path in (
        "/oversight/relationships/",
        "/oversight/relationships/missing/",
        f"/oversight/relationships/incidents/{incident.pk}/record/",
        "/oversight/forum-volumes/",
        "/oversight/matac-outcomes/",
    ):
        page.goto(f"{live_server.url}{path}")
        if found := violations(page):
            problems[path] = found
    page.goto(f"{live_server.url}/oversight/relationships/missing/")
    page.locator("#main-content").get_by_label("The suspect is the victim's (AXE-REL-1)").select_option(
        "intimate_partner"
    )
    page.locator("#main-content").get_by_role("button", name="Record the relationship for AXE-REL-1").click()
    page.get_by_text("The relationship for AXE-REL-1 has been recorded.").wait_for()
    if found := violations(page):
        problems["the list after recording"] = found
    assert problems == {}
