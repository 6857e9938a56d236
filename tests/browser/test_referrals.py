"""Journey 3 in Chromium: the MAPPA coordinator screens a submitted Level 2 referral; axe over the referral pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.referrals.models import Referral
from tests.assessments.url_roles import dash_assessment
from tests.referrals import builders as b

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def test_the_mappa_coordinator_screens_a_level_2_referral(page, live_server, world):
    b.forums(world)
    referral = b.advance(world, b.mappa_referral(world), "submitted")
    coordinator = world.users.coordinator
    sign_in(page, live_server, coordinator)

    page.goto(f"{live_server.url}/referrals/")
    page.get_by_role("heading", name="Referrals").wait_for()
    page.get_by_role("link", name=f"Referral {referral.pk}", exact=True).click()
    page.get_by_role("heading", name="Jonathan Smith").wait_for()
    assert "Level sought" in page.content()
    page.get_by_role("button", name="Start screening").click()
    page.get_by_text(f"Screening of referral {referral.pk} has started").wait_for()

    page.get_by_label("Accept").check()
    page.get_by_label("Level 2: multi-agency meetings").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Give the reason for this decision" in page.content()
    world.nominals.mine.refresh_from_db()
    assert world.nominals.mine.management_level == 1  # nothing saved

    rationale = "Violent offender released in five months; partner agencies must share information."
    page.get_by_label("Rationale for the decision").fill(rationale)
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(f"Referral {referral.pk} has been accepted").wait_for()
    assert "Level set at screening" in page.content()

    world.nominals.mine.refresh_from_db()
    assert world.nominals.mine.management_level == 2
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.decision_rationale == rationale
    assert [t.to_status for t in referral.transitions.all()] == ["submitted", "screening", "accepted"]
    page.get_by_role("link", name=world.nominals.mine.reference).click()
    page.get_by_role("heading", name="Jonathan Smith").wait_for()
    assert "Level 2" in page.content()
    assert AuditEvent.objects.filter(
        actor_id=coordinator.pk, record_type="offenders.nominal", operation="change", reason__isnull=False
    ).exists()


def test_referral_pages_have_no_serious_violations(page, live_server, world):
    forums = b.forums(world)
    screening = b.advance(world, b.mappa_referral(world), "screening")
    marac = b.advance(world, b.marac_referral(world), "accepted")
    dash = dash_assessment(world)
    today = timezone.localdate()
    for n, name in enumerate(("One", "Two"), start=1):
        victim = b.person(world, "Vic", name)
        b.incident(world, perpetrator=world.people.other_offender, victim=victim, on=today - dt.timedelta(days=n))

    problems = {}

    def check(path: str, label: str | None = None):
        page.goto(f"{live_server.url}{path}")
        if found := violations(page):
            problems[label or path] = found

    sign_in(page, live_server, world.users.coordinator)
    check("/referrals/")
    check(f"/referrals/{screening.pk}/")
    check(f"/referrals/people/{world.people.offender.pk}/mappa/")
    check(f"/referrals/people/{world.people.offender.pk}/iom/")
    page.goto(f"{live_server.url}/referrals/{screening.pk}/")
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("There is a problem").wait_for()
    if found := violations(page):
        problems["decision with errors"] = found
    page.goto(f"{live_server.url}/referrals/people/{world.people.offender.pk}/mappa/")
    page.get_by_role("button", name="Save the referral").click()
    page.get_by_text("There is a problem").wait_for()
    if found := violations(page):
        problems["MAPPA form with errors"] = found

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, world.users.marac)
    check(f"/referrals/{marac.pk}/")
    check(f"/referrals/people/{world.people.victim.pk}/marac/")
    check(f"/referrals/assessments/{dash.pk}/marac/")
    check(f"/referrals/people/{world.people.other_offender.pk}/matac/")
    check(f"/referrals/matac/{forums.matac.pk}/ranking/")
    page.goto(f"{live_server.url}/referrals/people/{world.people.victim.pk}/marac/")
    page.get_by_role("button", name="Save the referral").click()
    page.get_by_text("There is a problem").wait_for()
    if found := violations(page):
        problems["MARAC form with errors"] = found
    assert Referral.objects.count() == 2
    assert problems == {}
