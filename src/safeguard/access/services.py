"""The shared shape of a use case that saves one personal record.

Validate everything first (nothing half-saved), pass the gate, save, audit,
all in one transaction. A stale version is refused rather than overwritten
(Primero's lost-update defect).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from safeguard.audit.models import Operation

from . import gate

VERSION_CONFLICT = (
    "Someone else changed this record while you were editing it. "
    "Reload the page to see their change, then make yours again."
)


class VersionConflict(ValidationError):
    def __init__(self):
        super().__init__({"__all__": VERSION_CONFLICT})


def save_record(
    ctx: gate.AccessContext,
    record: Model,
    *,
    reason: str = "",
    expected_version: int | None = None,
    detail: dict | None = None,
    exclude: list[str] | None = None,
) -> Model:
    """Create or change one record through the gate, with validation and audit."""
    creating = record.pk is None
    operation = Operation.CREATE if creating else Operation.CHANGE
    record.full_clean(exclude=exclude)
    with transaction.atomic():
        if creating:
            decision = gate.check(ctx, operation, record)
        else:
            current = type(record).objects.select_for_update().get(pk=record.pk)
            decision = gate.check(ctx, operation, current)
            if hasattr(record, "version"):
                if expected_version is not None and current.version != expected_version:
                    raise VersionConflict()
                # The row is locked (select_for_update), so this cannot race.
                record.version = current.version + 1
        if reason:
            record._change_reason = reason
        record.save()
        gate.audit_allowed(ctx, operation, record, decision.reason, detail)
    return record
