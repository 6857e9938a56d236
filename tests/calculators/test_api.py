"""The calculator endpoints: answers at the rules' boundaries, field-named refusals, who may call them."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from tests.calculators.url_roles import DASH, NOTIFICATION, RFG, RM2000

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, world):
    from tests.conftest import verified_client

    verified_client(client, world.users.idva)

    def post(name: str, body, **changes):
        data = {**body, **changes} if isinstance(body, dict) else body
        return client.post(reverse(name), json.dumps(data), content_type="application/json")

    return post


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def refused(response, *path: str) -> str:
    """The 400's message at the field path named (e.g. 'records', '0', 'victim')."""
    assert response.status_code == 400, response.content
    errors = response.json()
    for key in path:
        errors = errors[key]
    assert isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors), errors
    return errors[0]


def with_source(working: list[dict]) -> bool:
    return bool(working) and all(step["text"] and step["source"] for step in working)


# Notification ------------------------------------------------------------------------------


def test_thirty_months_is_indefinite_with_no_end_date(api):
    answer = ok(api("api-rules-notification", NOTIFICATION, term_months=30))
    assert answer["indefinite"] is True
    assert answer["end_date"] is None
    assert "30 months or more" in answer["table_row"]
    assert answer["initial_notification_due"] == "2024-03-06"
    assert with_source(answer["working"])
    assert [s["text"] for s in answer["working"]][0].startswith("Custodial term of 30 months")


def test_twenty_nine_months_is_ten_years_ending_the_day_before_the_anniversary(api):
    answer = ok(api("api-rules-notification", NOTIFICATION, term_months=29))
    assert (answer["indefinite"], answer["years"], answer["months"]) == (False, 10, 0)
    assert answer["end_date"] == "2034-03-03"
    assert "SOA 2003 s.82(1) table" in answer["explanation"]


def test_six_months_is_seven_years_and_seven_is_ten(api):
    assert ok(api("api-rules-notification", NOTIFICATION, term_months=6))["years"] == 7
    assert ok(api("api-rules-notification", NOTIFICATION, term_months=7))["years"] == 10


@pytest.mark.parametrize(
    ("relevant_date", "halved", "years", "months"),
    [
        ("2024-03-03", True, 2, 6),  # the day before the 18th birthday: 17, halved
        ("2024-03-04", False, 5, 0),  # the 18th birthday
        ("2024-03-05", False, 5, 0),
    ],
)
def test_seventeen_on_the_relevant_date_halves_the_period(api, relevant_date, halved, years, months):
    answer = ok(
        api(
            "api-rules-notification",
            NOTIFICATION,
            relevant_date=relevant_date,
            date_of_birth="2006-03-04",
            disposal_type="other",
            term_months=None,
        )
    )
    assert (answer["halved"], answer["under_18"], answer["years"], answer["months"]) == (halved, halved, years, months)


@pytest.mark.parametrize(
    ("relevant_date", "under_18"), [("2026-02-27", True), ("2026-02-28", False), ("2026-03-01", False)]
)
def test_born_on_29_february_turns_18_on_28_february_in_a_common_year(api, relevant_date, under_18):
    # Corrected: 18 was reached on 1 March, so a caution on 28 February was halved; the protective reading
    # (28 February) never halves a period a day too long.
    answer = ok(
        api(
            "api-rules-notification",
            NOTIFICATION,
            relevant_date=relevant_date,
            date_of_birth="2008-02-29",
            disposal_type="caution",
            term_months=None,
        )
    )
    assert answer["under_18"] is under_18
    assert answer["years"] == (1 if under_18 else 2)


def test_a_conditional_discharge_lasts_its_period_and_is_not_halved(api):
    answer = ok(
        api(
            "api-rules-notification",
            NOTIFICATION,
            date_of_birth="2008-01-01",
            disposal_type="conditional_discharge",
            term_months=None,
            discharge_months=18,
        )
    )
    assert (answer["years"], answer["months"], answer["halved"]) == (1, 6, False)
    assert answer["end_date"] == "2025-09-03"


