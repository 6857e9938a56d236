"""Fictional people as rows: names, dates of birth, identifiers, addresses, aliases.

Names are drawn from Faker's en_GB name lists with the generator's own
random.Random (one Faker call per name would be too slow at national size,
and drawing from the lists keeps the world reproducible for a seed).
Identifiers are well-formed (they pass safeguard.rules.identifiers) and unique
because each is built from the person's serial number in the world.
Addresses are on streets no map has ("Fictional Lane") with postcodes in the
outward codes ZZ1 to ZZ9, which are well-formed but belong to no real area.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from django.utils import timezone
from faker.providers.person.en_GB import Provider as NameProvider

from safeguard.people.models import Address, Alias, Ethnicity, Gender, NameKey, Person, WarningMarker
from safeguard.rules import identifiers, names

from .signins import TOUR_AVOIDED_FAMILY_NAMES, TOUR_FAMILY_NAME

STREETS = (
    "Fictional Lane",
    "Imaginary Road",
    "Pretend Street",
    "Makebelieve Avenue",
    "Notreal Close",
    "Invented Way",
    "Storybook Crescent",
    "Fable Terrace",
    "Madeup Grove",
    "Daydream Row",
)
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
PNC_SERIAL_BASE = 8_000_000  # serials are the world's person number plus this
CRO_SERIAL_BASE = 100_000
CRO_SERIALS = 900_000
ETHNICITY_WEIGHTS = {
    Ethnicity.W1: 74,
    Ethnicity.W2: 1,
    Ethnicity.W9: 6,
    Ethnicity.A1: 3,
    Ethnicity.A2: 3,
    Ethnicity.A9: 1,
    Ethnicity.B1: 2,
    Ethnicity.B2: 3,
    Ethnicity.M1: 2,
    Ethnicity.M9: 1,
    Ethnicity.O9: 1,
    Ethnicity.NS: 3,
}

PERSON_FIELDS = (
    "id",
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "pnc_id",
    "cro_number",
    "nomis_number",
    "crn",
    "visor_ref",
    "area",
    "version",
    "created_at",
    "updated_at",
)
ALIAS_FIELDS = ("person", "kind", "given_name", "family_name", "date_of_birth")
ADDRESS_FIELDS = ("person", "kind", "line_1", "line_2", "town", "postcode", "from_date", "to_date")
MARKER_FIELDS = ("person", "code", "note", "from_date")
NAMEKEY_FIELDS = ("person", "key", "part")


class NamePool:
    """Weighted en_GB names, less the tour nominal's family names."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.male = list(NameProvider.first_names_male)
        self.female = list(NameProvider.first_names_female)
        family = [(n, w) for n, w in NameProvider.last_names.items() if n not in TOUR_AVOIDED_FAMILY_NAMES]
        self.family = [n for n, _ in family]
        self.family_cum = list(itertools.accumulate(w for _, w in family))

    def given(self, gender: str) -> str:
        return self.rng.choice(self.female if gender == Gender.FEMALE else self.male)

    def family_name(self) -> str:
        return self.rng.choices(self.family, cum_weights=self.family_cum)[0]


def nomis_number(serial: int) -> str:
    """Letter, four digits, two letters: unique for serials below 17 million."""
    pair, digits = divmod(serial, 10_000)
    first, pair = divmod(pair, 676)
    return f"{'ABCDEFGHJKLMNPQRSTUVWXYZ'[first % 24]}{digits:04d}{chr(65 + pair // 26)}{chr(65 + pair % 26)}"


def crn(serial: int) -> str:
    block, number = divmod(serial, 1_000_000)
    return f"{'XYZW'[block % 4]}{number:06d}"


