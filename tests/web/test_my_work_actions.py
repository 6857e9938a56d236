"""My work: the signed-in user's open actions (overdue first, with days overdue) and the prompts for them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguard.actions.chase import chase_actions
from safeguard.actions.models import Action
from safeguard.audit.models import AuditEvent
from tests.actions.records import make_action, records


def test_overdue_first_with_days_overdue(world, sign_in):
    aw = records(world)
    page = sign_in(world.users.om).get("/").content.decode()
    assert "My actions" in page and "2 open, 1 overdue" in page
    overdue, later = page.index(f"Action {aw.marac_action.pk}<"), page.index(f"Action {aw.mappa_action.pk}<")
    assert overdue < later
    assert "Overdue by 5 days" in page
    assert "Check the tenancy" not in page  # housing's action
    assert AuditEvent.objects.filter(actor_id=world.users.om.pk, detail__page="my work: actions").exists()


def test_a_reminder_shows_as_due_soon(world, sign_in):
    aw = records(world)
    Action.objects.filter(pk=aw.marac_action.pk).update(status=Action.Status.CANCELLED)
    soon = make_action(
        aw.marac_case,
        world.police,
        timezone.localdate() + dt.timedelta(days=2),
        owner=world.users.om,
        created_by=world.users.marac,
    )
    client = sign_in(world.users.om)
    tag = 'govuk-tag--yellow">Due soon'
    assert tag not in client.get("/").content.decode().split("My actions")[1].split("</table>")[0]
    chase_actions(timezone.localdate())
    section = client.get("/").content.decode().split("My actions")[1].split("</table>")[0]
    assert f"Action {soon.pk}" in section and tag in section


def test_a_partner_sees_its_agencys_unowned_actions(world, sign_in):
    records(world)
    page = sign_in(world.users.partner).get("/").content.decode()
    assert "Check the tenancy" in page and "Share the safety plan" not in page
    assert "your agency's actions with no named owner" in page


def test_prompts_with_record_a_decision(world, sign_in):
    aw = records(world)
    page = sign_in(world.users.coordinator).get("/").content.decode()
    assert "For you to decide" in page and "Consider a Category 3 referral" in page
    assert reverse("actions:prompt", args=[aw.prompt.pk]) in page and "Record a decision" in page
    assert "For you to decide" not in sign_in(world.users.om).get("/").content.decode()


def test_a_completed_action_leaves_my_work(world, sign_in):
    aw = records(world)
    client = sign_in(world.users.om)
    client.post(
        reverse("actions:complete", args=[aw.marac_action.pk]),
        {"version": "1", "completion_evidence": "Safety plan shared with the GP; receipt confirmed."},
    )
    page = client.get("/").content.decode()
    assert f"Action {aw.marac_action.pk}<" not in page and "1 open" in page


def test_no_actions_no_section_and_my_caseload_still_shown(world, sign_in):
    page = sign_in(world.users.om).get("/").content.decode()
    assert "My actions" not in page and "My caseload" in page and "Jonathan Smith" in page
