"""The MAPPA category a nominal's record supports, and the review date of indefinite notification, on its page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguard.events.models import Conviction, Notification, Offence
from safeguard.offenders import due_dates, mappa_status
from safeguard.offenders.models import Nominal
from safeguard.rules import mappa


def _offence(code, **flags) -> Offence:
    return Offence.objects.get_or_create(code=code, defaults={"description": code, "statute": code, **flags})[0]


def test_a_schedule_15_sentence_of_a_year_supports_category_2_until_the_licence_ends(world):
    nominal = world.nominals.mine
    today = timezone.localdate()
    ends = today + dt.timedelta(days=200)
    Conviction.objects.create(
        person=nominal.person,
        offence=_offence("OAPA1861-s47", cja_schedule_15=True),
        relevant_date=today - dt.timedelta(days=400),
        disposal="imprisonment",
        term_months=12,
        cja_schedule_15=True,
        licence_or_order_end=ends,
    )
    Nominal.objects.filter(pk=nominal.pk).update(registered_sex_offender=False)
    nominal.refresh_from_db()
    finding = mappa_status.category_finding(nominal, today)
    assert finding.category == "2" and finding.eligibility_ends == ends
    assert finding == mappa.supported_category(
        mappa.MappaFacts(
            notification_end=None,
            notification_indefinite=False,
            on_register=False,
            convictions=(
                mappa.ConvictionFacts(
                    is_murder=False,
                    schedule_15=True,
                    custody_months=12,
                    hospital_order=False,
                    licence_or_order_end=ends,
                    relevant_date=today - dt.timedelta(days=400),
                ),
            ),
        ),
        today,
    )
    # The day after the licence ends, nothing supports Category 2 any more.
    assert mappa_status.category_finding(nominal, ends + dt.timedelta(days=1)).category is None


def test_the_nominal_page_shows_the_supported_category_beside_the_recorded_one(world, sign_in):
    nominal = world.nominals.mine
    today = timezone.localdate()
    Conviction.objects.create(
        person=nominal.person,
        offence=_offence("SOA2003-s3", soa_schedule_3=True),
        relevant_date=today - dt.timedelta(days=100),
        disposal="imprisonment",
        term_months=36,
        soa_schedule_3=True,
    )
    Nominal.objects.filter(pk=nominal.pk).update(registered_sex_offender=True, mappa_category="3")
    due_dates.recompute([nominal.pk])
    page = sign_in(world.users.om).get(reverse("offenders:nominal", args=[nominal.pk])).content.decode()
    assert "MAPPA category the record supports" in page
    assert "Category 1, with no end date" in page  # 36 months: indefinite notification (s.82)
    assert "Recorded as Category 3" in page


def test_indefinite_notification_gives_the_review_qualifying_date_from_the_relevant_notification(world):
    # Corrected: the date was taken from the earliest notification recorded when no release was recorded. It runs
    # from the first notification after release from the custody the requirement follows (s.91B), never a guess.
    nominal = world.nominals.mine
    person = nominal.person
    today = timezone.localdate()
    convicted = today - dt.timedelta(days=3000)
    Conviction.objects.create(
        person=person,
        offence=_offence("SOA2003-s3", soa_schedule_3=True),
        relevant_date=convicted,
        disposal="life",
        soa_schedule_3=True,
    )
    earliest = today - dt.timedelta(days=2900)
    Notification.objects.create(person=person, kind="initial", notified_on=earliest, recorded_by=world.users.om)
    Nominal.objects.filter(pk=nominal.pk).update(registered_sex_offender=True, release_date=None)
    due_dates.recompute([nominal.pk])
    nominal.refresh_from_db()
    assert nominal.notification_indefinite
    unknown = mappa_status.review_qualifying_date(nominal)
    assert unknown.qualifying_date is None and not unknown.known
    assert unknown.reason == "Cannot be worked out: record the first notification after release"

    released = today - dt.timedelta(days=2000)
    Notification.objects.create(
        person=person,
        kind="change",
        change="release",
        event_on=released,
        notified_on=released + dt.timedelta(days=1),
        recorded_by=world.users.om,
    )
    found = mappa_status.review_qualifying_date(nominal)
    first = released + dt.timedelta(days=1)
    adult = person.age_on(convicted) >= 18
    assert found.qualifying_date == first.replace(year=first.year + (15 if adult else 8))
    assert found.eligible


def test_no_qualifying_date_without_indefinite_notification(world):
    nominal = world.nominals.mine
    Nominal.objects.filter(pk=nominal.pk).update(notification_indefinite=False)
    nominal.refresh_from_db()
    assert mappa_status.review_qualifying_date(nominal) is None
