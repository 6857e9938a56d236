"""An action's changes read from its django-simple-history records (the shape offenders.history shows)."""

from __future__ import annotations

from safeguard.offenders.history import Change, FieldChange

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


def _display(record, field_name: str) -> str:
    field = Action._meta.get_field(field_name)
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "none"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = getattr(record, field_name, None)
        return str(related) if related is not None else "none"
    return str(value)


def action_changes(action: Action, limit: int | None = None) -> list[Change]:
    """Newest first: who changed which field from what to what, when and why."""
    records = list(action.history.select_related("history_user").order_by("-history_date", "-history_id"))
    changes = []
    for index, newer in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        who = str(newer.history_user) if newer.history_user else "System"
        if older is None:
            changes.append(Change(newer.history_date, who, newer.history_change_reason or "", "Set", []))
            continue
        delta = newer.diff_against(older)
        fields = [
            FieldChange(
                c.field,
                LABELS.get(c.field) or str(Action._meta.get_field(c.field).verbose_name).capitalize(),
                _display(older.instance, c.field),
                _display(newer.instance, c.field),
            )
            for c in delta.changes
            if c.field not in HIDDEN_FIELDS
        ]
        if fields:
            changes.append(Change(newer.history_date, who, newer.history_change_reason or "", "Changed", fields))
    return changes[:limit] if limit else changes
