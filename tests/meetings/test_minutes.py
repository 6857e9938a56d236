"""Minutes: what they hold, each reader's copy (restricted items and cases the reader may not see left out),
issuing them (once, after the meeting, with how long after its end), the PDF, access and the audit trail."""

from __future__ import annotations

import datetime as dt
import html
import importlib.util

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.access.gate import AccessRefused
from safeguard.access.services import VersionConflict
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.meetings.models import Meeting, SharedInformation
from safeguard.meetings.services import minutes
from safeguard.meetings.services.minutes import document
from safeguard.web.dates import time_of_day
from tests.meetings import minutes_fixtures as mf

MEETING = "meetings.meeting"
PLAN_HEADINGS = (
    "Supervision",
    "Monitoring and control",
    "Interventions and treatment",
    "Victim safety planning",
    "Contingency plans",
    "Licence conditions",
)


@pytest.fixture
def records(world):
    return mf.minutes_records(world)


def copy_for(user, meeting, operation=Operation.VIEW):
    return minutes.reader_copy(mf.ctx_for(user), meeting, operation)


# What the minutes hold ------------------------------------------------------------------------------------------


def test_the_minutes_hold_everything_a_reader_who_was_absent_needs(world, records):
    copy = copy_for(world.users.om, records.issued.meeting)
    body = html.unescape(str(copy.body))
    assert copy.available and copy.issued and not copy.withheld
    # The meeting, attendance by agency with apologies, the confidentiality statement and that it was read.
    assert "Fictional Shire MAPPA Level 3" in body and mf.PLACE in body
    for name in ("Olivia Mercer", "Casey Chairwell", "Harriet Hughes", "Ivy Day"):
        assert name in body
    assert "Apologies" in body
    assert "What is said in this meeting stays in it" in body
    read_at = timezone.localtime(records.issued.meeting.confidentiality_read_at)
    assert f"Read at {time_of_day(read_at)}" in body
    # Each case: name and identifiers, what each agency shared (fact apart from opinion, what was withheld).
    assert "Case 1: Jonathan Smith" in body and "2004/0012345D" in body and "17 May 1980" in body
    assert world.nominals.mine.reference in body
    assert "Case 2: Peter Quill" in body and "Deferred: the probation report is not ready." in body
    assert mf.POLICE_FACT in body and mf.PROBATION_OPINION in body and mf.WITHHELD in body
    assert body.index(mf.PROBATION_OPINION) > body.index("Opinion")
    # The restricting agency's copy has the restricted item, marked as restricted.
    assert mf.RESTRICTED_TEXT in body and "not shown to Northtown Housing" in body
    # The risk level agreed, every decision with its rationale and the dissent with its agency.
    assert "Very high" in body and "Level 3" in body
    for decision in records.issued.decisions:
        assert decision.text in body
        assert decision.rationale in body
    assert f"Dissent (Northtown Housing):</strong> {mf.DISSENT}" in body
    # The plan under every heading, and the actions with owner, due date and rationale.
    for heading in PLAN_HEADINGS:
        assert f">{heading}</dt>" in body
    for text in mf.PLAN.values():
        assert text in body
    for action in records.issued.actions:
        assert action.description in body and action.rationale in body
        assert f"{action.due_on.day} {action.due_on:%B %Y}" in body
        assert str(action.owner_agency) in body
    assert world.users.om.get_full_name() in body  # the owner of the police action
    review = records.issued.item.next_review_on
    assert f"{review.day} {review:%B %Y}" in body


def test_a_partners_copy_lacks_the_item_restricted_from_its_agency_and_says_so(world, records, client):
    meeting = records.issued.meeting
    partner = copy_for(world.users.partner, meeting)
    assert mf.RESTRICTED_TEXT not in partner.body
    assert mf.POLICE_FACT in partner.body and mf.PROBATION_OPINION in partner.body
    assert partner.withheld
    assert records.issued.restricted.pk not in partner.shown["shared"]
    # The agency that restricted it (the police) and the others not restricted from it see it.
    for reader in (world.users.om, world.users.chair, world.users.coordinator):
        assert mf.RESTRICTED_TEXT in copy_for(reader, meeting).body
        assert not copy_for(reader, meeting).withheld
    # The page says items were withheld from the agency, but not which.
    mf_client = _signed_in(client, world.users.partner)
    page = mf_client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk})).content.decode()
    assert "Some items shared at this meeting are restricted from Northtown Housing" in page
    assert mf.RESTRICTED_TEXT not in page


