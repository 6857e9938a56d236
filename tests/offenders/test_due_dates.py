"""The due dates worked out for nominals: notification (SOA 2003 ss.83-85), MAPPA review, level before release."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from safeguard.access.gate import AccessContext
from safeguard.events import services as event_services
from safeguard.events.models import Conviction, Notification, Offence
from safeguard.offenders import due_dates
from safeguard.offenders.due_dates import ConvictionRow, NominalFacts, due_dates_for
from safeguard.offenders.models import Nominal
from safeguard.people import services as people_services
from safeguard.people.models import Address, Person
from safeguard.rules import mappa, notification
from safeguard.rules.dates import add_months
from safeguard.workforce.models import AreaSettings
from tests.offenders.url_roles import _change_data

RELEVANT = dt.date(2024, 1, 15)  # imprisonment of 20 months: a 10-year period, ending 14 January 2034


def _today() -> dt.date:
    return timezone.localdate()


def _ctx(world):
    return AccessContext(world.users.om, "offender_management")


def _sexual_offence() -> Offence:
    found, _ = Offence.objects.get_or_create(
        code="SOA2003-s3",
        defaults={"description": "Sexual assault", "statute": "SOA 2003 s.3", "soa_schedule_3": True},
    )
    return found


def _conviction(person, relevant=RELEVANT, disposal="imprisonment", term=20, **fields) -> Conviction:
    return Conviction.objects.create(
        person=person,
        offence=_sexual_offence(),
        relevant_date=relevant,
        disposal=disposal,
        term_months=term,
        soa_schedule_3=fields.pop("soa_schedule_3", True),
        **fields,
    )


def _set(nominal: Nominal, **fields) -> Nominal:
    """Change a nominal's facts directly (no service), then work its dates out again, as the services do."""
    Nominal.objects.filter(pk=nominal.pk).update(**fields)
    due_dates.recompute([nominal.pk])
    nominal.refresh_from_db()
    return nominal


def _rso(world, **fields) -> Nominal:
    """The offender manager's nominal as a registered sex offender, with no lead agency review date to confuse."""
    return _set(world.nominals.mine, registered_sex_offender=True, next_review_due=None, **fields)


def _notify(world, notified_on: dt.date, kind=Notification.Kind.PERIODIC, **fields) -> Notification:
    return event_services.record_notification(
        _ctx(world),
        Notification(
            person=world.people.offender, kind=kind, notified_on=notified_on, recorded_by=world.users.om, **fields
        ),
    )


# Notification ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relevant", "due"),
    [
        (dt.date(2024, 1, 15), dt.date(2024, 1, 17)),
        (dt.date(2024, 2, 28), dt.date(2024, 3, 1)),  # through 29 February
        (dt.date(2023, 2, 28), dt.date(2023, 3, 2)),
        (dt.date(2024, 12, 31), dt.date(2025, 1, 2)),
    ],
)
def test_no_notification_yet_the_initial_one_is_due_3_days_beginning_with_the_relevant_date(world, relevant, due):
    _conviction(world.people.offender, relevant)
    nominal = _rso(world)
    assert nominal.notification_due == due == notification.initial_notification_due(relevant).due
    assert nominal.notification_due_kind == "initial"
    period = notification.notification_period(relevant, world.people.offender.date_of_birth, "imprisonment", 20)
    assert nominal.notification_ends_on == period.end_date and not nominal.notification_indefinite
    assert nominal.next_due_on == due


def test_the_latest_schedule_3_conviction_starts_the_initial_notification(world):
    _conviction(world.people.offender, dt.date(2020, 3, 1))
    _conviction(world.people.offender, dt.date(2024, 1, 15))
    _conviction(world.people.offender, dt.date(2025, 5, 5), soa_schedule_3=False)  # not a notifiable offence
    assert _rso(world).notification_due == dt.date(2024, 1, 17)


@pytest.mark.parametrize("location", ["custody", "hospital"])
def test_detained_with_a_release_date_the_initial_one_is_due_3_days_beginning_with_release(world, location):
    _conviction(world.people.offender)
    release = _today() + dt.timedelta(days=40)
    nominal = _rso(world, location=location, release_date=release)
    assert nominal.notification_due == release + dt.timedelta(days=2)
    assert nominal.notification_due == notification.initial_notification_due(RELEVANT, release).due
    assert nominal.notification_due_kind == "initial"


