"""Forums as configuration: the settings shown read-only with where each default comes from; the admin form."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from safeguard.meetings.admin import ForumAdminForm
from safeguard.meetings.models import Forum
from safeguard.meetings.services import forums as forum_services
from safeguard.workforce.models import AreaSettings
from tests.meetings.builders import mappa_forum


def rows(forum) -> dict[str, forum_services.SettingRow]:
    return {row.label: row for row in forum_services.forum_settings(forum)}


def test_marac_settings_say_where_their_defaults_come_from(world):
    settings = rows(world.marac)
    escalation = settings["Potential escalation: events"]
    assert escalation.value == "3" and not escalation.changed
    assert escalation.source.startswith("Default: SafeLives MARAC guidance")
    assert "Local variants [L]: Kent 3 in 6 months" in escalation.source
    assert settings["Repeat definition"].value.startswith("Any abuse between the same victim and perpetrator")
    world.marac.escalation_events = 5
    world.marac.save()
    changed = rows(world.marac)["Potential escalation: events"]
    assert changed.changed and changed.value == "5" and changed.source.startswith("Changed from the default 3")
    assert rows(world.marac)["Remind action owners"].source.endswith("(Safeguard's choice: no guidance sets it)")


def test_mappa_settings_show_the_chair_rule_and_review_interval_of_the_area(world):
    forum = mappa_forum(world)
    settings = rows(forum)
    assert settings["Chair eligible for"].value == "MAPPA Level 2 meetings"
    assert "the forum's type" in settings["Chair eligible for"].source
    assert settings["Chair's rank"].value == "Inspector or above" and not settings["Chair's rank"].changed
    review = settings["Level 2 review at least every"]
    assert review.value == "16 weeks" and "widely quoted, not confirmed" in review.source
    AreaSettings.objects.create(
        area=world.home["mappa"], chair_min_rank_level_2="chief_inspector", level2_review_weeks=12
    )
    settings = rows(forum)
    assert settings["Chair's rank"].value == "Chief Inspector or above" and settings["Chair's rank"].changed
    assert settings["Level 2 review at least every"].changed


def test_the_forum_page(world, forums, sign_in):
    url = reverse("meetings:forum", kwargs={"pk": forums.forum.pk})
    page = sign_in(world.users.coordinator).get(url).content.decode()
    assert "1</span> open case" in page
    assert "Schedule meetings from the cadence" in page
    assert "Default: " in page
    assert reverse("meetings:meeting", kwargs={"pk": forums.next.pk}) in page
    member = sign_in(world.users.om).get(url).content.decode()
    assert "Schedule meetings from the cadence" not in member
    assert "Jonathan Smith" not in member  # the forum page names no one


def test_the_forums_list_shows_only_the_forums_a_user_may_see(world, forums, sign_in):
    partner = sign_in(world.users.partner).get(reverse("meetings:forums")).content.decode()
    assert "Northtown MARAC" in partner and forums.forum.name not in partner
    coordinator = sign_in(world.users.coordinator).get(reverse("meetings:forums")).content.decode()
    assert "Northtown MARAC" in coordinator and forums.forum.name in coordinator
    assert sign_in(world.users.away_om).get(reverse("meetings:forums")).status_code == 200


def _form(world, **data) -> ForumAdminForm:
    base = {
        "name": "Southvale MARAC",
        "kind": Forum.Kind.MARAC,
        "area": world.home["mappa"].pk,
        "covers": [world.home["local"][1].pk],
        "member_agencies": [world.police.pk],
        "coordinators": [world.users.marac.pk],
        "cadence": Forum.Cadence.MONTHLY,
        "first_meeting_on": "2027-01-12",
        "meeting_time": "10:00",
        "action_reminder_days_before": 2,
        "action_escalate_days_overdue": 7,
        "escalation_events": 3,
        "escalation_months": 12,
        "repeat_window_months": 12,
        "repeat_definition": "any_abuse",
        "dash_medium_from": 10,
        "non_school_days": "2027-02-15\n\n2027-02-16",
        "chair_courses": ["da_cpd"],
    }
    base.update(data)
    return ForumAdminForm(data=base)


def test_the_admin_form_keeps_a_forum_within_its_area(world):
    good = _form(world)
    assert good.is_valid(), good.errors
    forum = good.save()
    assert forum.non_school_days == ["2027-02-15", "2027-02-16"] and forum.chair_courses == ["da_cpd"]
    assert forum.first_meeting_on == dt.date(2027, 1, 12)
    bad = _form(
        world,
        covers=[world.away["local"][0].pk],
        coordinators=[world.users.away_om.pk],
        non_school_days="15/02/2027",
        first_meeting_on="",
    )
    assert not bad.is_valid()
    assert set(bad.errors) == {"covers", "coordinators", "non_school_days", "first_meeting_on"}
    assert "Line 1 is not a date" in bad.errors["non_school_days"][0]


def test_administrators_edit_forums_in_the_admin(world, sign_in):
    world.users.admin.is_staff = world.users.admin.is_superuser = True
    world.users.admin.save()
    client = sign_in(world.users.admin)
    page = client.get(reverse("admin:meetings_forum_change", args=[world.marac.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Chair must also hold" in body and "Operation Encompass: non-school days" in body
