"""Journey: the owner of an overdue action sees it on "my work", completes it with evidence (refused without),
and it leaves "my work"; and axe over the actions pages."""

import pytest

from safeguard.actions.models import Action
from safeguard.audit.models import AuditEvent
from tests.actions.records import records

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def test_the_owner_completes_an_overdue_action(page, live_server, world):
    aw = records(world)
    om = world.users.om
    sign_in(page, live_server, om)
    actions = page.locator("table.sg-actions")
    row = actions.locator("tr", has_text=f"Action {aw.marac_action.pk}")
    assert "Overdue by 5 days" in row.inner_text()
    first = actions.locator("tbody tr").first.inner_text()
    assert f"Action {aw.marac_action.pk}" in first  # overdue first

    row.get_by_role("link", name=f"Action {aw.marac_action.pk}").click()
    page.get_by_role("heading", name=f"Action {aw.marac_action.pk}").wait_for()
    page.get_by_role("button", name="Complete the action").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Give the evidence that the action is complete" in page.content()
    assert str(aw.marac_action.pk) in page.url and "evidence" not in page.url

    evidence = "Safety plan handed to the GP practice manager; receipt signed on the day."
    page.get_by_label("Evidence of completion").fill(evidence)
    page.get_by_role("button", name="Complete the action").click()
    page.get_by_text("The action has been completed").wait_for()
    assert evidence in page.content()

    page.get_by_role("link", name="My work").first.click()
    page.get_by_role("heading", name="My work").wait_for()
    assert page.locator("table.sg-actions tr", has_text=f"Action {aw.marac_action.pk}").count() == 0
    assert Action.objects.get(pk=aw.marac_action.pk).status == Action.Status.COMPLETE
    assert AuditEvent.objects.filter(actor_id=om.pk, record_id=aw.marac_action.pk, operation="change").exists()


def test_actions_pages_have_no_serious_violations(page, live_server, world):
    aw = records(world)
    problems = {}

    def check(label):
        if found := violations(page):
            problems[label] = found

    sign_in(page, live_server, world.users.coordinator)
    for path in (
        "/",
        f"/actions/prompts/{aw.prompt.pk}/",
        f"/actions/{aw.mappa_action.pk}/",
        f"/actions/{aw.mappa_action.pk}/cancel/",
        f"/actions/{aw.mappa_action.pk}/due-date/",
        f"/actions/{aw.mappa_action.pk}/reassign/",
        "/actions/agency/",
        f"/actions/forums/{world.marac.pk}/completion/",
    ):
        page.goto(f"{live_server.url}{path}")
        check(path)
    page.goto(f"{live_server.url}/actions/prompts/{aw.prompt.pk}/")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("There is a problem").wait_for()
    check("prompt with errors")
    page.goto(f"{live_server.url}/actions/{aw.mappa_action.pk}/due-date/")
    page.get_by_role("button", name="Change the due date").click()
    page.get_by_text("There is a problem").wait_for()
    check("due date with errors")
    page.goto(f"{live_server.url}/actions/{aw.mappa_action.pk}/")
    page.get_by_role("button", name="Complete the action").click()
    page.get_by_text("There is a problem").wait_for()
    check("completion with errors")
    assert problems == {}
