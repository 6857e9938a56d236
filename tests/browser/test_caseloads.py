"""Journey 9 (the caseload part): a supervisor opens the team's caseloads from the navigation and sees the
officer over the ratio flagged with the reason; the workforce pages pass axe."""

import datetime as dt
import re

import pytest

from safeguard.workforce.models import AreaSettings
from tests.workforce.test_caseloads import add_cases, officer

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_team(world):
    over = officer(world, "overloaded", last="Stretched")
    add_cases(over, 51, world)
    steady = officer(world, "steady", last="Even")
    add_cases(steady, 40, world)
    add_cases(steady, 10, world, rosh="high")
    return over, steady


def test_supervisor_sees_the_over_ratio_officer_flagged_with_the_reason(page, live_server, world, busy_team):
    over, steady = busy_team
    sign_in(page, live_server, world.users.supervisor)
    page.get_by_role("link", name="Workforce").click()
    page.get_by_role("heading", name="Workforce", level=1).wait_for()
    page.get_by_role("link", name="Your team's caseloads").click()
    page.get_by_role("heading", name="Who is over, by how much and why").wait_for()

    flagged = page.locator(".sg-over", has_text="Overloaded Stretched")
    assert flagged.get_by_text("Over the ratio by 1").is_visible()
    assert flagged.get_by_text("51 cases, 1 more than the area's ratio of 50 per officer").is_visible()
    assert page.locator(".sg-over", has_text="Steady Even").count() == 0  # exactly 50 and exactly 20%: within
    # The chart flags the same officer, and says so in words for those who cannot see it.
    chart = page.get_by_role("img", name=re.compile("Caseload per officer"))
    assert chart.is_visible()
    assert "Overloaded Stretched (51)" in page.locator("#chart-caseload-desc").text_content()
    # The table row, worst first.
    first_row = page.locator("#officers-table ~ .sg-table-scroll tbody tr").first
    assert "Overloaded Stretched" in first_row.inner_text()

    page.get_by_role("link", name="Overloaded Stretched").first.click()
    page.get_by_role("heading", name="Overloaded Stretched").wait_for()
    assert "Over the ratio by 1" in page.content()
    page.get_by_text("How these figures were worked out").click()
    assert page.get_by_text("51 units against the ratio of 50: over by 1").is_visible()


def test_workforce_pages_have_no_serious_violations(page, live_server, world, busy_team):
    over, _ = busy_team
    AreaSettings.objects.update_or_create(
        area=world.home["mappa"],
        defaults={"probation_grade_targets": {"po": {"nominal_target": 100, "default_contracted_hours": 37}}},
    )
    from safeguard.demo import factories as f

    pdu = f.team(world.probation, "Northtown PDU", world.home["local"][0])
    practitioner = officer(world, "practitioner", team=pdu, agency=world.probation, rank="PO", last="Probation")
    add_cases(practitioner, 3, world, tier="B2")
    add_cases(practitioner, 1, world, tier="A3", release_date=dt.date.today() - dt.timedelta(days=3))

    problems = {}
    sign_in(page, live_server, world.users.supervisor)
    for path in ("/workforce/", "/workforce/caseloads/", f"/workforce/officers/{over.pk}/", "/workforce/pack/"):
        page.goto(f"{live_server.url}{path}")
        if found := violations(page):
            problems[path] = found
    page.context.clear_cookies()

    sign_in(page, live_server, world.users.coordinator)
    for path in (
        "/workforce/caseloads/",
        f"/workforce/caseloads/?team={pdu.pk}",
        f"/workforce/officers/{practitioner.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        if found := violations(page):
            problems[path] = found
    # The impact form, with an error and with an answer.
    page.get_by_label("Tier of the proposed case").fill("Z9")
    page.get_by_label("Community").check()
    page.get_by_role("button", name="Work out the impact").click()
    page.get_by_text("There is a problem").wait_for()
    if found := violations(page):
        problems["impact form with errors"] = found
    page.get_by_label("Tier of the proposed case").fill("B2")
    page.get_by_role("button", name="Work out the impact").click()
    page.locator("#impact-after").wait_for()
    if found := violations(page):
        problems["impact answer"] = found
    assert problems == {}
