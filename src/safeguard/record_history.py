"""A record's changes read from its django-simple-history versions: who changed which field from what to what,
when and why. Shared by the nominal page (and its API) and the action page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model, QuerySet
from simple_history.utils import get_app_model_primary_key_name

from safeguard.prepared import PreparedQuery
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


def _first_values(model: type[Model], first: Model, hidden, labels: Mapping[str, str]) -> list[FieldChange]:
    """The values a record began with: each field the history keeps that has one (not its id or hidden fields).
    ``first`` is that version as a record (``_as_record``)."""
    kept = {f.name for f in first._history._meta.fields}  # type: ignore[attr-defined]
    shown = []
    for field in model._meta.concrete_fields:
        if field.name in kept and not field.primary_key and field.name not in hidden:
            value = display(model, first, field.name)
            if value != "none":
                shown.append(FieldChange(field.name, _label(model, labels, field.name), None, value))
    return shown


def _as_record(model: type[Model], version, record: Model) -> Model:
    """One version as a record of ``model``: the fields the history keeps, as simple-history's ``instance`` makes
    it, without the query ``instance`` sends each time for the fields the history does not keep (a nominal's
    computed due dates), which no change list shows (``diff_against`` and the first values read kept fields
    only). A related record the version names that the live ``record`` has loaded (the nominal page's person,
    offender manager, lead agency, local area) is that same row, not read again."""
    kept = {f.attname for f in version._meta.fields}
    made = model(**{f.attname: getattr(version, f.attname) for f in model._meta.concrete_fields if f.attname in kept})
    made._history = version  # type: ignore[attr-defined]
    for field in model._meta.concrete_fields:
        same_row = field.attname in kept and getattr(made, field.attname) == getattr(record, field.attname)
        if field.is_relation and same_row and field.is_cached(record):
            field.set_cached_value(made, field.get_cached_value(record))
    return made


_HISTORIES: dict[tuple[type[Model], str, int | None], PreparedQuery] = {}


def _versions(record: Model, limit: int | None) -> QuerySet:
    """The record's versions, newest first, with who made each; ``limit`` of them when given. Its SQL is written
    once a model and limit a process (safeguard.prepared): the nominal page asks for it on every view."""
    model, key_name = type(record), get_app_model_primary_key_name(record)
    query = _HISTORIES.get((model, key_name, limit))
    if query is None:

        def build(pk) -> QuerySet:
            versions = (
                model.history.filter(**{key_name: pk})  # type: ignore[attr-defined]
                .select_related("history_user")
                .order_by("-history_date", "-history_id")
            )
            return versions[:limit] if limit else versions

        query = _HISTORIES[(model, key_name, limit)] = PreparedQuery(
            f"{model._meta.label}.history",
            model.history.model,
            build,  # type: ignore[attr-defined]
        )
    return query(pk=record.pk)


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
    # One more version than asked for: the oldest shown needs its predecessor to diff against.
    records = list(_versions(record, limit + 1 if limit else None))
    has_more = bool(limit) and len(records) > limit
    as_records = [_as_record(model, version, record) for version in records]
    changes = []
    for index, newer in enumerate(records[:limit] if has_more else records):
        older = records[index + 1] if index + 1 < len(records) else None
        who = str(newer.history_user) if newer.history_user else "System"
        why = newer.history_change_reason or ""
        if older is None:
            changes.append(
                Change(
                    newer.history_date, who, why, first_kind, _first_values(model, as_records[index], hidden, labels)
                )
            )
            continue
        fields = [
            FieldChange(
                c.field,
                _label(model, labels, c.field),
                display(model, as_records[index + 1], c.field),
                display(model, as_records[index], c.field),
            )
            for c in newer.diff_against(older).changes
            if c.field not in hidden
        ]
        if fields:
            changes.append(Change(newer.history_date, who, why, "Changed", fields))
    return changes[:limit] if limit else changes
