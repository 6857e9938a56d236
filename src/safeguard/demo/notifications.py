"""Notification histories for the registered sex offenders of a generated world.

Most made their last periodic notification within the year; a few are late,
so "my work" shows overdue notifications as it would in a real area.
"""

from __future__ import annotations

import datetime as dt
import random

from safeguard.events.models import Notification
from safeguard.offenders.models import Location, Nominal

LATE_SHARE = 0.04  # share of registered sex offenders whose last notification is over a year old
POLICE_STATION = "Fictional Town Police Station"


def build(rng: random.Random, recorded_by_id: int, today: dt.date) -> int:
    rows = []
    registered = Nominal.objects.filter(registered_sex_offender=True, status=Nominal.Status.ACTIVE).exclude(
        location__in=[Location.CUSTODY, Location.HOSPITAL]
    )
    for person_id in registered.values_list("person_id", flat=True).order_by("person_id").iterator(chunk_size=5_000):
        days_ago = rng.randint(366, 420) if rng.random() < LATE_SHARE else rng.randint(0, 360)
        rows.append(
            Notification(
                person_id=person_id,
                kind=Notification.Kind.PERIODIC,
                notified_on=today - dt.timedelta(days=days_ago),
                police_station=POLICE_STATION,
                recorded_by_id=recorded_by_id,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)
