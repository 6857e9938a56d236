"""Completing and reading assessments through the pages: answers, result and working kept as made."""

from __future__ import annotations

import copy
import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safeguard.access.gate import AccessContext
from safeguard.assessments import services
from safeguard.assessments.instruments import sync_instruments
from safeguard.assessments.models import Assessment, InstrumentVersion
from safeguard.audit.models import AuditEvent, Outcome
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.rules import arms, rm2000
from safeguard.rules.instruments import band
from tests.assessments.url_roles import dash_data, rm2000_data

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _new_url(person, code: str) -> str:
    return reverse("assessments:new", kwargs={"pk": person.pk, "code": code})


def _errors(response) -> dict:
    assert response.status_code == 200, f"expected the form again, got {response.status_code}"
    return response.context["form"].errors


def _fresh_victim(world):
    """A victim in the home area with no MARAC case (so no repeat): only the answers decide."""
    return f.person(world.home["mappa"], "Nadia", "Fresh", dt.date(1990, 6, 1))


# DASH ------------------------------------------------------------------------


def test_dash_with_14_yes_is_kept_with_its_working_version_and_assessor(world, sign_in):
    client = sign_in(world.users.om)
    person = _fresh_victim(world)
    response = client.post(_new_url(person, "dash"), dash_data(yes=14))
    saved = Assessment.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == reverse("assessments:detail", args=[saved.pk])

    assert [saved.answers[f"q{n}"] for n in (1, 14, 15, 24)] == ["yes", "yes", "no", "no"]
    assert saved.answers["incident_date"] == timezone.localdate().isoformat()
    assert saved.result["yes_count"] == 14
    assert saved.result["criteria"] == ["visible_high_risk"], "no repeat, no escalation: 14 yes alone"
    assert saved.refer_to_marac and saved.grade == "high"
    texts = [step["text"] for step in saved.result["working"]]
    assert any("14 Yes is 14 or more" in t for t in texts), texts
    assert saved.instrument == InstrumentVersion.current_for("dash") and saved.instrument.edition == "2009"
    assert saved.assessor == world.users.om and saved.assessor_agency == world.police
    assert saved.assessed_on == timezone.localdate()
    assert saved.nominal is None and saved.incident is None

    page = client.get(response["Location"]).content.decode()
    assert 'id="marac-title"' in page and "criteria are met: visible high risk" in page
    assert "14 Yes is 14 or more: visible high risk" in page, "the working is shown"
    assert "2009" in page and "Olivia Mercer" in page

    person_page = client.get(reverse("people:person", args=[person.pk])).content.decode()
    assert reverse("assessments:detail", args=[saved.pk]) in person_page
    assert "Refer to MARAC" in person_page and "14 of 24 yes" in person_page


def test_dash_below_the_criteria_shows_no_referral_banner(world, sign_in):
    client = sign_in(world.users.om)
    person = _fresh_victim(world)
    response = client.post(_new_url(person, "dash"), dash_data(yes=5))
    saved = Assessment.objects.get(person=person)
    assert not saved.refer_to_marac and saved.grade == "standard" and saved.result["criteria"] == []
    page = client.get(response["Location"]).content.decode()
    assert 'id="marac-title"' not in page and "referral criteria are met" not in page
    assert "No referral criterion met: not a MARAC referral" in page
    assert "Refer to MARAC" not in client.get(reverse("people:person", args=[person.pk])).content.decode()


def test_dash_of_an_offender_links_the_active_nominal(world, sign_in):
    sign_in(world.users.om).post(_new_url(world.people.offender, "dash"), dash_data(yes=3))
    assert Assessment.objects.get(person=world.people.offender).nominal == world.nominals.mine


def test_judgement_without_a_reason_is_an_error_on_reason_and_nothing_is_saved(world, sign_in):
    response = sign_in(world.users.om).post(
        _new_url(_fresh_victim(world), "dash"), dash_data(yes=13, professional_judgement="on", reason="  ")
    )
    errors = _errors(response)
    assert list(errors) == ["reason"], errors
    assert "reason for your professional judgement" in errors["reason"][0]
    assert 'href="#id_reason"' in response.content.decode()
    assert not Assessment.objects.exists()


def test_judgement_with_a_reason_raises_13_yes_to_high_and_refers(world, sign_in):
    person = _fresh_victim(world)
    sign_in(world.users.om).post(
        _new_url(person, "dash"), dash_data(yes=13, professional_judgement="on", reason="Threats to the children")
    )
    saved = Assessment.objects.get(person=person)
    assert saved.grade == "high" and saved.refer_to_marac
    assert saved.result["grade"] == "medium" and saved.result["criteria"] == ["professional_judgement"]
    assert saved.answers["reason"] == "Threats to the children"


