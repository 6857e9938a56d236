"""The pages fixed for words and forms, in a real browser: dates in words, no codes, one message per missing field,
and the offence chosen with GOV.UK's accessible autocomplete (the page fixture fails on any CSP violation)."""

import datetime as dt
import re

import pytest

from safeguard.events.models import Conviction, Offence
from safeguard.offenders import services as nominal_services
from tests.events.url_roles import offence
from tests.helpers import ctx_for

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODES = ("offender_management", "tbd", "Cat ", "old MAPPA", ".md", "This field is required")


def _main_text(page) -> str:
    return page.inner_text("main")


def _words_only(page, path: str) -> str:
    text = _main_text(page)
    assert not ISO_DATE.search(text), f"{path} shows an ISO date: {ISO_DATE.search(text).group()}"
    for code in CODES:
        assert code not in text, f"{path} shows {code!r}"
    return text


def test_nominal_pages_speak_in_words(page, live_server, world):
    nominal = world.nominals.mine
    nominal.next_review_due = dt.date.today() - dt.timedelta(days=2)
    nominal.mappa_category = "tbd"
    nominal.save(update_fields=["next_review_due", "mappa_category"])
    nominal.refresh_from_db()
    nominal.management_level = 2
    nominal_services.change_nominal(
        ctx_for(world.users.om, "offender_management"),
        nominal,
        expected_version=nominal.version,
        reason="Raised after the meeting on 2026-11-30",
    )
    sign_in(page, live_server, world.users.om)

    page.goto(f"{live_server.url}/nominals/{nominal.pk}/")
    text = _words_only(page, "nominal")
    assert "Category to be determined" in text
    assert "Review overdue" in text  # the lead agency's review date has passed
    assert "30 November 2026" in text  # the reason's date, in words

    page.goto(f"{live_server.url}/nominals/{nominal.pk}/history/")
    text = _words_only(page, "history")
    assert "Opened" in text and "Management level: " in text  # the first version, with its values

    page.goto(f"{live_server.url}/nominals/{nominal.pk}/access-log/")
    text = _words_only(page, "access log")
    assert "Olivia Mercer" in text and "Managing an offender (public protection)" in text
    assert "Looked at the record" in text

    page.goto(f"{live_server.url}/")
    text = _words_only(page, "my work")
    assert "Review overdue" in text


def test_a_missing_field_says_what_to_enter_once(page, live_server, world):
    sign_in(page, live_server, world.users.om)
    page.goto(f"{live_server.url}/people/{world.people.offender.pk}/addresses/new/")
    page.locator("main button[type=submit]").last.click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "There is a problem" in summary
    assert "Enter the date they began living here" in summary
    messages = page.locator(".govuk-error-message").all_inner_texts()
    assert len(messages) == len(set(messages)), messages  # each field's message once
    _words_only(page, "address form")


def test_no_blank_radio_after_an_error(page, live_server, world):
    sign_in(page, live_server, world.users.om)
    page.goto(f"{live_server.url}/people/{world.people.offender.pk}/notifications/new/")
    page.get_by_role("button", name="Record the notification").click()
    assert "Select the kind of notification" in page.locator(".govuk-error-summary").inner_text()
    radios = page.locator("input[type=radio][name=kind]")
    assert radios.count() >= 1
    assert page.locator("input[type=radio][name=kind][value='']").count() == 0
    assert page.locator("input[type=radio][name=kind]:checked").count() == 0
    assert "Choose" not in page.locator("fieldset").first.inner_text()


def test_offence_is_chosen_with_the_autocomplete(page, live_server, world):
    offence()  # the shared builder's offence, beside the list loaded by the migrations
    wanted = Offence.objects.filter(description__icontains="burglary").first() or Offence.objects.first()
    person = world.people.offender
    sign_in(page, live_server, world.users.om)
    page.goto(f"{live_server.url}/people/{person.pk}/convictions/new/")

    box = page.get_by_role("combobox", name="Offence")
    box.fill(wanted.description[:6])
    option = page.get_by_role("option", name=str(wanted))
    option.click()
    assert page.locator("select[name=offence]").input_value() == str(wanted.pk)
    assert violations(page) == []

    page.get_by_label("Conviction", exact=True).check()
    page.locator("#id_relevant_date_0").fill("14")
    page.locator("#id_relevant_date_1").fill("2")
    page.locator("#id_relevant_date_2").fill("2019")
    page.get_by_label("Disposal").select_option("community_order")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert Conviction.objects.filter(person=person, offence=wanted).exists()
