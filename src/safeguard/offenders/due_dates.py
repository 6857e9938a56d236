"""The dates that drive an offender manager's work, worked out from the rules.

For each nominal: the next notification due (SOA 2003 ss.83-85), when the
notification requirements end, the MAPPA review due (Level 2 or 3) and the
date by which the level must be set before release. Each comes from a pure
function in ``safeguard.rules``; this module only gathers the facts from the
database, many nominals at a time, and writes the answers back.

``recompute(ids)`` is called when a relevant event is recorded (a conviction,
a notification, a change of level, location or release date, a new address);
``recompute_all()`` is run by the daily task so that dates that pass with
time (a notification period ending) are seen.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from safeguard.events.models import Conviction, Notification
from safeguard.people.models import Address
from safeguard.rules import mappa, notification
from safeguard.rules.working import RuleInputError, Step
from safeguard.workforce.models import AreaSettings

from .models import Location, ManagementLevel, Nominal

BATCH = 50_000
COPY_FROM = 500  # rows: below this, plain UPDATEs; above, COPY into a temporary table
DETAINED = frozenset({Location.CUSTODY, Location.HOSPITAL})
COMPUTED_FIELDS = (
    "notification_due",
    "notification_due_kind",
    "notification_ends_on",
    "notification_indefinite",
    "mappa_review_due",
    "level_set_by",
    "next_due_on",
)


@dataclass(frozen=True)
class ConvictionRow:
    relevant_date: dt.date
    disposal: str
    term_months: int | None
    discharge_months: int | None
    sentence_date: dt.date | None = None
    pk: int | None = None
    consecutive_to: int | None = None  # the pk of the conviction whose term this one follows
    overlap_months: int = 0


@dataclass(frozen=True)
class NominalFacts:
    """What the rules need to know about one nominal, gathered in bulk."""

    nominal_id: int
    registered_sex_offender: bool
    level: int
    location: str
    release_date: dt.date | None
    last_reviewed_on: dt.date | None
    lead_agency_review_due: dt.date | None
    level_since: dt.date | None
    date_of_birth: dt.date | None
    schedule_3_convictions: tuple[ConvictionRow, ...] = ()
    last_notified_on: dt.date | None = None
    no_fixed_abode: bool = False
    detained_since: dt.date | None = None


@dataclass
class DueDates:
    notification_due: dt.date | None = None
    notification_due_kind: str = ""
    notification_ends_on: dt.date | None = None
    notification_indefinite: bool = False
    mappa_review_due: dt.date | None = None
    level_set_by: dt.date | None = None
    next_due_on: dt.date | None = None
    working: list[Step] = field(default_factory=list)

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in COMPUTED_FIELDS)


def term_chains(rows: tuple[ConvictionRow, ...]) -> dict[int, list[ConvictionRow]]:
    """Each conviction's chain of consecutive or partly concurrent terms (s.82(3)-(4)), first term first.

    Only Schedule 3 convictions of the same person are in ``rows``; a link to a conviction not among them (or a
    second term following the same term) leaves the term on its own, as the rule would refuse the chain.
    """
    by_pk = {r.pk: r for r in rows if r.pk is not None}
    follower: dict[int, ConvictionRow] = {}
    for r in rows:
        if r.consecutive_to in by_pk and r.consecutive_to not in follower:
            follower[r.consecutive_to] = r
    chains: dict[int, list[ConvictionRow]] = {}
    for r in rows:
        if r.pk is None or (r.consecutive_to in by_pk and follower.get(r.consecutive_to) is r):
            continue
        chain, seen = [r], {r.pk}
        while chain[-1].pk in follower and follower[chain[-1].pk].pk not in seen:
            chain.append(follower[chain[-1].pk])
            seen.add(chain[-1].pk)
        for member in chain:
            chains[member.pk] = chain
    return chains


def _terms_of(chain: list[ConvictionRow]) -> list[notification.Term]:
    return [
        notification.Term(r.term_months or 0, None if i == 0 else i - 1, r.overlap_months if i else 0)
        for i, r in enumerate(chain)
    ]


def _period_of(row: ConvictionRow, facts: NominalFacts, chain: list[ConvictionRow] | None):
    combined = chain is not None and len(chain) > 1
    return notification.notification_period(
        row.relevant_date,
        facts.date_of_birth,
        row.disposal,
        term_months=None if combined else row.term_months,
        discharge_months=row.discharge_months,
        terms=_terms_of(chain) if combined else None,
        sentenced_on=row.sentence_date if row.sentence_date and row.sentence_date >= row.relevant_date else None,
    )


def _longest_period(facts: NominalFacts) -> notification.NotificationPeriod | None:
    """The notification period that lasts longest among the Schedule 3 convictions (indefinite wins).

    Consecutive and partly concurrent terms are read as their aggregate (s.82(3)-(4)); a conditional discharge
    runs from its sentence date where one is recorded (Sentencing Act 2020 s.80).
    """
    best = None
    chains = term_chains(facts.schedule_3_convictions)
    for row in facts.schedule_3_convictions:
        if facts.date_of_birth is None:
            continue
        try:
            period = _period_of(row, facts, chains.get(row.pk))
        except RuleInputError:
            continue
        if best is None or period.indefinite or (not best.indefinite and period.end_date > best.end_date):
            best = period
            if period.indefinite:
                break
    return best


def due_dates_for(facts: NominalFacts, settings: mappa.MappaSettings, today: dt.date) -> DueDates:
    """The due dates of one nominal on ``today`` (pure: facts in, dates out)."""
    out = DueDates()
    if facts.registered_sex_offender:
        _notification_dates(facts, today, out)
    if facts.level in (ManagementLevel.TWO, ManagementLevel.THREE):
        since = facts.last_reviewed_on or facts.level_since
        if since is not None:
            review = mappa.review_due(facts.level, since, settings)
            if review is not None:
                out.mappa_review_due = review.due
                out.working.extend(review.working)
    if facts.location in DETAINED and facts.release_date and facts.release_date >= today:
        deadline = mappa.level_set_by(facts.release_date, settings)
        out.level_set_by = deadline.due
        out.working.extend(deadline.working)
    dates = [
        d for d in (out.notification_due, out.mappa_review_due, out.level_set_by, facts.lead_agency_review_due) if d
    ]
    out.next_due_on = min(dates) if dates else None
    return out


def _notification_dates(facts: NominalFacts, today: dt.date, out: DueDates) -> None:
    period = _longest_period(facts)
    if period is None:
        out.working.append(Step("No Schedule 3 conviction with a date of birth: the notification period is not known"))
        return
    out.notification_indefinite = period.indefinite
    out.notification_ends_on = period.end_date
    out.working.extend(period.working)
    if not period.indefinite and period.end_date < today:
        out.working.append(Step("The notification period has ended: no notification is due"))
        return
    detained = facts.location in DETAINED and facts.release_date is not None
    custody = _custody(facts)
    if custody:
        out.working.append(
            Step(
                f"The record holds custody or detention from {custody[0].start.isoformat()} to "
                f"{custody[0].end.isoformat()} (release expected {facts.release_date.isoformat()})",
                notification.S85_3,
            )
        )
    if facts.last_notified_on is None:
        latest = max(facts.schedule_3_convictions, key=lambda r: r.relevant_date)
        # A release date before the conviction is a recording slip, not a release after it: count from the conviction.
        released = facts.release_date if detained and facts.release_date >= latest.relevant_date else None
        deadline = notification.initial_notification_due(latest.relevant_date, released_on=released)
        out.notification_due, out.notification_due_kind = deadline.due, "initial"
    else:
        periodic = notification.periodic_notification_due(
            facts.last_notified_on, no_fixed_abode=facts.no_fixed_abode, detained=custody
        )
        if (
            detained
            and facts.last_notified_on < facts.release_date
            and not (custody and periodic.due < custody[0].start)
        ):
            # Nobody notifies in person from custody: the next notification is the one on release (s.84(1)(d)).
            # Where the year ends in custody, s.85(3)-(4) runs it on to the same day: both are shown.
            deadline = notification.change_notification_due(facts.release_date, "release")
            out.notification_due, out.notification_due_kind = deadline.due, "release"
            if custody:
                out.working.extend(periodic.working)
        else:
            # The periodic year (ended before any custody the record holds began, or no custody).
            deadline = periodic
            out.notification_due = deadline.due
            out.notification_due_kind = "weekly" if facts.no_fixed_abode else "periodic"
    out.working.extend(deadline.working)


def _custody(facts: NominalFacts) -> tuple[notification.Detention, ...]:
    """The present custody or detention where the record holds both its start and the release (the day out)."""
    if facts.location not in DETAINED or facts.detained_since is None or facts.release_date is None:
        return ()
    if facts.release_date <= facts.detained_since:
        return ()
    return (notification.Detention(facts.detained_since, facts.release_date - dt.timedelta(days=1)),)


# Gathering facts in bulk -------------------------------------------------------


def _facts(nominal_rows: list[dict], today: dt.date, people=None) -> list[NominalFacts]:
    """The facts of these nominals. ``people`` (a query of person ids) replaces literal id lists for big batches."""
    rso_people = {row["person_id"] for row in nominal_rows if row["registered_sex_offender"]}
    convictions: dict[int, list[ConvictionRow]] = defaultdict(list)
    last_notified: dict[int, dt.date] = {}
    nfa: set[int] = set()
    if rso_people:
        for chunk in [people] if people is not None else _chunks(sorted(rso_people), 5_000):
            for c in Conviction.objects.filter(person_id__in=chunk, soa_schedule_3=True).values(*CONVICTION_COLUMNS):
                convictions[c["person_id"]].append(conviction_row(c))
            last_notified.update(
                Notification.objects.filter(person_id__in=chunk)
                .exclude(kind=Notification.Kind.TRAVEL)
                .values("person_id")
                .annotate(last=Max("notified_on"))
                .values_list("person_id", "last")
            )
            nfa.update(
                Address.objects.filter(person_id__in=chunk, kind=Address.Kind.NO_FIXED_ABODE)
                .filter(Q(to_date=None) | Q(to_date__gte=today))
                .values_list("person_id", flat=True)
            )
    return [
        facts_of(
            row,
            tuple(convictions.get(row["person_id"], ())),
            last_notified.get(row["person_id"]),
            row["person_id"] in nfa,
        )
        for row in nominal_rows
    ]


def facts_of(
    row: dict, schedule_3: tuple[ConvictionRow, ...], last_notified_on: dt.date | None, no_fixed_abode: bool
) -> NominalFacts:
    """One nominal's facts from its row (``NOMINAL_COLUMNS``) and what was read about its person."""
    return NominalFacts(
        nominal_id=row["id"],
        registered_sex_offender=row["registered_sex_offender"],
        level=row["management_level"],
        location=row["location"],
        release_date=row["release_date"],
        last_reviewed_on=row["last_reviewed_on"],
        lead_agency_review_due=row["next_review_due"],
        level_since=row["allocated_on"] or row["managed_from"],
        date_of_birth=row["person__date_of_birth"],
        schedule_3_convictions=schedule_3,
        last_notified_on=last_notified_on,
        no_fixed_abode=no_fixed_abode,
        detained_since=row["detained_since"],
    )


