"""The error a change raises when someone else changed the record first (a 409, or the conflict page)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

VERSION_CONFLICT = (
    "Someone else changed this record while you were editing it. "
    "Reload the page to see their change, then make yours again."
)


class VersionConflict(ValidationError):
    def __init__(self) -> None:
        super().__init__({"__all__": VERSION_CONFLICT})