def test_the_issued_minutes_are_kept_whole_and_each_copy_is_cut_from_them(world, records):
    meeting = records.issued.meeting
    assert mf.RESTRICTED_TEXT in meeting.minutes_html
    assert meeting.minutes_issued_at == meeting.ends_at + dt.timedelta(minutes=40)
    # Issued text is the record: a later change to a record's text does not change the copies.
    SharedInformation.objects.filter(pk=records.issued.fact.pk).update(content="Changed after the meeting.")
    body = copy_for(world.users.om, meeting).body
    assert mf.POLICE_FACT in body and "Changed after the meeting." not in body


def test_a_case_whose_person_the_reader_may_no_longer_see_is_left_out_and_counted(world, records):
    records.cases[1].closed_on = timezone.localdate()
    records.cases[1].save()
    partner = copy_for(world.users.partner, records.issued.meeting)
    assert "Peter Quill" not in partner.body and "Jonathan Smith" in partner.body
    assert partner.cases_left_out == 1
    assert "Peter Quill" in copy_for(world.users.coordinator, records.issued.meeting).body


def test_typed_text_cannot_forge_a_marker(world, records):
    item = records.held.item
    forged = SharedInformation.objects.create(
        item=item,
        agency=world.police,
        content=f"<!--/sg:shared:{records.held.restricted.pk}--> <!--/sg:item:{item.pk}-->",
        recorded_by=world.users.coordinator,
    )
    forged.restricted_from.set([world.housing])
    html = minutes.render_full(records.held.meeting)
    assert "&lt;!--/sg:item:" in html
    body, shown, dropped = document.filter_copy(
        html, {"item": {item.pk}, "shared": {records.held.fact.pk}, "plan": set(), "action": set(), "nominal": set()}
    )
    assert mf.RESTRICTED_TEXT not in body and "&lt;!--" not in body
    assert forged.pk in dropped["shared"] and shown["shared"] == {records.held.fact.pk}
    # Shown, the forged text is only text: it closes nothing and the restricted item stays out.
    body, shown, dropped = document.filter_copy(
        html,
        {"item": {item.pk}, "shared": {forged.pk}, "plan": {records.held.plan.pk}, "action": set(), "nominal": set()},
    )
    assert "&lt;!--/sg:item:" in body and mf.RESTRICTED_TEXT not in body
    assert "Weekly appointments with the offender manager." in body  # the plan after the forged text is still there


def test_a_broken_marker_stops_the_copy_and_an_unknown_part_is_dropped():
    with pytest.raises(document.MinutesMarkersBroken):
        document.filter_copy("<!--sg:item:1-->no end", {"item": {1}})
    body, shown, dropped = document.filter_copy("a<!--sg:plan:9-->secret<!--/sg:plan:9-->b", {})
    assert body == "ab" and dropped["plan"] == {9} and not shown["plan"]


# Issuing -------------------------------------------------------------------------------------------------------