@dataclass
class PeopleRows:
    """Rows for the people tables, with ids allocated from the first free id."""

    rng: random.Random
    area_id: int
    first_id: int
    today: dt.date
    names: NamePool = field(init=False)
    persons: list[tuple] = field(default_factory=list)
    aliases: list[tuple] = field(default_factory=list)
    addresses: list[tuple] = field(default_factory=list)
    markers: list[tuple] = field(default_factory=list)
    _key_cache: dict[str, frozenset] = field(default_factory=dict)
    _alias_index: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names = NamePool(self.rng)
        self.now = timezone.now()

    @property
    def count(self) -> int:
        return len(self.persons)

    def serial_of(self, person_id: int) -> int:
        return person_id - self.first_id

    def date_of_birth(self, min_age: int, max_age: int) -> dt.date:
        days = self.rng.randint(min_age * 365 + 10, max_age * 365 + 300)
        return self.today - dt.timedelta(days=days)

    def add(
        self,
        gender: str,
        dob: dt.date,
        *,
        given: str | None = None,
        family: str | None = None,
        ids: dict | None = None,
    ) -> int:
        person_id = self.first_id + len(self.persons)
        ids = ids or {}
        rng = self.rng
        given = given or self.names.given(gender)
        family = family or self.names.family_name()
        middle = self.names.given(gender) if rng.random() < 0.3 and family != TOUR_FAMILY_NAME else ""
        ethnicity = rng.choices(list(ETHNICITY_WEIGHTS), weights=list(ETHNICITY_WEIGHTS.values()))[0]
        self.persons.append(
            (
                person_id,
                given,
                middle,
                family,
                dob,
                gender,
                ethnicity,
                ids.get("pnc_id"),
                ids.get("cro_number"),
                ids.get("nomis_number"),
                ids.get("crn"),
                ids.get("visor_ref"),
                self.area_id,
                1,
                self.now,
                self.now,
            )
        )
        return person_id

    def identifiers(self, person_id: int, *, pnc: bool, cro: bool, nomis: bool, probation: bool, visor: bool) -> dict:
        """Well-formed, unique identifiers from the person's serial in the world."""
        serial = self.serial_of(person_id)
        year = self.rng.randint(1990, 2024)
        out = {}
        if pnc:
            out["pnc_id"] = identifiers.make_pnc_id(year, PNC_SERIAL_BASE + serial)
        if cro and serial < CRO_SERIALS:
            out["cro_number"] = identifiers.make_cro_number(CRO_SERIAL_BASE + serial, year)
        if nomis:
            out["nomis_number"] = nomis_number(serial)
        if probation:
            out["crn"] = crn(serial)
        if visor:
            out["visor_ref"] = f"VR/{serial + 1:07d}"
        return out

    def add_alias(self, person_id: int, gender: str, kind: str, dob: dt.date | None = None) -> None:
        given = self.names.given(gender) if kind == Alias.Kind.ALIAS else ""
        if kind == Alias.Kind.NICKNAME:
            given = self.names.given(gender)
        family = self.names.family_name()
        self.aliases.append((person_id, kind, given, family, dob))
        self._alias_index.setdefault(person_id, []).append((given, family))

    def add_address(self, person_id: int, town: str, kind: str = Address.Kind.HOME, since_days: int = 900) -> None:
        rng = self.rng
        from_date = self.today - dt.timedelta(days=rng.randint(1, since_days))
        if kind == Address.Kind.NO_FIXED_ABODE:
            self.addresses.append((person_id, kind, "", "", "", "", from_date, None))
            return
        line_1 = f"{rng.randint(1, 240)} {rng.choice(STREETS)}"
        outward = f"ZZ{rng.randint(1, 9)}"
        inward = f"{rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
        self.addresses.append((person_id, kind, line_1, "", town, f"{outward} {inward}", from_date, None))

    def add_marker(self, person_id: int, code: str, from_date: dt.date) -> None:
        self.markers.append((person_id, code, "", from_date))

    # Search keys ------------------------------------------------------------------

    def _keys(self, name: str) -> frozenset:
        keys = self._key_cache.get(name)
        if keys is None:
            keys = self._key_cache[name] = frozenset(names.name_keys(name))
        return keys

    def name_key_rows(self):
        """The NameKey rows people.search.keys_for would build, for every person and alias."""
        for row in self.persons:
            person_id, given, family = row[0], row[1], row[3]
            family_keys = set(self._keys(family))
            given_keys = set(self._keys(given))
            for alias_given, alias_family in self._alias_index.get(person_id, ()):
                family_keys |= self._keys(alias_family)
                if alias_given:
                    given_keys |= self._keys(alias_given)
            for key in sorted(family_keys):
                yield (person_id, key, "f")
            for key in sorted(given_keys):
                yield (person_id, key, "g")

    def tables(self):
        """(model, fields, rows) in the order they must be written."""
        return (
            (Person, PERSON_FIELDS, self.persons),
            (Alias, ALIAS_FIELDS, self.aliases),
            (Address, ADDRESS_FIELDS, self.addresses),
            (WarningMarker, MARKER_FIELDS, self.markers),
            (NameKey, NAMEKEY_FIELDS, self.name_key_rows()),
        )
