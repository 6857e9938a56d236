"""Notification histories for the registered sex offenders of a generated world.

Most made their last periodic notification within the year; a few are late,
so "my work" shows overdue notifications as it would in a real area (overdue
by days or weeks, as every date of the world is relative to the day it is
generated).
"""

from __future__ import annotations

import datetime as dt
import random

from safeguard.events.models import Notification
from safeguard.offenders.models import Location, Nominal
from safeguard.people.models import Address

LATE_SHARE = 0.04  # share of registered sex offenders whose last notification is over a year old
POLICE_STATION = "Fictional Town Police Station"


def build(rng: random.Random, recorded_by_id: int, today: dt.date) -> int:
    rows = []
    # Not those in prison: their first notification falls due on release (s.83(6)), which is in the future.
    # Those in hospital notified before they were admitted (with no discharge date the rules count the periodic
    # year from it), rather than never, which would leave the initial notification due decades ago.
    registered = Nominal.objects.filter(registered_sex_offender=True, status=Nominal.Status.ACTIVE).exclude(
        location=Location.CUSTODY
    )
    # With no fixed abode the notification is weekly (SI 2012/1876): the last one within the last week or so.
    weekly = set(
        Address.objects.filter(kind=Address.Kind.NO_FIXED_ABODE, person__nominals__in=registered).values_list(
            "person_id", flat=True
        )
    )
    for person_id in registered.values_list("person_id", flat=True).order_by("person_id").iterator(chunk_size=5_000):
        late = rng.random() < LATE_SHARE
        if person_id in weekly:
            days_ago = rng.randint(8, 12) if late else rng.randint(0, 6)
        else:
            days_ago = rng.randint(366, 420) if late else rng.randint(0, 360)
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