def test_the_coordinator_or_the_chair_issues_the_minutes_once(world, records):
    meeting = records.held.meeting
    before = timezone.now()
    minutes.issue_minutes(mf.ctx_for(world.users.chair), meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    assert meeting.minutes_issued_at >= before
    assert mf.RESTRICTED_TEXT in meeting.minutes_html
    assert f"by {world.users.chair.get_full_name()}" in meeting.minutes_html
    event = AuditEvent.objects.get(record_type=MEETING, record_id=meeting.pk, detail__minutes_issued=True)
    assert event.actor_id == world.users.chair.pk and event.operation == Operation.CHANGE
    with pytest.raises(ValidationError, match="The minutes were issued on"):
        minutes.issue_minutes(mf.ctx_for(world.users.coordinator), meeting, expected_version=meeting.version)


def test_minutes_are_issued_only_after_the_meeting_and_against_the_version_shown(world, records):
    upcoming = records.upcoming
    with pytest.raises(ValidationError, match="the minutes are issued once the meeting has ended"):
        minutes.issue_minutes(mf.ctx_for(world.users.coordinator), upcoming, expected_version=upcoming.version)
    held = records.held.meeting
    with pytest.raises(VersionConflict):
        minutes.issue_minutes(mf.ctx_for(world.users.coordinator), held, expected_version=held.version - 1)
    held.refresh_from_db()
    assert held.minutes_issued_at is None and held.minutes_html == ""


@pytest.mark.parametrize("who", ["om", "partner", "supervisor", "idva"])
def test_only_those_who_run_the_meeting_issue_its_minutes(world, records, who):
    held = records.held.meeting
    with pytest.raises(AccessRefused):
        minutes.issue_minutes(mf.ctx_for(getattr(world.users, who)), held, expected_version=held.version)
    held.refresh_from_db()
    assert held.minutes_issued_at is None


def test_the_copy_shows_how_long_after_the_meeting_the_minutes_were_issued(world, records):
    copy = copy_for(world.users.om, records.issued.meeting)
    assert copy.issued_after == "40 minutes" and copy.within_aim is True
    held = records.held.meeting
    minutes.issue_minutes(
        mf.ctx_for(world.users.coordinator),
        held,
        expected_version=held.version,
        now=held.ends_at + dt.timedelta(minutes=90),
    )
    late = copy_for(world.users.om, held)
    assert late.issued_after == "1 hour 30 minutes" and late.within_aim is False
    assert "later than the hour Safeguard aims for" in late.body


@pytest.mark.parametrize(
    ("minutes_after", "words", "within"),
    [
        (0, "0 minutes", True),
        (1, "1 minute", True),
        (59, "59 minutes", True),
        (60, "1 hour", True),
        (61, "1 hour 1 minute", False),
        (24 * 60, "1 day", False),
        (2 * 24 * 60 + 180, "2 days 3 hours", False),
    ],
)
def test_how_long_after_is_said_in_words_at_the_hour_boundary(minutes_after, words, within):
    span = dt.timedelta(minutes=minutes_after)
    assert document.duration_words(span) == words
    assert (span <= minutes.MINUTES_AIM) is within


def test_before_issue_only_those_who_run_the_meeting_see_the_draft(world, records):
    held = records.held.meeting
    om = copy_for(world.users.om, held)
    assert not om.available and om.body == ""
    draft = copy_for(world.users.coordinator, held)
    assert draft.available and not draft.issued
    assert "<strong>Draft</strong>: not issued" in draft.body and mf.POLICE_FACT in draft.body


# The PDF --------------------------------------------------------------------------------------------------------


def _page_texts(pdf_document):
    from weasyprint.formatting_structure import boxes

    for page in pdf_document.pages:
        texts = []

        def walk(box, texts=texts):
            if isinstance(box, boxes.TextBox):
                texts.append((box.position_y, box.text))
            for child in getattr(box, "children", None) or ():
                walk(child)

        walk(page._page_box)
        yield page, texts


def test_the_pdf_is_a_real_pdf_marked_on_every_page_and_respects_restrictions(world, records, client):
    meeting = records.issued.meeting
    _signed_in(client, world.users.partner)
    response = client.get(reverse("meetings:minutes-pdf", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "smith" not in disposition.lower()

    partner_document = minutes.minutes_document(copy_for(world.users.partner, meeting, Operation.EXPORT))
    assert len(partner_document.pages) >= 2
    mm = 96 / 25.4  # CSS pixels per millimetre
    all_text = []
    for page, texts in _page_texts(partner_document):
        marks = [y for y, text in texts if text == "OFFICIAL-SENSITIVE"]
        assert any(y < 24 * mm for y in marks), "no marking in the top margin"
        assert any(y > page.height - 22 * mm for y in marks), "no marking in the bottom margin"
        all_text.append(" ".join(text for _, text in texts))
    text = " ".join(all_text)
    assert "Do not share beyond your agency without the chair's permission" in text
    assert "Fictional Shire MAPPA Level 3" in text and "Copy for" in text and "Northtown Housing" in text
    assert "Covert source" not in text and "restricted from Northtown Housing" in text
    assert "Page 1 of" in text

    if importlib.util.find_spec("pdfminer") is not None:  # the PDF's own text, where pdfminer is installed
        import io

        from pdfminer.high_level import extract_text

        extracted = extract_text(io.BytesIO(pdf))
        assert extracted.count("OFFICIAL-SENSITIVE") >= 2 * len(partner_document.pages)
        assert mf.RESTRICTED_TEXT not in extracted


def test_the_draft_pdf_says_draft(world, records):
    copy = copy_for(world.users.coordinator, records.held.meeting, Operation.EXPORT)
    text = " ".join(" ".join(t for _, t in texts) for _, texts in _page_texts(minutes.minutes_document(copy)))
    assert "DRAFT: not issued" in text and "Draft minutes" in text


# Access and audit ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "chair", "om", "partner", "supervisor"])
def test_the_agencies_that_attended_and_those_who_run_the_meeting_read_the_minutes(world, records, who):
    assert copy_for(getattr(world.users, who), records.issued.meeting).available


@pytest.mark.parametrize("who", ["idva", "away_om", "analyst", "admin", "norole"])
def test_others_may_not_read_the_minutes_and_the_refusal_is_audited(world, records, client, who):
    user = getattr(world.users, who)
    meeting = records.issued.meeting
    with pytest.raises(AccessRefused):
        copy_for(user, meeting)
    _signed_in(client, user)
    for name in ("meetings:minutes", "meetings:minutes-pdf"):
        assert client.get(reverse(name, kwargs={"pk": meeting.pk})).status_code == 404
    refusals = AuditEvent.objects.filter(
        actor_id=user.pk, record_type=MEETING, record_id=meeting.pk, outcome=Outcome.REFUSED
    )
    assert {e.operation for e in refusals} == {Operation.VIEW, Operation.EXPORT}


def test_every_view_and_download_is_audited_with_the_cases_shown(world, records, client):
    meeting = records.issued.meeting
    partner = world.users.partner
    _signed_in(client, partner)
    assert client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk})).status_code == 200
    assert client.get(reverse("meetings:minutes-pdf", kwargs={"pk": meeting.pk})).status_code == 200
    mine = AuditEvent.objects.filter(actor_id=partner.pk, outcome=Outcome.ALLOWED)
    for operation in (Operation.VIEW, Operation.EXPORT):
        event = mine.get(operation=operation, record_type=MEETING, record_id=meeting.pk, detail__page="minutes")
        assert sorted(event.detail["cases"]) == sorted([records.issued.item.pk, records.issued.deferred.pk])
        assert event.detail["withheld_from_agency"] is True
        for record_type, pk in (
            ("meetings.agendaitem", records.issued.item.pk),
            ("meetings.agendaitem", records.issued.deferred.pk),
            ("meetings.riskmanagementplan", records.issued.plan.pk),
            ("offenders.nominal", world.nominals.mine.pk),
        ):
            assert mine.filter(operation=operation, record_type=record_type, record_id=pk).exists()
        actions = mine.get(operation=operation, record_type="actions.action", record_id=None)
        assert sorted(actions.detail["shown"]) == sorted(a.pk for a in records.issued.actions)


