"""Journeys with the rules: an offender manager completes a DASH that meets the MARAC criteria, records a
notification and sees the next one due move, and works out a notification period with the calculator."""

import datetime as dt

import pytest
from django.utils import timezone

from safeguard.assessments.models import Assessment
from safeguard.events.models import Conviction, Disposal, Offence
from safeguard.offenders import due_dates

from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def _fill_date(page, name, day: dt.date):
    page.locator(f"input[name='{name}_0']").fill(str(day.day))
    page.locator(f"input[name='{name}_1']").fill(str(day.month))
    page.locator(f"input[name='{name}_2']").fill(str(day.year))


def test_a_dash_at_fourteen_offers_the_marac_referral(page, live_server, world):
    victim = world.people.victim
    sign_in(page, live_server, world.users.om)
    page.goto(f"{live_server.url}/people/{victim.pk}/")
    page.get_by_role("link", name="Complete DASH risk identification checklist").first.click()
    page.get_by_role("heading", name="DASH").first.wait_for()
    for n in range(1, 25):
        page.locator(f"input[name='q{n}'][value='{'yes' if n <= 14 else 'no'}']").check()
    _fill_date(page, "incident_date", timezone.localdate() - dt.timedelta(days=1))
    page.get_by_role("button", name="Record the assessment").click()
    page.get_by_role("heading", name="MARAC referral").wait_for()
    content = page.content()
    assert "14 of 24 yes" in content and "visible high risk" in content
    assessment = Assessment.objects.get(person=victim)
    assert assessment.refer_to_marac and assessment.result["yes_count"] == 14

    page.get_by_role("link", name=f"Back to {victim.full_name}").click()
    page.get_by_role("link", name="DASH risk identification checklist").first.wait_for()
    assert "Refer to MARAC" in page.content()


def test_recording_a_notification_moves_the_next_one_due(page, live_server, world):
    nominal = world.nominals.mine
    person = nominal.person
    nominal.registered_sex_offender = True
    nominal.save()
    Conviction.objects.create(
        person=person,
        offence=Offence.objects.get_or_create(  # a live-server test starts from an emptied database
            code="SOA2003-s3",
            defaults={
                "description": "Sexual assault",
                "statute": "Sexual Offences Act 2003 s.3",
                "soa_schedule_3": True,
            },
        )[0],
        relevant_date=timezone.localdate() - dt.timedelta(days=400),
        disposal=Disposal.IMPRISONMENT,
        term_months=4,
        soa_schedule_3=True,
    )
    due_dates.recompute([nominal.pk])
    sign_in(page, live_server, world.users.om)
    page.goto(f"{live_server.url}/nominals/{nominal.pk}/")
    assert "Overdue" in page.content()  # the initial notification, three days from the conviction, was never made

    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name="Record a notification").click()
    page.get_by_label("Periodic notification (s.85)").check()
    _fill_date(page, "notified_on", timezone.localdate())
    page.get_by_role("button", name="Record the notification").click()
    page.get_by_text("next one due worked out").wait_for()

    page.goto(f"{live_server.url}/nominals/{nominal.pk}/")
    nominal.refresh_from_db()
    assert nominal.notification_due > timezone.localdate()
    page.get_by_text("How these dates were worked out").click()
    assert "s.85" in page.content()


def test_the_notification_calculator_shows_its_working(page, live_server, world):
    sign_in(page, live_server, world.users.idva)
    page.get_by_role("link", name="Calculators").click()
    page.goto(f"{live_server.url}/rules/notification/")
    _fill_date(page, "relevant_date", dt.date(2024, 3, 27))
    _fill_date(page, "date_of_birth", dt.date(2007, 3, 28))  # 16 on the relevant date: periods halve
    page.get_by_label("Imprisonment for a term", exact=True).check()
    page.get_by_label("Custodial term in months").fill("30")
    page.get_by_role("button", name="Work it out").click()
    page.locator("#result-period").wait_for()
    assert page.locator("#result-period").inner_text().strip() == "Indefinite"
    assert "s.82" in page.content()
