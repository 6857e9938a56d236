"""Retention of a person's records: the review group, next review and earliest disposal.

The rules (and their unconfirmed defaults) are in ``safeguard.rules.retention``;
the schedule is a setting of the person's MAPPA area. Worked out again when a
qualifying event is recorded (a conviction, an incident as a suspect, a
nominal opened or closed) and when a legal hold is placed or lifted: the
dates do not move with time alone, so no daily sweep is needed.

People known only as victims, witnesses or children present get no group of
their own here: the Code retains such information with the records it
belongs to (Safeguard records that as "follows the linked records").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from safeguard.events.models import Conviction, IncidentPerson, IncidentRole
from safeguard.rules import retention
from safeguard.workforce.models import AreaSettings

from .models import LegalHold, Person

FIELDS = ("retention_group", "retention_review_due", "earliest_disposal_on")


def schedule_for(person: Person) -> retention.RetentionSchedule | None:
    """The retention schedule of one person, with its working (None when it follows linked records)."""
    results = _schedules([person.pk])
    return results.get(person.pk)


def schedule_from(
    person: Person,
    *,
    managed: bool,
    convictions: Iterable[Conviction],
    perpetrator_on: Iterable[dt.date],
    held: bool,
) -> retention.RetentionSchedule | None:
    """``schedule_for`` worked out from what the person page has read already: whether the person has an
    active nominal (any, seen or not), their convictions with each offence, the days (local) of the incidents
    they were a perpetrator in, and whether a legal hold is in force. The same rule, the same answer."""
    serious, last_conviction = conviction_events(
        {
            "relevant_date": conviction.relevant_date,
            "soa_schedule_3": conviction.soa_schedule_3,
            "cja_schedule_15": conviction.cja_schedule_15,
            "offence__is_murder": conviction.offence.is_murder,
        }
        for conviction in convictions
    )
    days = [*perpetrator_on, *([last_conviction] if last_conviction is not None else [])]
    last_event = max(days) if days else None
    if not managed and last_event is None:
        return None  # follows the linked records: no area settings needed
    return schedule_of(
        person.created_at,
        person.date_of_birth,
        managed=managed,
        serious=serious,
        last_event=last_event,
        legal_hold=held,
        settings=AreaSettings.for_area(person.area_id).retention_settings(),
    )


def _schedules(person_ids: list[int], stored: dict[int, tuple] | None = None) -> dict[int, retention.RetentionSchedule]:
    """The schedules of these people (none for those whose records follow linked records). ``stored``, when
    given, is filled with each person's retention ``FIELDS`` as stored, read in the same query."""
    from safeguard.offenders.models import Nominal

    columns = ("id", "area_id", "date_of_birth", "created_at", *(FIELDS if stored is not None else ()))
    people = {
        row["id"]: row
        # Sets and maps by id, each read without the models' default order (an ORDER BY built and sorted for nothing).
        for row in Person.objects.filter(pk__in=person_ids).order_by().values(*columns)
    }
    if stored is not None:
        stored.update((pid, tuple(row[name] for name in FIELDS)) for pid, row in people.items())
    managed = set(
        Nominal.objects.filter(person_id__in=person_ids, status=Nominal.Status.ACTIVE)
        .order_by()
        .values_list("person_id", flat=True)
    )
    serious: set[int] = set()
    last_event: dict[int, dt.date] = {}
    by_person: dict[int, list[dict]] = defaultdict(list)
    for row in Conviction.objects.filter(person_id__in=person_ids).order_by().values("person_id", *CONVICTION_COLUMNS):
        by_person[row["person_id"]].append(row)
    for pid, rows in by_person.items():
        is_serious, last = conviction_events(rows)
        if is_serious:
            serious.add(pid)
        if last is not None:
            last_event[pid] = last
    for pid, day in last_incidents(IncidentPerson.objects.filter(person_id__in=person_ids)):
        last_event[pid] = max(last_event.get(pid, day), day)
    holds = set(
        LegalHold.objects.filter(person_id__in=person_ids, lifted_on=None)
        .order_by()
        .values_list("person_id", flat=True)
    )
    settings_by_area: dict = defaultdict(lambda: None)
    out = {}
    for pid, row in people.items():
        if pid not in managed and pid not in last_event:
            continue
        area = row["area_id"]
        if settings_by_area[area] is None:
            settings_by_area[area] = AreaSettings.for_area(area).retention_settings()
        schedule = schedule_of(
            row["created_at"],
            row["date_of_birth"],
            managed=pid in managed,
            serious=pid in serious,
            last_event=last_event.get(pid),
            legal_hold=pid in holds,
            settings=settings_by_area[area],
        )
        if schedule is not None:
            out[pid] = schedule
    return out


