"""The access log of a nominal in words: who (by name and agency), what they did, for what purpose.

The audit store keeps codes (``offender_management``, ``view``) and the username as it was at the time; the page
shows the purpose's label, the operation as a sentence and the member of staff's name (the username where the
account no longer exists)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from safeguard.access.purposes import Purpose
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.workforce.models import Staff

DONE = {
    Operation.VIEW: "Looked at the record",
    Operation.SEARCH: "Found it in a search",
    Operation.CREATE: "Created it",
    Operation.CHANGE: "Changed it",
    Operation.EXPORT: "Exported it",
    Operation.DISCLOSE: "Shared it outside Safeguard",
    Operation.SIGN_IN: "Signed in",
}
TRIED = {
    Operation.VIEW: "Tried to look at the record",
    Operation.SEARCH: "Searched, and it was withheld",
    Operation.CREATE: "Tried to create it",
    Operation.CHANGE: "Tried to change it",
    Operation.EXPORT: "Tried to export it",
    Operation.DISCLOSE: "Tried to share it",
    Operation.SIGN_IN: "Tried to sign in",
}


@dataclass(frozen=True)
class AccessRow:
    at: dt.datetime
    who: str
    what: str
    purpose: str
    refused: bool


def access_rows(events: Iterable[AuditEvent]) -> list[AccessRow]:
    events = list(events)
    staff = {
        s.pk: s
        for s in Staff.objects.filter(pk__in={e.actor_id for e in events if e.actor_id}).select_related("agency")
    }
    return [_row(event, staff.get(event.actor_id)) for event in events]


def _row(event: AuditEvent, person: Staff | None) -> AccessRow:
    refused = event.outcome == Outcome.REFUSED
    words = TRIED if refused else DONE
    what = words.get(event.operation, event.get_operation_display())
    page = (event.detail or {}).get("page") if isinstance(event.detail, dict) else None
    if page:
        what = f"{what} (the {page} page)"
    if person is not None:
        who = person.get_full_name() or person.username
        who = f"{who}, {person.agency}" if person.agency_id else who
    else:
        who = event.actor_username or "Safeguard"
    purpose = Purpose(event.purpose).label if event.purpose in Purpose.values else event.purpose.replace("_", " ")
    return AccessRow(event.at, who, what, purpose, refused)
