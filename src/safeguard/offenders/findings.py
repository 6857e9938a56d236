"""What a nominal's page works out from the record: its due dates with their working, the MAPPA category the
convictions support, the review date of indefinite notification and the person's retention schedule.

Each answer is a pure rule's (``due_dates.due_dates_for``, ``mappa_status.category_from``,
``mappa_status.qualifying_from``, ``people.retention.schedule_of``), given the same inputs as the modules that
gather them one at a time (``due_dates.working_for``, ``mappa_status.category_finding``,
``mappa_status.review_qualifying_date``, ``people.retention.schedule_for``): here the facts they share are read
once for the page. The person's convictions are one query for all three rules, their notifications one for
the due dates and the review date, and the settings of an area once however many rules ask for them. What is
asked of the person's other records only whether there is any (a no-fixed-abode address now, a legal hold in
force, another active nominal) and their latest incident as a suspect is one query (``_person_facts``). The
nominal is the one the page has already passed through the gate, loaded with its person and local area.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from safeguard.events.models import Conviction, IncidentPerson, IncidentRole, Notification
from safeguard.people import retention
from safeguard.people.models import Address, LegalHold, Person
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
    known = _person_facts(nominal, today)

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
        no_fixed_abode = known["no_fixed_abode"]
    facts = due_dates.facts_of(row, schedule_3, max(notified, default=None), no_fixed_abode)
    mappa_settings = settings.of(row["local_area__parent_id"]).mappa_settings()
    due = due_dates.due_dates_for(facts, mappa_settings, today)

    qualifying = None
    if nominal.notification_indefinite:
        review = relevant_notification.review_facts_of(row, facts, releases, notified, today)
        qualifying = mappa_status.qualifying_from(nominal, review)

    category = mappa_status.category_from(nominal, tuple(mappa_status.conviction_facts(c) for c in convictions), today)
    return Findings(due, category, qualifying, _retention(nominal, convictions, settings, known))


# The names of the person's facts when the nominal's own query reads them (``with_person_facts``).
FACTS = ("last_incident", "legal_hold", "no_fixed_abode", "managed")
ANNOTATED = {name: f"person_{name}" for name in FACTS}


def _facts_asked(person, today: dt.date, names=FACTS) -> dict:
    """The expressions that read the facts ``names`` of the person ``person`` (an ``OuterRef``) on ``today``."""
    asked: dict = {}
    if "last_incident" in names:
        asked["last_incident"] = Subquery(
            IncidentPerson.objects.filter(person_id=person, role=IncidentRole.PERPETRATOR)
            .order_by()
            .values("person_id")
            .annotate(last=Max(TruncDate("incident__occurred_at")))
            .values("last")
        )
    if "legal_hold" in names:
        asked["legal_hold"] = Exists(LegalHold.objects.filter(person_id=person, lifted_on=None))
    if "no_fixed_abode" in names:
        asked["no_fixed_abode"] = Exists(
            Address.objects.filter(person_id=person, kind=Address.Kind.NO_FIXED_ABODE).filter(
                Q(to_date=None) | Q(to_date__gte=today)
            )
        )
    if "managed" in names:
        asked["managed"] = Exists(Nominal.objects.filter(person_id=person, status=Nominal.Status.ACTIVE))
    return asked


def with_person_facts(nominals: QuerySet, today: dt.date) -> QuerySet:
    """``nominals`` reading, in the same query, what ``for_page`` asks of each one's person on ``today``: the
    nominal page passes this to the gate, so that its findings send no query of their own for these."""
    asked = _facts_asked(OuterRef("person_id"), today)
    return nominals.annotate(**{ANNOTATED[name]: expression for name, expression in asked.items()})


def _person_facts(nominal: Nominal, today: dt.date) -> dict:
    """Whether the person has a no-fixed-abode address now (asked only of a registered sex offender, as the due
    dates ask it), a legal hold in force and an active nominal (this one, when it is active, answers without
    asking), and the day of their latest incident as a suspect (None if none): what ``retention.last_incidents``
    and the ``exists()`` of each would read one query apiece. Read with the nominal when it was loaded
    ``with_person_facts`` (on the same day), otherwise in one query."""
    if all(hasattr(nominal, ANNOTATED[name]) for name in FACTS):
        found = {name: getattr(nominal, ANNOTATED[name]) for name in FACTS}
    else:
        names = [name for name in FACTS if name != "no_fixed_abode" or nominal.registered_sex_offender]
        if nominal.status == Nominal.Status.ACTIVE:
            names.remove("managed")
        asked = _facts_asked(OuterRef("pk"), today, names)
        found = next(iter(Person.objects.filter(pk=nominal.person_id).order_by().values(**asked)[:1]), {})
    return {
        "last_incident": found.get("last_incident"),
        "legal_hold": bool(found.get("legal_hold")),
        "no_fixed_abode": bool(nominal.registered_sex_offender and found.get("no_fixed_abode")),
        "managed": nominal.status == Nominal.Status.ACTIVE or bool(found.get("managed")),
    }


def _retention(nominal: Nominal, convictions: list[dict], settings: _Settings, known: dict):
    person = nominal.person
    managed = known["managed"]
    serious, last_event = retention.conviction_events(convictions)
    if known["last_incident"] is not None:
        last_event = known["last_incident"] if last_event is None else max(last_event, known["last_incident"])
    if not managed and last_event is None:
        return None
    return retention.schedule_of(
        person.created_at,
        person.date_of_birth,
        managed=managed,
        serious=serious,
        last_event=last_event,
        legal_hold=known["legal_hold"],
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