# What is read of a Schedule 3 conviction (the person's id, to gather many people's at once).
CONVICTION_COLUMNS = (
    "person_id",
    "relevant_date",
    "disposal",
    "term_months",
    "discharge_months",
    "sentence_date",
    "pk",
    "consecutive_to_id",
    "overlap_months",
)


def conviction_row(c: dict) -> ConvictionRow:
    """A conviction read with (at least) ``CONVICTION_COLUMNS``, as the notification rules take it."""
    return ConvictionRow(
        c["relevant_date"],
        c["disposal"],
        c["term_months"],
        c["discharge_months"],
        c["sentence_date"],
        c["pk"],
        c["consecutive_to_id"],
        c["overlap_months"] or 0,
    )


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


NOMINAL_COLUMNS = (
    "id",
    "person_id",
    "registered_sex_offender",
    "management_level",
    "location",
    "release_date",
    "detained_since",
    "last_reviewed_on",
    "next_review_due",
    "allocated_on",
    "managed_from",
    "person__date_of_birth",
    "local_area__parent_id",
    *COMPUTED_FIELDS,
)


def _compute(queryset, today: dt.date, force: bool, people=None) -> list[tuple]:
    """(values..., id) for each nominal whose due dates differ from those stored (all of them when forced)."""
    settings_by_area: dict[int | None, mappa.MappaSettings] = {}
    changed = []
    rows = list(queryset.values(*NOMINAL_COLUMNS))
    for facts, row in zip(_facts(rows, today, people), rows, strict=True):
        area = row["local_area__parent_id"]
        if area not in settings_by_area:
            settings_by_area[area] = AreaSettings.for_area(area).mappa_settings()
        try:
            values = due_dates_for(facts, settings_by_area[area], today).values()
        except RuleInputError:
            # Facts the rules cannot answer (a recording slip): no dates rather than a stopped daily run.
            values = DueDates().values()
        if force or values != tuple(row[name] for name in COMPUTED_FIELDS):
            changed.append((*values, row["id"]))
    return changed


