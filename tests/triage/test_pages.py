"""The triage pages as the MARAC coordinator uses them: the board in its order, grading, outcomes, Encompass."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguard.meetings.models import Meeting
from safeguard.referrals.models import Referral
from safeguard.triage import services
from safeguard.triage.models import EncompassNotice, TriageCase

from .builders import at, incident


def _url(name, **kwargs):
    return reverse(f"triage:{name}", kwargs=kwargs)


def test_the_board_lists_ungraded_first_then_red_amber_green(world, triage, sign_in):
    day, ctx = triage.day, triage.ctx
    made = {}
    for hour, grade in ((1, "green"), (2, "amber"), (3, "red"), (4, "")):
        found = incident(world, at(day, hour, 0))
        made[grade] = found.reference
    services.load(ctx, triage.meeting)
    for grade in ("green", "amber", "red"):
        case = TriageCase.objects.get(incident__reference=made[grade])
        services.grade_case(ctx, case, grade=grade, reason="", expected_version=case.version)
    page = sign_in(world.users.marac).get(_url("board", pk=triage.meeting.pk)).content.decode()
    order = [made[""], triage.incident.reference, made["red"], made["amber"], made["green"]]
    positions = [page.index(ref) for ref in order]
    assert positions == sorted(positions)
    assert "5: 2 ungraded, 1 red, 1 amber, 1 green" in page
    assert "Encompass notice due by" in page


def test_grading_and_regrading_on_the_case_page(world, triage, sign_in):
    client = sign_in(world.users.marac)
    case = triage.case
    page = client.get(_url("case", pk=case.pk)).content.decode()
    assert "Ungraded" in page and "Encompass notice due by" in page
    response = client.post(_url("grade", pk=case.pk), {"grade-grade": "amber", "grade-version": "1"})
    assert response.status_code == 302
    response = client.post(_url("grade", pk=case.pk), {"grade-grade": "red", "grade-version": "2"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert 'href="#id_grade-reason"' in body and "Give the reason for changing the grade" in body
    reason = "Strangulation disclosed this morning."
    response = client.post(
        _url("grade", pk=case.pk), {"grade-grade": "red", "grade-version": "2", "grade-reason": reason}
    )
    assert response.status_code == 302
    page = client.get(_url("case", pk=case.pk)).content.decode()
    assert "Respond within 4 hours" in page and "Amber to Red" in page and reason in page
    stale = client.post(
        _url("grade", pk=case.pk), {"grade-grade": "green", "grade-version": "2", "grade-reason": reason}
    )
    assert "Someone else changed this record" in stale.content.decode()


def test_recording_an_encompass_notice_on_the_page(world, triage, sign_in):
    client = sign_in(world.users.marac)
    url = _url("encompass", pk=triage.case.pk, child_pk=triage.child.pk)
    form = client.get(url).content.decode()
    assert "Operation Encompass notice for Mia Example" in form and "How the deadline was worked out" in form
    bad = client.post(url, {"school": "Northtown Primary", "child_present": "yes", "sent_time": "25:00"})
    assert "Enter the date the school was told" in bad.content.decode()
    assert "like 07:45" in bad.content.decode()
    day = triage.day
    response = client.post(
        url,
        {
            "school": "Northtown Primary",
            "safeguarding_lead": "Ms Head",
            "child_present": "yes",
            "childs_voice": "Said she was scared.",
            "circumstances": "Shouting; a broken door.",
            "sent_on_0": str(day.day),
            "sent_on_1": str(day.month),
            "sent_on_2": str(day.year),
            "sent_time": "07:50",
        },
    )
    assert response.status_code == 302
    notice = EncompassNotice.objects.get(case=triage.case)
    assert notice.sent_at == at(day, 7, 50) and notice.in_time and notice.child_present is True
    page = client.get(_url("case", pk=triage.case.pk)).content.decode()
    assert "In time" in page and "Encompass notices recorded" in page


def test_a_marac_referral_from_the_page(world, triage, sign_in):
    client = sign_in(world.users.marac)
    url = _url("marac-referral", pk=triage.case.pk)
    form = client.get(url).content.decode()
    assert "Refer Tanya Example to MARAC" in form and "Jonathan Smith" in form
    missing = client.post(url, {"forum": str(world.marac.pk), "version": "1"})
    assert "There is a problem" in missing.content.decode()
    response = client.post(
        url,
        {
            "forum": str(world.marac.pk),
            "incident_date": triage.day.isoformat(),
            "criteria": "professional_judgement",
            "professional_judgement_reason": "Threats to kill; escalating.",
            "perpetrators": str(world.people.offender.pk),
            "victim_aware": "yes",
            "victim_consents": "no",
            "no_consent_reason": "Fears retaliation if police are seen.",
            "version": "1",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.SUBMITTED and referral.victim_consents is False
    page = client.get(_url("case", pk=triage.case.pk)).content.decode()
    assert f"Referral {referral.pk}" in page and "MARAC referral" in page


def test_outcome_forms_on_the_page(world, triage, sign_in):
    client = sign_in(world.users.marac)
    case = triage.case
    bad = client.post(_url("no-further-action", pk=case.pk), {"nfa-reason": "", "nfa-version": "1"})
    assert "Give the reason for no further action" in bad.content.decode()
    ok = client.post(
        _url("safeguarding-referral", pk=case.pk),
        {
            "safeguarding-agency": str(triage.childrens.pk),
            "safeguarding-note": "To the front door.",
            "safeguarding-version": "1",
        },
    )
    assert ok.status_code == 302
    plan = client.post(_url("safety-plan", pk=case.pk), {"plan-plan": "Panic alarm.", "plan-version": "2"})
    assert plan.status_code == 302
    page = client.get(_url("case", pk=case.pk)).content.decode()
    assert "To Fictional Shire Children&#x27;s Services: To the front door." in page and "Panic alarm." in page
    assert "Record no further action" not in page  # a referral is recorded


def test_opening_today_and_adding_by_hand(world, triage, sign_in):
    forum = triage.forum
    today = timezone.localdate()
    forum.cadence, forum.first_meeting_on = "weekly", today  # meets today, whatever day the tests run
    forum.save()
    partner = sign_in(world.users.partner).get(_url("today", forum_pk=forum.pk)).content.decode()
    assert "The triage's coordinator opens it" in partner
    client = sign_in(world.users.marac)
    page = client.get(_url("today", forum_pk=forum.pk)).content.decode()
    assert "Open today's triage and load the incidents" in page
    response = client.post(_url("open", forum_pk=forum.pk))
    meeting = Meeting.objects.get(forum=forum, starts_at__date=today)
    assert response.status_code == 302 and response.url == _url("board", pk=meeting.pk)
    assert client.get(_url("today", forum_pk=forum.pk)).url == _url("board", pk=meeting.pk)
    older = incident(world, at(today - dt.timedelta(days=9), 21, 0))
    add = _url("add-incident", pk=meeting.pk)
    unknown = client.post(add, {"reference": "NO/SUCH", "reason": "Recorded late by the force."})
    assert "No incident has that police reference" in unknown.content.decode()
    added = client.post(add, {"reference": older.reference, "reason": "Recorded late by the force."})
    case = TriageCase.objects.get(incident=older)
    assert added.url == _url("case", pk=case.pk) and case.meeting == meeting
    assert "Added by hand" in client.get(_url("board", pk=meeting.pk)).content.decode()
    listing = client.get(_url("meetings", forum_pk=forum.pk)).content.decode()
    assert "(today)" in listing


def test_closing_the_triage_on_the_page(world, triage, sign_in):
    client = sign_in(world.users.marac)
    stale = client.post(_url("close", pk=triage.meeting.pk), {"version": "99"})
    assert "Someone else changed this record" in stale.content.decode()
    response = client.post(_url("close", pk=triage.meeting.pk), {"version": str(triage.meeting.version)})
    assert response.status_code == 302
    page = client.get(_url("board", pk=triage.meeting.pk)).content.decode()
    assert "Held" in page and "Close the triage" not in page
