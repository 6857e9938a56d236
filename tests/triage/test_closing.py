"""Closing the day's triage asks first, says what it leaves undone, and can be reopened within the window."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.meetings.models import ForumCase, Meeting
from safeguard.triage import services

from .builders import at, incident


def _url(name, **kwargs):
    return reverse(f"triage:{name}", kwargs=kwargs)


def test_the_close_page_lists_the_ungraded_cases_and_unsent_notices_before_anything_changes(world, triage, sign_in):
    second = incident(world, at(triage.day, 3, 0))
    services.load(triage.ctx, triage.meeting)
    client = sign_in(world.users.marac)
    board = client.get(_url("board", pk=triage.meeting.pk)).content.decode()
    assert f'href="{_url("close", pk=triage.meeting.pk)}"' in board  # a link to the question, not a button that closes
    page = client.get(_url("close", pk=triage.meeting.pk)).content.decode()
    assert "Are you sure you want to close the triage" in page
    assert "2 cases left ungraded, 2 cases without an outcome, 1 school notice unsent" in page
    assert triage.incident.reference in page and second.reference in page
    assert "Yes, close the triage" in page and "No, go back to the board" in page
    assert Meeting.objects.get(pk=triage.meeting.pk).status != Meeting.Status.HELD


def test_closing_with_work_left_says_so_as_a_warning_not_a_success(world, triage, sign_in):
    client = sign_in(world.users.marac)
    response = client.post(_url("close", pk=triage.meeting.pk), {"version": str(triage.meeting.version)}, follow=True)
    page = response.content.decode()
    assert "Triage closed: 1 case left ungraded, 1 case without an outcome, 1 school notice unsent." in page
    assert "govuk-notification-banner--success" not in page and "Important" in page
    assert "It can be reopened until" in page and "Reopen the triage" in page
    meeting = Meeting.objects.get(pk=triage.meeting.pk)
    assert meeting.status == Meeting.Status.HELD and meeting.held_at is not None
    event = AuditEvent.objects.get(record_type="meetings.meeting", record_id=meeting.pk, detail__status="held")
    assert event.detail["ungraded"] == 1 and event.detail["notices_unsent"] == 1


def test_a_finished_triage_closes_with_a_success_message(world, triage, sign_in):
    case = triage.case
    services.grade_case(triage.ctx, case, grade="green", reason="", expected_version=case.version)
    case.refresh_from_db()
    services.record_no_further_action(
        triage.ctx, case, reason="Victim safe with family; police follow up.", expected_version=case.version
    )
    for child in services.encompass_for(case).due:
        services.record_notice(
            triage.ctx,
            case,
            child.person,
            school="Northtown Primary",
            no_school_reason="",
            safeguarding_lead="Ms Head",
            child_present=True,
            childs_voice="",
            circumstances="",
            sent_at=timezone.now(),
        )
    closed = services.close_meeting(triage.ctx, triage.meeting, expected_version=triage.meeting.version)
    assert not closed.left.anything and closed.unfinished == 0


def test_reopening_within_the_window_lets_the_cases_be_graded_again(world, triage, sign_in):
    closed = services.close_meeting(triage.ctx, triage.meeting, expected_version=triage.meeting.version)
    meeting = closed.meeting
    client = sign_in(world.users.marac)
    response = client.post(_url("reopen", pk=meeting.pk), {"version": str(meeting.version)}, follow=True)
    assert "The triage has been reopened" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED and meeting.held_at is None
    assert ForumCase.objects.filter(forum=meeting.forum, person=triage.victim, closed_on=None).exists()
    assert AuditEvent.objects.filter(record_id=meeting.pk, record_type="meetings.meeting", detail__reopened=True)
    case = triage.case
    case.refresh_from_db()
    services.grade_case(triage.ctx, case, grade="amber", reason="", expected_version=case.version)


def test_no_reopening_after_the_window(world, triage, sign_in):
    closed = services.close_meeting(triage.ctx, triage.meeting, expected_version=triage.meeting.version)
    meeting = closed.meeting
    Meeting.objects.filter(pk=meeting.pk).update(held_at=timezone.now() - dt.timedelta(hours=25))
    with pytest.raises(ValidationError, match="time allowed for reopening it has passed"):
        services.reopen_meeting(triage.ctx, meeting, expected_version=meeting.version)
    page = sign_in(world.users.marac).get(_url("board", pk=meeting.pk)).content.decode()
    assert "Reopen the triage" not in page and "The time allowed for reopening it has passed." in page


def test_the_window_is_the_forums_setting(world, triage):
    forum = triage.meeting.forum
    forum.reopen_within_hours = 0
    forum.save()
    closed = services.close_meeting(triage.ctx, triage.meeting, expected_version=triage.meeting.version)
    with pytest.raises(ValidationError):
        services.reopen_meeting(triage.ctx, closed.meeting, expected_version=closed.meeting.version)
