"""Running a meeting at its pace: case by case with "save and next", the attendance ticked at once, several cases
deferred with one reason (the page asks first), ending with what is left undone listed, reopening in the window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.meetings.models import AgendaItem, Attendance, Decision, Meeting
from safeguard.meetings.services import bulk, run
from tests.meetings.builders import add_cases

REASON = "Out of time: the panel ran late."


def _url(name, **kwargs):
    return reverse(f"meetings:{name}", kwargs=kwargs)


def test_progress_and_the_next_case_still_to_discuss():
    items = [
        AgendaItem(pk=n, position=n, outcome=o) for n, o in enumerate(["heard", "listed", "deferred", "listed"], 1)
    ]
    assert run.progress(items).line == "2 of 4 cases discussed"
    assert run.next_case(items, items[1]).pk == 4
    assert run.next_case(items, items[3]).pk == 2  # back to the first one passed over
    assert run.following(items, items[3]) is None and run.following(items, items[0]).pk == 2


def test_save_and_next_records_the_decision_and_outcome_and_moves_on(world, forums, sign_in):
    more = add_cases(world, forums.now, 2)
    client = sign_in(world.users.coordinator)
    page = client.get(_url("run-case", pk=forums.item.pk)).content.decode()
    assert "Case 1 of 3" in page and "0 of 3 cases discussed" in page and "Review due" in page
    assert "Save and next case" in page and "Skip to case 2" in page
    response = client.post(
        _url("run-case", pk=forums.item.pk),
        {
            "version": forums.item.version,
            "text": "Refer to the approved premises panel.",
            "rationale": "Address not yet approved by the panel.",
            "outcome": "heard",
        },
    )
    assert response.status_code == 302 and response.url == _url("run-case", pk=more[0].pk)
    item = AgendaItem.objects.get(pk=forums.item.pk)
    assert item.outcome == "heard" and Decision.objects.filter(item=item, text__startswith="Refer").exists()
    page = client.get(response.url).content.decode()
    assert "Case 2 of 3" in page and "1 of 3 cases discussed" in page


def test_a_refused_outcome_keeps_the_decision_unsaved(world, forums, sign_in):
    client = sign_in(world.users.coordinator)
    response = client.post(
        _url("run-case", pk=forums.item.pk),
        {
            "version": forums.item.version,
            "text": "Refer to the panel.",
            "rationale": "Needs a panel.",
            "outcome": "deferred",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "why the case is deferred" in page
    assert not Decision.objects.filter(item=forums.item, text="Refer to the panel.").exists()


def test_the_last_case_goes_to_the_end_page(world, forums, sign_in):
    client = sign_in(world.users.coordinator)
    response = client.post(_url("run-case", pk=forums.item.pk), {"version": forums.item.version, "outcome": "heard"})
    assert response.url == _url("end", pk=forums.now.pk)


def test_the_attendance_ticked_at_once_is_recorded_together_and_each_audited(world, forums, sign_in):
    assert f"staff:{world.users.chair.pk}" in {p.key for p in bulk.expected_people(forums.now)}
    client = sign_in(world.users.coordinator)
    chair = world.users.chair
    page = client.get(_url("attendance-list", pk=forums.now.pk)).content.decode()
    assert f"Present from {chair.agency.name}" in page
    response = client.post(
        _url("attendance-list", pk=forums.now.pk),
        {
            f"present_{chair.agency_id}": [f"staff:{chair.pk}"],
            f"others_{world.police.pk}": "DI Rivers, Detective Inspector\nPC Lake",
        },
    )
    assert response.status_code == 302
    rows = Attendance.objects.filter(meeting=forums.now)
    assert {(a.name, a.present) for a in rows} == {
        (chair.get_full_name(), True),
        ("DI Rivers", True),
        ("PC Lake", True),
    }
    assert rows.get(name="DI Rivers").role == "Detective Inspector"
    assert AuditEvent.objects.filter(record_type="meetings.attendance", detail__list=True).count() == 3
    again = {p.key for p in bulk.expected_people(forums.now)}
    assert f"staff:{chair.pk}" not in again  # already recorded


def test_the_attendance_list_is_all_or_nothing(world, forums, ctx):
    coordinator = ctx(world.users.coordinator)
    entries = [bulk.Entry(world.police.pk, "DI Rivers"), bulk.Entry(world.housing.pk, "Hal Housing")]
    with pytest.raises(ValidationError, match="member agencies"):
        bulk.record_attendance_list(coordinator, forums.now, entries)
    assert not Attendance.objects.filter(meeting=forums.now).exists()


def test_ticking_someone_present_and_sending_apologies_is_an_error(world, forums, sign_in):
    chair = world.users.chair
    key = f"staff:{chair.pk}"
    response = sign_in(world.users.coordinator).post(
        _url("attendance-list", pk=forums.now.pk),
        {f"present_{chair.agency_id}": [key], f"apologies_{chair.agency_id}": [key]},
    )
    assert "as present or as sending apologies, not both" in response.content.decode()


def test_deferring_several_cases_asks_first_then_defers_them_all(world, forums, sign_in):
    more = add_cases(world, forums.now, 3)
    client = sign_in(world.users.coordinator)
    chosen = [more[0].pk, more[2].pk]
    asked = client.post(_url("defer", pk=forums.now.pk), {"items": chosen, "reason": REASON})
    page = asked.content.decode()
    assert asked.status_code == 200 and "Are you sure you want to defer 2 cases?" in page and "No, go back" in page
    assert not AgendaItem.objects.filter(pk__in=chosen, outcome="deferred").exists()
    done = client.post(_url("defer", pk=forums.now.pk), {"items": chosen, "reason": REASON, "confirmed": "yes"})
    assert done.status_code == 302
    assert set(AgendaItem.objects.filter(outcome="deferred").values_list("pk", flat=True)) == set(chosen)
    assert AgendaItem.objects.get(pk=more[0].pk).summary == REASON
    assert AuditEvent.objects.filter(record_type="meetings.agendaitem", detail__together=2).count() == 2


def test_deferring_is_all_or_nothing(world, forums, ctx):
    more = add_cases(world, forums.now, 2)
    AgendaItem.objects.filter(pk=more[1].pk).update(outcome="heard")
    with pytest.raises(ValidationError):
        bulk.defer_cases(ctx(world.users.coordinator), forums.now, item_ids=[more[0].pk, more[1].pk], reason=REASON)
    assert AgendaItem.objects.get(pk=more[0].pk).outcome == "listed"


def test_ending_asks_first_and_lists_the_cases_not_discussed(world, forums, sign_in):
    more = add_cases(world, forums.now, 2)
    client = sign_in(world.users.coordinator)
    page = client.get(_url("end", pk=forums.now.pk)).content.decode()
    assert "Are you sure you want to end the meeting?" in page and "3 cases not discussed" in page
    assert more[1].person.full_name in page and "No attendance is recorded" in page
    assert "Yes, defer 3 cases and end the meeting" in page
    missing = client.post(_url("end", pk=forums.now.pk), {"version": forums.now.version})
    assert "Enter why the cases not discussed are deferred" in missing.content.decode()
    ended = client.post(_url("end", pk=forums.now.pk), {"version": forums.now.version, "defer_reason": REASON})
    assert ended.status_code == 302
    meeting = Meeting.objects.get(pk=forums.now.pk)
    assert meeting.status == "held" and meeting.held_at is not None
    assert not meeting.items.filter(outcome="listed").exists()
    page = client.get(_url("meeting", pk=meeting.pk)).content.decode()
    for name in ("minutes", "minutes-pdf", "minutes-share", "quality-audit", "invitation"):
        assert f'href="{_url(name, pk=meeting.pk)}"' in page
    assert "Reopen the meeting" in page


def test_reopening_a_held_meeting_in_the_window_before_the_minutes_are_issued(world, forums, ctx, sign_in):
    coordinator = ctx(world.users.coordinator)
    ended = bulk.end_meeting(coordinator, forums.done, expected_version=forums.done.version)
    client = sign_in(world.users.coordinator)
    response = client.post(_url("reopen", pk=forums.done.pk), {"version": ended.meeting.version})
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=forums.done.pk)
    assert meeting.status == Meeting.Status.IN_PROGRESS
    assert AuditEvent.objects.filter(record_type="meetings.meeting", record_id=meeting.pk, detail__reopened=True)
    ended = bulk.end_meeting(coordinator, meeting, expected_version=meeting.version)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_issued_at=timezone.now())
    with pytest.raises(ValidationError, match="minutes have been issued"):
        bulk.reopen_meeting(coordinator, meeting, expected_version=ended.meeting.version)
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_issued_at=None, held_at=timezone.now() - dt.timedelta(hours=meeting.forum.reopen_hours() + 1)
    )
    with pytest.raises(ValidationError, match="time allowed"):
        bulk.reopen_meeting(coordinator, meeting, expected_version=ended.meeting.version)
