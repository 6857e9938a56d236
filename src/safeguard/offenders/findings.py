"""What a nominal's page works out from the record: its due dates with their working, the MAPPA category the
convictions support, the review date of indefinite notification and the person's retention schedule.

Each answer is a pure rule's (``due_dates.due_dates_for``, ``mappa_status.category_from``,
``mappa_status.qualifying_from``, ``people.retention.schedule_of``), given the same inputs as the modules that
gather them one at a time (``due_dates.working_for``, ``mappa_status.category_finding``,
``mappa_status.review_qualifying_date``, ``people.retention.schedule_for``): here the facts they share are read
once for the page. The person's convictions are one query for all three rules, their notifications one for
the due dates and the review date, and the settings of an area once however many rules ask for them. What is
asked of the person's other records only whether there is any (a no-fixed-abode address now, a legal hold in
force, another active nominal) and their latest incident as a suspect is one statement (``_person_facts``). The
nominal is the one the page has already passed through the gate, loaded with its person and local area.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections, router
from django.utils import timezone

from safeguard.events.models import Conviction, Incident, IncidentPerson, IncidentRole, Notification
from safeguard.people import retention
from safeguard.people.models import Address, LegalHold, Person
from safeguard.prepared import PreparedQuery
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


# The person's convictions, and their notifications other than travel: SQL written once a process (safeguard.prepared).
CONVICTIONS = PreparedQuery(
    "findings.convictions",
    Conviction,
    lambda person_id: Conviction.objects.filter(person_id=person_id).values(*CONVICTION_COLUMNS),
)
NOTIFICATIONS = PreparedQuery(
    "findings.notifications",
    Notification,
    lambda person_id: (
        Notification.objects.filter(person_id=person_id)
        .exclude(kind=Notification.Kind.TRAVEL)
        .order_by()
        .values_list("notified_on", "change", "event_on")
    ),
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
    convictions = list(CONVICTIONS(person_id=person.pk))
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
        for day, change, event_on in NOTIFICATIONS(person_id=person.pk):
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


def _person_facts(nominal: Nominal, today: dt.date) -> dict:
    """Whether the person has a no-fixed-abode address now (asked only of a registered sex offender, as the due
    dates ask it), a legal hold in force and an active nominal (this one, when it is active, answers without
    asking), and the day of their latest incident as a suspect (None if none): what ``retention.last_incidents``
    and an ``exists()`` of each would read, in one statement (``_FACTS``)."""
    found = _FACTS.read(nominal.person_id, today, ask_managed=nominal.status != Nominal.Status.ACTIVE)
    last = found["last_incident"]
    return {
        # The day of the latest incident is the latest day: a later moment is never an earlier local day.
        "last_incident": timezone.localdate(last) if last is not None else None,
        "legal_hold": found["legal_hold"],
        "no_fixed_abode": bool(nominal.registered_sex_offender and found["no_fixed_abode"]),
        "managed": nominal.status == Nominal.Status.ACTIVE or found["managed"],
    }


class _Facts:
    """The person's facts above as one ``SELECT`` of four subqueries, its SQL written once per database vendor
    from the models' own tables, columns and choices (accounts.rows does the same for every request's rows):
    the ORM would build four querysets and compile them on every nominal page, several times the cost of
    running them. Values only ever go in as parameters; every call reads the database afresh."""

    def __init__(self):
        self._compiled: dict[tuple[str, bool], tuple[str, list]] = {}

    def _compile(self, connection, ask_managed: bool) -> tuple[str, list]:
        q = connection.ops.quote_name

        def table(model) -> str:
            return q(model._meta.db_table)

        def column(model, name: str) -> str:
            return q(model._meta.get_field(name).column)

        occurred = Incident._meta.get_field("occurred_at")
        col = occurred.get_col("T")
        converters = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
        ip, inc = IncidentPerson, Incident
        # Names from the models' own fields, quoted by the backend; values only ever as parameters.
        sql = (
            f"SELECT (SELECT MAX(I.{column(inc, 'occurred_at')}) FROM {table(ip)} P INNER JOIN {table(inc)} I"  # noqa: S608
            f" ON I.{q(inc._meta.pk.column)} = P.{column(ip, 'incident')}"
            f" WHERE P.{column(ip, 'person')} = %s AND P.{column(ip, 'role')} = %s),"
            f" EXISTS(SELECT 1 FROM {table(LegalHold)} H WHERE H.{column(LegalHold, 'person')} = %s"
            f" AND H.{column(LegalHold, 'lifted_on')} IS NULL),"
            f" EXISTS(SELECT 1 FROM {table(Address)} A WHERE A.{column(Address, 'person')} = %s"
            f" AND A.{column(Address, 'kind')} = %s"
            f" AND (A.{column(Address, 'to_date')} IS NULL OR A.{column(Address, 'to_date')} >= %s))"
        )
        if ask_managed:
            sql += (
                f", EXISTS(SELECT 1 FROM {table(Nominal)} N WHERE N.{column(Nominal, 'person')} = %s"  # noqa: S608
                f" AND N.{column(Nominal, 'status')} = %s)"
            )
        return sql, [(converter, col) for converter in converters]

    def read(self, person_id: int, today: dt.date, ask_managed: bool) -> dict:
        """The facts of the person ``person_id`` on ``today``; whether they have an active nominal only when
        ``ask_managed`` (False otherwise)."""
        connection = connections[router.db_for_read(Person)]
        key = (connection.vendor, ask_managed)
        if key not in self._compiled:
            self._compiled[key] = self._compile(connection, ask_managed)
        sql, converters = self._compiled[key]
        day = connection.ops.adapt_datefield_value(today)
        params = [
            *(person_id, IncidentRole.PERPETRATOR.value),
            person_id,
            *(person_id, Address.Kind.NO_FIXED_ABODE.value, day),
            *((person_id, Nominal.Status.ACTIVE.value) if ask_managed else ()),
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            last, held, no_fixed_abode, *managed = cursor.fetchone()
        for convert, col in converters:
            last = convert(last, col, connection)
        return {
            "last_incident": last,
            "legal_hold": bool(held),
            "no_fixed_abode": bool(no_fixed_abode),
            "managed": bool(managed and managed[0]),
        }


_FACTS = _Facts()


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
