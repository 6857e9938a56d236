"""Journey: a supervisor records a MOSOVO completion for a team member and sees them become able to hold
Level 2 and 3 nominals; the training pages pass axe (no serious or critical violations)."""

import datetime as dt

import pytest

from safeguard.audit.models import AuditEvent
from safeguard.workforce.models import TrainingCompletion
from tests.workforce.roles_training import records

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def _competence_row(page, name):
    return page.locator("#competence + table tbody tr", has_text=name)


def test_supervisor_records_mosovo_and_competence_changes(page, live_server, world):
    records(world)
    om, supervisor = world.users.om, world.users.supervisor
    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/workforce/training/")
    page.get_by_role("heading", name="Training and competence").wait_for()
    row = _competence_row(page, "Olivia Mercer")
    assert row.locator("td").nth(1).inner_text().strip() == "No"  # after the rank or grade
    assert "Needs a buddy" not in row.inner_text()  # om already works with a buddy

    page.get_by_role("link", name="Record a completion for Olivia Mercer").click()
    page.get_by_role("heading", name="Record a course completion").wait_for()
    page.get_by_role("button", name="Record the completion").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Choose the course" in page.content()

    completed = dt.date.today() - dt.timedelta(days=7)
    page.get_by_label("Course").select_option(label="MOSOVO (Management of Sexual or Violent Offenders)")
    group = page.get_by_role("group", name="Date completed")
    group.get_by_label("Day").fill(str(completed.day))
    group.get_by_label("Month").fill(str(completed.month))
    group.get_by_label("Year").fill(str(completed.year))
    page.get_by_label("Certificate or evidence").fill("MOSOVO-2025-114")
    page.get_by_role("button", name="Record the completion").click()
    page.get_by_text("completion recorded").wait_for()
    assert page.locator("#may-hold").inner_text().strip() == "Yes"
    page.get_by_text("trained now, so the pairing can end").wait_for()

    page.get_by_role("link", name="Training and competence").first.click()
    page.get_by_role("heading", name="Training and competence").wait_for()
    assert _competence_row(page, "Olivia Mercer").locator("td").nth(1).inner_text().strip() == "Yes"

    completion = TrainingCompletion.objects.get(staff=om, course__code="mosovo")
    assert completion.completed_on == completed and completion.recorded_by == supervisor
    assert AuditEvent.objects.filter(
        actor_id=supervisor.pk, operation="create", record_type="workforce.trainingcompletion", record_id=completion.pk
    ).exists()


def test_training_pages_have_no_serious_violations(page, live_server, world):
    t = records(world)
    om = world.users.om
    sign_in(page, live_server, world.users.supervisor)
    pages = [
        "/workforce/training/",
        f"/workforce/training/officers/{om.pk}/",
        f"/workforce/training/officers/{om.pk}/completions/new/",
        f"/workforce/training/officers/{om.pk}/waiting-list/new/",
        f"/workforce/training/officers/{om.pk}/buddy/new/",
        f"/workforce/training/completions/{t.completion.pk}/change/",
        f"/workforce/training/completions/{t.completion.pk}/remove/",
        f"/workforce/training/waiting-list/{t.offered.pk}/",
        "/workforce/training/places/new/",
        f"/workforce/training/places/{t.place.pk}/offer/",
        f"/workforce/training/buddies/{t.buddy.pk}/end/",
    ]
    problems = {}
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        if found := violations(page):
            problems[path] = found
    # Forms with errors are pages too.
    page.goto(f"{live_server.url}/workforce/training/places/new/")
    page.get_by_role("button", name="Record the places").click()
    page.get_by_text("There is a problem").wait_for()
    if found := violations(page):
        problems["places form with errors"] = found
    page.goto(f"{live_server.url}/workforce/training/waiting-list/{t.offered.pk}/")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("There is a problem").wait_for()
    if found := violations(page):
        problems["entry form with errors"] = found
    page.goto(f"{live_server.url}/workforce/training/places/{t.place.pk}/offer/")
    page.get_by_role("button", name="Offer the places").click()
    page.get_by_text("There is a problem").wait_for()
    if found := violations(page):
        problems["offer form with errors"] = found
    assert problems == {}


def test_the_coordinators_area_view_passes_axe(page, live_server, world):
    records(world)
    sign_in(page, live_server, world.users.coordinator)
    page.goto(f"{live_server.url}/workforce/training/")
    page.get_by_label("Team").select_option(index=1)
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("heading", name="Training and competence").wait_for()
    assert violations(page) == []
