"""An action's changes read from its django-simple-history records (the shape the nominal page shows)."""

from __future__ import annotations

from safeguard.record_history import Change, record_changes

from .models import Action

HIDDEN_FIELDS = {"version", "completed_by"}
# How the action page names the fields (the model's own names are its columns').
LABELS = {
    "due_on": "Due date",
    "owner": "Owner",
    "owner_agency": "Owner agency",
    "status": "Status",
    "completed_on": "Date it was completed",
    "completion_evidence": "Evidence of completion",
    "description": "What is to be done",
}


def action_changes(action: Action, limit: int | None = None) -> list[Change]:
    """Newest first: who changed which field from what to what, when and why."""
    return record_changes(action, hidden=HIDDEN_FIELDS, first_kind="Set", labels=LABELS, limit=limit)
