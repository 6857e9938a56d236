"""Demo records for the oversight figures: the area's oversight settings and, over the last two years to
31 March, orders (SHPO, SRO, notification orders) with breaches, and outcomes (returns to custody, serious
further offences, breaches of notification, lifetime notification revoked) on a few nominals, so that the
MAPPA annual tables of the tour have something in every row. Fictional, written directly (no history, as
the rest of the generated world)."""

from __future__ import annotations

import datetime as dt
import random

from safeguard.offenders.models import Nominal
from safeguard.orders.models import Order, OrderBreach, Outcome
from safeguard.oversight.models import OversightSettings

# A fictional population (aged 10 and over) for registered sex offenders per 100,000.
DEMO_POPULATION = 2_400_000


def _day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def build(org, rng: random.Random, system_user, today: dt.date) -> int:
    OversightSettings.objects.create(
        area=org.mappa, population=DEMO_POPULATION, population_source="Fictional: the demo's own figure"
    )
    last_end = dt.date(today.year if today > dt.date(today.year, 3, 31) else today.year - 1, 3, 31)
    start = dt.date(last_end.year - 2, 4, 1)
    nominals = list(
        Nominal.objects.filter(local_area__parent=org.mappa, status=Nominal.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "mappa_category", "management_level")
    )
    if not nominals:
        return 0
    rsos = [n for n in nominals if n[1] == "1"] or nominals
    high = [n for n in nominals if n[2] >= 2] or nominals
    written = 0
    orders = []
    for kind, share in (("shpo", 0.06), ("sro", 0.01), ("notification_order", 0.01)):
        for pk, _, _ in rng.sample(rsos, max(3, int(len(rsos) * share))):
            orders.append(
                Order.objects.create(
                    nominal_id=pk,
                    kind=kind,
                    made_on=_day_in(rng, start, last_end),
                    conditions="" if kind == "notification_order" else "Not to have unsupervised contact with children",
                    foreign_travel_restriction=kind == "shpo" and rng.random() < 0.2,
                    recorded_by=system_user,
                )
            )
    written += len(orders)
    for order in rng.sample(orders, max(2, len(orders) // 8)):
        convicted = rng.random() < 0.6
        OrderBreach.objects.create(
            order=order,
            occurred_on=_day_in(rng, order.made_on, max(order.made_on, last_end)),
            disposal="convicted" if convicted else "cautioned",
            made_subject_to_notification=order.kind == "sro" and convicted,
            recorded_by=system_user,
        )
        written += 1
    plan = [
        ("custody", "licence", high, 12),
        ("custody", "offence", high, 4),
        ("sfo", "", nominals, 3),
        ("notification_breach", "", rsos, 9),
        ("lifetime_revoked", "", rsos, 6),
    ]
    for kind, reason, pool, count in plan:
        for pk, category, level in rng.sample(pool, min(count, len(pool))):
            Outcome.objects.create(
                nominal_id=pk,
                kind=kind,
                custody_reason=reason,
                disposal=("convicted" if rng.random() < 0.5 else "cautioned") if kind == "notification_breach" else "",
                occurred_on=_day_in(rng, start, last_end),
                level_then=level,
                category_then=category,
                recorded_by=system_user,
            )
            written += 1
    return written