def test_release_moves_the_initial_notification(api):
    answer = ok(api("api-rules-notification", NOTIFICATION, released_on="2026-05-10"))
    assert answer["initial_notification_due"] == "2026-05-12"
    assert any("SOA 2003 s.83(6)" in step["source"] for step in answer["working"])


def test_imprisonment_without_a_term_names_term_months(api):
    message = refused(api("api-rules-notification", NOTIFICATION, term_months=None), "term_months")
    assert "custodial term" in message


def test_a_date_that_does_not_exist_names_the_field(api):
    refused(api("api-rules-notification", NOTIFICATION, relevant_date="2023-02-31"), "relevant_date")
    refused(api("api-rules-notification", NOTIFICATION, date_of_birth="1990-13-01"), "date_of_birth")
    refused(api("api-rules-notification", NOTIFICATION, released_on="2023-02-29"), "released_on")


def test_a_far_off_year_is_refused(api):
    assert "1900" in refused(api("api-rules-notification", NOTIFICATION, relevant_date="9999-01-01"), "relevant_date")


def test_an_unknown_disposal_and_a_missing_field_are_named(api):
    refused(api("api-rules-notification", NOTIFICATION, disposal_type="community_service"), "disposal_type")
    body = {k: v for k, v in NOTIFICATION.items() if k != "date_of_birth"}
    refused(api("api-rules-notification", body), "date_of_birth")


def test_relevant_date_before_birth_is_named_by_the_rule(api):
    refused(api("api-rules-notification", NOTIFICATION, date_of_birth="2025-01-01"), "relevant_date")


def test_a_body_that_is_not_an_object_is_refused(api):
    assert api("api-rules-notification", [1, 2]).status_code == 400


# DASH --------------------------------------------------------------------------------------


def _answers(yes: int) -> list[str]:
    return ["yes"] * yes + ["no"] * (24 - yes)


def test_fourteen_yes_is_visible_high_risk_and_a_referral(api):
    answer = ok(api("api-rules-dash", DASH, answers=_answers(14)))
    assert answer["yes_count"] == 14
    assert answer["grade"] == "high"
    assert answer["criteria"] == ["visible_high_risk"]
    assert answer["refer_to_marac"] is True
    assert with_source(answer["working"])


def test_thirteen_yes_is_medium_and_no_referral(api):
    answer = ok(api("api-rules-dash", DASH, answers=_answers(13)))
    assert (answer["grade"], answer["criteria"], answer["refer_to_marac"]) == ("medium", [], False)


def test_the_working_says_the_national_defaults_were_used(api):
    answer = ok(api("api-rules-dash", DASH))
    assert "national MARAC referral criteria" in answer["working"][0]["text"]
    assert "3 domestic-abuse events in 12 months" in answer["explanation"]
    assert answer["escalation_window_start"] == "2024-06-01"
    assert answer["escalation_window_end"] == "2025-06-01"


def test_professional_judgement_raises_the_grade_and_needs_a_reason(api):
    answer = ok(api("api-rules-dash", DASH, answers=_answers(3), professional_judgement=True, reason="Escalating"))
    assert answer["grade"] == "standard"
    assert answer["grade_after_judgement"] == "high"
    assert answer["criteria"] == ["professional_judgement"]
    assert "reason" in refused(api("api-rules-dash", DASH, professional_judgement=True, reason=" "), "reason")


@pytest.mark.parametrize(("events", "escalation"), [(2, False), (3, True)])
def test_three_events_in_twelve_months_is_potential_escalation(api, events, escalation):
    answer = ok(api("api-rules-dash", DASH, answers=_answers(0), events_last_12_months=events))
    assert ("potential_escalation" in answer["criteria"]) is escalation


