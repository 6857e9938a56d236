"""axe-core over the main pages: no serious or critical violations."""

import pytest

from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser

# Loaded from Safeguard's own static files: an inline copy would be refused by the Content-Security-Policy.
AXE = "/static/vendor/axe/axe.min.js"
BLOCKING = {"serious", "critical"}


def violations(page):
    page.add_script_tag(url=AXE)
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a','wcag2aa','wcag21aa','wcag22aa']})).violations"
    )
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found if v["impact"] in BLOCKING]


def test_main_pages_have_no_serious_violations(page, live_server, world):
    page.goto(f"{live_server.url}/sign-in/")
    assert violations(page) == []
    sign_in(page, live_server, world.users.om)
    pages = [
        "/",
        "/search/",
        f"/nominals/{world.nominals.mine.pk}/",
        f"/nominals/{world.nominals.mine.pk}/change/",
        f"/nominals/{world.nominals.mine.pk}/history/",
        f"/people/{world.people.offender.pk}/",
        "/purpose/",
        f"/people/{world.people.victim.pk}/assessments/dash/new/",
        f"/people/{world.people.offender.pk}/assessments/rm2000/new/",
        f"/people/{world.people.offender.pk}/assessments/arms/new/",
        f"/people/{world.people.victim.pk}/assessments/dara/new/",
        f"/people/{world.people.offender.pk}/notifications/new/",
        "/rules/",
        "/rules/notification/",
        "/rules/dash/",
        "/rules/rm2000/",
        "/rules/rfg/",
    ]
    problems = {}
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        found = violations(page)
        if found:
            problems[path] = found
    # A search with results and a form with errors are pages too.
    page.goto(f"{live_server.url}/search/")
    page.locator("#main-content").get_by_label("Name").fill("Smith")
    page.locator("#main-content").get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 result").wait_for()
    if found := violations(page):
        problems["search results"] = found
    page.goto(f"{live_server.url}/nominals/{world.nominals.mine.pk}/change/")
    page.get_by_label("Management level").select_option("3")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("There is a problem").wait_for()
    if found := violations(page):
        problems["change form with errors"] = found
    assert problems == {}
