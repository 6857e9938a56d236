"""The same inputs through the page, the API and the pure rule give the same answer and the same working."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.rules import marac, notification, rfg, rm2000
from tests.calculators.url_roles import (
    DASH,
    NOTIFICATION,
    RFG,
    RFG_NON_CRIME,
    RM2000,
    dash_form,
    notification_form,
    rfg_form,
    rm2000_form,
)
from tests.events.url_roles import offence

pytestmark = pytest.mark.django_db

FIXTURE_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def both(client, world):
    """Ask the page and the API the same question; return both answers as JSON, after checking they agree."""
    from tests.conftest import verified_client

    verified_client(client, world.users.om)
    offence("OAPA1861-s47")
    offence("PHA1997-s2")

    def ask(name: str, body: dict, form: dict) -> dict:
        api = client.post(reverse(f"api-rules-{name}"), json.dumps(body), content_type="application/json")
        page = client.post(reverse(f"calculators:{name}"), form)
        assert api.status_code == 200, api.content
        assert page.status_code == 200 and page.context["answer"] is not None, page.context["form"].errors
        from_api = api.json()
        from_page = json.loads(json.dumps(page.context["answer"], cls=DjangoJSONEncoder))
        assert set(from_page) == set(from_api)
        assert from_page == from_api
        html = page.content.decode()
        from django.utils.html import escape

        from safeguard.web.dates import dates_in_words

        for step in from_api["working"]:
            assert escape(dates_in_words(step["text"])) in html  # the same working, its dates in words
        return from_api

    return ask


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _steps(steps) -> list[dict]:
    return [s.as_dict() for s in steps]


# Notification ----------------------------------------------------------------------------------


def check_notification(both, body: dict) -> None:
    answer = both("notification", body, notification_form(body))
    period = notification.notification_period(
        _day(body["relevant_date"]),
        _day(body["date_of_birth"]),
        body["disposal_type"],
        term_months=body.get("term_months"),
        discharge_months=body.get("discharge_months"),
    )
    initial = notification.initial_notification_due(
        _day(body["relevant_date"]), released_on=_day(body.get("released_on"))
    )
    for name in ("indefinite", "years", "months", "under_18", "halved", "table_row"):
        assert answer[name] == getattr(period, name), name
    assert answer["end_date"] == _iso(period.end_date)
    assert answer["initial_notification_due"] == initial.due.isoformat()
    review = ()
    if period.indefinite:  # the s.91B date: cannot be worked out without the first notification after release
        review = notification.indefinite_review_qualifying_date(None, period.under_18).working
    assert answer["working"] == _steps(period.working + initial.working + review)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"term_months": 30},
        {"term_months": 6},
        {"date_of_birth": "2006-03-04", "relevant_date": "2024-03-03", "disposal_type": "other", "term_months": None},
        {"date_of_birth": "2008-02-29", "relevant_date": "2026-02-28", "disposal_type": "caution", "term_months": None},
        {"disposal_type": "conditional_discharge", "term_months": None, "discharge_months": 18},
        {"disposal_type": "hospital_order_with_restriction", "term_months": None, "released_on": "2025-01-31"},
        {"disposal_type": "detention", "date_of_birth": "2009-05-01", "term_months": 12},
    ],
)
def test_notification(both, changes):
    check_notification(both, {**NOTIFICATION, **changes})


@FIXTURE_SETTINGS
@given(
    relevant_date=st.dates(dt.date(2004, 5, 1), dt.date(2030, 12, 31)),
    age_days=st.integers(10 * 365, 70 * 365),
    disposal=st.sampled_from(["life", "ipp", "imprisonment", "detention", "hospital_order", "caution", "other"]),
    term=st.integers(1, 60),
)
def test_notification_any_inputs(both, relevant_date, age_days, disposal, term):
    body = {
        "relevant_date": relevant_date.isoformat(),
        "date_of_birth": (relevant_date - dt.timedelta(days=age_days)).isoformat(),
        "disposal_type": disposal,
        "term_months": term if disposal in ("imprisonment", "detention") else None,
        "discharge_months": None,
        "released_on": None,
    }
    check_notification(both, body)


# DASH ----------------------------------------------------------------------------------------------


def check_dash(both, body: dict) -> None:
    answer = both("dash", body, dash_form(body))
    result = marac.assess_dash_for_marac(
        body["answers"],
        professional_judgement=body["professional_judgement"],
        reason=body["reason"],
        events_in_window=body["events_last_12_months"],
        last_marac_referral=_day(body["last_marac_referral"]),
        incident_date=_day(body["incident_date"]),
    )
    assert answer["yes_count"] == result.yes_count
    assert (answer["grade"], answer["grade_after_judgement"]) == (result.grade, result.grade_after_judgement)
    assert answer["criteria"] == list(result.criteria)
    assert (answer["refer_to_marac"], answer["repeat"]) == (result.refer_to_marac, result.repeat)
    # The calculator's own first steps say which settings it used and which dates the events cover.
    assert answer["working"][-len(result.working) :] == _steps(result.working)
    assert "national MARAC referral criteria" in answer["working"][0]["text"]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"answers": ["yes"] * 13 + ["no"] * 11},
        {"answers": ["dont_know"] * 24, "professional_judgement": True, "reason": "Threats escalating"},
        {"answers": ["no"] * 24, "events_last_12_months": 3},
        {"answers": ["no"] * 24, "last_marac_referral": "2024-06-01"},
        {"answers": ["no"] * 24, "last_marac_referral": "2024-05-31"},
    ],
)
def test_dash(both, changes):
    check_dash(both, {**DASH, **changes})


@FIXTURE_SETTINGS
@given(
    answers=st.lists(st.sampled_from(["yes", "no", "dont_know"]), min_size=24, max_size=24),
    events=st.integers(0, 6),
    judgement=st.booleans(),
)
def test_dash_any_answers(both, answers, events, judgement):
    body = {**DASH, "answers": answers, "events_last_12_months": events, "professional_judgement": judgement}
    body["reason"] = "Judged high" if judgement else ""
    check_dash(both, body)


# Risk Matrix 2000 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"age_at_commencement": 35, "sexual_appearances": 1, "criminal_appearances": 4, "any_burglary": False},
        {"age_at_commencement": 45, "violent_appearances": 4, "aggravating_factors": list(rm2000.AGGRAVATING_FACTORS)},
        {"age_at_commencement": 18, "sexual_appearances": 5, "aggravating_factors": []},
    ],
)
def test_rm2000(both, changes):
    body = {**RM2000, **changes}
    answer = both("rm2000", body, rm2000_form(body))
    result = rm2000.score_rm2000(**body)
    for name in ("s_points", "s_step1_category", "s_category", "v_points", "v_category", "c_points", "c_category"):
        assert answer[name] == getattr(result, name), name
    assert answer["working"] == _steps(result.working)
    assert answer["status"] == rm2000.RM2000["status"] == "unconfirmed"


# RFG -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [RFG, RFG_NON_CRIME, {**RFG, "date_of_birth": "2010-01-06"}, {**RFG, "as_of": "2024-03-01"}]
)
def test_rfg(both, body):
    answer = both("rfg", body, rfg_form(body))
    score = rfg.score_perpetrator(
        [
            rfg.DaRecord(_day(r["occurred_on"]), r["offence_code"], frozenset({r["victim"]}), area="")
            for r in body["records"]
        ],
        as_of=_day(body["as_of"]),
        date_of_birth=_day(body.get("date_of_birth")),
    )
    for name in ("recency", "frequency", "gravity", "victims", "total", "serial_perpetrator", "records_counted"):
        assert answer[name] == getattr(score, name), name
    assert answer["working"][1:] == _steps(score.working)
