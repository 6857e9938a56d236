"""Journey 4's end in Chromium: the chair issues the minutes after the meeting, prints the PDF, and shares the
minutes with an agency that did not attend; axe over the minutes pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard.meetings.models import MinutesShare
from safeguard.meetings.services import minutes
from tests.meetings import minutes_fixtures as mf

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser

REASON = "The IDVA supports the former victim and must know the exclusion zone."


def test_the_chair_issues_prints_and_shares_the_minutes(page, live_server, world):
    records = mf.minutes_records(world)
    meeting = records.held.meeting
    sign_in(page, live_server, world.users.chair)

    page.goto(f"{live_server.url}/forums/meetings/{meeting.pk}/minutes/")
    page.get_by_role("heading", name="Draft minutes").wait_for()
    assert "Do not share beyond your agency without the chair" in page.content()
    assert mf.RESTRICTED_TEXT in page.content()  # probation is not restricted from it
    page.get_by_role("button", name="Issue the minutes").click()
    page.get_by_text("The minutes have been issued.").wait_for()
    page.get_by_text("Within the hour", exact=True).wait_for()
    meeting.refresh_from_db()
    assert meeting.minutes_issued_at is not None and mf.POLICE_FACT in meeting.minutes_html

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert download.value.suggested_filename.endswith("-minutes.pdf")
    assert "smith" not in download.value.suggested_filename.lower()

    page.get_by_role("link", name="Share with another agency").click()
    page.get_by_role("heading", name="Share the minutes with another agency").wait_for()
    page.get_by_role("button", name="Share the minutes").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Choose the agency to share the minutes with" in page.content()
    assert not MinutesShare.objects.exists()
    page.get_by_label("Agency", exact=True).select_option(label="Fictional IDVA Service")
    page.get_by_label("Why the agency needs the minutes").fill(REASON)
    page.get_by_role("button", name="Share the minutes").click()
    page.get_by_text("The minutes have been shared with Fictional IDVA Service.").wait_for()
    assert REASON in page.content()

    share = MinutesShare.objects.get()
    assert share.agency == world.idva_service and share.permitted_by == world.users.chair
    assert minutes.reader_copy(mf.ctx_for(world.users.idva), meeting).available


def test_minutes_pages_have_no_serious_violations(page, live_server, world):
    records = mf.minutes_records(world)
    issued = records.issued.meeting
    problems = {}

    def check(path: str, label: str | None = None):
        if path:
            page.goto(f"{live_server.url}{path}")
        if found := violations(page):
            problems[label or path] = found

    sign_in(page, live_server, world.users.chair)
    check(f"/forums/meetings/{issued.pk}/minutes/")
    check(f"/forums/meetings/{records.held.meeting.pk}/minutes/", "draft minutes")
    check(f"/forums/meetings/{issued.pk}/minutes/share/")
    page.get_by_role("button", name="Share the minutes").click()
    page.get_by_text("There is a problem").wait_for()
    check("", "share form with errors")
    check(f"/forums/meetings/{issued.pk}/quality/")
    page.get_by_role("button", name="Save the audit").click()
    page.get_by_text("There is a problem").wait_for()
    check("", "quality audit with errors")
    for label in ("Papers circulated before the meeting", "Meeting started on time", "Purpose of the meeting stated"):
        page.get_by_role("group", name=label).get_by_label("4 Excellent").check()
    for label in (
        "Confidentiality statement read",
        "Dissent recorded",
        "Victim and diversity issues addressed",
        "Chair summarised the risk of serious harm factors",
    ):
        page.get_by_role("group", name=label).get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Save the audit").click()
    page.get_by_text("The meeting quality audit has been saved.").wait_for()
    assert "24 of 28" in page.content()
    check("", "quality audit saved")
    check(f"/forums/{records.forum.pk}/quality/")
    assert problems == {}
