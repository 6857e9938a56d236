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

__all__ = ["VERSION_CONFLICT", "VersionConflict", "save_record"]


def save_record(
    ctx: gate.AccessContext,
    record: Any,
    *,
    reason: str = "",
    expected_version: int | None = None,
    detail: dict[str, Any] | None = None,
    exclude: list[str] | None = None,
    on: Callable[[Any], Any] | None = None,
) -> Any:
    """Create or change one record through the gate, with validation and audit. A change is decided on
    ``on(record)`` where the rule is another record's (``gate.changing``)."""
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
