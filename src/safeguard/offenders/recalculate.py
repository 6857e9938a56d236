"""After an event that moves a date: work out the person's nominals' due dates and retention again."""

from __future__ import annotations

from safeguard.people import retention

from . import due_dates


def person_changed(person_id: int) -> None:
    """Call in the transaction that recorded the event (a conviction, notification, address, level...)."""
    due_dates.recompute_for_person(person_id)
    retention.recompute([person_id])