def test_a_release_date_before_the_latest_conviction_does_not_stop_the_dates(world):
    """A stale release date (before a later conviction) must not break the recompute: count from the conviction."""
    _conviction(world.people.offender, dt.date(2026, 3, 1))
    nominal = _rso(world, location="custody", release_date=dt.date(2025, 12, 1))
    assert nominal.notification_due == dt.date(2026, 3, 3)


def test_in_custody_without_a_release_date_counts_from_the_relevant_date(world):
    _conviction(world.people.offender)
    assert _rso(world, location="custody", release_date=None).notification_due == dt.date(2024, 1, 17)


def test_not_a_registered_sex_offender_has_no_notification_due(world):
    _conviction(world.people.offender)
    nominal = _set(world.nominals.mine, registered_sex_offender=False, next_review_due=None)
    assert nominal.notification_due is None and nominal.notification_due_kind == ""
    assert nominal.notification_ends_on is None and nominal.next_due_on is None


def test_after_a_notification_the_next_is_due_a_year_after(world):
    _conviction(world.people.offender)
    _rso(world)
    _notify(world, dt.date(2025, 3, 10), kind=Notification.Kind.INITIAL)
    nominal = Nominal.objects.get(pk=world.nominals.mine.pk)  # no recompute here: the service did it
    assert nominal.notification_due == dt.date(2026, 3, 10)
    assert nominal.notification_due == notification.periodic_notification_due(dt.date(2025, 3, 10)).due
    assert nominal.notification_due_kind == "periodic"


def test_a_notification_on_29_february_follows_the_rule(world):
    _conviction(world.people.offender)
    _rso(world)
    _notify(world, dt.date(2024, 2, 29))
    nominal = Nominal.objects.get(pk=world.nominals.mine.pk)
    assert nominal.notification_due == notification.periodic_notification_due(dt.date(2024, 2, 29)).due
    assert nominal.notification_due in (dt.date(2025, 2, 28), dt.date(2025, 3, 1))


def test_the_latest_notification_counts_and_foreign_travel_does_not_restart_the_year(world):
    _conviction(world.people.offender)
    _rso(world)
    _notify(world, dt.date(2025, 3, 10))
    _notify(world, dt.date(2025, 1, 2))  # recorded late: an older notification
    _notify(
        world,
        dt.date(2025, 8, 1),
        kind=Notification.Kind.TRAVEL,
        departure_on=dt.date(2025, 8, 20),
        destination="Spain",
    )
    assert Nominal.objects.get(pk=world.nominals.mine.pk).notification_due == dt.date(2026, 3, 10)
    _notify(
        world,
        dt.date(2025, 9, 1),
        kind=Notification.Kind.CHANGE,
        change=Notification.Change.HOME_ADDRESS,
        event_on=dt.date(2025, 8, 30),
    )
    assert Nominal.objects.get(pk=world.nominals.mine.pk).notification_due == dt.date(2026, 9, 1)


def test_notified_and_now_in_custody_the_next_is_due_on_release(world):
    _conviction(world.people.offender)
    _rso(world)
    _notify(world, dt.date(2025, 3, 10))
    release = _today() + dt.timedelta(days=10)
    nominal = _set(world.nominals.mine, location="custody", release_date=release)
    assert nominal.notification_due == release + dt.timedelta(days=2)
    assert nominal.notification_due_kind == "release"


def test_a_notification_made_after_the_release_date_is_the_release_notification(world):
    """Notified in person at a police station after the recorded release date, with the location not yet updated:
    the release notification has been made, so the next is the periodic one (a person in custody cannot notify)."""
    _conviction(world.people.offender)
    release = _today() - dt.timedelta(days=20)
    _rso(world, location="custody", release_date=release)
    notified = release + dt.timedelta(days=1)
    _notify(world, notified, kind=Notification.Kind.CHANGE, change=Notification.Change.RELEASE, event_on=release)
    nominal = Nominal.objects.get(pk=world.nominals.mine.pk)
    assert nominal.notification_due == notification.periodic_notification_due(notified).due
    assert nominal.notification_due_kind == "periodic"


def _nfa(world, from_date: dt.date, to_date: dt.date | None = None) -> Address:
    return people_services.add_address(
        _ctx(world),
        Address(person=world.people.offender, kind=Address.Kind.NO_FIXED_ABODE, from_date=from_date, to_date=to_date),
    )