# What the retention rule reads of each of a person's convictions.
CONVICTION_COLUMNS = ("relevant_date", "soa_schedule_3", "cja_schedule_15", "offence__is_murder")


def conviction_events(rows: Iterable[dict]) -> tuple[bool, dt.date | None]:
    """Of one person's convictions (read with ``CONVICTION_COLUMNS``): whether any is sexual, violent or serious,
    and the day of the latest."""
    serious = False
    last: dt.date | None = None
    for row in rows:
        serious = serious or bool(row["soa_schedule_3"] or row["cja_schedule_15"] or row["offence__is_murder"])
        last = row["relevant_date"] if last is None else max(last, row["relevant_date"])
    return serious, last


def last_incidents(links) -> Iterable[tuple[int, dt.date]]:
    """(person id, day of their latest incident as a suspect) for these incident links (a query)."""
    return (
        links.filter(role=IncidentRole.PERPETRATOR)
        .values("person_id")
        .annotate(last=Max(TruncDate("incident__occurred_at")))
        .values_list("person_id", "last")
    )


def schedule_of(
    created_at: dt.datetime,
    date_of_birth: dt.date | None,
    *,
    managed: bool,
    serious: bool,
    last_event: dt.date | None,
    legal_hold: bool,
    settings: retention.RetentionSettings,
) -> retention.RetentionSchedule | None:
    """One person's schedule from what was read of them and their area's settings (pure). None when their
    records follow linked records: no active nominal, no conviction, no incident as a suspect."""
    if not managed and last_event is None:
        return None
    group = retention.retention_group(
        mappa_managed=managed, public_protection=managed, sexual_violent_or_serious=serious
    )
    created = timezone.localtime(created_at).date()
    return retention.retention_schedule(
        group.group,
        record_created_on=created,
        last_qualifying_event_on=last_event or created,
        date_of_birth=date_of_birth,
        legal_hold=legal_hold,
        settings=settings,
    )


def recompute(person_ids: Iterable[int]) -> int:
    """Work out the retention dates of these people again; returns how many rows were written."""
    ids = sorted(set(person_ids))
    written = 0
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        stored: dict[int, tuple] = {}
        schedules = _schedules(chunk, stored)  # and the dates as stored, read with the people (no second read)
        changed = []
        for pk, current in stored.items():
            s = schedules.get(pk)
            values = (s.group, s.next_review_on, s.earliest_disposal_on) if s else (None, None, None)
            if current != values:
                changed.append(Person(pk=pk, **dict(zip(FIELDS, values, strict=True))))
        if changed:  # all or none (bulk_update's own transaction, or the caller's)
            Person.objects.bulk_update(changed, FIELDS, batch_size=1_000)
        written += len(changed)
    return written


def recompute_all() -> int:
    """Everyone with a nominal, a conviction or a record as a suspect (the demo and a first load use this)."""
    from safeguard.offenders.models import Nominal

    ids = set(Nominal.objects.values_list("person_id", flat=True))
    ids |= set(Conviction.objects.values_list("person_id", flat=True))
    ids |= set(IncidentPerson.objects.filter(role=IncidentRole.PERPETRATOR).values_list("person_id", flat=True))
    return recompute(ids)