@pytest.mark.parametrize(("incident_date", "repeat"), [("2025-06-01", True), ("2025-06-02", False)])
def test_a_repeat_is_within_twelve_months_of_the_last_referral(api, incident_date, repeat):
    answer = ok(
        api("api-rules-dash", DASH, answers=_answers(2), last_marac_referral="2024-06-01", incident_date=incident_date)
    )
    assert answer["repeat"] is repeat
    assert answer["refer_to_marac"] is repeat


def test_23_or_25_answers_or_a_wrong_answer_name_answers(api):
    assert "24 answers" in refused(api("api-rules-dash", DASH, answers=_answers(14)[:23]), "answers")
    assert "24 answers" in refused(api("api-rules-dash", DASH, answers=[*_answers(14), "no"]), "answers")
    response = api("api-rules-dash", DASH, answers=["maybe", *_answers(14)[1:]])
    assert response.status_code == 400 and "answers" in response.json()


def test_dash_dates_and_counts_are_named(api):
    refused(api("api-rules-dash", DASH, incident_date="2025-02-31"), "incident_date")
    refused(api("api-rules-dash", DASH, last_marac_referral="2025-02-30"), "last_marac_referral")
    refused(api("api-rules-dash", DASH, events_last_12_months=-1), "events_last_12_months")
    message = refused(api("api-rules-dash", DASH, last_marac_referral="2025-07-01"), "incident_date")
    assert "before the last MARAC referral" in message


# Risk Matrix 2000 --------------------------------------------------------------------------


def test_rm2000_scores_each_scale_and_says_the_definition_is_unconfirmed(api):
    answer = ok(api("api-rules-rm2000", RM2000))
    # /S: age 22 (2) + 2 sexual appearances (1) + 5 criminal appearances (1) = 4, High; 2 factors raise it one.
    assert (answer["s_points"], answer["s_step1_category"], answer["s_category"]) == (4, "high", "very_high")
    # /V: age 22 (3) + 1 violent appearance (1) + burglary (2) = 6, Very High. /C: 4 + 4 = 8, Very High.
    assert (answer["v_points"], answer["v_category"]) == (6, "very_high")
    assert (answer["c_points"], answer["c_category"]) == (8, "very_high")
    assert answer["status"] == "unconfirmed"
    assert answer["definition"] == "rm2000/2007"
    assert "unconfirmed" in answer["working"][-1]["text"]


@pytest.mark.parametrize(
    ("factors", "category"), [([], "high"), (["male_victim"], "high"), (["male_victim", "non_contact"], "very_high")]
)
def test_rm2000_aggravating_factors_raise_the_category_from_two(api, factors, category):
    assert ok(api("api-rules-rm2000", RM2000, aggravating_factors=factors))["s_category"] == category


def test_rm2000_refusals_name_the_field(api):
    assert "18" in refused(api("api-rules-rm2000", RM2000, age_at_commencement=17), "age_at_commencement")
    refused(api("api-rules-rm2000", RM2000, sexual_appearances=0), "sexual_appearances")
    refused(api("api-rules-rm2000", RM2000, violent_appearances="many"), "violent_appearances")
    response = api("api-rules-rm2000", RM2000, aggravating_factors=["unknown"])
    assert response.status_code == 400 and "aggravating_factors" in response.json()


# RFG -------------------------------------------------------------------------------------------


def test_rfg_scores_recency_frequency_gravity_and_victims(api):
    answer = ok(api("api-rules-rfg", RFG))
    # The 2022 record is more than three years before the ranking date: not counted.
    assert answer["records_counted"] == 2
    assert answer["recency"] == 10  # within 1 month
    assert answer["frequency"] == 4  # 2 records at 2
    assert answer["gravity"] == 11  # ABH 10 + non-crime 1
    assert answer["victims"] == 10  # A and B at 5
    assert answer["total"] == 35
    assert answer["serial_perpetrator"] is True
    assert answer["status"] == "safeguard"
    assert "not any force's" in answer["working"][0]["text"]
    assert answer["config"]["victim_weight"] == 5