def test_no_fixed_abode_makes_the_notification_weekly(world):
    _conviction(world.people.offender)
    _rso(world)
    notified = _today() - dt.timedelta(days=3)
    _notify(world, notified)
    address = _nfa(world, notified)
    nominal = Nominal.objects.get(pk=world.nominals.mine.pk)  # the address service worked it out again
    assert nominal.notification_due == notified + dt.timedelta(days=7)
    assert nominal.notification_due == notification.periodic_notification_due(notified, no_fixed_abode=True).due
    assert nominal.notification_due_kind == "weekly"

    address.to_date = _today() - dt.timedelta(days=1)
    people_services.end_address(_ctx(world), address)
    nominal.refresh_from_db()
    assert nominal.notification_due == notification.periodic_notification_due(notified).due
    assert nominal.notification_due_kind == "periodic"


def test_no_fixed_abode_ending_today_is_still_current(world):
    _conviction(world.people.offender)
    _rso(world)
    notified = _today() - dt.timedelta(days=3)
    _notify(world, notified)
    _nfa(world, notified, to_date=_today())
    assert Nominal.objects.get(pk=world.nominals.mine.pk).notification_due_kind == "weekly"


def _relevant_for_period_ending(end: dt.date, dob: dt.date) -> dt.date:
    """A community order's relevant date whose 5-year period ends on ``end`` (checked against the rule)."""
    relevant = add_months(end + dt.timedelta(days=1), -60)
    assert notification.notification_period(relevant, dob, "community_order").end_date == end
    return relevant


def test_notification_period_ended_means_none_is_due(world):
    dob = world.people.offender.date_of_birth
    _conviction(world.people.offender, dt.date(2010, 3, 1), disposal="community_order", term=None)
    nominal = _rso(world)
    assert nominal.notification_due is None and nominal.notification_due_kind == ""
    assert (
        nominal.notification_ends_on
        == notification.notification_period(dt.date(2010, 3, 1), dob, "community_order").end_date
    )
    assert nominal.notification_ends_on < _today()


@pytest.mark.parametrize(("ends", "due"), [(0, True), (-1, False), (1, True)])
def test_notification_period_ending_today_still_needs_the_notification(world, ends, due):
    end = _today() + dt.timedelta(days=ends)
    relevant = _relevant_for_period_ending(end, world.people.offender.date_of_birth)
    _conviction(world.people.offender, relevant, disposal="community_order", term=None)
    nominal = _rso(world)
    assert nominal.notification_ends_on == end
    assert (nominal.notification_due is not None) is due


def test_an_indefinite_period_has_no_end(world):
    _conviction(world.people.offender, term=36)
    _conviction(world.people.offender, dt.date(2010, 3, 1), disposal="community_order", term=None)
    nominal = _rso(world)
    assert nominal.notification_indefinite and nominal.notification_ends_on is None
    assert nominal.notification_due == dt.date(2024, 1, 17)


# MAPPA review and level before release --------------------------------------------


def test_level_2_review_is_due_16_weeks_after_the_last_review(world):
    last = dt.date(2026, 9, 1)
    nominal = _set(world.nominals.mine, management_level=2, last_reviewed_on=last, next_review_due=None)
    assert nominal.mappa_review_due == last + dt.timedelta(weeks=16) == dt.date(2026, 12, 22)
    assert nominal.next_due_on == nominal.mappa_review_due
    nominal = _set(world.nominals.mine, management_level=3)
    assert nominal.mappa_review_due == last + dt.timedelta(weeks=8)
    nominal = _set(world.nominals.mine, management_level=1)
    assert nominal.mappa_review_due is None


def test_level_2_review_interval_is_the_mappa_areas_setting(world):
    last = dt.date(2026, 9, 1)
    _set(world.nominals.away, management_level=2, last_reviewed_on=last)
    AreaSettings.objects.create(area=world.home["mappa"], level2_review_weeks=10)
    nominal = _set(world.nominals.mine, management_level=2, last_reviewed_on=last)
    assert nominal.mappa_review_due == last + dt.timedelta(weeks=10)
    due_dates.recompute([world.nominals.away.pk])
    away = Nominal.objects.get(pk=world.nominals.away.pk)
    assert away.mappa_review_due == last + dt.timedelta(weeks=16), "another area keeps the default"


def test_level_2_never_reviewed_counts_from_when_it_was_managed(world):
    nominal = _set(world.nominals.mine, management_level=2, last_reviewed_on=None, managed_from=dt.date(2026, 2, 2))
    assert nominal.allocated_on is None
    assert nominal.mappa_review_due == dt.date(2026, 2, 2) + dt.timedelta(weeks=16)


