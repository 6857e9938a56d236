"""The meeting pages through the web: each form's errors name the field; a case recorded end to end."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguard.actions.models import Action
from safeguard.meetings.models import Attendance, Decision, Meeting, SharedInformation


def test_the_meeting_page_shows_the_agenda_and_what_the_runner_may_do(world, forums, sign_in):
    page = sign_in(world.users.coordinator).get(reverse("meetings:meeting", kwargs={"pk": forums.now.pk}))
    body = page.content.decode()
    assert "Jonathan Smith" in body and "Reviews due" in body and "End the meeting" in body
    assert "Rebuild the agenda" not in body  # never built: the first build says Build
    assert "Build the agenda" in body and "How the agenda is built" in body
    member = sign_in(world.users.om).get(reverse("meetings:meeting", kwargs={"pk": forums.now.pk})).content.decode()
    assert "Jonathan Smith" in member and "End the meeting" not in member


def test_errors_name_the_fields(world, forums, sign_in):
    client = sign_in(world.users.coordinator)
    item = forums.item.pk
    cases = [
        ("meetings:share", item, {}, ["Choose the agency sharing", "Enter what the agency shared"]),
        ("meetings:levels", item, {"version": 1}, ["Choose the risk level agreed", "Enter the rationale"]),
        ("meetings:decision", item, {}, ["Enter the decision", "Enter the rationale"]),
        ("meetings:action", item, {}, ["Enter the action", "Choose the owner agency", "Enter the due date"]),
        ("meetings:outcome", item, {"version": 1}, ["Choose heard or deferred"]),
        ("meetings:plan", item, {"based_on_version": 1}, ["Enter the plan for supervision"]),
        ("meetings:attendance", forums.now.pk, {}, ["Choose the agency", "Enter the name"]),
        ("meetings:move", forums.next.pk, {"version": 1}, ["Enter the new date", "Enter the time"]),
        ("meetings:cancel", forums.next.pk, {"version": 1}, ["Give the reason"]),
    ]
    for name, pk, data, messages in cases:
        response = client.post(reverse(name, kwargs={"pk": pk}), data)
        body = response.content.decode()
        assert response.status_code == 200, name
        assert "There is a problem" in body and "<title>Error: " in body, name
        for message in messages:
            assert message in body, (name, message)


def test_a_case_recorded_end_to_end_through_the_pages(world, forums, sign_in):
    client = sign_in(world.users.coordinator)
    item = forums.item
    meeting = forums.now
    due = timezone.localdate() + dt.timedelta(days=10)
    steps = [
        ("meetings:attendance", meeting.pk, {"agency": world.probation.pk, "name": "Sam Lee", "presence": "present"}),
        ("meetings:confidentiality", meeting.pk, {"version": 1, "agreed": []}),
        (
            "meetings:share",
            item.pk,
            {"agency": world.probation.pk, "content": "Probation: missed two appointments.", "restricted_from": []},
        ),
        (
            "meetings:levels",
            item.pk,
            {"version": 1, "risk_level": "high", "management_level": 2, "rationale": "Risk is stable at high."},
        ),
        (
            "meetings:decision",
            item.pk,
            {
                "text": "Refer to approved premises",
                "rationale": "No stable address.",
                "dissent": "Police prefer a curfew.",
                "dissent_agency": world.police.pk,
            },
        ),
        (
            "meetings:action",
            item.pk,
            {
                "description": "Book approved premises",
                "rationale": "Agreed by the panel.",
                "owner_agency": world.probation.pk,
                "due_on_0": due.day,
                "due_on_1": due.month,
                "due_on_2": due.year,
            },
        ),
        ("meetings:outcome", item.pk, {"version": 2, "outcome": "heard", "summary": "Heard in full."}),
    ]
    for name, pk, data in steps:
        response = client.post(reverse(name, kwargs={"pk": pk}), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    assert Attendance.objects.filter(meeting=meeting, name="Sam Lee").exists()
    assert Meeting.objects.get(pk=meeting.pk).confidentiality_read_at is not None
    assert SharedInformation.objects.filter(item=item, agency=world.probation).exists()
    assert Decision.objects.filter(item=item, dissent="Police prefer a curfew.").exists()
    assert Action.objects.filter(agenda_item=item, owner_agency=world.probation, due_on=due).exists()
    page = client.get(reverse("meetings:item", kwargs={"pk": item.pk})).content.decode()
    assert "Probation: missed two appointments." in page and "Police prefer a curfew." in page
    assert "Book approved premises" in page and "Heard" in page
    end = client.post(
        reverse("meetings:end", kwargs={"pk": meeting.pk}), {"version": Meeting.objects.get(pk=meeting.pk).version}
    )
    assert end.status_code == 302 and Meeting.objects.get(pk=meeting.pk).status == "held"
