"""Who may see and record a person's protected characteristics (access.registry): part of the person's record,
read as the person is read, recorded by those who may change the person."""

from __future__ import annotations

from safeguard.access.registry import PartOf, register
from safeguard.people.models import Person

from .models import ProtectedCharacteristics

register({ProtectedCharacteristics: PartOf(Person, "person")})