@pytest.mark.parametrize(("days", "expected"), [(400, True), (0, True), (-1, False)])
def test_level_set_by_6_months_before_a_release_not_yet_passed(world, days, expected):
    release = _today() + dt.timedelta(days=days)
    nominal = _set(world.nominals.mine, location="custody", release_date=release)
    if expected:
        assert nominal.level_set_by == add_months(release, -6) == mappa.level_set_by(release).due
    else:
        assert nominal.level_set_by is None


def test_level_set_by_is_for_the_detained_only_and_follows_the_area_setting(world):
    release = dt.date(2027, 8, 31)
    assert _set(world.nominals.mine, location="community", release_date=release).level_set_by is None
    AreaSettings.objects.create(area=world.home["mappa"], level_before_release_months=3)
    nominal = _set(world.nominals.mine, location="custody")
    assert nominal.level_set_by == dt.date(2027, 5, 31)


def test_next_due_on_is_the_earliest_date(world):
    _conviction(world.people.offender)
    _rso(world)
    _notify(world, dt.date(2026, 6, 1))  # periodic due 1 June 2027
    nominal = _set(
        world.nominals.mine,
        management_level=2,
        last_reviewed_on=dt.date(2026, 10, 1),  # review due 21 January 2027
        next_review_due=dt.date(2027, 3, 1),
    )
    assert nominal.notification_due == dt.date(2027, 6, 1) and nominal.mappa_review_due == dt.date(2027, 1, 21)
    assert nominal.next_due_on == dt.date(2027, 1, 21)
    assert _set(world.nominals.mine, next_review_due=dt.date(2026, 12, 1)).next_due_on == dt.date(2026, 12, 1)
    release = dt.date(2027, 6, 30)  # in custody: the level is to be set by 30 December 2026
    nominal = _set(world.nominals.mine, next_review_due=None, location="custody", release_date=release)
    assert nominal.level_set_by == dt.date(2026, 12, 30)
    assert nominal.next_due_on == min(nominal.level_set_by, nominal.mappa_review_due, nominal.notification_due)


# The pure function ------------------------------------------------------------------

DISPOSALS = ["imprisonment", "community_order", "caution", "conditional_discharge", "life", "fine"]
TODAY = dt.date(2026, 11, 23)


@st.composite
def facts(draw):
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        disposal = draw(st.sampled_from(DISPOSALS))
        rows.append(
            ConvictionRow(
                relevant_date=draw(st.dates(dt.date(2000, 1, 1), TODAY)),
                disposal=disposal,
                term_months=draw(st.integers(1, 60)) if disposal == "imprisonment" else None,
                discharge_months=draw(st.integers(1, 36)) if disposal == "conditional_discharge" else None,
            )
        )
    return NominalFacts(
        nominal_id=1,
        registered_sex_offender=draw(st.booleans()),
        level=draw(st.sampled_from([1, 2, 3])),
        location=draw(st.sampled_from(["community", "custody", "hospital", "approved_premises"])),
        release_date=draw(st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2030, 1, 1))),
        last_reviewed_on=draw(st.none() | st.dates(dt.date(2024, 1, 1), TODAY)),
        lead_agency_review_due=draw(st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2028, 1, 1))),
        level_since=draw(st.none() | st.dates(dt.date(2020, 1, 1), TODAY)),
        date_of_birth=dt.date(1980, 5, 17),
        schedule_3_convictions=tuple(rows),
        last_notified_on=draw(st.none() | st.dates(dt.date(2024, 1, 1), TODAY)),
        no_fixed_abode=draw(st.booleans()),
    )


STALE_RELEASE = NominalFacts(  # still recorded in custody, released before a later conviction
    nominal_id=1,
    registered_sex_offender=True,
    level=1,
    location="custody",
    release_date=dt.date(2025, 1, 1),
    last_reviewed_on=None,
    lead_agency_review_due=None,
    level_since=None,
    date_of_birth=dt.date(1980, 5, 17),
    schedule_3_convictions=(ConvictionRow(dt.date(2025, 1, 2), "imprisonment", 1, None),),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts())