def test_an_unanswered_question_is_named_and_nothing_is_saved(world, sign_in):
    data = dash_data(yes=14)
    del data["q7"]
    errors = _errors(sign_in(world.users.om).post(_new_url(_fresh_victim(world), "dash"), data))
    assert errors["q7"] == ["Answer question 7: yes, no or don't know."]
    assert not Assessment.objects.exists()


def test_an_assessment_is_never_changed(world):
    saved = services.record_assessment(
        AccessContext(world.users.om, "victim_safeguarding"),
        person=world.people.victim,
        instrument=InstrumentVersion.current_for("dash"),
        data={
            **{f"q{n}": "yes" if n <= 2 else "no" for n in range(1, 25)},
            "assessed_on": timezone.localdate(),
            "incident_date": timezone.localdate(),
            "professional_judgement": False,
            "reason": "",
        },
    )
    saved.summary = "High: 24 of 24 yes"
    saved.refer_to_marac = not saved.refer_to_marac
    with pytest.raises(ValidationError, match="never changed"):
        saved.save()
    again = Assessment.objects.get(pk=saved.pk)
    assert again.summary.endswith("2 of 24 yes") and again.refer_to_marac != saved.refer_to_marac
    fetched = Assessment.objects.get(pk=saved.pk)
    with pytest.raises(ValidationError):
        fetched.save()


def test_a_new_edition_does_not_change_an_old_assessment(world, sign_in):
    client = sign_in(world.users.om)
    person = _fresh_victim(world)
    client.post(_new_url(person, "dash"), dash_data(yes=12))
    old = Assessment.objects.get(person=person)
    kept_result, kept_summary = copy.deepcopy(old.result), old.summary
    assert old.grade == "medium"

    # A later (fictional) edition in which 10 or more yes is high: loaded beside the old one, which stays.
    edition_2009 = InstrumentVersion.current_for("dash")
    definition = copy.deepcopy(edition_2009.definition) | {"edition": "2030-test"}
    definition["bands"] = [band("high", 10, 24)]
    InstrumentVersion.objects.filter(code="dash").update(current=False)
    newer = InstrumentVersion.objects.create(
        code="dash",
        edition="2030-test",
        name="DASH (test edition)",
        source="test",
        status="local",
        definition=definition,
    )
    client.post(_new_url(person, "dash"), dash_data(yes=12))
    new = Assessment.objects.filter(person=person).exclude(pk=old.pk).get()
    assert new.instrument == newer and new.grade == "high", "the new edition really would answer differently"

    old = Assessment.objects.get(pk=old.pk)
    assert old.instrument == edition_2009 and old.grade == "medium"
    assert old.result == kept_result and old.summary == kept_summary
    page = client.get(reverse("assessments:detail", args=[old.pk])).content.decode()
    assert "Medium: 12 of 24 yes" in page and "2009 (confirmed from a public source)" in page
    assert "2030-test" not in page


def test_loading_the_instruments_again_adds_nothing_and_keeps_the_current_edition(world):
    before = list(InstrumentVersion.objects.values_list("code", "edition", "current"))
    assert {code for code, _, _ in before} >= {"dash", "dash-yp", "dara", "rm2000", "arms"}
    assert sync_instruments() == 0
    assert list(InstrumentVersion.objects.values_list("code", "edition", "current")) == before


# DARA, RM2000, ARMS ------------------------------------------------------------


def _dara(**changes):
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "grade": "high",
        "rationale": "Escalating threats and recent separation.",
    }
    return data | changes


def test_dara_needs_a_rationale(world, sign_in):
    client = sign_in(world.users.om)
    person = _fresh_victim(world)
    errors = _errors(client.post(_new_url(person, "dara"), _dara(rationale="")))
    assert list(errors) == ["rationale"]
    assert not Assessment.objects.exists()

    response = client.post(_new_url(person, "dara"), _dara())
    assert response.status_code == 302
    saved = Assessment.objects.get(person=person)
    assert saved.grade == "high" and saved.answers["rationale"] == "Escalating threats and recent separation."
    assert saved.instrument.code == "dara" and not saved.refer_to_marac


