"""The calculator pages: a GOV.UK form, then the answer with its working; errors on the field at fault."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from safeguard.audit.models import AuditEvent
from safeguard.web.dates import dates_in_words
from tests.calculators.url_roles import (
    DASH,
    NOTIFICATION,
    RFG,
    RM2000,
    dash_form,
    notification_form,
    rfg_form,
    rm2000_form,
)
from tests.events.url_roles import offence

pytestmark = pytest.mark.django_db

PAGES = ("notification", "dash", "rm2000", "rfg")


def working_shown(html: str, answer: dict) -> None:
    """Every step of the working is on the page (its dates in words), in a numbered list, each with its source."""
    listed = html[html.index('<ol class="govuk-list govuk-list--number">') :]
    position = 0
    for step in answer["working"]:
        position = listed.index(escape(dates_in_words(step["text"])), position)  # the API's ISO dates, in words
        if step["source"]:
            assert f"Source: {escape(step['source'])}" in listed


def error_linked(html: str, anchor: str, message: str) -> None:
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    assert f'href="#{anchor}"' in summary
    assert escape(message) in summary


def test_the_index_links_every_calculator(client, world, sign_in):
    sign_in(world.users.analyst)
    html = client.get(reverse("calculators:index")).content.decode()
    for name in PAGES:
        assert f'href="{reverse(f"calculators:{name}")}"' in html


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_a_post_form_with_no_result_yet(client, world, sign_in, name):
    sign_in(world.users.om)
    response = client.get(reverse(f"calculators:{name}"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post" novalidate>' in html
    assert response.context["answer"] is None
    assert 'id="result"' not in html
    assert response["Cache-Control"] == "no-store"


# Notification ----------------------------------------------------------------------------------


def test_notification_shows_the_period_the_deadline_and_the_working(page):
    response, html = page("notification", notification_form(NOTIFICATION))
    answer = response.context["answer"]
    assert 'id="result-period">10 years<' in html
    assert "3 March 2034 (inclusive)" in html
    assert 'id="result-initial">6 March 2024<' in html
    working_shown(html, answer)


def test_notification_indefinite(page):
    _, html = page("notification", notification_form({**NOTIFICATION, "term_months": 30}))
    assert 'id="result-period">Indefinite<' in html
    assert "No end date" in html


def test_notification_halved_for_a_seventeen_year_old(page):
    data = {**NOTIFICATION, "date_of_birth": "2006-03-04", "relevant_date": "2024-03-03", "disposal_type": "other"}
    data["term_months"] = None
    _, html = page("notification", notification_form(data))
    assert 'id="result-period">2 years 6 months<' in html
    assert "the period is halved" in html


def test_31_february_is_an_error_on_its_date(page):
    form = notification_form(NOTIFICATION) | {"relevant_date_0": "31", "relevant_date_1": "2"}
    response, html = page("notification", form)
    assert response.context["answer"] is None
    error_linked(html, "id_relevant_date_0", "Relevant date must be a real date")
    assert "govuk-input--error" in html


def test_imprisonment_without_a_term_is_the_rule_s_error_on_the_term(page):
    response, html = page("notification", notification_form({**NOTIFICATION, "term_months": None}))
    assert response.context["answer"] is None
    error_linked(html, "id_term_months", "Enter the length of the custodial term in months")


def test_a_term_in_words_is_an_error(page):
    _, html = page("notification", notification_form(NOTIFICATION) | {"term_months": "two years"})
    error_linked(html, "id_term_months", "Enter the custodial term in months as a whole number")


# DASH --------------------------------------------------------------------------------------------


def test_the_dash_page_asks_24_questions_by_topic(client, world, sign_in):
    sign_in(world.users.idva)
    html = client.get(reverse("calculators:dash")).content.decode()
    assert len(set(re.findall(r'name="(q\d+)" type="radio"', html))) == 24
    assert "1. Current injury" in html
    assert "24. Abuser&#x27;s criminal history" in html
    assert "Don&#x27;t know" in html


def test_dash_fourteen_yes_is_a_referral(page):
    response, html = page("dash", dash_form(DASH))
    answer = response.context["answer"]
    assert 'id="result-yes-count">14 of 24<' in html
    assert "<strong>Refer to MARAC</strong>" in html
    assert 'data-criterion="visible_high_risk">Visible high risk<' in html
    working_shown(html, answer)


def test_dash_unanswered_questions_are_errors(page):
    form = dash_form(DASH)
    del form["q3"], form["q24"]
    response, html = page("dash", form)
    assert response.context["answer"] is None
    error_linked(html, "id_q3_0", "Answer question 3: yes, no or don't know")
    error_linked(html, "id_q24_0", "Answer question 24: yes, no or don't know")


def test_dash_judgement_without_a_reason_is_an_error_on_the_reason(page):
    _, html = page("dash", dash_form({**DASH, "professional_judgement": True, "reason": ""}))
    error_linked(html, "id_reason", "Give the reason for your professional judgement that the risk is high")


# Risk Matrix 2000 --------------------------------------------------------------------------------


def test_rm2000_warns_that_the_definition_is_not_confirmed(client, world, sign_in):
    sign_in(world.users.chair)
    html = client.get(reverse("calculators:rm2000")).content.decode()
    assert "govuk-warning-text" in html
    assert "Not confirmed: Point values and bands are those commonly cited" in html


def test_rm2000_shows_each_scale(page):
    response, html = page("rm2000", rm2000_form(RM2000))
    assert 'id="result-s">Very High (step 1: 4 points, High)<' in html
    assert 'id="result-v">Very High (6 points)<' in html
    assert 'id="result-c">Very High (8 points)<' in html
    working_shown(html, response.context["answer"])


def test_rm2000_under_18_is_an_error_on_the_age(page):
    _, html = page("rm2000", rm2000_form({**RM2000, "age_at_commencement": 17}))
    error_linked(html, "id_age_at_commencement", "Risk Matrix 2000 is for adults")


# RFG -------------------------------------------------------------------------------------------------


def test_the_rfg_page_has_ten_rows_with_the_offence_list(client, world, sign_in):
    found = offence()
    sign_in(world.users.marac)
    html = client.get(reverse("calculators:rfg")).content.decode()
    assert len(re.findall(r'name="record_\d+_victim"', html)) == 10
    assert f'<option value="{found.code}">{escape(found.description)}</option>' in html
    assert "Non-crime record (no offence)" in html
    assert "not any force" in html


def test_rfg_scores_the_records(page):
    offence("OAPA1861-s47")
    offence("PHA1997-s2")
    response, html = page("rfg", rfg_form(RFG))
    assert 'id="result-serial">Yes<' in html
    assert 'id="result-total">35<' in html
    working_shown(html, response.context["answer"])


def test_rfg_a_partly_filled_row_and_a_name_are_errors(page):
    form = rfg_form(RFG) | {"record_2_victim": "Karen", "record_3_offence_code": ""}
    response, html = page("rfg", form)
    assert response.context["answer"] is None
    error_linked(html, "id_record_2_victim", "Record 2: give the victim a short label")
    error_linked(html, "id_record_3_offence_code", "Record 3: choose the offence, or non-crime")


def test_rfg_needs_at_least_one_record(page):
    _, html = page("rfg", {"as_of_0": "5", "as_of_1": "1", "as_of_2": "2026"})
    error_linked(html, "id_record_1_occurred_on", "Enter at least one record")
    assert 'id="id_record_1_occurred_on"' in html  # the day box itself


# Who may use them, and what they keep -------------------------------------------------------------------


@pytest.mark.parametrize("name", ("index", *PAGES))
def test_refused_without_a_role_and_sent_to_sign_in_when_signed_out(client, world, sign_in, name):
    url = reverse(f"calculators:{name}")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:sign-in"))
    sign_in(world.users.norole)
    assert client.get(url).status_code == 404


def test_the_pages_audit_nothing(page):
    before = AuditEvent.objects.count()
    page("notification", notification_form(NOTIFICATION))
    page("dash", dash_form({**DASH, "professional_judgement": True, "reason": "Escalating"}))
    page("rm2000", rm2000_form(RM2000))
    page("rfg", rfg_form(RFG))
    assert AuditEvent.objects.count() == before
