"""Whether a recorded notification was made in time, by the rule it follows (SOA 2003 ss.84, 86; SI 2012/1876)."""

from __future__ import annotations

from dataclasses import dataclass

from safeguard.rules import notification
from safeguard.rules.working import RuleInputError, Step

from .models import Notification

CHANGE_KINDS = {
    Notification.Change.NAME: "name",
    Notification.Change.HOME_ADDRESS: "home_address",
    Notification.Change.STAY: "stay",
    Notification.Change.RELEASE: "release",
    Notification.Change.BANK_ACCOUNT: "bank_or_card_account",
    Notification.Change.IDENTITY_DOCUMENT: "identity_document",
    Notification.Change.CHILD_IN_HOUSEHOLD: "child_in_household",
}


@dataclass(frozen=True)
class Timeliness:
    due: object  # date or None
    on_time: bool | None  # None: no deadline rule applies to this notification
    working: tuple[Step, ...] = ()


def timeliness(n: Notification, settings: notification.NotificationSettings | None = None) -> Timeliness:
    try:
        if n.kind == Notification.Kind.CHANGE and n.event_on and n.change in CHANGE_KINDS:
            deadline = notification.change_notification_due(n.event_on, CHANGE_KINDS[n.change])
            return Timeliness(deadline.due, n.notified_on <= deadline.due, deadline.working)
        if n.kind == Notification.Kind.TRAVEL and n.departure_on:
            travel = notification.foreign_travel_deadlines(
                n.departure_on, settings or notification.NotificationSettings(), returned_on=n.return_on
            )
            return Timeliness(travel.notify_by, n.notified_on <= travel.notify_by, travel.working)
    except RuleInputError:
        pass
    return Timeliness(None, None)