def _write(changed: list[tuple], now: dt.datetime) -> None:
    if not changed:
        return
    if connection.vendor == "postgresql" and len(changed) >= COPY_FROM:
        _write_postgresql(changed, now)
        return
    assignments = ", ".join(f"{name} = %s" for name in COMPUTED_FIELDS)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE offenders_nominal SET {assignments}, due_dates_on = %s WHERE id = %s",  # noqa: S608 (constant names)
            [(*row[:-1], now, row[-1]) for row in changed],
        )


def _write_postgresql(changed: list[tuple], now: dt.datetime) -> None:
    """COPY the new dates into a temporary table, then one UPDATE ... FROM (seconds, not minutes, at 100,000)."""
    columns = ", ".join(COMPUTED_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS due_dates_new")
        cursor.execute(
            "CREATE TEMPORARY TABLE due_dates_new (notification_due date, notification_due_kind varchar(10), "
            "notification_ends_on date, notification_indefinite boolean, mappa_review_due date, "
            "level_set_by date, next_due_on date, id bigint) ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY due_dates_new ({columns}, id) FROM STDIN") as copy:
            for row in changed:
                copy.write_row(row)
        cursor.execute("ANALYZE due_dates_new")  # temporary tables are never analysed automatically
        sets = ", ".join(f"{name} = d.{name}" for name in COMPUTED_FIELDS)
        cursor.execute(
            f"UPDATE offenders_nominal AS n SET {sets}, due_dates_on = %s "  # noqa: S608 (constant column names)
            "FROM due_dates_new AS d WHERE n.id = d.id",
            [now],
        )


def recompute(nominal_ids: Iterable[int], today: dt.date | None = None) -> int:
    """Work out the due dates of these nominals again; returns how many changed."""
    ids = list(nominal_ids)
    if not ids:
        return 0
    return _recompute(Nominal.objects.filter(pk__in=ids), today or timezone.localdate())


def recompute_for_person(person_id: int, today: dt.date | None = None) -> int:
    """The due dates of one person's nominals, read by their person (one query, not their ids and then them)."""
    return _recompute(Nominal.objects.filter(person_id=person_id), today or timezone.localdate())


def _recompute(nominals, today: dt.date) -> int:
    """Read and work out outside a transaction of its own (its reads hold nothing: the caller's transaction, when
    there is one, is what keeps an event and its dates together); write the changed ones, if any, all or none:
    in the caller's transaction without a savepoint of their own (a failure undoes the caller's too), else
    in one of their own."""
    changed = _compute(nominals, today, force=False)
    if changed:
        with transaction.atomic(savepoint=False):
            _write(changed, timezone.now())
    return len(changed)


def recompute_all(today: dt.date | None = None, *, force: bool = False, batch: int = BATCH) -> int:
    """Every active nominal, in batches of ``batch``; returns how many were written."""
    today = today or timezone.localdate()
    written = 0
    last_id = 0
    active = Nominal.objects.filter(status=Nominal.Status.ACTIVE)
    while True:
        with transaction.atomic():
            upper = active.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[batch - 1 : batch].first()
            # A range of ids, not a list of them: the queries stay small whatever the batch size.
            in_batch = active.filter(pk__gt=last_id, **({"pk__lte": upper} if upper else {}))
            people = in_batch.filter(registered_sex_offender=True).values("person_id")
            changed = _compute(in_batch.order_by("pk"), today, force, people)
            _write(changed, timezone.now())
        written += len(changed)
        if upper is None:
            return written
        last_id = upper


def working_for(nominal: Nominal, today: dt.date | None = None) -> DueDates:
    """The due dates of one nominal with the working (the stored dates are what lists use). Its page reads the
    facts once for these and its other findings: ``offenders.findings``."""
    today = today or timezone.localdate()
    row = Nominal.objects.filter(pk=nominal.pk).values(*NOMINAL_COLUMNS).get()
    settings = AreaSettings.for_area(row["local_area__parent_id"]).mappa_settings()
    return due_dates_for(_facts([row], today)[0], settings, today)


def nominal_row(nominal: Nominal) -> dict:
    """The row ``NOMINAL_COLUMNS`` reads, from a nominal loaded with its person and local area (no query)."""
    row = {name: getattr(nominal, name) for name in NOMINAL_COLUMNS if "__" not in name}
    row["person__date_of_birth"] = nominal.person.date_of_birth
    row["local_area__parent_id"] = nominal.local_area.parent_id
    return row
