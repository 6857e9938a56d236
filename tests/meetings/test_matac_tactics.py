"""MATAC tactics on actions (issue 15 item 5): required when an action is set on a MATAC case, absent elsewhere;
the form's radios and error; the action and the case show it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.actions import services as action_services
from safeguard.actions import tactics
from safeguard.actions.models import Action
from safeguard.meetings.forms.core import ActionForm
from safeguard.meetings.models import AgendaItem, Forum, ForumCase, Meeting
from safeguard.meetings.services import running
from safeguard.workforce.models import Agency
from tests.meetings.builders import at, records


@pytest.fixture
def matac(world):
    """A MATAC (police and probation members) with the world's offender's case on a meeting in progress today."""
    today = timezone.localdate()
    forum = Forum.objects.create(name="Fictional Shire MATAC", kind=Forum.Kind.MATAC, area=world.home["mappa"])
    forum.member_agencies.set([world.police, world.probation])
    case = ForumCase.objects.create(forum=forum, person=world.people.offender, opened_on=today)
    meeting = Meeting.objects.create(forum=forum, starts_at=at(today, 9), status=Meeting.Status.IN_PROGRESS)
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        section=AgendaItem.Section.NEW,
        why="Nominated from the RFG ranking",
        forum_case=case,
        person=world.people.offender,
    )
    return SimpleNamespace(forum=forum, case=case, meeting=meeting, item=item)


def _ctx(user):
    return AccessContext(user=user, purpose="forum")


def _due(days=7):
    day = timezone.localdate() + dt.timedelta(days=days)
    return {"due_on_0": str(day.day), "due_on_1": str(day.month), "due_on_2": str(day.year)}


def test_the_list_is_the_domain_notes_five_and_the_kind_is_matac():
    assert tactics.MATAC_KIND == Forum.Kind.MATAC
    assert tactics.Tactic.values == ["support", "prevention", "diversion", "disruption", "enforcement"]
    assert tactics.CHOOSE == (
        "Choose the MATAC tactic the action is part of: support, prevention, diversion, disruption or enforcement"
    )


@pytest.mark.parametrize("given", ["", None, "  ", "persuasion", "Disruption"])
def test_a_matac_action_without_a_known_tactic_is_refused(given):
    with pytest.raises(ValidationError) as refused:
        tactics.checked_tactic(Forum.Kind.MATAC, given)
    assert refused.value.message_dict == {"tactic": [f"{tactics.CHOOSE}."]}


def test_only_a_matac_action_carries_a_tactic():
    assert tactics.checked_tactic(Forum.Kind.MATAC, " diversion ") == "diversion"
    for kind in (Forum.Kind.MARAC, Forum.Kind.MAPPA_LEVEL_2, Forum.Kind.IOM, Forum.Kind.DAILY_TRIAGE):
        assert tactics.checked_tactic(kind, "") == ""
        with pytest.raises(ValidationError) as refused:
            tactics.checked_tactic(kind, "disruption")
        assert refused.value.message_dict == {"tactic": [tactics.NOT_MATAC]}


def test_the_form_asks_for_the_tactic_only_at_a_matac(world):
    data = {"description": "Check bail conditions", "owner_agency": world.police.pk, **_due()}
    agencies = Agency.objects.filter(pk=world.police.pk)
    missing = ActionForm(data, agencies=agencies, matac=True)
    assert not missing.is_valid() and missing.errors["tactic"] == [tactics.CHOOSE]
    unknown = ActionForm({**data, "tactic": "persuasion"}, agencies=agencies, matac=True)
    assert not unknown.is_valid() and unknown.errors["tactic"] == [tactics.CHOOSE]
    chosen = ActionForm({**data, "tactic": "disruption"}, agencies=agencies, matac=True)
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["tactic"] == "disruption"
    elsewhere = ActionForm(data, agencies=agencies)
    assert "tactic" not in elsewhere.fields and elsewhere.is_valid(), elsewhere.errors


def test_the_meeting_service_requires_the_tactic_at_a_matac_and_refuses_it_elsewhere(world, matac):
    base = {
        "description": "Check every bail condition",
        "owner_agency": world.police,
        "due_on": timezone.localdate() + dt.timedelta(days=7),
    }
    with pytest.raises(ValidationError) as missing:
        running.create_action(_ctx(world.users.marac), matac.item, **base)
    assert missing.value.message_dict["tactic"] == [f"{tactics.CHOOSE}."]
    made = running.create_action(_ctx(world.users.marac), matac.item, **base, tactic="disruption")
    assert Action.objects.get(pk=made.pk).tactic == "disruption"
    forums = records(world)
    with pytest.raises(ValidationError) as refused:
        running.create_action(
            _ctx(world.users.coordinator), forums.item, **base, rationale="Agreed by the panel.", tactic="support"
        )
    assert refused.value.message_dict["tactic"] == [tactics.NOT_MATAC]
    mappa = running.create_action(_ctx(world.users.coordinator), forums.item, **base, rationale="Agreed by the panel.")
    assert Action.objects.get(pk=mappa.pk).tactic == ""


def test_an_action_recorded_on_a_matac_case_outside_a_meeting_needs_its_tactic_too(world, matac):
    base = {
        "forum_case": matac.case,
        "description": "Offer a behaviour-change programme",
        "owner_agency": world.probation,
        "due_on": timezone.localdate() + dt.timedelta(days=14),
    }
    with pytest.raises(ValidationError) as missing:
        action_services.record_action(_ctx(world.users.marac), **base)
    assert "tactic" in missing.value.message_dict
    made = action_services.record_action(_ctx(world.users.marac), **base, tactic="diversion")
    assert Action.objects.get(pk=made.pk).get_tactic_display() == "Diversion"


def test_the_pages_ask_for_and_show_the_tactic(world, matac, sign_in):
    client = sign_in(world.users.marac)
    url = reverse("meetings:action", kwargs={"pk": matac.item.pk})
    form = client.get(url).content.decode()
    assert "MATAC tactic" in form and 'value="enforcement"' in form and tactics.HINT in form
    data = {"description": "Check every bail condition", "owner_agency": world.police.pk, **_due()}
    refused = client.post(url, data)
    body = refused.content.decode()
    assert refused.status_code == 200 and "There is a problem" in body
    assert tactics.CHOOSE in body and 'href="#id_tactic_0"' in body
    assert not Action.objects.filter(forum=matac.forum).exists()
    saved = client.post(url, {**data, "tactic": "disruption"})
    assert saved.status_code == 302
    action = Action.objects.get(forum=matac.forum)
    assert action.tactic == Action._meta.get_field("tactic").choices[3][0] == "disruption"
    case_page = client.get(reverse("meetings:item", kwargs={"pk": matac.item.pk})).content.decode()
    assert "Check every bail condition" in case_page and "Disruption" in case_page
    action_page = client.get(reverse("actions:action", kwargs={"pk": action.pk})).content.decode()
    assert "MATAC tactic" in action_page and "Disruption" in action_page
    untagged = Action.objects.create(  # set before tactics were recorded (the migration leaves it empty)
        forum=matac.forum,
        forum_case=matac.case,
        person=world.people.offender,
        description="Older action",
        owner_agency=world.police,
        due_on=timezone.localdate(),
        created_by=world.users.marac,
    )
    older = client.get(reverse("actions:action", kwargs={"pk": untagged.pk})).content.decode()
    assert "Not recorded (set before Safeguard recorded tactics)" in older


def test_a_mappa_action_form_shows_no_tactic(world, sign_in):
    forums = records(world)
    page = sign_in(world.users.coordinator).get(reverse("meetings:action", kwargs={"pk": forums.item.pk}))
    assert "MATAC tactic" not in page.content.decode()
    action_page = (
        sign_in(world.users.coordinator).get(reverse("actions:action", kwargs={"pk": forums.action.pk})).content
    )
    assert "MATAC tactic" not in action_page.decode()
