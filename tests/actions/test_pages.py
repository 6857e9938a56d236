"""The actions pages: an action with its history and completion form, our agency's actions, rates, prompts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguard.actions.models import Action, Prompt
from safeguard.audit.models import AuditEvent
from safeguard.referrals.models import Referral


def test_the_action_page_for_its_owner(world, aw, sign_in):
    page = sign_in(world.users.om).get(reverse("actions:action", args=[aw.marac_action.pk])).content.decode()
    assert "Share the safety plan with the victim" in page
    assert "Overdue by 5 days" in page
    assert "Complete the action" in page and "Evidence of completion" in page
    assert "Mark in progress" in page and "Change the due date" in page
    assert "Safeguard sends no e-mail" in page
    assert "History" in page and "Karen Ashdown" in page


def test_a_partner_sees_the_action_on_its_forums_case_but_may_not_change_it(world, aw, sign_in):
    page = sign_in(world.users.partner).get(reverse("actions:action", args=[aw.marac_action.pk])).content.decode()
    assert "Share the safety plan" in page
    assert "Complete the action" not in page and "Mark in progress" not in page


def test_a_partner_may_not_see_an_action_on_a_case_its_forum_does_not_hold(world, aw, sign_in):
    response = sign_in(world.users.partner).get(reverse("actions:action", args=[aw.mappa_action.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=world.users.partner.pk, record_id=aw.mappa_action.pk, outcome="refused"
    ).exists()


def test_completing_without_evidence_names_the_field(world, aw, sign_in):
    url = reverse("actions:complete", args=[aw.marac_action.pk])
    response = sign_in(world.users.om).post(url, {"version": "1", "completion_evidence": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#id_completion_evidence"' in page
    assert "Give the evidence that the action is complete" in page
    assert Action.objects.get(pk=aw.marac_action.pk).status == Action.Status.OPEN


def test_completing_with_evidence_records_the_return(world, aw, sign_in):
    client = sign_in(world.users.om)
    url = reverse("actions:complete", args=[aw.marac_action.pk])
    evidence = "Safety plan handed to the GP practice manager; receipt signed."
    response = client.post(url, {"version": "1", "completion_evidence": evidence})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The action has been completed" in page and evidence in page and "(late)" in page
    assert "Complete the action</h2>" not in page


def test_a_stale_form_is_refused(world, aw, sign_in):
    client = sign_in(world.users.om)
    client.post(reverse("actions:start", args=[aw.marac_action.pk]), {"version": "1"})
    response = client.post(
        reverse("actions:complete", args=[aw.marac_action.pk]),
        {"version": "1", "completion_evidence": "Done, recorded from an old tab."},
    )
    assert "Someone else changed this record" in response.content.decode()


def test_mark_in_progress(world, aw, sign_in):
    response = sign_in(world.users.om).post(reverse("actions:start", args=[aw.marac_action.pk]), {"version": "1"})
    assert response.status_code == 302
    assert Action.objects.get(pk=aw.marac_action.pk).status == Action.Status.IN_PROGRESS


def test_a_new_due_date_shows_in_the_history_with_its_reason(world, aw, sign_in):
    client = sign_in(world.users.marac)
    url = reverse("actions:due-date", args=[aw.marac_action.pk])
    response = client.post(url, {"version": "1", "due_on_0": "1", "due_on_1": "1", "due_on_2": "2020", "reason": ""})
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_due_on_0"' in page and 'href="#id_reason"' in page
    assert "must be today or in the future" in page
    day = timezone.localdate() + dt.timedelta(days=9)
    response = client.post(
        url,
        {
            "version": "1",
            "due_on_0": str(day.day),
            "due_on_1": str(day.month),
            "due_on_2": str(day.year),
            "reason": "Waiting for the housing panel.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("actions:action", args=[aw.marac_action.pk])).content.decode()
    assert "Waiting for the housing panel." in page and "Due date" in page


def test_cancel_and_reassign_pages(world, aw, sign_in):
    client = sign_in(world.users.marac)
    page = client.get(reverse("actions:reassign", args=[aw.marac_action.pk])).content.decode()
    assert "No named owner" in page  # police staff only, active ones:
    assert f'value="{world.users.om2.pk}"' in page and f'value="{world.users.partner.pk}"' not in page
    assert f'value="{world.users.inactive.pk}"' not in page
    response = client.post(reverse("actions:cancel", args=[aw.marac_action.pk]), {"version": "1", "reason": "x"})
    assert 'href="#id_reason"' in response.content.decode()
    response = client.post(
        reverse("actions:cancel", args=[aw.marac_action.pk]),
        {"version": "1", "reason": "The victim has moved to another area."},
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=aw.marac_action.pk).status == Action.Status.CANCELLED


def test_our_agencys_actions_are_our_agencys_only(world, aw, sign_in):
    page = sign_in(world.users.partner).get(reverse("actions:agency")).content.decode()
    assert "Check the tenancy" in page
    assert "Share the safety plan" not in page and "Home visit" not in page
    police = sign_in(world.users.om2).get(reverse("actions:agency")).content.decode()
    assert "Share the safety plan" in police and "Home visit" in police and "Check the tenancy" not in police
    assert "1 overdue" in police
    assert AuditEvent.objects.filter(actor_id=world.users.om2.pk, detail__page="agency").exists()


def test_completion_rates_are_figures_only(world, aw, sign_in):
    client = sign_in(world.users.marac)
    url = reverse("actions:rates", args=[world.marac.pk])
    page = client.get(url).content.decode()  # the twelve months to today: the housing action is not yet due
    assert world.police.name in page and world.housing.name not in page
    assert "Karen Ashdown" not in page and "Share the safety plan" not in page
    day = timezone.localdate() + dt.timedelta(days=30)
    page = client.get(
        url,
        {"start_0": "1", "start_1": "1", "start_2": "2020", "end_0": day.day, "end_1": day.month, "end_2": day.year},
    ).content.decode()
    assert world.police.name in page and world.housing.name in page
    page = client.get(
        url, {"start_0": "1", "start_1": "6", "start_2": "2026", "end_0": "1", "end_1": "1", "end_2": "2026"}
    ).content.decode()
    assert "The end of the period must be on or after its start" in page


def test_deciding_a_prompt_not_to_refer(world, aw, sign_in):
    client = sign_in(world.users.coordinator)
    url = reverse("actions:prompt", args=[aw.prompt.pk])
    page = client.get(url).content.decode()
    assert "Consider a Category 3 referral" in page and "A DASH graded high" in page
    response = client.post(url, {"decision": "not_referred", "decision_rationale": ""})
    assert 'href="#id_decision_rationale"' in response.content.decode()
    response = client.post(url, {"decision": "not_referred", "decision_rationale": "Level 1 is working well."})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    prompt = Prompt.objects.get(pk=aw.prompt.pk)
    assert prompt.decision == "not_referred" and prompt.closed_on == timezone.localdate()
    assert "Decided" in client.get(url).content.decode()


def test_deciding_to_refer_opens_the_draft_referral(world, aw, sign_in):
    client = sign_in(world.users.coordinator)
    url = reverse("actions:prompt", args=[aw.prompt.pk])
    response = client.post(
        url,
        {
            "decision": "referred",
            "decision_rationale": "High-risk DASH against the current partner.",
            "level_sought": "2",
            "risk_summary": "Serious harm to the partner, greatest at handovers.",
        },
    )
    referral = Referral.objects.get(kind="mappa", person=world.people.offender)
    assert response.status_code == 302 and response["Location"] == reverse("referrals:referral", args=[referral.pk])
    assert Prompt.objects.get(pk=aw.prompt.pk).referral == referral


def test_an_escalated_action_prompt_is_noted(world, aw, sign_in):
    prompt = Prompt.objects.create(
        kind=Prompt.Kind.ACTION_ESCALATED,
        assigned_to=world.users.chair,
        person=world.people.offender,
        action=aw.mappa_action,
        reasons=["Action overdue by 8 days"],
    )
    client = sign_in(world.users.chair)
    page = client.get(reverse("actions:prompt", args=[prompt.pk])).content.decode()
    assert f"Open action {aw.mappa_action.pk}" in page and "Refer to MAPPA" not in page
    response = client.post(reverse("actions:prompt", args=[prompt.pk]), {"decision": "noted"})
    assert response.status_code == 302
    assert Prompt.objects.get(pk=prompt.pk).decision == "noted"


def test_the_admin_holds_no_actions(world, sign_in):
    client = sign_in(world.users.admin)
    assert client.get("/admin/actions/action/").status_code == 404
    assert client.get("/admin/actions/prompt/").status_code == 404


def test_the_agency_page_links_the_forums_completion_rates(world, aw, sign_in):
    page = sign_in(world.users.partner).get(reverse("actions:agency")).content.decode()
    assert reverse("actions:rates", args=[world.marac.pk]) in page
    assert reverse("actions:rates", args=[aw.level2.pk]) not in page  # housing is not a member of the Level 2 forum
