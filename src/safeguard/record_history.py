"""A record's changes read from its django-simple-history versions: who changed which field from what to what,
when and why. Shared by the nominal page (and its API) and the action page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model


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


def display(model: type[Model], record, field_name: str) -> str:
    """A field's value as a page shows it: a choice's label, a related record's name, "none" when empty."""
    field = model._meta.get_field(field_name)
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "none"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = getattr(record, field_name, None)
        return str(related) if related is not None else "none"
    return str(value)


def record_changes(
    record: Model,
    *,
    hidden: frozenset[str] | set[str],
    first_kind: str,
    labels: Mapping[str, str] | None = None,
    limit: int | None = None,
) -> list[Change]:
    """Newest first. The first version is shown as ``first_kind`` ("Opened", "Set"); later ones as "Changed"."""
    model = type(record)
    labels = labels or {}
    history = record.history.select_related("history_user").order_by("-history_date", "-history_id")
    # One more version than asked for: the oldest shown needs its predecessor to diff against.
    records = list(history[: limit + 1] if limit else history)
    has_more = bool(limit) and len(records) > limit
    changes = []
    for index, newer in enumerate(records[:limit] if has_more else records):
        older = records[index + 1] if index + 1 < len(records) else None
        who = str(newer.history_user) if newer.history_user else "System"
        why = newer.history_change_reason or ""
        if older is None:
            changes.append(Change(newer.history_date, who, why, first_kind, []))
            continue
        fields = [
            FieldChange(
                c.field,
                labels.get(c.field) or str(model._meta.get_field(c.field).verbose_name).capitalize(),
                display(model, older.instance, c.field),
                display(model, newer.instance, c.field),
            )
            for c in newer.diff_against(older).changes
            if c.field not in hidden
        ]
        if fields:
            changes.append(Change(newer.history_date, who, why, "Changed", fields))
    return changes[:limit] if limit else changes
