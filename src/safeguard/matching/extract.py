"""An area's person records as the matching model reads them: names, birth and previous family names,
date of birth, current postcode, gender and identifiers. Read by the system for the system's matching run
(no one's screen shows this extract); records merged into another are left out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safeguard.people.models import Address, Alias, Person

from .comparisons import IDENTIFIERS

PERSON_FIELDS = ("id", "given_name", "family_name", "date_of_birth", "gender", *IDENTIFIERS)


def people_of_area(area_id: int) -> Iterator[dict[str, Any]]:
    other_names: dict[int, list[str]] = {}
    for person_id, family in (
        Alias.objects.filter(person__area_id=area_id).values_list("person_id", "family_name").iterator(10_000)
    ):
        other_names.setdefault(person_id, []).append(family)
    postcodes: dict[int, str] = {}
    current = (
        Address.objects.filter(person__area_id=area_id, to_date__isnull=True)
        .exclude(postcode="")
        .order_by("person_id", "from_date")
        .values_list("person_id", "postcode")
    )
    for person_id, postcode in current.iterator(10_000):
        postcodes[person_id] = postcode  # the latest move-in wins
    for row in Person.objects.filter(area_id=area_id).values_list(*PERSON_FIELDS).iterator(10_000):
        record = dict(zip(PERSON_FIELDS, row, strict=True))
        person_id = record.pop("id")
        record["person_id"] = person_id
        record["other_family_names"] = other_names.get(person_id, [])
        record["postcode"] = postcodes.get(person_id)
        yield record
