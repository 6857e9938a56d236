"""The referral pages: each kind's form with its errors, the DASH hook, the decision, timers, the MATAC ranking."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from django.utils import timezone

from safeguard.referrals.models import Referral
from tests.assessments.url_roles import dash_data
from tests.referrals import builders as b

S = Referral.Status


def _text(response) -> str:
    return response.content.decode()


def test_refer_to_mappa_from_the_nominal_page(world, forums, sign_in):
    client = sign_in(world.users.om)
    page = _text(client.get(f"/nominals/{world.nominals.mine.pk}/"))
    url = f"/referrals/people/{world.people.offender.pk}/mappa/"
    assert f'href="{url}"' in page and "Refer to MAPPA" in page
    form = _text(client.get(url))
    assert "No conviction recorded supports a MAPPA category" in form
    response = client.post(url, {"mappa_category": "3", "level_sought": "2", "reason": "", "risk_summary": ""})
    page = _text(response)
    assert "There is a problem" in page and 'href="#id_reason"' in page and 'href="#id_risk_summary"' in page
    response = client.post(
        url, {"mappa_category": "3", "level_sought": "2", "reason": "Threats.", "risk_summary": "High RoSH."}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert (referral.forum, referral.mappa_category, referral.status) == (forums.l2, "3", S.DRAFT)


def test_no_mappa_link_where_the_area_has_no_mappa_forum(world, sign_in):
    page = _text(sign_in(world.users.om).get(f"/nominals/{world.nominals.mine.pk}/"))
    assert "Refer to MAPPA" not in page


def test_refer_to_marac_by_hand_from_the_person_page(world, forums, sign_in):
    client = sign_in(world.users.marac)
    victim = world.people.victim
    b.incident(world, perpetrator=world.people.offender, victim=victim, on=timezone.localdate())
    assert f'href="/referrals/people/{victim.pk}/marac/">Make a MARAC referral' in _text(
        client.get(f"/people/{victim.pk}/")
    )
    url = f"/referrals/people/{victim.pk}/marac/"
    today = timezone.localdate()
    base = {
        "forum": str(world.marac.pk),
        "incident_date": today.isoformat(),
        "victim_aware": "no",
        "victim_consents": "no",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-0-relationship": "son",
    }
    page = _text(client.post(url, base))
    assert "There is a problem" in page
    assert "Say why the victim is not aware or does not consent" in page
    assert 'href="#id_children-0-date_of_birth_0"' in page and "Child 1: Enter the child" in page
    assert "Choose the criteria the case meets" not in page  # the form's own errors come first

    fixed = base | {
        "no_consent_reason": "Contact would alert the perpetrator.",
        "children-0-date_of_birth": "2019-05-04",
        "criteria": ["visible_high_risk"],
        "dash_yes_count": "9",
    }
    page = _text(client.post(url, fixed))
    assert "Visible high risk needs a DASH with 14 or more yes answers" in page
    response = client.post(url, fixed | {"dash_yes_count": "16", "perpetrators": [str(world.people.offender.pk)]})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.criteria_met == ["visible_high_risk"]
    assert referral.children == [{"date_of_birth": "2019-05-04", "relationship": "son", "school": ""}]
    assert list(referral.perpetrators.all()) == [world.people.offender]
    assert referral.victim_consents is False and referral.no_consent_reason


def test_add_another_child_shows_one_more_row_and_no_errors(world, forums, sign_in):
    client = sign_in(world.users.marac)
    page = _text(
        client.post(
            f"/referrals/people/{world.people.victim.pk}/marac/",
            {"children-TOTAL_FORMS": "1", "children-INITIAL_FORMS": "0", "add_child": "1"},
        )
    )
    assert "Child 2" in page and "There is a problem" not in page


def test_a_dash_offers_a_prefilled_marac_referral(world, forums, sign_in):
    client = sign_in(world.users.idva)
    victim = world.people.victim
    client.post(f"/people/{victim.pk}/assessments/dash/new/", dash_data(yes=15))
    dash = victim.assessments.get()
    page = _text(client.get(f"/assessments/{dash.pk}/"))
    url = f"/referrals/assessments/{dash.pk}/marac/"
    assert "Make a MARAC referral" in page and f'href="{url}"' in page
    form = _text(client.get(url))
    assert "the criteria met are: visible high risk" in form
    assert 'name="criteria"' not in form  # the DASH decides the criteria
    response = client.post(
        url,
        {
            "forum": str(world.marac.pk),
            "incident_date": timezone.localdate().isoformat(),
            "victim_aware": "yes",
            "victim_consents": "yes",
            "children-TOTAL_FORMS": "1",
            "children-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.dash == dash and referral.criteria_met == ["visible_high_risk"]
    assert referral.criteria_working[0]["text"].startswith("From the DASH of")
    assert "The DASH working" in _text(client.get(f"/referrals/{referral.pk}/"))


def test_the_coordinator_decides_on_the_referral_page(world, forums, sign_in):
    referral = b.advance(world, b.mappa_referral(world), S.SUBMITTED)
    client = sign_in(world.users.coordinator)
    url = f"/referrals/{referral.pk}/move/"
    response = client.post(url, {"form": "screen", "screen-version": str(referral.version)})
    assert response.status_code == 302
    referral.refresh_from_db()
    page = _text(client.get(f"/referrals/{referral.pk}/"))
    assert "Screening decision" in page
    decide = {"form": "decide", "decide-version": str(referral.version), "decide-decision": "accept"}
    page = _text(client.post(url, decide | {"decide-level_set": "3"}))
    assert "There is a problem" in page and 'href="#id_decide-rationale"' in page
    response = client.post(url, decide | {"decide-level_set": "3", "decide-rationale": b.RATIONALE})
    assert response.status_code == 302
    world.nominals.mine.refresh_from_db()
    assert world.nominals.mine.management_level == 3
    page = _text(client.get(f"/referrals/{referral.pk}/"))
    assert "Level set at screening" in page and escape(b.RATIONALE) in page


def test_a_referrer_sees_no_decision_form_and_a_stale_form_is_refused(world, forums, sign_in):
    referral = b.advance(world, b.mappa_referral(world), S.SCREENING)
    assert "Screening decision" not in _text(sign_in(world.users.om).get(f"/referrals/{referral.pk}/"))
    client = sign_in(world.users.coordinator)
    page = _text(
        client.post(
            f"/referrals/{referral.pk}/move/",
            {
                "form": "decide",
                "decide-version": "1",
                "decide-decision": "decline",
                "decide-level_set": "2",
                "decide-rationale": b.RATIONALE,
            },
        )
    )
    assert "Someone else changed this record" in page


def test_the_list_shows_days_waiting_and_flags_the_forum_target(world, forums, sign_in):
    forums.l2.screening_target_days = 5
    forums.l2.save()
    late = b.advance(world, b.mappa_referral(world), S.SUBMITTED)
    b.submitted_on(late, timezone.localdate() - dt.timedelta(days=6))
    on_time = b.advance(world, b.mappa_referral(world, person=b.person(world, "Otto", "Ontime")), S.SUBMITTED)
    b.submitted_on(on_time, timezone.localdate() - dt.timedelta(days=5))
    page = _text(sign_in(world.users.coordinator).get(f"/referrals/?forum={forums.l2.pk}&status=waiting"))
    rows = page.split('<tr class="govuk-table__row">')[2:]
    assert len(rows) == 2
    assert f"{late.pk}</a>" in rows[0] and "Over target" in rows[0] and "6 days since submission" in rows[0]
    assert "Over target" not in rows[1] and "5 days since submission (target 5 days)" in rows[1]


def test_without_a_target_the_forum_says_it_sets_none(world, forums, sign_in):
    referral = b.advance(world, b.mappa_referral(world), S.SUBMITTED)
    page = _text(sign_in(world.users.coordinator).get(f"/referrals/{referral.pk}/"))
    assert "the forum sets no screening target" in page


def test_the_matac_ranking_lists_serial_perpetrators_and_nominates(world, forums, sign_in):
    one, two = b.person(world, "Vic", "One"), b.person(world, "Vic", "Two")
    today = timezone.localdate()
    b.incident(world, perpetrator=world.people.other_offender, victim=one, on=today - dt.timedelta(days=20))
    b.incident(world, perpetrator=world.people.other_offender, victim=two, on=today - dt.timedelta(days=10))
    client = sign_in(world.users.marac)
    assert f"/referrals/matac/{forums.matac.pk}/ranking/" in _text(client.get("/referrals/"))
    page = _text(client.get(f"/referrals/matac/{forums.matac.pk}/ranking/"))
    assert "Peter Quill" in page and "Nominate" in page
    response = client.post(f"/referrals/matac/{forums.matac.pk}/ranking/", {"person": world.people.other_offender.pk})
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.matac_source == "ranking"
    assert "Nominated" in _text(client.get(f"/referrals/matac/{forums.matac.pk}/ranking/"))


def test_iom_selection_page_and_deselection(world, forums, sign_in):
    client = sign_in(world.users.om)
    url = f"/referrals/people/{world.people.offender.pk}/iom/"
    assert "There is a problem" in _text(client.post(url, {"forum": str(forums.iom.pk), "reason": ""}))
    client.post(url, {"forum": str(forums.iom.pk), "iom_cohort": "flex", "reason": "Domestic abuse priority."})
    referral = b.advance(world, Referral.objects.get(), S.ACCEPTED)
    boss = sign_in(world.users.coordinator)
    page = _text(boss.get(f"/referrals/{referral.pk}/"))
    assert "De-select from the cohort" in page and "Withdraw the referral" not in page
    posted = {"form": "deselect", "deselect-version": str(referral.version), "deselect-rationale": "Moved out of area."}
    asked = _text(boss.post(f"/referrals/{referral.pk}/move/", posted))
    assert "Are you sure you want to de-select the person from the cohort?" in asked and "No, go back" in asked
    assert Referral.objects.get(pk=referral.pk).status == S.ACCEPTED  # nothing changed yet
    response = boss.post(f"/referrals/{referral.pk}/move/", {**posted, "confirmed": "yes"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.WITHDRAWN and referral.deselection_reason == "Moved out of area."


def _offered(page: str) -> list[str]:
    return re.findall(r'for="id_perpetrators_\d+">([^<,]+)', page)


def test_perpetrators_offered_are_those_the_records_connect_with_the_victim(world, forums, sign_in):
    client = sign_in(world.users.marac)
    url = f"/referrals/people/{world.people.victim.pk}/marac/"
    assert _offered(_text(client.get(url))) == []
    b.incident(world, perpetrator=world.people.other_offender, victim=world.people.victim, on=timezone.localdate())
    assert _offered(_text(client.get(url))) == ["Peter Quill"]
    b.advance(world, b.marac_referral(world), S.DECLINED)  # an earlier referral named Jonathan Smith
    assert _offered(_text(client.get(url))) == ["Peter Quill", "Jonathan Smith"]


def test_a_dash_below_the_criteria_offers_no_referral(world, forums, sign_in):
    client = sign_in(world.users.om)
    fresh = b.person(world, "Fay", "Fresh")  # no MARAC case, so no repeat
    client.post(f"/people/{fresh.pk}/assessments/dash/new/", dash_data(yes=5))
    dash = fresh.assessments.get()
    assert not dash.refer_to_marac
    assert "Make a MARAC referral" not in _text(client.get(f"/assessments/{dash.pk}/"))


def test_the_referral_page_shows_the_timeline_and_the_linked_case(world, forums, sign_in):
    world.nominals.mine.management_level = 2
    world.nominals.mine.save()
    referral = b.advance(world, b.marac_referral(world), S.ACCEPTED)
    page = _text(sign_in(world.users.marac).get(f"/referrals/{referral.pk}/"))
    timeline = page.split("Timeline")[1].split("Linked cases")[0]
    assert [w for w in ("Submitted", "Screening", "Accepted") if w in timeline] == [
        "Submitted",
        "Screening",
        "Accepted",
    ]
    assert escape(b.RATIONALE) in timeline
    links = page.split("Linked cases")[1]
    assert "Fictional Shire MAPPA Level 2: Jonathan Smith" in links
    assert "perpetrator is a MAPPA nominal" in links


def test_withdrawing_asks_first_and_says_it_is_final(world, forums, sign_in):
    referral = b.advance(world, b.marac_referral(world), S.SUBMITTED)
    client = sign_in(world.users.marac)
    posted = {"form": "withdraw", "withdraw-version": str(referral.version), "withdraw-rationale": "Victim moved away."}
    asked = _text(client.post(f"/referrals/{referral.pk}/move/", posted))
    assert f"Are you sure you want to withdraw referral {referral.pk}?" in asked and "cannot be undone" in asked
    assert "Yes, withdraw the referral" in asked
    assert Referral.objects.get(pk=referral.pk).status == S.SUBMITTED
    response = client.post(f"/referrals/{referral.pk}/move/", {**posted, "confirmed": "yes"})
    assert response.status_code == 302 and Referral.objects.get(pk=referral.pk).status == S.WITHDRAWN
