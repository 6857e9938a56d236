"""The shared shape of a use case that saves one personal record.

Validate everything first (nothing half-saved), pass the gate, save, audit,
all in one transaction. A stale version is refused rather than overwritten
(Primero's lost-update defect).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from safeguard.audit.models import Operation

from . import gate
from .errors import VERSION_CONFLICT, VersionConflict

__all__ = ["VERSION_CONFLICT", "VersionConflict", "save_record", "unchanged_checked"]


def unchanged_checked(before: Any, record: Any) -> list[str]:
    """The fields of ``record`` whose validation asks the database and whose value is ``before``'s (the row as
    stored): a foreign key (``ForeignKey.validate`` reads the row it points at) or a unique field
    (``validate_unique`` looks for another row holding it). The stored row already satisfies both, and the
    database's own foreign key and unique constraints keep it so, so a save that leaves them as they were need
    not ask again; a value the user changed is still checked. Only keys without ``limit_choices_to``: a
    limit is a rule that may have changed since the row was stored, and is checked again whatever the value."""
    fields = []
    for field in type(record)._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation and field.remote_field.limit_choices_to:
            continue
        if not (field.is_relation or field.unique):
            continue
        if getattr(before, field.attname) == getattr(record, field.attname):
            fields.append(field.name)
    return fields


def save_record(
    ctx: gate.AccessContext,
    record: Any,
    *,
    reason: str = "",
    expected_version: int | None = None,
    detail: dict[str, Any] | None = None,
    exclude: list[str] | None = None,
    on: Callable[[Any], Any] | None = None,
    before: Any = None,
) -> Any:
    """Create or change one record through the gate, with validation and audit. A change is decided on
    ``on(record)`` where the rule is another record's (``gate.changing``). ``before``, the record as stored
    when the caller has read it, spares the queries that would check again the keys and unique values the
    change left as they were (``unchanged_checked``)."""
    if before is not None:
        exclude = [*(exclude or ()), *unchanged_checked(before, record)]
    record.full_clean(exclude=exclude)
    if record.pk is not None:
        with gate.changing(ctx, type(record), record.pk, expected_version, detail=detail, on=on) as change:
            if hasattr(record, "version"):
                record.version = change.record.version  # the locked row's: the save moves it on by one
            change.record = record
            change.save(reason)
        return record
    with transaction.atomic():
        decision = gate.check(ctx, Operation.CREATE, record)
        if reason:
            record._change_reason = reason
        record.save()
        gate.audit_allowed(ctx, Operation.CREATE, record, decision.reason, detail)
    return record
