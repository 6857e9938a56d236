"""A referral's or a checklist item's changes from its django-simple-history versions (the nominal page's shape)."""

from __future__ import annotations

from safeguard.record_history import Change, record_changes

HIDDEN_FIELDS = {"version", "referred_by", "nominal", "plan"}
LABELS = {
    "status": "Status",
    "next_step_due_on": "Next step due",
    "sessions_attended": "Sessions attended",
    "reason": "Reason",
    "started_on": "Started",
    "ended_on": "Ended",
    "owner_agency": "Owner agency",
    "due_on": "Due",
    "detail": "What is arranged",
}


def changes_of(record, limit: int | None = None) -> list[Change]:
    """Newest first: who changed which field from what to what, when and why."""
    return record_changes(record, hidden=HIDDEN_FIELDS, first_kind="Made", labels=LABELS, limit=limit)
