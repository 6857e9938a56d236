"""A nominal's changes read from its django-simple-history records."""

from __future__ import annotations

from safeguard.record_history import Change, FieldChange, record_changes

from .models import Nominal

__all__ = ["Change", "FieldChange", "nominal_changes"]

HIDDEN_FIELDS = {"version"}


def nominal_changes(nominal: Nominal, limit: int | None = None) -> list[Change]:
    """Newest first: who changed which field from what to what, when and why."""
    return record_changes(nominal, hidden=HIDDEN_FIELDS, first_kind="Opened", limit=limit)