@pytest.mark.parametrize(("occurred_on", "counted"), [("2023-01-05", False), ("2023-01-06", True)])
def test_a_record_exactly_three_years_old_no_longer_counts(api, occurred_on, counted):
    records = [{"occurred_on": occurred_on, "offence_code": None, "victim": "A"}]
    assert ok(api("api-rules-rfg", RFG, records=records))["records_counted"] == (1 if counted else 0)


def test_victim_labels_are_compared_without_case(api):
    records = [
        {"occurred_on": "2025-12-20", "offence_code": None, "victim": "a"},
        {"occurred_on": "2025-11-20", "offence_code": None, "victim": "A"},
    ]
    answer = ok(api("api-rules-rfg", RFG, records=records))
    assert (answer["distinct_victims"], answer["serial_perpetrator"]) == (1, False)


def test_a_supplied_config_is_used_and_marked_local(api):
    answer = ok(api("api-rules-rfg", RFG, config={"victim_weight": 7, "gravity_weights": {"OAPA1861-s47": 20}}))
    assert answer["victims"] == 14
    assert answer["gravity"] == 21
    assert answer["status"] == "local"
    assert answer["config"]["gravity_weights"] == {"OAPA1861-s47": 20}


def test_rfg_refusals_name_the_field(api):
    assert "setting" in refused(api("api-rules-rfg", RFG, config={"bogus": 1}), "config", "bogus")
    refused(api("api-rules-rfg", RFG, config={"frequency_weight": -1}), "config", "frequency_weight")
    refused(api("api-rules-rfg", RFG, config={"recency_bands": [[1, 2, 3]]}), "config", "recency_bands", "0")
    bad_victim = [{"occurred_on": "2025-12-20", "offence_code": None, "victim": "Karen"}]
    refused(api("api-rules-rfg", RFG, records=bad_victim), "records", "0", "victim")
    bad_code = [{"occurred_on": "2025-12-20", "offence_code": "NOT-A-CODE", "victim": "A"}]
    refused(api("api-rules-rfg", RFG, records=bad_code), "records", "0", "offence_code")
    bad_date = [{"occurred_on": "2025-02-29", "offence_code": None, "victim": "A"}]
    refused(api("api-rules-rfg", RFG, records=bad_date), "records", "0", "occurred_on")
    refused(api("api-rules-rfg", RFG, as_of="2026-02-30"), "as_of")
    refused(api("api-rules-rfg", RFG, date_of_birth="2026-02-01"), "date_of_birth")


# Who may call them, and what they keep ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("api-rules-notification", NOTIFICATION),
        ("api-rules-dash", DASH),
        ("api-rules-rm2000", RM2000),
        ("api-rules-rfg", RFG),
    ],
)
def test_refused_unless_signed_in_with_a_role(client, world, name, body):
    from tests.conftest import verified_client

    url = reverse(name)
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 403
    verified_client(client, world.users.norole)
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_get_is_not_allowed(api, client):
    assert client.get(reverse("api-rules-dash")).status_code == 405


def test_nothing_is_audited_kept_or_logged(api, caplog):
    caplog.set_level(logging.DEBUG)
    before = AuditEvent.objects.count()
    secret = "Zebedee Quartermaine"
    ok(api("api-rules-dash", DASH, professional_judgement=True, reason=secret))
    records = [{"occurred_on": "2025-12-20", "offence_code": None, "victim": secret}]
    refused(api("api-rules-rfg", RFG, records=records), "records", "0", "victim")
    response = api("api-rules-dash", DASH, reason=secret, incident_date="2025-02-31")
    assert response.status_code == 400
    assert secret not in response.content.decode()
    assert AuditEvent.objects.count() == before
    assert secret not in caplog.text
    assert "2025-02-31" not in caplog.text
