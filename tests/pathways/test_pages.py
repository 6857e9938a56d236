"""The pages: GOV.UK errors that say what to enter, my work's sections, the links from the action, nominal and
meeting pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.pathways.models import InterventionReferral
from tests.pathways.records import records

pytestmark = pytest.mark.django_db


def test_my_work_shows_the_step_due_and_the_release_gap(world, sign_in):
    r = records(world)
    page = sign_in(world.users.om).get(reverse("web:home")).content.decode()
    assert "Intervention steps due" in page and r.programme.name in page
    assert "Gaps in release checklists" in page and "Accommodation on the day of release" in page
    other = sign_in(world.users.om2).get(reverse("web:home")).content.decode()
    assert "Intervention steps due" not in other and "Gaps in release checklists" not in other


def test_the_chair_sees_shared_feedback_on_my_work(world, sign_in):
    r = records(world)
    page = sign_in(world.users.chair).get(reverse("web:home")).content.decode()
    assert "Peer feedback on meetings you chaired" in page
    assert reverse("pathways:observation", kwargs={"pk": r.observation.pk}) in page


def test_a_step_without_a_choice_says_what_to_enter(world, sign_in):
    r = records(world)
    response = sign_in(world.users.om).post(
        reverse("pathways:step", kwargs={"pk": r.referral.pk}), {"version": r.referral.version}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Choose the next step." in page
    assert "Error: Referral to" in page


def test_a_drop_out_without_a_reason_is_refused_on_the_reason_field(world, sign_in):
    r = records(world)
    client = sign_in(world.users.om)
    client.post(reverse("pathways:step", kwargs={"pk": r.referral.pk}), {"version": 1, "to_status": "started"})
    response = client.post(
        reverse("pathways:step", kwargs={"pk": r.referral.pk}), {"version": 2, "to_status": "dropped_out"}
    )
    page = response.content.decode()
    assert 'href="#id_reason"' in page and "Give the reason it was dropped out." in page


def test_refer_from_an_action_leads_to_the_form_with_the_action(world, sign_in):
    r = records(world)
    client = sign_in(world.users.om)
    response = client.get(reverse("pathways:refer-from-action", kwargs={"pk": r.forums.action.pk}), follow=True)
    page = response.content.decode()
    assert f"From action {r.forums.action.pk}" in page
    client.post(
        response.redirect_chain[-1][0],
        {"programme": r.programme.pk, "pillar": "victim_safety", "action": r.forums.action.pk},
    )
    made = InterventionReferral.objects.latest("pk")
    assert (made.action, made.pillar, made.source) == (r.forums.action, "victim_safety", "action")


def test_refer_without_a_programme_says_so(world, sign_in):
    r = records(world)
    response = sign_in(world.users.om).post(reverse("pathways:refer", kwargs={"pk": r.mine.pk}), {})
    page = response.content.decode()
    assert "Choose the programme or intervention to refer to." in page
    assert "Choose the part of the risk management plan it serves." in page


def test_the_observation_form_names_each_missing_rating(world, sign_in):
    r = records(world)
    response = sign_in(world.users.coordinator).post(reverse("pathways:observe", kwargs={"pk": r.held.pk}), {})
    page = response.content.decode()
    assert "Choose the first observer." in page
    assert 'href="#id_rating_preparation_0"' in page and "Choose a rating for preparation and papers." in page


def test_links_from_the_nominal_action_and_meeting_pages(world, sign_in):
    r = records(world)
    client = sign_in(world.users.coordinator)
    nominal = client.get(reverse("offenders:nominal", kwargs={"pk": r.mine.pk})).content.decode()
    assert reverse("pathways:release", kwargs={"pk": r.mine.pk}) in nominal
    action = client.get(reverse("actions:action", kwargs={"pk": r.forums.action.pk})).content.decode()
    assert reverse("pathways:refer-from-action", kwargs={"pk": r.forums.action.pk}) in action
    meeting = client.get(reverse("meetings:meeting", kwargs={"pk": r.held.pk})).content.decode()
    assert reverse("pathways:observe", kwargs={"pk": r.held.pk}) in meeting
