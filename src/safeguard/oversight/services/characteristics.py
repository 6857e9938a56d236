"""Recording a person's protected characteristics through the gate (create, or change with a version check)."""

from __future__ import annotations

from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record

from ..models import ProtectedCharacteristics


def record_characteristics(
    ctx: AccessContext, record: ProtectedCharacteristics, expected_version: int | None = None
) -> ProtectedCharacteristics:
    record.recorded_by = ctx.user
    return save_record(ctx, record, expected_version=expected_version if record.pk else None)
