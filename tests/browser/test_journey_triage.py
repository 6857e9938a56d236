"""Journey 8: the MARAC coordinator opens the day's triage, grades a case amber, regrades it red (first without
a reason: the error), records the Operation Encompass notice for the child and a MARAC referral; every triage
page passes axe."""

import datetime as dt

import pytest
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.events.models import Incident
from safeguard.meetings.models import Forum, Meeting
from safeguard.referrals.models import Referral
from safeguard.triage.models import EncompassNotice, GradeChange, TriageCase
from tests.triage.builders import build, incident

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def _today_triage(world) -> tuple[Forum, Incident]:
    """The built triage forum, set to meet today at 23:59 whatever day it is, with an incident a minute ago."""
    triage = build(world)
    forum = triage.forum
    forum.cadence, forum.first_meeting_on, forum.meeting_time = "weekly", timezone.localdate(), dt.time(23, 59)
    forum.save()
    found = incident(
        world,
        timezone.now() - dt.timedelta(minutes=1),
        place="Fictional Close",
        people=[(world.people.offender, "perpetrator"), (triage.victim, "victim"), (triage.child, "child_present")],
    )
    return forum, found


def test_the_coordinator_runs_the_days_triage(page, live_server, world):
    forum, found = _today_triage(world)
    marac = world.users.marac
    sign_in(page, live_server, marac)
    problems = {}

    def check(name):
        if found_problems := violations(page):
            problems[name] = found_problems

    page.goto(f"{live_server.url}/triage/")
    check("triage index")
    page.get_by_role("link", name=f"{forum.name}: today's triage").click()
    page.get_by_role("button", name="Open today's triage and load the incidents").wait_for()
    check("today, not yet opened")
    page.get_by_role("button", name="Open today's triage and load the incidents").click()
    page.get_by_text("1 new incident loaded.").wait_for()
    check("triage board")
    assert "Encompass notice due by" in page.content()

    page.get_by_role("link", name=found.reference).click()
    page.get_by_role("heading", name=f"Triage case {found.reference}").wait_for()
    check("triage case")
    page.get_by_label("Amber", exact=True).check()
    page.get_by_role("button", name="Grade", exact=True).click()
    page.get_by_text("The grade has been recorded.").wait_for()
    assert "Respond within 24 hours" in page.content()

    page.get_by_label("Red", exact=True).check()
    page.get_by_role("button", name="Regrade").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Give the reason for changing the grade" in page.content()
    check("case with a grade error")
    page.get_by_label("Reason for the grade").fill("Strangulation disclosed to the IDVA this morning.")
    page.get_by_role("button", name="Regrade").click()
    page.get_by_text("The grade has been recorded.").wait_for()
    assert "Amber to Red" in page.content() and "Respond within 4 hours" in page.content()

    page.get_by_role("link", name="Record the notice for Mia Example").click()
    page.get_by_role("heading", name="Operation Encompass notice for Mia Example").wait_for()
    check("Encompass notice form")
    page.get_by_label("School", exact=True).fill("Northtown Primary School")
    page.get_by_label("Designated safeguarding lead told").fill("Ms Head")
    page.get_by_label("The child's voice").fill("Said she hid upstairs with her headphones on.")
    now = timezone.localtime()
    page.get_by_label("Day").fill(str(now.day))
    page.get_by_label("Month").fill(str(now.month))
    page.get_by_label("Year").fill(str(now.year))
    page.get_by_label("Time the school was told").fill(f"{now:%H:%M}")
    page.get_by_role("button", name="Record the notice").click()
    page.get_by_text("The Operation Encompass notice has been recorded.").wait_for()
    assert "Northtown Primary School told" in page.content()

    page.get_by_role("link", name="Refer the victim to MARAC").click()
    page.get_by_role("heading", name="Refer Tanya Example to MARAC").wait_for()
    check("MARAC referral form")
    page.get_by_label("Professional judgement", exact=True).check()
    page.get_by_label("Reason for your professional judgement").fill("Escalating: threats to kill, children present.")
    page.get_by_role("group", name="Is the victim aware of the referral?").get_by_label("Yes").check()
    page.get_by_role("group", name="Does the victim consent to the referral?").get_by_label("Yes").check()
    page.get_by_role("button", name="Make and submit the referral").click()
    page.get_by_text("The MARAC referral has been made and submitted to the MARAC.").wait_for()

    case = TriageCase.objects.get(incident=found)
    assert case.grade == "red"
    assert [(g.from_grade, g.to_grade) for g in GradeChange.objects.filter(case=case)] == [
        ("", "amber"),
        ("amber", "red"),
    ]
    notice = EncompassNotice.objects.get(case=case)
    assert notice.school == "Northtown Primary School" and notice.child_present is True
    referral = case.marac_referral
    assert referral.status == Referral.Status.SUBMITTED and referral.person.pk == case.victim_id
    assert AuditEvent.objects.filter(actor_id=marac.pk, record_type="triage.triagecase", record_id=case.pk).count() >= 4

    meeting = Meeting.objects.get(pk=case.meeting_id)
    for name, path in (
        ("previous days", f"/triage/forums/{forum.pk}/meetings/"),
        ("add an incident", f"/triage/meetings/{meeting.pk}/add-incident/"),
        ("board after the case", f"/triage/meetings/{meeting.pk}/"),
    ):
        page.goto(f"{live_server.url}{path}")
        check(name)
    assert problems == {}