@example(STALE_RELEASE)
def test_due_dates_for_invariants(f):
    out = due_dates_for(f, mappa.MappaSettings(), TODAY)
    found = [d for d in (out.notification_due, out.mappa_review_due, out.level_set_by, f.lead_agency_review_due) if d]
    assert out.next_due_on == (min(found) if found else None)
    assert (out.notification_due is None) == (out.notification_due_kind == "")
    if not f.registered_sex_offender or not f.schedule_3_convictions:
        assert out.notification_due is None
    if f.no_fixed_abode and f.last_notified_on and out.notification_due_kind == "weekly":
        assert out.notification_due == f.last_notified_on + dt.timedelta(days=7)
    since = f.last_reviewed_on or f.level_since
    if f.level == 1 or since is None:
        assert out.mappa_review_due is None
    else:
        assert out.mappa_review_due == since + dt.timedelta(weeks=16 if f.level == 2 else 8)
    detained = f.location in ("custody", "hospital")
    if detained and f.release_date and f.release_date >= TODAY:
        assert out.level_set_by == add_months(f.release_date, -6)
    else:
        assert out.level_set_by is None
    if out.notification_ends_on is not None and out.notification_ends_on < TODAY:
        assert out.notification_due is None


# Every nominal at once: the bulk path agrees with the pure function --------------------


def _population(world, count: int) -> list[dict]:
    """``count`` nominals of every shape, with the facts each was made from."""
    today = _today()
    people = Person.objects.bulk_create(
        Person(
            given_name=f"Bulk{i}",
            family_name="Nominal",
            date_of_birth=dt.date(1970 + i % 30, 1 + i % 12, 1),
            area=world.home["mappa"],
        )
        for i in range(count)
    )
    offence = _sexual_offence()
    convictions, notifications, addresses, nominals, specs = [], [], [], [], []
    for i, person in enumerate(people):
        rso = i % 3 == 0
        spec = {
            "person": person,
            "rso": rso,
            "level": 1 + i % 3,
            "location": ["community", "custody", "hospital", "approved_premises"][i % 4],
            "release": today + dt.timedelta(days=(i % 90) - 30) if i % 4 in (1, 2) else None,
            "last_reviewed": today - dt.timedelta(days=i % 200) if i % 5 else None,
            "lead_review": today + dt.timedelta(days=i % 40) if i % 7 == 0 else None,
            "convictions": (),
            "notified": None,
            "nfa": False,
        }
        if rso:
            row = ConvictionRow(dt.date(2015 + i % 10, 1 + i % 12, 1 + i % 28), "imprisonment", 6 + i % 30, None)
            spec["convictions"] = (row,)
            convictions.append(
                Conviction(
                    person=person,
                    offence=offence,
                    relevant_date=row.relevant_date,
                    disposal=row.disposal,
                    term_months=row.term_months,
                    soa_schedule_3=True,
                )
            )
            if i % 2:
                spec["notified"] = today - dt.timedelta(days=i % 300)
                notifications.append(
                    Notification(
                        person=person, kind="periodic", notified_on=spec["notified"], recorded_by=world.users.om
                    )
                )
            if i % 9 == 0:
                spec["nfa"] = True
                addresses.append(Address(person=person, kind="nfa", from_date=dt.date(2024, 1, 1)))
        nominals.append(
            Nominal(
                reference=f"BULK-{i:06d}",
                person=person,
                local_area=world.home["local"][i % 2],
                lead_agency=world.police,
                offender_manager=world.users.om,
                registered_sex_offender=rso,
                management_level=spec["level"],
                location=spec["location"],
                release_date=spec["release"],
                last_reviewed_on=spec["last_reviewed"],
                next_review_due=spec["lead_review"],
                managed_from=dt.date(2025, 1, 1),
            )
        )
        specs.append(spec)
    Conviction.objects.bulk_create(convictions)
    Notification.objects.bulk_create(notifications)
    Address.objects.bulk_create(addresses)
    for nominal, spec in zip(Nominal.objects.bulk_create(nominals), specs, strict=True):
        spec["nominal_id"] = nominal.pk
    return specs


def _expected(spec, area_settings: mappa.MappaSettings, today: dt.date) -> tuple:
    facts_ = NominalFacts(
        nominal_id=spec["nominal_id"],
        registered_sex_offender=spec["rso"],
        level=spec["level"],
        location=spec["location"],
        release_date=spec["release"],
        last_reviewed_on=spec["last_reviewed"],
        lead_agency_review_due=spec["lead_review"],
        level_since=dt.date(2025, 1, 1),
        date_of_birth=spec["person"].date_of_birth,
        schedule_3_convictions=spec["convictions"],
        last_notified_on=spec["notified"],
        no_fixed_abode=spec["nfa"],
    )
    return due_dates_for(facts_, area_settings, today).values()


