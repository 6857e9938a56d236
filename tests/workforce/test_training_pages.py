"""The training pages: who sees whose training, what they show, the forms and their errors, the audit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Operation
from safeguard.workforce.competence import competence_of
from safeguard.workforce.models import AreaSettings, Buddy, CoursePlace, Staff, TrainingCompletion, WaitingListEntry
from tests.workforce.roles_training import records

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def listed(user) -> list[int]:
    event = AuditEvent.objects.filter(actor_id=user.pk, record_type="workforce.staff", record_id=None).latest("at")
    return event.detail["shown"]


@pytest.fixture
def t(world):
    return records(world)


def test_the_supervisor_sees_the_team(world, t, sign_in):
    supervisor, om = world.users.supervisor, world.users.om
    response = sign_in(supervisor).get(reverse("workforce:training"))
    page = text(response)
    assert "May hold Level 2 and 3 nominals" in page
    assert "Olivia Mercer" in page
    assert (
        "MOSOVO (Management of Sexual or Violent Offenders): not completed; needed to hold Level 2 and 3 nominals"
        in page
    )
    shown = listed(supervisor)
    assert om.pk in shown and t.trained.pk in shown and supervisor.pk in shown
    assert world.users.om2.pk not in shown and world.users.coordinator.pk not in shown
    assert reverse("workforce:training-record", args=[om.pk]) in response.content.decode()
    assert reverse("workforce:training-record", args=[supervisor.pk]) not in response.content.decode()
    assert reverse("workforce:training-places") in response.content.decode()


def test_an_officer_sees_only_their_own(world, t, sign_in):
    om = world.users.om
    response = sign_in(om).get(reverse("workforce:training"))
    assert listed(om) == [om.pk]
    html = response.content.decode()
    assert "Olivia Mercer" in html
    assert reverse("workforce:training-officer", args=[t.trained.pk]) not in html  # their buddy's name only
    assert reverse("workforce:training-record", args=[om.pk]) not in html
    assert reverse("workforce:training-places") not in html
    assert "Update" not in text(response)  # sees the waiting lists, cannot change them


@pytest.mark.parametrize("who", ["coordinator", "chair"])
def test_the_coordinator_and_chair_see_the_area_read_only(world, t, sign_in, who):
    user = getattr(world.users, who)
    client = sign_in(user)
    html = client.get(reverse("workforce:training")).content.decode()
    shown = listed(user)
    assert world.users.om.pk in shown and world.users.om2.pk in shown
    assert world.users.away_om.pk not in shown
    assert "/completions/new/" not in html
    team = world.users.om2.team
    client.get(reverse("workforce:training"), {"team": team.pk})
    assert listed(user) == [world.users.om2.pk]


def test_a_team_filter_is_ignored_for_the_supervisor(world, t, sign_in):
    supervisor = world.users.supervisor
    sign_in(supervisor).get(reverse("workforce:training"), {"team": world.users.om2.team.pk})
    assert world.users.om2.pk not in listed(supervisor)


def test_courses_expiring_within_the_horizon_and_waiting_lists(world, t, sign_in):
    om = world.users.om
    TrainingCompletion.objects.create(
        staff=om, course=t.arms, completed_on=TODAY - 300 * DAY, expires_on=TODAY + 30 * DAY, recorded_by=om
    )
    TrainingCompletion.objects.filter(pk=t.completion.pk).update(expires_on=TODAY + 120 * DAY)
    page = text(sign_in(world.users.supervisor).get(reverse("workforce:training")))
    expiring = page.split("Courses that stop counting in the next 90 days")[1].split("Waiting lists")[0]
    assert "ARMS (Active Risk Management System)" in expiring
    assert "ViSOR" not in expiring  # 120 days ahead: outside the horizon
    assert "Safeguard's choice" in expiring
    waiting = page.split("Waiting lists")[1].split("Places offered")[0]
    assert "60 days" in waiting and "10 days" in waiting
    assert "Place offered" in waiting and waiting.count(str(t.trained)) >= 1  # om's buddy is shown
    places = page.split("Places offered")[1]
    assert "Neighbouring Police" in places


def test_the_officer_page_shows_the_working_and_records(world, t, sign_in):
    om = world.users.om
    AreaSettings.objects.create(area=world.home["mappa"], course_refresh_months={"visor": 12})
    response = sign_in(world.users.supervisor).get(reverse("workforce:training-officer", args=[om.pk]))
    page = text(response)
    assert "How this was worked out" in page
    assert (
        "May hold Level 2 and 3 nominals: MOSOVO (Management of Sexual or Violent Offenders) not completed: no" in page
    )
    assert "from the area's refresh period" in page
    assert "Buddy for" not in page
    assert AuditEvent.objects.filter(
        actor_id=world.users.supervisor.pk, operation=Operation.VIEW, record_type="workforce.staff", record_id=om.pk
    ).exists()
    trained_page = text(sign_in(world.users.supervisor).get(reverse("workforce:training-officer", args=[t.trained.pk])))
    assert "Buddy for: Olivia Mercer" in trained_page


def test_recording_a_completion_changes_competence(world, t, sign_in):
    om = world.users.om
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:training-record", args=[om.pk])
    response = client.post(
        url, {"course": t.mosovo.pk, "completed_on_0": "3", "completed_on_1": "1", "completed_on_2": "2025"}
    )
    assert response.status_code == 302
    assert competence_of(om, TODAY).may_hold_level_2_3
    page = text(client.get(response["Location"]))
    assert "completion recorded" in page
    assert re.search(r"May hold Level 2 and 3 nominals Yes", page)
    # The MOSOVO waiting-list entry closed as completed.
    assert WaitingListEntry.objects.get(pk=t.waiting.pk).status == "completed"


COURSE = object()  # stands for the MOSOVO course's id in the cases below


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Choose the course", "Enter the date the course was completed"]),
        (
            {"course": COURSE, "completed_on_0": "31", "completed_on_1": "2", "completed_on_2": "2025"},
            ["must be a real date"],
        ),
        ({"course": COURSE, "completed_on_0": "3", "completed_on_2": "2025"}, ["must include a day, month and year"]),
        ({"course": COURSE, "completed_on": (TODAY + DAY).isoformat()}, ["must be today or in the past"]),
        (
            {"course": COURSE, "completed_on": "2025-01-03", "expires_on": "2025-01-03"},
            ["The date it is no longer valid from must be after the date completed"],
        ),
    ],
)
def test_completion_form_errors(world, t, sign_in, data, messages):
    body = {k: (t.mosovo.pk if v is COURSE else v) for k, v in data.items()}
    response = sign_in(world.users.supervisor).post(
        reverse("workforce:training-record", args=[world.users.om.pk]), body
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    for message in messages:
        assert message in page
    assert not TrainingCompletion.objects.filter(staff=world.users.om, course=t.mosovo).exists()


def test_correct_and_remove_keep_the_history_on_the_page(world, t, sign_in):
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:training-correct", args=[t.completion.pk])
    response = client.post(url, {"course": t.completion.course_id, "completed_on": (TODAY - 31 * DAY).isoformat()})
    assert "Give the reason" in text(response)
    response = client.post(
        url,
        {
            "course": t.completion.course_id,
            "completed_on": (TODAY - 31 * DAY).isoformat(),
            "reason": "The certificate gives the day before.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("workforce:training-remove", args=[t.completion.pk]), {"reason": "Recorded against the wrong officer"}
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "The certificate gives the day before." in page and "Recorded against the wrong officer" in page
    assert "Removed: ViSOR" in page and "Corrected: ViSOR" in page


def test_join_a_waiting_list_form(world, t, sign_in):
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:training-wait", args=[world.users.om.pk])
    response = client.post(url, {"course": t.mosovo.pk})
    assert "already on the waiting list for MOSOVO" in text(response)
    response = client.post(url, {"course": t.mosovo.pk, "joined_on": (TODAY + DAY).isoformat()})
    assert "must be today or in the past" in text(response)


def test_places_form(world, t, sign_in):
    client = sign_in(world.users.coordinator)
    url = reverse("workforce:training-places")
    page = text(client.post(url, {"course": t.mosovo.pk, "places": "0", "starts_on": (TODAY - DAY).isoformat()}))
    assert "Enter who is offering the places" in page
    assert "Enter at least 1 place" in page
    assert "must be today or in the future" in page
    response = client.post(
        url, {"course": t.mosovo.pk, "offered_by": "Force trainers", "places": "4", "starts_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        actor_id=world.users.coordinator.pk, operation=Operation.CREATE, record_type="workforce.courseplace"
    ).exists()


def test_offer_form_lists_the_team_and_counts_places(world, t, sign_in):
    supervisor = world.users.supervisor
    other = Staff.objects.create(
        username="waiting2", agency=world.police, team=world.users.om.team, roles=["offender_manager"]
    )
    third = Staff.objects.create(
        username="waiting3", agency=world.police, team=world.users.om.team, roles=["offender_manager"]
    )
    elsewhere = WaitingListEntry.objects.create(staff=world.users.om2, course=t.mosovo)
    entries = [t.waiting, WaitingListEntry.objects.create(staff=other, course=t.mosovo)]
    entries.append(WaitingListEntry.objects.create(staff=third, course=t.mosovo))
    client = sign_in(supervisor)
    url = reverse("workforce:training-offer", args=[t.place.pk])
    page = client.get(url).content.decode()
    assert "2 places left" in page
    assert f'value="{elsewhere.pk}"' not in page  # another team's: their supervisor offers
    assert all(f'value="{e.pk}"' in page for e in entries)
    response = client.post(url, {"entries": [e.pk for e in entries]})
    assert "There are 2 places left on this course: choose no more than 2" in text(response)
    assert client.post(url, {"entries": [e.pk for e in entries[:2]]}).status_code == 302
    assert WaitingListEntry.objects.filter(place=t.place, status="offered").count() == 2


def test_the_coordinator_cannot_offer_to_another_teams_officer(world, t, sign_in):
    client = sign_in(world.users.coordinator)
    url = reverse("workforce:training-offer", args=[t.place.pk])
    assert "No one whose training you record is waiting" in text(client.get(url))
    client.post(url, {"entries": [t.waiting.pk]})
    assert WaitingListEntry.objects.get(pk=t.waiting.pk).status == "waiting"


def test_entry_update_to_completion(world, t, sign_in):
    client = sign_in(world.users.supervisor)
    entry = t.offered
    url = reverse("workforce:training-entry", args=[entry.pk])
    page = text(client.get(url))
    assert "They took the place" in page and "They completed the course" not in page
    assert client.post(url, {"action": "booked", "version": entry.version}).status_code == 302
    entry.refresh_from_db()
    page = text(client.post(url, {"action": "completed", "version": entry.version}))
    assert "Enter the date the course was completed" in page
    stale = client.post(url, {"action": "withdrawn", "reason": "Left the unit for good", "version": entry.version - 1})
    assert "Someone else changed this record" in text(stale)
    entry.place.starts_on = TODAY - 3 * DAY
    entry.place.save()
    early = client.post(
        url, {"action": "completed", "completed_on": (TODAY - 5 * DAY).isoformat(), "version": entry.version}
    )
    assert "on or after the course started" in text(early)
    done = client.post(url, {"action": "completed", "completed_on": TODAY.isoformat(), "version": entry.version})
    assert done.status_code == 302
    assert competence_of(world.users.om, TODAY).may_complete_arms


def test_withdraw_needs_a_reason_on_the_form(world, t, sign_in):
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:training-entry", args=[t.waiting.pk])
    page = text(client.post(url, {"action": "withdrawn", "version": t.waiting.version}))
    assert "Give the reason for the withdrawal" in page
    page = text(client.post(url, {"action": "booked", "version": t.waiting.version}))
    assert "Choose what has happened" in page  # a waiting entry cannot be booked


def test_buddy_form_lists_only_trained_colleagues(world, t, sign_in):
    supervisor, om = world.users.supervisor, world.users.om
    Buddy.objects.filter(pk=t.buddy.pk).update(ended_on=TODAY)
    untrained = Staff.objects.create(
        username="untrained", agency=world.police, team=om.team, roles=["offender_manager"]
    )
    client = sign_in(supervisor)
    url = reverse("workforce:training-buddy", args=[om.pk])
    page = client.get(url).content.decode()
    assert f'value="{t.trained.pk}"' in page
    assert f'value="{untrained.pk}"' not in page and f'value="{om.pk}"' not in page
    assert "MOSOVO (Management of Sexual or Violent Offenders) not completed: a buddy until trained" in text(
        client.get(url)
    )
    assert "Choose a buddy from the list" in text(client.post(url, {"buddy": untrained.pk}))
    assert client.post(url, {"buddy": t.trained.pk}).status_code == 302
    assert Buddy.objects.get(new_joiner=om, ended_on=None).buddy == t.trained


def test_end_buddy_form(world, t, sign_in):
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:training-buddy-end", args=[t.buddy.pk])
    page = text(client.post(url, {"ended_on": (TODAY - 10 * DAY).isoformat()}))
    assert "must be on or after it started" in page
    assert client.post(url, {}).status_code == 302
    t.buddy.refresh_from_db()
    assert t.buddy.ended_on == TODAY
    assert "The pairing ended on" in text(client.get(url))


def test_administrators_keep_the_catalogue_and_places_in_the_admin(world, t, sign_in):
    client = sign_in(world.users.admin)
    assert client.get(reverse("admin:workforce_course_changelist")).status_code == 200
    change = client.get(reverse("admin:workforce_course_change", args=[t.mosovo.pk])).content.decode()
    assert 'name="code"' not in change  # the code is the rules': not to be changed here
    response = client.post(
        reverse("admin:workforce_courseplace_add"),
        {
            "course": t.arms.pk,
            "offered_by": "Force trainers",
            "starts_on": (TODAY + 5 * DAY).isoformat(),
            "places": "6",
            "area": world.home["mappa"].pk,
        },
    )
    assert response.status_code == 302
    assert CoursePlace.objects.get(places=6).recorded_by == world.users.admin
