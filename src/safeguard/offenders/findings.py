"""What a nominal's page works out from the record: its due dates with their working, the MAPPA category the
convictions support, the review date of indefinite notification and the person's retention schedule.

Each answer is a pure rule's (``due_dates.due_dates_for``, ``mappa_status.category_from``,
``mappa_status.qualifying_from``, ``people.retention.schedule_of``), given the same inputs as the modules that
gather them one at a time (``due_dates.working_for``, ``mappa_status.category_finding``,
``mappa_status.review_qualifying_date``, ``people.retention.schedule_for``): here the facts they share are read
once for the page. The person's convictions are one query for all three rules, their notifications one for
the due dates and the review date, and the settings of an area once however many rules ask for them. The
nominal is the one the page has already passed through the gate, loaded with its person and local area.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from safeguard.events.models import Conviction, IncidentPerson, Notification
from safeguard.people import retention
from safeguard.people.models import Address, LegalHold
from safeguard.rules import mappa, notification
from safeguard.rules import retention as retention_rules
from safeguard.workforce.models import AreaSettings

from . import due_dates, mappa_status, relevant_notification
from .models import Nominal

CONVICTION_COLUMNS = tuple(
    dict.fromkeys(
        (
            *due_dates.CONVICTION_COLUMNS,
            "soa_schedule_3",
            *mappa_status.CONVICTION_COLUMNS,
            *retention.CONVICTION_COLUMNS,
        )
    )
)


@dataclass(frozen=True)
class Findings:
    due: due_dates.DueDates
    category: mappa.CategoryFinding
    qualifying: notification.QualifyingDate | None
    retention: retention_rules.RetentionSchedule | None


def for_page(nominal: Nominal, today: dt.date) -> Findings:
    """The findings shown on ``nominal``'s page on ``today`` (a loaded nominal, with its person and local area)."""
    person = nominal.person
    convictions = list(Conviction.objects.filter(person_id=person.pk).values(*CONVICTION_COLUMNS))
    row = due_dates.nominal_row(nominal)
    settings = _Settings()

    # The due dates: the notification facts are read only for a registered sex offender, as in the lists.
    schedule_3: tuple[due_dates.ConvictionRow, ...] = ()
    notified: list[dt.date] = []
    releases: list[dt.date] = []
    no_fixed_abode = False
    if nominal.registered_sex_offender:
        schedule_3 = tuple(due_dates.conviction_row(c) for c in convictions if c["soa_schedule_3"])
        notices = Notification.objects.filter(person_id=person.pk).exclude(kind=Notification.Kind.TRAVEL).order_by()
        for day, change, event_on in notices.values_list("notified_on", "change", "event_on"):
            notified.append(day)
            if change == Notification.Change.RELEASE and event_on is not None:
                releases.append(event_on)
        no_fixed_abode = (
            Address.objects.filter(person_id=person.pk, kind=Address.Kind.NO_FIXED_ABODE)
            .filter(Q(to_date=None) | Q(to_date__gte=today))
            .exists()
        )
    facts = due_dates.facts_of(row, schedule_3, max(notified, default=None), no_fixed_abode)
    mappa_settings = settings.of(row["local_area__parent_id"]).mappa_settings()
    due = due_dates.due_dates_for(facts, mappa_settings, today)

    qualifying = None
    if nominal.notification_indefinite:
        review = relevant_notification.review_facts_of(row, facts, releases, notified, today)
        qualifying = mappa_status.qualifying_from(nominal, review)

    category = mappa_status.category_from(nominal, tuple(mappa_status.conviction_facts(c) for c in convictions), today)
    return Findings(due, category, qualifying, _retention(nominal, convictions, settings))


def _retention(nominal: Nominal, convictions: list[dict], settings: _Settings):
    person = nominal.person
    # Managed: an active nominal of the person's; this one, when it is active, answers without a query.
    managed = nominal.status == Nominal.Status.ACTIVE or (
        Nominal.objects.filter(person_id=person.pk, status=Nominal.Status.ACTIVE).exists()
    )
    serious, last_event = retention.conviction_events(convictions)
    for _pid, day in retention.last_incidents(IncidentPerson.objects.filter(person_id=person.pk)):
        last_event = day if last_event is None else max(last_event, day)
    if not managed and last_event is None:
        return None
    return retention.schedule_of(
        person.created_at,
        person.date_of_birth,
        managed=managed,
        serious=serious,
        last_event=last_event,
        legal_hold=LegalHold.objects.filter(person_id=person.pk, lifted_on=None).exists(),
        settings=settings.of(person.area_id).retention_settings(),
    )


class _Settings:
    """The settings of each area asked for, read once for this page (one request; nothing kept after it)."""

    def __init__(self):
        self.found: dict[int | None, AreaSettings] = {}

    def of(self, area_id: int | None) -> AreaSettings:
        if area_id not in self.found:
            self.found[area_id] = AreaSettings.for_area(area_id)
        return self.found[area_id]
