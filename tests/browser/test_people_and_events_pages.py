"""axe-core over the person and event pages, with content and with errors: no serious or critical violations."""

import datetime as dt

import pytest

from safeguard.events.models import Conviction
from safeguard.people.models import Address, Alias, Relationship, WarningMarker
from tests.events.url_roles import incident, offence

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def _fill_world(world):
    person = world.people.offender
    alias = Alias.objects.create(person=person, given_name="Johnny", family_name="Blackwood")
    Address.objects.create(
        person=person, kind="approved_premises", line_1="Hope House", postcode="NT9 9ZZ", from_date=dt.date(2024, 1, 1)
    )
    marker = WarningMarker.objects.create(person=person, code="VI")
    relationship = Relationship.objects.create(
        person=person,
        other=world.people.victim,
        kind="intimate_partner",
        personal_connection="intimate_relationship",
        domestic_abuse=True,
    )
    conviction = Conviction.objects.create(
        person=person, offence=offence(), relevant_date=dt.date(2019, 2, 14), disposal="community_order"
    )
    return incident(world), {"alias": alias, "marker": marker, "relationship": relationship, "conviction": conviction}


def test_person_and_event_pages_have_no_serious_violations(page, live_server, world):
    event, parts = _fill_world(world)
    pk = world.people.offender.pk
    sign_in(page, live_server, world.users.om)
    problems = {}

    def check(name):
        if found := violations(page):
            problems[name] = found

    for path in (
        f"/people/{pk}/",
        f"/people/{pk}/history/",
        "/people/new/",
        f"/people/{pk}/edit/",
        f"/people/{pk}/names/new/",
        f"/people/{pk}/addresses/new/",
        f"/people/{pk}/warning-markers/new/",
        f"/people/{pk}/relationships/new/?other={world.people.victim.pk}",
        f"/people/{pk}/convictions/new/",
        f"/incidents/new/?person={pk}",
        f"/incidents/{event.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        check(path)
        if "/edit/" in path:
            page.get_by_label("Last name").fill("")
        if "/new/" in path or "/edit/" in path:
            buttons = page.locator("form button.govuk-button:not(.govuk-button--secondary)")
            buttons.last.click()
            page.get_by_text("There is a problem").first.wait_for()
            check(f"{path} with errors")
    # The change pages, each shown and then sent with a bad value in one field.
    changes = (
        (f"/people/{pk}/names/{parts['alias'].pk}/edit/", "Last name", ""),
        (f"/people/{pk}/warning-markers/{parts['marker'].pk}/edit/", None, None),
        (f"/people/{pk}/warning-markers/{parts['marker'].pk}/remove/", None, None),
        (f"/people/{pk}/relationships/{parts['relationship'].pk}/edit/", None, None),
        (f"/people/{pk}/relationships/{parts['relationship'].pk}/end/", None, None),
        (f"/convictions/{parts['conviction'].pk}/edit/", None, None),
        (f"/incidents/{event.pk}/edit/", "Police reference", ""),
        (f"/incidents/{event.pk}/people/?person={world.people.other_offender.pk}", None, None),
    )
    for path, label, value in changes:
        page.goto(f"{live_server.url}{path}")
        check(path)
        if label:
            page.get_by_label(label, exact=True).fill(value)
        elif "warning-markers" in path and "edit" in path:
            page.locator("#id_from_date_0").fill("31")
            page.locator("#id_from_date_1").fill("2")
        elif "relationships" in path and "edit" in path:
            page.locator("input[name=personal_connection][value=none]").check()
        elif "/convictions/" in path:
            page.locator("#id_disposal").select_option("imprisonment")  # with no term
        elif "/end/" in path:
            page.locator("#id_to_date_0").fill("1")
            page.locator("#id_to_date_1").fill("1")
            page.locator("#id_to_date_2").fill("2999")
        page.locator("form button.govuk-button:not(.govuk-button--secondary)").last.click()
        page.wait_for_load_state()
        assert "There is a problem" in page.content(), path
        check(f"{path} with errors")
    page.goto(f"{live_server.url}/people/{pk}/relationships/new/")
    page.locator("#main-content").get_by_label("Name").fill("Ashdown")
    page.locator("#main-content").get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Choose Karen Ashdown").wait_for()
    check("relationship search results")
    assert problems == {}
