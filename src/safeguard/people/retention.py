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
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
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
    serious = False
    days = list(perpetrator_on)
    for conviction in convictions:
        serious |= bool(conviction.soa_schedule_3 or conviction.cja_schedule_15 or conviction.offence.is_murder)
        days.append(conviction.relevant_date)
    last_event = max(days) if days else None
    return _worked_out(
        person.area_id, person.date_of_birth, person.created_at, managed, serious, last_event, held, _area_settings({})
    )


def _area_settings(kept: dict) -> Callable[[int], Any]:
    """The retention settings of an area, read once for each area asked about."""

    def of(area_id: int) -> Any:
        if area_id not in kept:
            kept[area_id] = AreaSettings.for_area(area_id).retention_settings()
        return kept[area_id]

    return of


def _worked_out(
    area_id: int,
    date_of_birth: dt.date | None,
    created_at: dt.datetime,
    managed: bool,
    serious: bool,
    last_event: dt.date | None,
    held: bool,
    settings_of: Callable[[int], Any],
) -> retention.RetentionSchedule | None:
    """One person's schedule from the facts the rules ask for (None: the record follows linked records)."""
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
        legal_hold=held,
        settings=settings_of(area_id),
    )


def _schedules(person_ids: list[int]) -> dict[int, retention.RetentionSchedule]:
    from safeguard.offenders.models import Nominal

    people = {
        row["id"]: row
        for row in Person.objects.filter(pk__in=person_ids).values("id", "area_id", "date_of_birth", "created_at")
    }
    managed = set(
        Nominal.objects.filter(person_id__in=person_ids, status=Nominal.Status.ACTIVE).values_list(
            "person_id", flat=True
        )
    )
    serious: set[int] = set()
    last_event: dict[int, dt.date] = {}
    for row in Conviction.objects.filter(person_id__in=person_ids).values(
        "person_id", "relevant_date", "soa_schedule_3", "cja_schedule_15", "offence__is_murder"
    ):
        pid = row["person_id"]
        if row["soa_schedule_3"] or row["cja_schedule_15"] or row["offence__is_murder"]:
            serious.add(pid)
        last_event[pid] = max(last_event.get(pid, row["relevant_date"]), row["relevant_date"])
    for pid, day in (
        IncidentPerson.objects.filter(person_id__in=person_ids, role=IncidentRole.PERPETRATOR)
        .values("person_id")
        .annotate(last=Max(TruncDate("incident__occurred_at")))
        .values_list("person_id", "last")
    ):
        last_event[pid] = max(last_event.get(pid, day), day)
    holds = set(LegalHold.objects.filter(person_id__in=person_ids, lifted_on=None).values_list("person_id", flat=True))
    settings_of = _area_settings({})
    out = {}
    for pid, row in people.items():
        schedule = _worked_out(
            row["area_id"],
            row["date_of_birth"],
            row["created_at"],
            pid in managed,
            pid in serious,
            last_event.get(pid),
            pid in holds,
            settings_of,
        )
        if schedule is not None:
            out[pid] = schedule
    return out


def recompute(person_ids: Iterable[int]) -> int:
    """Work out the retention dates of these people again; returns how many rows were written."""
    ids = sorted(set(person_ids))
    written = 0
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        schedules = _schedules(chunk)
        with transaction.atomic():
            changed = []
            for pk, *current in Person.objects.filter(pk__in=chunk).values_list("pk", *FIELDS):
                s = schedules.get(pk)
                values = (s.group, s.next_review_on, s.earliest_disposal_on) if s else (None, None, None)
                if tuple(current) != values:
                    changed.append(Person(pk=pk, **dict(zip(FIELDS, values, strict=True))))
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
