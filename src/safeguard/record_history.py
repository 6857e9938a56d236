"""A record's changes read from its django-simple-history versions: who changed which field from what to what,
when and why. Shared by the nominal page (and its API) and the action page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model

from safeguard.web.dates import long_date, long_datetime


@dataclass(frozen=True)
class FieldChange:
    """One field's change; ``old`` is None for the record's first version (the values it was opened with)."""

    field: str
    label: str
    old: str | None
    new: str


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    why: str
    kind: str
    fields: list[FieldChange]


def display(model: type[Model], record, field_name: str) -> str:
    """A field's value as a page shows it: a choice's label, a related record's name, a date in words ("6 December
    2026"), "none" when empty."""
    field = model._meta.get_field(field_name)
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "none"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = getattr(record, field_name, None)
        return str(related) if related is not None else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return long_datetime(value)
    if isinstance(value, date):
        return long_date(value)
    return str(value)


def _label(model: type[Model], labels: Mapping[str, str], name: str) -> str:
    return labels.get(name) or str(model._meta.get_field(name).verbose_name).capitalize()


def _first_values(model: type[Model], first, hidden, labels: Mapping[str, str]) -> list[FieldChange]:
    """The values a record began with: each field the history keeps that has one (not its id or hidden fields)."""
    kept = {f.name for f in first._meta.fields}
    return [
        FieldChange(field.name, _label(model, labels, field.name), None, display(model, first.instance, field.name))
        for field in model._meta.concrete_fields
        if field.name in kept
        and not field.primary_key
        and field.name not in hidden
        and display(model, first.instance, field.name) != "none"
    ]


def record_changes(
    record: Model,
    *,
    hidden: frozenset[str] | set[str],
    first_kind: str,
    labels: Mapping[str, str] | None = None,
    limit: int | None = None,
) -> list[Change]:
    """Newest first. The first version is shown as ``first_kind`` ("Opened", "Set") with the values it began
    with; later ones as "Changed", each field from what to what."""
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
            changes.append(
                Change(newer.history_date, who, why, first_kind, _first_values(model, newer, hidden, labels))
            )
            continue
        fields = [
            FieldChange(
                c.field,
                _label(model, labels, c.field),
                display(model, older.instance, c.field),
                display(model, newer.instance, c.field),
            )
            for c in newer.diff_against(older).changes
            if c.field not in hidden
        ]
        if fields:
            changes.append(Change(newer.history_date, who, why, "Changed", fields))
    return changes[:limit] if limit else changes
