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
    settings_by_area: dict = defaultdict(lambda: None)
    out = {}
    for pid, row in people.items():
        if pid not in managed and pid not in last_event:
            continue
        area = row["area_id"]
        if settings_by_area[area] is None:
            settings_by_area[area] = AreaSettings.for_area(area).retention_settings()
        group = retention.retention_group(
            mappa_managed=pid in managed, public_protection=pid in managed, sexual_violent_or_serious=pid in serious
        )
        created = timezone.localtime(row["created_at"]).date()
        out[pid] = retention.retention_schedule(
            group.group,
            record_created_on=created,
            last_qualifying_event_on=last_event.get(pid, created),
            date_of_birth=row["date_of_birth"],
            legal_hold=pid in holds,
            settings=settings_by_area[area],
        )
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