def _stored(specs) -> dict[int, tuple]:
    rows = Nominal.objects.filter(pk__in=[s["nominal_id"] for s in specs]).values_list("pk", *due_dates.COMPUTED_FIELDS)
    return {pk: tuple(values) for pk, *values in rows}


@pytest.mark.parametrize("batch", [None, 7])
def test_recompute_all_writes_what_the_pure_function_says(world, batch):
    """520 nominals: past the COPY threshold on PostgreSQL, plain UPDATEs on SQLite; in one batch or many."""
    AreaSettings.objects.create(area=world.home["mappa"], level2_review_weeks=12)
    specs = _population(world, 520)
    today = _today()
    written = due_dates.recompute_all(today, force=True, **({"batch": batch} if batch else {}))
    assert written == len(specs) + 3, "every active nominal, the world's three too"
    area = AreaSettings.for_area(world.home["mappa"].pk).mappa_settings()
    stored = _stored(specs)
    mismatched = [s["nominal_id"] for s in specs if stored[s["nominal_id"]] != _expected(s, area, today)]
    assert not mismatched, f"{len(mismatched)} nominals differ, first {mismatched[:5]}"
    assert (
        any(s[0] for s in stored.values()) and any(s[4] for s in stored.values()) and any(s[5] for s in stored.values())
    )
    assert any(v[1] == "weekly" for v in stored.values()) and any(v[1] == "periodic" for v in stored.values())
    assert due_dates.recompute_all(today) == 0, "a second run finds nothing changed"
    assert not Nominal.objects.filter(pk__in=[s["nominal_id"] for s in specs], due_dates_on=None).exists()


def test_a_closed_nominal_is_left_alone_by_recompute_all(world):
    Nominal.objects.filter(pk=world.nominals.other.pk).update(
        status="closed", management_level=2, last_reviewed_on=dt.date(2026, 1, 1)
    )
    due_dates.recompute_all(_today(), force=True)
    assert Nominal.objects.get(pk=world.nominals.other.pk).mappa_review_due is None


# Recorded through the services: no explicit recompute -----------------------------------


def test_recording_a_conviction_through_the_service_works_the_dates_out(world):
    Nominal.objects.filter(pk=world.nominals.mine.pk).update(registered_sex_offender=True, next_review_due=None)
    assert Nominal.objects.get(pk=world.nominals.mine.pk).notification_due is None
    conviction = event_services.record_conviction(
        _ctx(world),
        Conviction(
            person=world.people.offender,
            offence=_sexual_offence(),
            relevant_date=dt.date(2025, 6, 2),
            disposal="imprisonment",
            term_months=20,
        ),
    )
    assert conviction.soa_schedule_3, "the flag comes from the offence list"
    nominal = Nominal.objects.get(pk=world.nominals.mine.pk)
    assert nominal.notification_due == dt.date(2025, 6, 4) and nominal.notification_due_kind == "initial"
    assert nominal.next_due_on == dt.date(2025, 6, 4) and nominal.due_dates_on is not None

    conviction.relevant_date = dt.date(2025, 7, 1)
    event_services.change_conviction(_ctx(world), conviction)
    assert Nominal.objects.get(pk=world.nominals.mine.pk).notification_due == dt.date(2025, 7, 3)


def test_recording_a_conviction_on_the_page_works_the_dates_out(world, sign_in):
    from tests.events.url_roles import conviction_data

    Nominal.objects.filter(pk=world.nominals.mine.pk).update(registered_sex_offender=True, next_review_due=None)
    response = sign_in(world.users.om).post(
        reverse("events:record-conviction", kwargs={"person_pk": world.people.offender.pk}),
        conviction_data(world, offence=str(_sexual_offence().pk)),
    )
    assert response.status_code == 302
    assert Nominal.objects.get(pk=world.nominals.mine.pk).notification_due == dt.date(2019, 2, 16)


def test_changing_the_level_on_the_page_works_the_review_out(world, sign_in):
    nominal = world.nominals.mine
    assert nominal.mappa_review_due is None
    response = sign_in(world.users.om).post(
        reverse("offenders:change", args=[nominal.pk]),
        _change_data(world) | {"last_reviewed_on": "2026-10-05", "next_review_due": "2026-12-01"},
    )
    assert response.status_code == 302
    nominal.refresh_from_db()
    assert nominal.management_level == 2
    assert nominal.mappa_review_due == dt.date(2026, 10, 5) + dt.timedelta(weeks=16) == dt.date(2027, 1, 25)
    assert nominal.next_due_on == dt.date(2026, 12, 1), "the lead agency's review is sooner"
