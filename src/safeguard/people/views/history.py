"""A person's history: their own changes and those of their names, addresses, markers and relationships.

Read from django-simple-history: each record is compared with the one before it
(diff_against), so a change shows which field went from what to what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model, Q

from safeguard.access import gate
from safeguard.web.dates import long_date

from ..models import Address, Alias, Person, Relationship, WarningMarker
from .relations import WITHHELD

HIDDEN_FIELDS = {"id", "version", "updated_at", "created_at", "person", "other", "area"}
PARTS = ((Alias, "Name"), (Address, "Address"), (WarningMarker, "Warning marker"))
VERBS = {"+": "added", "~": "changed", "-": "removed"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str | None
    new: str


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    why: str
    what: str
    fields: list[FieldChange]


def _display(model: type[Model], historical, name: str) -> str:
    field = model._meta.get_field(name)
    record = historical.instance
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "none"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = getattr(record, name, None)
        return str(related) if related is not None else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "strftime"):
        return long_date(value)
    return str(value)


def _label(model: type[Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _changes_of(model: type[Model], records, noun) -> list[Change]:
    """Each history record against the previous one of the same row. `noun` may be a callable of the record."""
    changes, previous = [], {}
    for newer in sorted(records, key=lambda h: (h.history_date, h.history_id)):
        older = previous.get(newer.id)
        previous[newer.id] = newer
        who = str(newer.history_user) if newer.history_user else "System"
        why = newer.history_change_reason or ""
        what = f"{noun(newer) if callable(noun) else noun} {VERBS.get(newer.history_type, 'changed')}"
        if older is None or newer.history_type != "~":
            shown = [f.name for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]
            fields = [
                FieldChange(_label(model, n), None, _display(model, newer, n))
                for n in shown
                if _display(model, newer, n) not in ("none", "no")
            ]
            changes.append(Change(newer.history_date, who, why, what, fields))
            continue
        delta = newer.diff_against(older)
        fields = [
            FieldChange(_label(model, c.field), _display(model, older, c.field), _display(model, newer, c.field))
            for c in delta.changes
            if c.field not in HIDDEN_FIELDS
        ]
        if fields:
            changes.append(Change(newer.history_date, who, why, what, fields))
    return changes


def person_changes(user, person: Person) -> list[Change]:
    """Newest first. The other party of a relationship is named only if the user may see them."""
    changes = _changes_of(Person, person.history.select_related("history_user"), "Record")
    changes = [Change(c.when, c.who, c.why, c.what.replace(" added", " created"), c.fields) for c in changes]
    for model, noun in PARTS:
        records = model.history.filter(person_id=person.pk).select_related("history_user")
        changes += _changes_of(model, records, noun)
    relationships = list(
        Relationship.history.filter(Q(person_id=person.pk) | Q(other_id=person.pk)).select_related("history_user")
    )
    others = {r.other_id if r.person_id == person.pk else r.person_id for r in relationships}
    names = {p.pk: p.full_name for p in gate.scoped(user, Person.objects.filter(pk__in=others))}

    def noun(record) -> str:
        other_id = record.other_id if record.person_id == person.pk else record.person_id
        return f"Relationship with {names.get(other_id, WITHHELD)}"

    changes += _changes_of(Relationship, relationships, noun)
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes
