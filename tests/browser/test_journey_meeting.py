"""Journey 4: the MAPPA coordinator runs a Level 2 meeting at 1366x768.

Builds the agenda (the Level 2 review due is on it), tries an ineligible chair (refused with the reason) and
sets an eligible one, starts the meeting, records attendance and the confidentiality statement, records what
an agency shared (restricted from another), agrees the level (applied to the nominal), records a decision with
a dissent, saves a risk management plan and an action; axe finds no serious problem on any page on the way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguard.actions.models import Action
from safeguard.demo import factories as f
from safeguard.meetings.models import Attendance, Decision, ForumCase, Meeting, RiskManagementPlan, SharedInformation
from safeguard.offenders.models import Nominal
from safeguard.web.dates import long_date
from safeguard.workforce.models import Role
from tests.meetings.builders import at, mappa_forum, train_chair

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def test_the_coordinator_runs_a_level_2_meeting(page, live_server, world):
    today = timezone.localdate()
    forum = mappa_forum(world)
    Nominal.objects.filter(pk=world.nominals.mine.pk).update(management_level=2, mappa_review_due=today)
    ForumCase.objects.create(forum=forum, person=world.people.offender, opened_on=today - dt.timedelta(days=60))
    meeting = Meeting.objects.create(forum=forum, starts_at=at(today, 10), place="Fictional Shire Police HQ")
    carys = f.staff("carys", world.police, [Role.CHAIR], rank="Chief Inspector", first="Carys", last="Inspector")
    train_chair(carys, world.users.supervisor)
    problems: dict[str, list] = {}

    def check(name: str) -> None:
        found = violations(page)
        if found:
            problems[name] = found

    sign_in(page, live_server, world.users.coordinator)
    page.goto(f"{live_server.url}/forums/")
    check("forums")
    page.get_by_role("link", name=forum.name).click()
    page.get_by_role("heading", name=forum.name).wait_for()
    assert "Chair's rank" in page.content() and "1</span> open case" in page.content()
    check("forum")
    page.get_by_role("link", name=timezone.localtime(meeting.starts_at).strftime("%a %-d %b %Y, %H:%M")).click()
    page.get_by_role("heading", name="Meeting on").wait_for()

    page.get_by_role("button", name="Build the agenda").click()
    page.get_by_text("The agenda has been built: 1 cases").wait_for()
    agenda = page.get_by_role("table", name="Reviews due")
    assert "Jonathan Smith" in agenda.inner_text() and f"Review due {long_date(today)}" in agenda.inner_text()
    check("meeting with its agenda")

    page.get_by_role("link", name="Set the chair").click()
    check("chair")
    page.get_by_label("Chair").select_option(
        label=f"Alex Example, Senior Probation Officer, {world.probation} (not eligible)"
    )
    page.get_by_role("button", name="Set the chair").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "May not chair Level 2 meetings" in summary.inner_text()
    assert "MAPPA chair training and CPD: not completed" in summary.inner_text()
    check("chair refused")
    page.get_by_label("Chair").select_option(label=f"Carys Inspector, Chief Inspector, {world.police}")
    page.get_by_role("button", name="Set the chair").click()
    page.get_by_text("Carys Inspector will chair the meeting.").wait_for()
    assert "Level 2 chairs need Inspector or above" in page.content()

    page.get_by_role("button", name="Start the meeting").click()
    page.get_by_text("The meeting has started.").wait_for()

    page.get_by_role("link", name="Attendance").click()
    page.get_by_role("link", name="Add one person at a time instead").click()
    for agency, name, role in ((world.police, "DI Rivers", "Police"), (world.probation, "Sam Lee", "SPO")):
        page.get_by_label("Agency").select_option(label=agency.name)
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Role").fill(role)
        page.get_by_label("Present", exact=True).check()
        page.get_by_role("button", name="Add to the attendance").click()
        page.get_by_text(f"{name} has been added to the attendance.").wait_for()
    check("attendance")
    page.get_by_role("link", name="Back to the meeting").click()
    page.get_by_role("link", name="Confidentiality statement").click()
    assert "What is said here stays here" in page.content()
    check("confidentiality")
    page.get_by_label(f"DI Rivers ({world.police})").check()
    page.get_by_label(f"Sam Lee ({world.probation})").check()
    page.get_by_role("button", name="The statement has been read").click()
    page.get_by_text("The confidentiality statement is recorded as read.").wait_for()

    page.get_by_role("link", name="Jonathan Smith").click()
    page.get_by_role("heading", name="Jonathan Smith").wait_for()
    check("case")
    page.get_by_role("link", name="Record what an agency shared").click()
    page.get_by_role("button", name="Record it").click()
    page.locator(".govuk-error-summary").wait_for()
    check("share with errors")
    page.get_by_label("Agency sharing").select_option(label=world.police.name)
    page.get_by_label("What the agency shared").fill("Covert intelligence: seen outside the victim's new address.")
    page.get_by_label(world.probation.name).check()
    page.get_by_role("button", name="Record it").click()
    page.get_by_text(f"What {world.police} shared has been recorded.").wait_for()
    assert "Not shown to: Fictional Shire Probation" in page.content()

    page.get_by_role("link", name="Agree the levels").click()
    check("levels")
    page.get_by_label("Very high").check()
    page.get_by_label("Level 3").check()
    page.get_by_label("Rationale").fill("Escalating approaches to the victim since release.")
    page.get_by_label("Dissenting view").fill("Probation: Level 2 with a curfew is enough.")
    page.get_by_label("Agency dissenting").select_option(label=world.probation.name)
    page.get_by_role("button", name="Record the levels agreed").click()
    page.get_by_text("The levels agreed have been recorded.").wait_for()

    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Decision", exact=True).fill("Apply for a Sexual Harm Prevention Order")
    page.get_by_label("Rationale").fill("Repeated approaches to children near the school.")
    page.get_by_label("Dissenting view").fill("Probation: not enough evidence yet.")
    page.get_by_label("Agency dissenting").select_option(label=world.probation.name)
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("The decision has been recorded.").wait_for()

    page.get_by_role("link", name="Risk management plan").click()
    check("plan")
    page.get_by_label("Supervision").fill("Weekly appointments with the offender manager")
    page.get_by_label("Monitoring and control").fill("Curfew 19:00 to 07:00; electronic monitoring")
    page.get_by_label("Interventions and treatment").fill("Healthy Relationships programme")
    page.get_by_label("Victim safety planning").fill("Exclusion zone around the victim's address")
    page.get_by_label("Licence conditions").fill("No contact with the victim")
    page.get_by_role("button", name="Save as a new version").click()
    page.get_by_text("Version 1 of the risk management plan has been saved.").wait_for()

    page.get_by_role("link", name="Add an action").click()
    check("action")
    due = today + dt.timedelta(days=14)
    page.get_by_label("Action", exact=True).fill("Apply to the court for the SHPO")
    page.get_by_label("Rationale").fill("Agreed by the panel, police to lead.")
    page.get_by_label("Owner agency").select_option(label=world.police.name)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_label("Part of the risk management plan").check()
    page.get_by_role("button", name="Add the action").click()
    page.get_by_text("The action has been recorded.").wait_for()
    check("case with everything recorded")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # no sideways scrolling on a laptop

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS and meeting.chair == carys
    assert meeting.confidentiality_read_at is not None
    assert Attendance.objects.filter(meeting=meeting, agreed_confidentiality=True).count() == 2
    shared = SharedInformation.objects.get(item__meeting=meeting)
    assert list(shared.restricted_from.all()) == [world.probation]
    nominal = Nominal.objects.get(pk=world.nominals.mine.pk)
    assert nominal.management_level == 3
    assert "Escalating approaches" in nominal.history.first().history_change_reason
    assert Decision.objects.filter(item__meeting=meeting, dissent_agency=world.probation).count() == 2
    plan = RiskManagementPlan.objects.get(person=world.people.offender, forum=forum)
    assert plan.version == 1 and plan.victim_safety.startswith("Exclusion zone")
    action = Action.objects.get(agenda_item__meeting=meeting)
    assert (action.owner_agency, action.due_on, action.plan) == (world.police, due, plan)
    assert problems == {}
