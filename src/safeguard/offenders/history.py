"""A nominal's changes read from its django-simple-history records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import Nominal

HIDDEN_FIELDS = {"version"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    why: str
    kind: str
    fields: list[FieldChange]


def _display(record, field_name: str) -> str:
    field = Nominal._meta.get_field(field_name)
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "none"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = getattr(record, field_name, None)
        return str(related) if related is not None else "none"
    return str(value)


def nominal_changes(nominal: Nominal, limit: int | None = None) -> list[Change]:
    """Newest first: who changed which field from what to what, when and why."""
    history = nominal.history.select_related("history_user").order_by("-history_date", "-history_id")
    # One more record than asked for: the oldest shown needs its predecessor to diff against.
    records = list(history[: limit + 1] if limit else history)
    changes = []
    has_more = bool(limit) and len(records) > limit
    for index, newer in enumerate(records[:limit] if has_more else records):
        older = records[index + 1] if index + 1 < len(records) else None
        who = str(newer.history_user) if newer.history_user else "System"
        if older is None:
            changes.append(Change(newer.history_date, who, newer.history_change_reason or "", "Opened", []))
            continue
        delta = newer.diff_against(older)
        fields = [
            FieldChange(
                c.field,
                str(Nominal._meta.get_field(c.field).verbose_name).capitalize(),
                _display(older.instance, c.field),
                _display(newer.instance, c.field),
            )
            for c in delta.changes
            if c.field not in HIDDEN_FIELDS
        ]
        if fields:
            changes.append(Change(newer.history_date, who, newer.history_change_reason or "", "Changed", fields))
    return changes[:limit] if limit else changes
