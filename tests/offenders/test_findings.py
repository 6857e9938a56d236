"""The nominal page reads the facts its rules share once (offenders/findings.py): its answers are the ones each
module gives when it reads the record on its own (due dates, category, review date, retention schedule)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.demo import factories as f
from safeguard.events.models import Conviction, Incident, IncidentPerson, IncidentRole, Notification, Offence
from safeguard.offenders import due_dates, findings, mappa_status
from safeguard.offenders.models import Nominal
from safeguard.offenders.views import NOMINAL_ROW, NOMINALS
from safeguard.people import retention
from safeguard.people.models import Address, LegalHold
from safeguard.workforce.models import AreaSettings


def _offence(code, **flags) -> Offence:
    return Offence.objects.get_or_create(code=code, defaults={"description": code, "statute": code, **flags})[0]


def _one_at_a_time(nominal: Nominal, today: dt.date) -> findings.Findings:
    return findings.Findings(
        due_dates.working_for(nominal, today),
        mappa_status.category_finding(nominal, today),
        mappa_status.review_qualifying_date(nominal, today),
        retention.schedule_for(nominal.person),
    )


def _same(pk: int, today: dt.date | None = None) -> findings.Findings:
    today = today or timezone.localdate()
    nominal = NOMINALS.get(pk=pk)
    found = findings.for_page(nominal, today)
    assert found == _one_at_a_time(nominal, today)
    # The nominal page's own way: the nominal read by the gate's statement (accounts.rows), not the ORM.
    assert findings.for_page(NOMINAL_ROW.one(pk), today) == found
    return found


def test_a_nominal_with_nothing_recorded(world):
    found = _same(world.nominals.mine.pk)
    assert found.retention is not None and found.retention.group == 1  # managed: group 1
    assert found.qualifying is None and found.category.category is None


def test_a_registered_sex_offender_on_indefinite_notification_with_everything_recorded(world):
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
    Conviction.objects.create(
        person=person,
        offence=_offence("OAPA1861-s47", cja_schedule_15=True),
        relevant_date=today - dt.timedelta(days=400),
        disposal="imprisonment",
        term_months=12,
        cja_schedule_15=True,
        licence_or_order_end=today + dt.timedelta(days=200),
    )
    released = today - dt.timedelta(days=2000)
    Notification.objects.create(person=person, kind="initial", notified_on=released - dt.timedelta(days=900),
                                recorded_by=world.users.om)  # fmt: skip
    Notification.objects.create(person=person, kind="change", change="release", event_on=released,
                                notified_on=released + dt.timedelta(days=1), recorded_by=world.users.om)  # fmt: skip
    Notification.objects.create(person=person, kind="travel", notified_on=today - dt.timedelta(days=2),
                                recorded_by=world.users.om)  # fmt: skip
    Address.objects.create(person=person, kind=Address.Kind.NO_FIXED_ABODE, from_date=today - dt.timedelta(days=60))
    LegalHold.objects.create(person=person, reason="Inquiry", placed_by=world.users.om)
    incident = Incident.objects.create(reference="INC-1", occurred_at=timezone.now() - dt.timedelta(days=30),
                                       local_area=world.home["local"][0], recorded_by=world.police)  # fmt: skip
    IncidentPerson.objects.create(incident=incident, person=person, role=IncidentRole.PERPETRATOR)
    AreaSettings.objects.create(area=world.home["mappa"], level2_review_weeks=8, group1_review_years=7)
    Nominal.objects.filter(pk=nominal.pk).update(registered_sex_offender=True, release_date=None, management_level=2)
    due_dates.recompute([nominal.pk])
    found = _same(nominal.pk)
    assert found.qualifying is not None and found.qualifying.qualifying_date is not None
    assert found.due.notification_due_kind == "weekly"  # no fixed abode
    assert found.due.mappa_review_due is not None
    assert found.retention.blocked_by_legal_hold
    assert found.category.category == "1"


def test_a_closed_nominal_managed_by_another_and_one_not_managed(world):
    person = world.people.other_offender
    Conviction.objects.create(person=person, offence=_offence("TA1968-s1"), relevant_date=dt.date(2020, 1, 5),
                              disposal="fine")  # fmt: skip
    closed = world.nominals.other
    Nominal.objects.filter(pk=closed.pk).update(status=Nominal.Status.CLOSED)
    f.nominal(person, world.home["local"][1], world.police, world.users.om2)  # another, active
    assert _same(closed.pk).retention.group == 1
    Nominal.objects.filter(person=person).update(status=Nominal.Status.CLOSED)
    assert _same(closed.pk).retention.group == 3  # not managed: the conviction's group


def test_a_person_in_another_area_has_that_areas_retention_settings(world):
    AreaSettings.objects.create(area=world.home["mappa"], group1_retain_until_age=90)
    found = _same(world.nominals.away.pk)
    assert found.retention.earliest_disposal_on == dt.date(2090, 1, 1)


def test_the_page_reads_the_convictions_once(world):
    nominal = NOMINALS.get(pk=world.nominals.mine.pk)
    Nominal.objects.filter(pk=nominal.pk).update(registered_sex_offender=True)
    nominal = NOMINALS.get(pk=nominal.pk)
    with CaptureQueriesContext(connection) as queries:
        findings.for_page(nominal, timezone.localdate())
    read = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "events_conviction"' in sql for sql in read) == 1
    assert sum('FROM "events_notification"' in sql for sql in read) == 1
    assert sum('FROM "workforce_areasettings"' in sql for sql in read) == 1
    assert not any('FROM "offenders_nominal"' in sql for sql in read), "the nominal read by the gate is used"


def test_what_is_asked_of_the_persons_other_records_is_one_statement(world):
    Nominal.objects.filter(pk=world.nominals.mine.pk).update(registered_sex_offender=True)
    nominal = NOMINALS.get(pk=world.nominals.mine.pk)
    with CaptureQueriesContext(connection) as queries:
        findings.for_page(nominal, timezone.localdate())
    asking = [
        q["sql"]
        for q in queries.captured_queries
        if any(f'"{table}"' in q["sql"] for table in ("people_address", "people_legalhold", "events_incidentperson"))
    ]
    assert len(asking) == 1 and all(t in asking[0] for t in ("people_address", "people_legalhold"))