def test_rm2000_result_on_the_page_matches_the_rule(world, sign_in):
    client = sign_in(world.users.om)
    response = client.post(_new_url(world.people.offender, "rm2000"), rm2000_data())
    assert response.status_code == 302
    saved = Assessment.objects.get(person=world.people.offender)
    expected = rm2000.score_rm2000(
        age_at_commencement=30,
        sexual_appearances=2,
        criminal_appearances=5,
        violent_appearances=1,
        any_burglary=True,
        aggravating_factors={"male_victim", "stranger_victim"},
        definition=saved.instrument.definition,
    )
    result = saved.result
    got = {k: result[k] for k in ("s_points", "s_category", "v_points", "v_category", "c_points", "c_category")}
    assert got == {
        "s_points": expected.s_points,
        "s_category": expected.s_category,
        "v_points": expected.v_points,
        "v_category": expected.v_category,
        "c_points": expected.c_points,
        "c_category": expected.c_category,
    }
    assert [step["text"] for step in result["working"]] == [step.text for step in expected.working]
    assert saved.grade == expected.c_category
    assert saved.answers["aggravating_factors"] == ["male_victim", "stranger_victim"]
    assert saved.answers["any_burglary"] is True
    page = client.get(response["Location"]).content.decode()
    c_step = next(step.text for step in expected.working if step.text.startswith("/C:"))
    assert escape(c_step) in page


def test_rm2000_under_18_is_an_error_on_the_age(world, sign_in):
    errors = _errors(
        sign_in(world.users.om).post(_new_url(world.people.offender, "rm2000"), rm2000_data(age_at_commencement="17"))
    )
    assert list(errors) == ["age_at_commencement"] and "adults" in errors["age_at_commencement"][0]
    assert not Assessment.objects.exists()


def _arms(**changes):
    data = {"assessed_on": timezone.localdate().isoformat()}
    for factor in arms.ARMS_2014["factors"]:
        data[f"rating_{factor['key']}"] = "low" if factor["kind"] == "risk" else "not_present"
    data["priorities"] = [arms.ARMS_2014["factors"][0]["key"]]
    return data | changes


def test_arms_requires_every_factor_rated(world, sign_in):
    client = sign_in(world.users.om)
    last = arms.ARMS_2014["factors"][-1]
    data = _arms()
    del data[f"rating_{last['key']}"]
    errors = _errors(client.post(_new_url(world.people.offender, "arms"), data))
    assert list(errors) == [f"rating_{last['key']}"] and errors[f"rating_{last['key']}"] == [f"Rate {last['label']}."]
    assert not Assessment.objects.exists()

    assert client.post(_new_url(world.people.offender, "arms"), _arms()).status_code == 302
    saved = Assessment.objects.get(person=world.people.offender)
    assert len(saved.answers["ratings"]) == len(arms.ARMS_2014["factors"]) == 11
    assert saved.summary.startswith("Priorities: ")


def test_arms_high_rating_needs_its_evidence(world, sign_in):
    first = arms.ARMS_2014["factors"][0]
    response = sign_in(world.users.om).post(
        _new_url(world.people.offender, "arms"), _arms(**{f"rating_{first['key']}": "high"})
    )
    assert response.status_code == 200 and "Give the evidence for" in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_unknown_instrument_is_not_found(world, sign_in):
    assert sign_in(world.users.om).get(_new_url(world.people.offender, "oasys")).status_code == 404


# Who may assess ------------------------------------------------------------------


def test_partner_is_refused_the_new_assessment_page_and_the_refusal_is_audited(world, sign_in):
    client = sign_in(world.users.partner)
    url = _new_url(world.people.victim, "dash")  # the partner can see the victim (MARAC case), not assess
    assert client.get(reverse("people:person", args=[world.people.victim.pk])).status_code == 200
    assert client.get(url).status_code == 404
    assert client.post(url, dash_data(yes=14)).status_code == 404
    assert not Assessment.objects.exists()
    refused = AuditEvent.objects.filter(actor_id=world.users.partner.pk, outcome=Outcome.REFUSED)
    assert refused.count() == 2
    assert set(refused.values_list("operation", flat=True)) == {"create"}


def test_a_refused_assessment_attempt_names_the_person_in_the_audit(world, sign_in):
    """Who tried to assess whom must be answerable from the audit store, as for every other refused create."""
    sign_in(world.users.partner).get(_new_url(world.people.victim, "dash"))
    event = AuditEvent.objects.get(actor_id=world.users.partner.pk, outcome=Outcome.REFUSED)
    names_person = (event.record_type, event.record_id) == ("people.person", world.people.victim.pk)
    assert names_person or event.detail.get("person") == world.people.victim.pk, (
        f"refusal audited as {event.record_type} {event.record_id} {event.detail}: the person is not named"
    )


