"""Recording a nominal's orders, their breaches, and its outcomes: one function a use case, through the gate
(``access.services.save_record``: may the user change the nominal, validate, save, audit)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.offenders.models import Nominal

from .models import Order, OrderBreach, Outcome


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the service's time zone: the records "as they stood on" the day are
    those written before it."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def standing_on(nominal: Nominal, day: dt.date) -> tuple[str, int]:
    """The nominal's MAPPA category and management level as its record stood at the end of ``day``.

    From the nominal's history (django-simple-history); a nominal with no history row written by then (one
    loaded in bulk, or recorded later about an earlier day) is taken as it stands now.
    """
    then = (
        nominal.history.filter(history_date__lt=end_of_day(day))
        .order_by("-history_date", "-history_id")
        .values_list("mappa_category", "management_level")
        .first()
    )
    return then or (nominal.mappa_category, nominal.management_level)


def record_order(ctx: AccessContext, order: Order) -> Order:
    order.recorded_by = ctx.user
    return save_record(ctx, order)


def record_breach(ctx: AccessContext, breach: OrderBreach) -> OrderBreach:
    breach.recorded_by = ctx.user
    return save_record(ctx, breach)


def record_outcome(ctx: AccessContext, outcome: Outcome) -> Outcome:
    """The level and category on the day come from the nominal's history, not from the form."""
    outcome.recorded_by = ctx.user
    with transaction.atomic():
        if outcome.occurred_on:
            outcome.category_then, outcome.level_then = standing_on(outcome.nominal, outcome.occurred_on)
        return save_record(ctx, outcome)