def test_the_minutes_page_offers_issue_and_pdf_to_those_who_run_the_meeting(world, records, client):
    held = records.held.meeting
    _signed_in(client, world.users.coordinator)
    page = client.get(reverse("meetings:minutes", kwargs={"pk": held.pk})).content.decode()
    assert "Draft minutes" in page and "Issue the minutes" in page and "Download the PDF of the draft" in page
    assert "Share with another agency" not in page  # the coordinator is not the chair
    response = client.post(reverse("meetings:minutes-issue", kwargs={"pk": held.pk}), {"version": held.version})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The minutes have been issued." in page and "Within the hour" in page
    assert "Issue the minutes" not in page
    stale = client.post(reverse("meetings:minutes-issue", kwargs={"pk": held.pk}), {"version": held.version})
    assert stale.status_code == 200 and "There is a problem" in stale.content.decode()


def test_readers_are_told_when_the_minutes_are_not_issued_yet(world, records, client):
    _signed_in(client, world.users.om)
    response = client.get(reverse("meetings:minutes", kwargs={"pk": records.held.meeting.pk}))
    assert "have not been issued yet" in response.content.decode()
    pdf = client.get(reverse("meetings:minutes-pdf", kwargs={"pk": records.held.meeting.pk}))
    assert pdf.status_code == 302


def test_an_in_progress_meeting_cannot_be_issued_from_the_page(world, records, client):
    meeting = records.upcoming
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.IN_PROGRESS, chair=world.users.chair)
    meeting.refresh_from_db()
    _signed_in(client, world.users.chair)
    response = client.post(reverse("meetings:minutes-issue", kwargs={"pk": meeting.pk}), {"version": meeting.version})
    assert response.status_code == 200
    assert "the minutes are issued once the meeting has ended" in response.content.decode()


def _signed_in(client, user):
    from tests.conftest import verified_client

    return verified_client(client, user)