def test_idva_may_complete_only_the_dash_for_the_person_they_support(world, sign_in):
    client = sign_in(world.users.idva)
    assert services.assessment_links(world.users.idva, world.people.victim) == [
        ("dash", "Complete DASH risk identification checklist"),
        ("dash-yp", "Complete DASH young people's version"),
    ]
    page = client.get(reverse("people:person", args=[world.people.victim.pk])).content.decode()
    assert _new_url(world.people.victim, "dash") in page and _new_url(world.people.victim, "rm2000") not in page
    assert client.post(_new_url(world.people.victim, "dash"), dash_data(yes=2)).status_code == 302
    saved = Assessment.objects.get()
    assert saved.assessor == world.users.idva and saved.assessor_agency == world.idva_service
    assert client.post(_new_url(world.people.victim, "rm2000"), rm2000_data()).status_code == 404
    assert client.get(_new_url(world.people.offender, "dash")).status_code == 404


def test_a_reader_sees_no_links_to_assess(world):
    assert services.assessment_links(world.users.chair, world.people.offender) == []
    assert [code for code, _ in services.assessment_links(world.users.om, world.people.offender)] == [
        "arms",
        "dara",
        "dash",
        "dash-yp",
        "rm2000",
    ]


# The MARAC's context ------------------------------------------------------------------

INCIDENT_DAY = dt.date(2025, 6, 15)
_refs = iter(range(1, 1000))


def _incident(world, day: dt.date, person, role=IncidentRole.VICTIM, domestic_abuse=True) -> Incident:
    incident = Incident.objects.create(
        reference=f"NT/CTX/{next(_refs):04d}",
        occurred_at=dt.datetime.combine(day, dt.time(12, 0), tzinfo=LONDON),
        local_area=world.home["local"][0],
        domestic_abuse=domestic_abuse,
        recorded_by=world.police,
    )
    IncidentPerson.objects.create(incident=incident, person=person, role=role)
    return incident


@pytest.fixture
def history(world):
    """Domestic-abuse incidents against the victim around the windows' edges, and some that never count."""
    victim = world.people.victim
    for day in (
        INCIDENT_DAY,  # the incident itself counts
        dt.date(2025, 4, 15),
        dt.date(2024, 12, 15),  # the first day of a 6-month window
        dt.date(2024, 12, 14),  # the day before it
        dt.date(2024, 6, 15),  # the first day of a 12-month window
        dt.date(2024, 6, 14),  # the day before it
        dt.date(2025, 6, 16),  # after the incident
    ):
        _incident(world, day, victim)
    _incident(world, dt.date(2025, 5, 1), victim, domestic_abuse=False)
    _incident(world, dt.date(2025, 5, 2), victim, role=IncidentRole.WITNESS)
    _incident(world, dt.date(2025, 5, 3), world.people.other_offender)
    return victim


def test_marac_context_counts_da_incidents_against_the_victim_in_the_window(world, history):
    context = services.marac_context(history, INCIDENT_DAY)
    assert context.events_in_window == 5
    assert context.marac_settings.escalation_months == 12
    assert context.last_marac_referral is None, "the MARAC case was opened after this incident"


def test_marac_context_uses_the_forums_settings(world, history):
    world.marac.escalation_months = 6
    world.marac.dash_medium_from = 12
    world.marac.save()
    context = services.marac_context(history, INCIDENT_DAY)
    assert context.events_in_window == 3
    assert context.marac_settings.escalation_months == 6 and context.dash_settings.medium_from == 12


def test_marac_context_of_a_person_with_no_marac_uses_the_national_defaults(world):
    _incident(world, INCIDENT_DAY, world.people.away)
    context = services.marac_context(world.people.away, INCIDENT_DAY)
    assert context.events_in_window == 1 and context.marac_settings.escalation_months == 12


def test_last_marac_referral_is_the_latest_case_opened_on_or_before_the_incident(world):
    today = timezone.localdate()
    assert services.marac_context(world.people.victim, today).last_marac_referral == today
    assert services.marac_context(world.people.victim, today - dt.timedelta(days=1)).last_marac_referral is None


def test_potential_escalation_on_the_page_follows_the_forums_settings(world, history, sign_in):
    client = sign_in(world.users.marac)
    url = _new_url(history, "dash")
    world.marac.escalation_months = 6
    world.marac.save()
    client.post(url, dash_data(yes=0, incident_date=INCIDENT_DAY))
    first = Assessment.objects.get()
    assert first.refer_to_marac and first.result["criteria"] == ["potential_escalation"]
    assert first.answers["events_in_window"] == 3

    world.marac.escalation_events = 4
    world.marac.save()
    client.post(url, dash_data(yes=0, incident_date=INCIDENT_DAY))
    second = Assessment.objects.exclude(pk=first.pk).get()
    assert not second.refer_to_marac and second.result["criteria"] == []
    assert any("fewer than 4 in 6 months" in step["text"] for step in second.result["working"])
