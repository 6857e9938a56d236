"""A labelled set of fictional person records, with the same person entered more than once.

Each generated person (a "cluster") is recorded by one or more agencies. Every further record of the same
person carries the slips that split records in practice:

- a typing slip in a first or last name (one letter inserted, removed, changed or two swapped), or another
  first name altogether (known by a middle name);
- day and month of birth swapped (only where both could be a month), or the 1 January placeholder for an
  unknown date of birth, keeping the year;
- a married woman recorded under her new family name, her birth name held as a previous name on some
  records only;
- identifiers missing (an agency that does not hold the PNC ID, the CRN, ...), a house move (another
  postcode) or no address at all, gender not recorded.

And the people who must NOT be joined: members of one household (same family name and postcode), twins
(same family name, date of birth and address, different first names) and the many unrelated people who
share a common name.

Rows are plain dicts (no database), so that the benchmark can build a million of them; ``cluster`` is the
label. Names come from Faker's en_GB lists drawn with the generator's own ``random.Random`` (reproducible
for a seed); postcodes use the outward codes ZZ1 to ZZ99, which belong to no real area.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass

from faker.providers.person.en_GB import Provider as NameProvider

IDENTIFIERS = ("pnc_id", "cro_number", "nomis_number", "crn")
HOLDS = {"pnc_id": 0.55, "cro_number": 0.35, "nomis_number": 0.25, "crn": 0.4}
LETTERS = string.ascii_lowercase


@dataclass(frozen=True)
class Rates:
    """How often each kind of duplicate and slip occurs (share of people or of further records)."""

    duplicated: float = 0.25  # people recorded more than once
    third_record: float = 0.3  # of those, recorded a third time
    given_typo: float = 0.2
    other_given_name: float = 0.02  # known by a middle name or another first name
    family_typo: float = 0.2
    dob_swapped: float = 0.08
    dob_placeholder: float = 0.05
    dob_missing: float = 0.03
    married_name: float = 0.25  # of women's further records
    birth_name_kept: float = 0.5  # a married name record that also holds the birth name
    identifier_dropped: float = 0.5  # each identifier, on a further record
    moved: float = 0.3
    no_address: float = 0.1
    gender_missing: float = 0.1
    household: float = 0.08  # people with another member of their household recorded
    twin: float = 0.01


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.male = list(NameProvider.first_names_male)
        self.female = list(NameProvider.first_names_female)
        self.family = list(NameProvider.last_names)
        self.family_cum = list(itertools.accumulate(NameProvider.last_names.values()))

    def given(self, gender: str) -> str:
        return self.rng.choice(self.female if gender == "female" else self.male)

    def family_name(self) -> str:
        return self.rng.choices(self.family, cum_weights=self.family_cum)[0]


def typo(word: str, rng: random.Random) -> str:
    """One slip: a letter inserted, removed or changed, or two neighbours swapped (never the same word)."""
    if len(word) < 3:
        return word + rng.choice(LETTERS)
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        slipped = word[:i] + rng.choice(LETTERS) + word[i:]
    elif kind == 1:
        slipped = word[:i] + word[i + 1 :]
    elif kind == 2:
        slipped = word[:i] + rng.choice(LETTERS.replace(word[i].lower(), "")) + word[i + 1 :]
    else:
        slipped = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return slipped if slipped.lower() != word.lower() else word + rng.choice(LETTERS)


POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _postcode(rng: random.Random) -> str:
    return f"ZZ{rng.randint(1, 99)} {rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"


class LabelledPeople:
    """``records(n)`` yields about n labelled records."""

    def __init__(self, seed: int = 2026, today: dt.date | None = None, rates: Rates | None = None):
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        self.today = today or dt.date(2026, 12, 6)
        self.rates = rates or Rates()
        self._serial = 0
        self._cluster = 0

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def _identifiers(self) -> dict:
        rng, serial = self.rng, self._next_serial()
        out = {}
        if rng.random() < HOLDS["pnc_id"]:
            out["pnc_id"] = f"{rng.randint(1990, 2024)}/{serial:07d}{rng.choice(string.ascii_uppercase)}"
        if rng.random() < HOLDS["cro_number"]:
            out["cro_number"] = f"{serial:06d}/{rng.randint(0, 99):02d}{rng.choice(string.ascii_uppercase)}"
        if rng.random() < HOLDS["nomis_number"]:
            out["nomis_number"] = f"N{serial:07d}"
        if rng.random() < HOLDS["crn"]:
            out["crn"] = f"C{serial:07d}"
        return out

    def _person(self, *, family: str | None = None, dob: dt.date | None = None, postcode: str | None = None) -> dict:
        rng = self.rng
        gender = rng.choice(("male", "female"))
        self._cluster += 1
        return {
            "cluster": self._cluster,
            "given_name": self.names.given(gender),
            "family_name": family or self.names.family_name(),
            "other_family_names": [],
            "date_of_birth": dob or self.today - dt.timedelta(days=rng.randint(16 * 365, 80 * 365)),
            "postcode": postcode or _postcode(rng),
            "gender": gender,
            **{name: None for name in IDENTIFIERS},
            **self._identifiers(),
        }

    def _further_record(self, person: dict) -> dict:
        rng, r = self.rng, self.rates
        record = dict(person, other_family_names=list(person["other_family_names"]))
        roll = rng.random()
        if roll < r.other_given_name:
            record["given_name"] = self.names.given(person["gender"])
        elif roll < r.other_given_name + r.given_typo:
            record["given_name"] = typo(record["given_name"], rng)
        if person["gender"] == "female" and rng.random() < r.married_name:
            record["family_name"] = self.names.family_name()
            if rng.random() < r.birth_name_kept:
                record["other_family_names"].append(person["family_name"])
        elif rng.random() < r.family_typo:
            record["family_name"] = typo(record["family_name"], rng)
        record["date_of_birth"] = self._slipped_dob(person["date_of_birth"])
        for name in IDENTIFIERS:
            if record[name] and rng.random() < r.identifier_dropped:
                record[name] = None
        if rng.random() < r.no_address:
            record["postcode"] = None
        elif rng.random() < r.moved:
            record["postcode"] = _postcode(rng)
        if rng.random() < r.gender_missing:
            record["gender"] = None
        return record

    def _slipped_dob(self, dob: dt.date) -> dt.date | None:
        rng, r = self.rng, self.rates
        roll = rng.random()
        if roll < r.dob_swapped and dob.day <= 12 and dob.day != dob.month:
            return dob.replace(month=dob.day, day=dob.month)
        if roll < r.dob_swapped + r.dob_placeholder:
            return dob.replace(month=1, day=1)
        if roll < r.dob_swapped + r.dob_placeholder + r.dob_missing:
            return None
        return dob

    def _group(self) -> list[dict]:
        """One person's records, and sometimes a household member or a twin (other clusters)."""
        rng, r = self.rng, self.rates
        person = self._person()
        records = [dict(person)]
        if rng.random() < r.duplicated:
            records.append(self._further_record(person))
            if rng.random() < r.third_record:
                records.append(self._further_record(person))
        roll = rng.random()
        if roll < r.twin:
            records.append(
                self._person(family=person["family_name"], dob=person["date_of_birth"], postcode=person["postcode"])
            )
        elif roll < r.twin + r.household:
            records.append(self._person(family=person["family_name"], postcode=person["postcode"]))
        return records

    def records(self, count: int) -> Iterator[dict]:
        made = 0
        while made < count:
            for record in self._group():
                made += 1
                record["record_id"] = made
                yield record


def plant(people, rng: random.Random, share: float) -> int:
    """Enter a share of the world's people a second time, as another agency would, with the slips above and
    no identifiers (an identifier is unique: the second record has none yet). Rows of ``demo.people``."""
    rates = Rates()
    postcodes = {row[0]: row[5] for row in people.addresses if row[5]}
    originals = rng.sample(people.persons, int(len(people.persons) * share))
    for row in originals:
        person_id, given, family, dob, gender = row[0], row[1], row[3], row[4], row[5]
        roll = rng.random()
        if roll < rates.given_typo:
            given = typo(given, rng)
        elif roll < rates.given_typo + rates.family_typo:
            family = typo(family, rng)
        if dob and rng.random() < rates.dob_swapped + rates.dob_placeholder:
            dob = (
                dob.replace(month=1, day=1)
                if dob.day > 12 or dob.day == dob.month
                else dob.replace(month=dob.day, day=dob.month)
            )
        copy = people.add(gender, dob, given=given, family=family)
        if person_id in postcodes and rng.random() > rates.moved:
            people.addresses.append(
                (copy, "home", "1 Fictional Lane", "", "Fictional Town", postcodes[person_id], people.today, None)
            )
    return len(originals)
