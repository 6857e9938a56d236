"""The notification calculator (API and page) under the second reading: each fix at its boundaries."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.calculators.test_api import ok, refused
from tests.calculators.url_roles import NOTIFICATION, date_parts, notification_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, world):
    from tests.conftest import verified_client

    verified_client(client, world.users.idva)

    def post(name: str, body: dict, **changes):
        return client.post(reverse(name), json.dumps({**body, **changes}), content_type="application/json")

    return post


URL = "api-rules-notification"
YOUNG = {**NOTIFICATION, "date_of_birth": "2007-01-01", "term_months": None}  # 17 on 4 March 2024


def sections(answer) -> str:
    return " ".join(answer["sections"])


# 1 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("months", "years", "rest"), [(23, 1, 11), (24, 2, 0), (25, 2, 1)])
def test_a_17_year_olds_discharge_is_not_halved(api, months, years, rest):
    answer = ok(api(URL, YOUNG, disposal_type="conditional_discharge", discharge_months=months))
    assert (answer["halved"], answer["years"], answer["months"]) == (False, years, rest)
    assert "not halved" in answer["explanation"]


# 2 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("second", "indefinite"), [(11, False), (12, True), (13, True)])
def test_terms_consecutive_to_another_are_added(api, second, indefinite):
    terms = [{"term_months": 18, "consecutive_to": None}, {"term_months": second, "consecutive_to": 0}]
    answer = ok(api(URL, NOTIFICATION, term_months=None, terms=terms))
    assert answer["indefinite"] is indefinite
    assert answer["term_months_read"] == 18 + second
    assert "SOA 2003 s.82(3)-(4)" in sections(answer)
    if indefinite:
        assert answer["review_qualifying_reason"] == "Cannot be worked out: record the first notification after release"


def test_the_single_term_still_works_and_both_together_are_refused(api):
    assert ok(api(URL, NOTIFICATION, term_months=29))["years"] == 10
    message = refused(api(URL, NOTIFICATION, terms=[{"term_months": 6}]), "terms")
    assert "not both" in message


def test_a_term_following_a_later_term_is_refused_by_its_place(api):
    terms = [{"term_months": 6, "consecutive_to": 1}, {"term_months": 6}]
    assert "earlier term" in refused(api(URL, NOTIFICATION, term_months=None, terms=terms), "terms[0].consecutive_to")


# 3 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentenced", "end"), [("2024-03-04", "2025-03-03"), ("2024-03-05", "2025-03-04"), ("2024-04-01", "2025-03-31")]
)
def test_sentenced_on_starts_a_discharge(api, sentenced, end):
    answer = ok(
        api(
            URL,
            NOTIFICATION,
            term_months=None,
            disposal_type="conditional_discharge",
            discharge_months=12,
            sentenced_on=sentenced,
        )
    )
    assert answer["end_date"] == end and answer["starts_on"] == sentenced
    assert "Sentencing Act 2020 s.80" in answer["explanation"]


def test_a_sentence_before_the_conviction_is_refused(api):
    body = {**NOTIFICATION, "term_months": None, "disposal_type": "conditional_discharge", "discharge_months": 12}
    assert "before" in refused(api(URL, body, sentenced_on="2024-03-03"), "sentenced_on")


# 4 and 6 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["bank_or_card_account", "identity_document", "child_in_household"])
def test_the_2012_changes_are_due_in_3_days(api, kind):
    answer = ok(api(URL, NOTIFICATION, change_kind=kind, change_on="2024-06-10"))
    assert answer["change_notification_due"] == "2024-06-12"
    assert "SI 2012/1876, made under SOA 2003 s.84(1)" in sections(answer)


@pytest.mark.parametrize(
    ("start", "due"), [("2024-06-13", "2024-06-12"), ("2024-06-12", "2024-06-21"), ("2024-06-11", "2024-06-22")]
)
def test_custody_in_the_3_days_is_disregarded(api, start, due):
    answer = ok(
        api(
            URL,
            NOTIFICATION,
            change_kind="new_home_address",
            change_on="2024-06-10",
            detained=[{"start": start, "end": "2024-06-20"}],
        )
    )
    assert answer["change_notification_due"] == due


@pytest.mark.parametrize(
    ("end", "due"), [("2025-03-03", "2025-03-04"), ("2025-03-04", "2025-03-07"), ("2025-03-05", "2025-03-08")]
)
def test_a_year_ending_in_custody_runs_on(api, end, due):
    answer = ok(api(URL, NOTIFICATION, last_notified_on="2024-03-04", detained=[{"start": "2025-01-01", "end": end}]))
    assert answer["periodic_notification_due"] == due


# 5 ------------------------------------------------------------------------------------------


def test_the_review_date_with_a_chief_officers_further_date(api):
    body = {**NOTIFICATION, "term_months": 30, "first_notification_after_release": "2010-05-01"}
    assert ok(api(URL, body))["review_qualifying_date"] == "2025-05-01"
    further = ok(
        api(URL, body, review_refused_on="2025-08-01", further_qualifying_date="2036-01-01", further_reason="Breaches")
    )
    assert further["review_qualifying_date"] == "2036-01-01"
    assert "SOA 2003 s.91B(4)-(6) (Remedial Order 2012)" in sections(further)
    assert "reason" in refused(
        api(URL, body, review_refused_on="2025-08-01", further_qualifying_date="2036-01-01"), "further_reason"
    )


# 7 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("departure", "by"), [("2024-03-07", "2024-02-28"), ("2024-03-08", "2024-02-29"), ("2024-03-09", "2024-03-01")]
)
def test_travel_notice_in_clear_days(api, departure, by):
    answer = ok(api(URL, NOTIFICATION, departure_on=departure))
    assert answer["travel_notify_by"] == by
    assert "R v Turner" in sections(answer)


@pytest.mark.parametrize(
    ("relevant", "end"), [("2023-08-30", "2023-09-29"), ("2023-08-31", "2023-09-30"), ("2023-09-01", "2023-09-30")]
)
def test_a_discharge_of_one_month_from_the_31st(api, relevant, end):
    body = {**NOTIFICATION, "relevant_date": relevant, "term_months": None, "disposal_type": "conditional_discharge"}
    assert ok(api(URL, body, discharge_months=1))["end_date"] == end


@pytest.mark.parametrize(("relevant", "halved"), [("2026-02-27", True), ("2026-02-28", False), ("2026-03-01", False)])
def test_born_on_29_february_is_18_on_28_february(api, relevant, halved):
    body = {**NOTIFICATION, "relevant_date": relevant, "date_of_birth": "2008-02-29", "term_months": None}
    assert ok(api(URL, body, disposal_type="caution"))["halved"] is halved


# The page ------------------------------------------------------------------------------------


def test_the_page_adds_consecutive_terms_and_names_the_section(page):
    form = notification_form({**NOTIFICATION, "term_months": 18}) | {"term_2_months": "18"}
    _, html = page("notification", form)
    assert 'id="result-period">Indefinite' in html
    assert "SOA 2003 s.82(3)-(4)" in html
    assert 'id="result-term">36 months' in html


def test_the_page_gives_the_travel_notice_in_clear_days(page):
    form = notification_form(NOTIFICATION) | date_parts("departure_on", "2024-03-08")
    _, html = page("notification", form)
    assert 'id="result-travel">29 February 2024' in html


def test_the_page_puts_an_overlap_error_on_its_field(page):
    form = notification_form({**NOTIFICATION, "term_months": 18}) | {
        "term_2_months": "18",
        "term_2_overlap_months": "18",
    }
    response, html = page("notification", form)
    assert response.context["form"].errors["term_2_overlap_months"]


# 8 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("born", "counted"), [("2008-03-02", 1), ("2008-03-01", 2), ("2008-02-29", 2)])
def test_rfg_counts_a_record_only_when_the_perpetrator_was_16_on_its_day(api, born, counted):
    records = [
        {"occurred_on": "2024-03-01", "offence_code": None, "victim": "A"},
        {"occurred_on": "2025-12-20", "offence_code": None, "victim": "B"},
    ]
    answer = ok(api("api-rules-rfg", {"as_of": "2026-01-05", "date_of_birth": born, "records": records}))
    assert answer["records_counted"] == counted
    assert answer["serial_perpetrator"] is (counted == 2)
    if counted == 1:
        assert "s.1(2)(a)" in answer["explanation"]


def test_rfg_does_not_count_a_victim_under_16(api):
    records = [
        {"occurred_on": "2025-12-01", "offence_code": None, "victim": "A"},
        {"occurred_on": "2025-12-20", "offence_code": None, "victim": "B", "victim_under_16": True},
    ]
    answer = ok(api("api-rules-rfg", {"as_of": "2026-01-05", "records": records}))
    assert answer["records_counted"] == 1 and not answer["serial_perpetrator"]
