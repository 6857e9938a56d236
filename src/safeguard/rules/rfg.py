"""MATAC: who is a serial perpetrator of domestic abuse, and their RFG score.

Sources:
- MATAC (Multi-Agency Tasking and Co-ordination), Northumbria Police and
  partners, in use since 2015 and adopted by many forces (summarised in
  docs/sources/domestic-abuse.md, section MATAC [C]). **Serial perpetrator**:
  a suspect or offender aged 16 or over on more than one domestic-abuse record
  (crime or non-crime) against two or more different victims in the last three
  years. The most harmful are ranked by **RFG**: recency, frequency and
  gravity, in weighted matrices, with extra weight for multiple victims
  (North Yorkshire's RFGV).
- Domestic Abuse Act 2021 s.1(2)(a): behaviour is domestic abuse only if both
  people are aged 16 or over and personally connected. Both are tested **at
  the time of each record**: a record made when the perpetrator was 15 does not
  count (whatever its flag says), a victim under 16 on the day is not counted
  as a victim, and a record whose every victim was under 16 does not count.
  The definition's "aged 16 or over" (a setting, ``min_age``) is tested on
  the ranking date as well.

What is not published: the RFG bands, points and gravity weights. Every force
keeps its own spreadsheet [R]. :class:`RfgConfig` holds them; its defaults
are **Safeguard's own documented matrix, not any force's** (every one is in
``DEFAULTS`` with its status). A force loads its own with
:meth:`RfgConfig.from_dict`; gravity weights may be any integer scale, for
example the Cambridge Crime Harm Index (sentencing guideline days), which
Safeguard does not ship. All points are integers so that rankings are exact.

Conventions Safeguard had to choose, because the definition is silent:
- "The last three years" is the period after the same day three years before
  the ranking date, up to and including the ranking date:
  ``as_of - 3 years < occurred_on <= as_of``. A record exactly three years old
  no longer counts; a record after the ranking date does not count (so a
  ranking can be re-run for a past date). 29 February less whole years is
  28 February.
- "Within m months" (recency) uses the same convention: the most recent record
  is within m months if it is after the same day m months before the ranking
  date (day clamped to the month's end: 31 May less 3 months is 28 February).
- Age: a person born on 29 February reaches an age on 1 March in a common year
  (as Person.age_on does).
- Date of birth not recorded: the domestic-abuse flag already implies 16 or
  over (DA Act 2021 s.1), so with at least one record in the look-back the age
  condition is **presumed met** and the working says so. If a force sets a
  minimum age above 16 the flag proves nothing about it, and the condition is
  then not met.
- Gravity is the **sum** over the counted records of each record's weight
  (a record without an offence is a non-crime record).
- A perpetrator's area is the local area of their most recent record in the
  look-back (ties on the same instant: the highest record id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .dates import add_months
from .working import Default, RuleInputError, Status, Step

SOURCE_MATAC = "MATAC serial perpetrator definition (Northumbria, 2015)"
SOURCE_RFG = "MATAC RFG settings"
SOURCE_DA_ACT = "Domestic Abuse Act 2021 s.1"
SOURCE_DA_ACT_AGE = "Domestic Abuse Act 2021 s.1(2)(a): both aged 16 or over, at the time of each record"
SOURCE_SAFEGUARD = "Safeguard's default RFG matrix (not any force's; forces keep their own [R])"

SERIAL_MIN_RECORDS = 2  # "more than one domestic-abuse record"
SERIAL_MIN_VICTIMS = 2  # "two or more different victims"
DA_ACT_MIN_AGE = 16  # DA Act 2021 s.1(2)(a): both people aged 16 or over
MONTHS_PER_YEAR = 12
MAX_LOOK_BACK_YEARS = 50  # a sanity limit on settings, not guidance
MAX_MIN_AGE = 120  # a sanity limit on settings, not guidance
EARLIEST_RANKING_YEAR = 1900  # a sanity limit on the ranking date, not guidance
OFFENCE_CODE_MAX_LENGTH = 30  # events.Offence.code

# Safeguard's default gravity weights over the offences Safeguard loads
# (events migration 0004). An ordinal scale set broadly by maximum penalty and
# harm: murder, rape, s.18 and threats to kill high; common assault,
# harassment and criminal damage low. Not any force's matrix and not the
# Cambridge Crime Harm Index.
DEFAULT_GRAVITY_WEIGHTS: dict[str, int] = {
    "CL-murder": 50,
    "CL-manslaughter": 40,
    "OAPA1861-s4": 30,
    "OAPA1861-s18": 30,
    "SOA2003-s1": 30,
    "SOA2003-s2": 30,
    "SOA2003-s5": 30,
    "OAPA1861-s16": 20,
    "OAPA1861-s20": 20,
    "SOA2003-s4": 20,
    "SOA2003-s7": 20,
    "TA1968-s10": 20,
    "CDA1971-s1-3": 15,
    "SOA2003-s3": 15,
    "SOA2003-s9": 15,
    "PHA1997-s4A": 12,
    "SCA2015-s76": 12,
    "PHA1997-s4": 10,
    "OAPA1861-s47": 10,
    "TA1968-s8": 10,
    "SOA2003-s15": 10,
    "PCA1978-s1": 10,
    "PHA1997-s2A": 6,
    "FLA1996-s42A": 6,
    "CJA1988-s160": 5,
    "SOA2003-s66": 5,
    "SOA2003-s67": 5,
    "CJA1988-s39": 4,
    "PHA1997-s2": 4,
    "CDA1971-s1-1": 3,
    "TA1968-s1": 2,
}
DEFAULT_RECENCY_BANDS = ((1, 10), (3, 8), (6, 6), (12, 4), (24, 2), (36, 1))
DEFAULT_LOOK_BACK_YEARS = 3
DEFAULT_FREQUENCY_WEIGHT = 2
DEFAULT_FREQUENCY_CAP = 40
DEFAULT_NON_CRIME_GRAVITY = 1
DEFAULT_CRIME_GRAVITY = 3
DEFAULT_VICTIM_WEIGHT = 5
DEFAULT_TOP_N_PER_AREA = 10
DEFAULT_MIN_AGE = 16

DEFAULTS = (
    Default("look_back_years", DEFAULT_LOOK_BACK_YEARS, SOURCE_MATAC, Status.CONFIRMED, "'in the last three years'"),
    Default("min_age", DEFAULT_MIN_AGE, f"{SOURCE_MATAC}; {SOURCE_DA_ACT}", Status.CONFIRMED, "'aged 16 or over'"),
    Default(
        "recency_bands",
        DEFAULT_RECENCY_BANDS,
        SOURCE_SAFEGUARD,
        Status.SAFEGUARD,
        "(months since the most recent record, points); bands not published",
    ),
    Default("frequency_weight", DEFAULT_FREQUENCY_WEIGHT, SOURCE_SAFEGUARD, Status.SAFEGUARD, "points per record"),
    Default("frequency_cap", DEFAULT_FREQUENCY_CAP, SOURCE_SAFEGUARD, Status.SAFEGUARD, "most frequency points"),
    Default(
        "gravity_weights",
        DEFAULT_GRAVITY_WEIGHTS,
        SOURCE_SAFEGUARD,
        Status.SAFEGUARD,
        "points per record by offence code; a force may load the Cambridge Crime Harm Index instead",
    ),
    Default(
        "non_crime_gravity",
        DEFAULT_NON_CRIME_GRAVITY,
        SOURCE_SAFEGUARD,
        Status.SAFEGUARD,
        "points for a record with no offence",
    ),
    Default(
        "default_crime_gravity",
        DEFAULT_CRIME_GRAVITY,
        SOURCE_SAFEGUARD,
        Status.SAFEGUARD,
        "points for an offence not in gravity_weights",
    ),
    Default(
        "victim_weight",
        DEFAULT_VICTIM_WEIGHT,
        SOURCE_SAFEGUARD,
        Status.SAFEGUARD,
        "points per different victim (extra weight for multiple victims, as RFGV)",
    ),
    Default(
        "top_n_per_area",
        DEFAULT_TOP_N_PER_AREA,
        SOURCE_SAFEGUARD,
        Status.SAFEGUARD,
        "how many perpetrators a local authority area's list shows",
    ),
)


def _whole_number(name: str, value: object, *, minimum: int = 0, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleInputError(name, f"Enter {name.replace('_', ' ')} as a whole number")
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise RuleInputError(name, f"Enter {name.replace('_', ' ')} of at least {minimum}{upper}")
    return value


@dataclass(frozen=True)
class RfgConfig:
    """The RFG settings: Safeguard's documented default matrix unless a force loads its own.

    The default is **not any force's matrix** (forces keep their own, unpublished
    [R]); see ``DEFAULTS`` for each value's status. ``gravity_weights`` may be
    given as a mapping; it is held as a sorted tuple of (offence code, points).
    """

    look_back_years: int = DEFAULT_LOOK_BACK_YEARS
    recency_bands: tuple[tuple[int, int], ...] = DEFAULT_RECENCY_BANDS
    frequency_weight: int = DEFAULT_FREQUENCY_WEIGHT
    frequency_cap: int | None = DEFAULT_FREQUENCY_CAP
    gravity_weights: tuple[tuple[str, int], ...] = field(
        default_factory=lambda: tuple(sorted(DEFAULT_GRAVITY_WEIGHTS.items()))
    )
    non_crime_gravity: int = DEFAULT_NON_CRIME_GRAVITY
    default_crime_gravity: int = DEFAULT_CRIME_GRAVITY
    victim_weight: int = DEFAULT_VICTIM_WEIGHT
    top_n_per_area: int | None = DEFAULT_TOP_N_PER_AREA
    min_age: int = DEFAULT_MIN_AGE

    def __post_init__(self) -> None:
        _whole_number("look_back_years", self.look_back_years, minimum=1, maximum=MAX_LOOK_BACK_YEARS)
        _whole_number("min_age", self.min_age, minimum=DA_ACT_MIN_AGE, maximum=MAX_MIN_AGE)
        _whole_number("frequency_weight", self.frequency_weight)
        if self.frequency_cap is not None:
            _whole_number("frequency_cap", self.frequency_cap)
        _whole_number("non_crime_gravity", self.non_crime_gravity)
        _whole_number("default_crime_gravity", self.default_crime_gravity)
        _whole_number("victim_weight", self.victim_weight)
        if self.top_n_per_area is not None:
            _whole_number("top_n_per_area", self.top_n_per_area, minimum=1)
        object.__setattr__(self, "recency_bands", self._checked_bands(self.recency_bands))
        object.__setattr__(self, "gravity_weights", self._checked_weights(self.gravity_weights))

    def _checked_bands(self, bands: object) -> tuple[tuple[int, int], ...]:
        name = "recency_bands"
        if isinstance(bands, str | bytes | Mapping) or not isinstance(bands, Iterable):
            raise RuleInputError(name, "Give the recency bands as a list of [months, points] pairs")
        out: list[tuple[int, int]] = []
        for band in bands:
            if (
                isinstance(band, str | bytes | Mapping)
                or not isinstance(band, Iterable)
                or len(band := tuple(band)) != 2
            ):
                raise RuleInputError(name, "Give each recency band as a pair: [months, points]")
            months, points = band
            n = len(out) + 1
            if isinstance(months, bool) or not isinstance(months, int) or months < 1:
                raise RuleInputError(name, f"Band {n}: enter the months as a whole number of at least 1")
            if isinstance(points, bool) or not isinstance(points, int) or points < 0:
                raise RuleInputError(name, f"Band {n}: enter the points as a whole number of at least 0")
            if out and months <= out[-1][0]:
                raise RuleInputError(name, f"Band {n}: list the bands from the shortest period to the longest")
            if out and points > out[-1][1]:
                raise RuleInputError(name, f"Band {n}: a longer period cannot score more points than a shorter one")
            if months > self.look_back_years * MONTHS_PER_YEAR:
                raise RuleInputError(name, f"Band {n}: a band cannot reach beyond the look-back period")
            out.append((months, points))
        return tuple(out)

    @staticmethod
    def _checked_weights(weights: object) -> tuple[tuple[str, int], ...]:
        name = "gravity_weights"
        if isinstance(weights, Mapping):
            items = list(weights.items())
        elif isinstance(weights, Iterable) and not isinstance(weights, str | bytes):
            items = []
            for pair in weights:
                if isinstance(pair, str | bytes) or not isinstance(pair, Iterable) or len(pair := tuple(pair)) != 2:
                    raise RuleInputError(name, "Give the gravity weights as offence code and points")
                items.append(pair)
        else:
            raise RuleInputError(name, "Give the gravity weights as offence code and points")
        seen = set()
        for code, points in items:
            if not isinstance(code, str) or not code.strip() or len(code) > OFFENCE_CODE_MAX_LENGTH:
                raise RuleInputError(
                    name, f"Each offence code must be text of 1 to {OFFENCE_CODE_MAX_LENGTH} characters"
                )
            if code in seen:
                raise RuleInputError(name, f"Offence code {code} is given more than once")
            seen.add(code)
            if isinstance(points, bool) or not isinstance(points, int) or points < 0:
                raise RuleInputError(name, f"Offence code {code}: enter the points as a whole number of at least 0")
        return tuple(sorted(items))

    @cached_property
    def gravity_by_code(self) -> dict[str, int]:
        return dict(self.gravity_weights)

    def gravity_for(self, offence_code: str | None) -> int:
        """Points for one record: non-crime, a weighted offence, or an offence not in the weights."""
        if offence_code is None:
            return self.non_crime_gravity
        return self.gravity_by_code.get(offence_code, self.default_crime_gravity)

    def frequency_points(self, records: int) -> int:
        points = records * self.frequency_weight
        return points if self.frequency_cap is None else min(points, self.frequency_cap)

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready values (lists and a mapping), as from_dict reads them."""
        return {
            "look_back_years": self.look_back_years,
            "recency_bands": [list(b) for b in self.recency_bands],
            "frequency_weight": self.frequency_weight,
            "frequency_cap": self.frequency_cap,
            "gravity_weights": dict(self.gravity_weights),
            "non_crime_gravity": self.non_crime_gravity,
            "default_crime_gravity": self.default_crime_gravity,
            "victim_weight": self.victim_weight,
            "top_n_per_area": self.top_n_per_area,
            "min_age": self.min_age,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RfgConfig:
        """Settings from JSON-ready values; a missing setting takes its default, an unknown one is refused."""
        if not isinstance(data, Mapping):
            raise RuleInputError("rfg_config", "Give the RFG settings as an object of named settings")
        known = set(cls.__dataclass_fields__)
        for key in data:
            if key not in known:
                raise RuleInputError(str(key), "This is not an RFG setting: check its spelling")
        return cls(**dict(data))


@dataclass(frozen=True)
class DaRecord:
    """One domestic-abuse record (crime or non-crime) of one perpetrator.

    ``victims`` are labels of the people it was against (ids or letters such as
    "A", "B"; never the perpetrator). ``occurred_at`` (the instant, whose local
    date is ``occurred_on``) and ``record_id`` are optional and only order two
    records on the same day when choosing the most recent.
    """

    occurred_on: dt.date
    offence_code: str | None
    victims: frozenset[str]
    area: str | int
    occurred_at: dt.datetime | None = None
    record_id: int | None = None
    victims_under_16: frozenset[str] = frozenset()  # labels among ``victims`` under 16 on the day of the record


@dataclass(frozen=True)
class RfgBoundaries:
    """The dates a ranking date gives: what counts, the recency bands, the age test.

    ``counted_after`` < occurred_on <= ``counted_until``; the most recent record
    scores the points of the first band (months, after, points) it is after;
    a person is old enough if born on or before ``born_on_or_before``.
    """

    as_of: dt.date
    counted_after: dt.date
    counted_until: dt.date
    recency_bands: tuple[tuple[int, dt.date, int], ...]
    born_on_or_before: dt.date
    presume_age_when_unknown: bool
    working: tuple[Step, ...]


@dataclass(frozen=True)
class RfgScore:
    """One perpetrator's RFG points (integers), the counts behind them, and the serial-perpetrator test.

    ``latest_on``/``latest_at`` and ``area`` are those of the most recent counted
    record (``latest_at`` only when the records carry their instant).
    """

    recency: int
    frequency: int
    gravity: int
    victims: int
    total: int
    records_counted: int
    distinct_victims: int
    serial_perpetrator: bool
    age: int | None
    age_presumed: bool
    latest_on: dt.date | None
    latest_at: dt.datetime | None
    area: str | int | None
    working: tuple[Step, ...]


@dataclass(frozen=True)
class RankedRow:
    """A perpetrator's place in their area's list (1 is the most harmful)."""

    person_key: object
    area_key: object
    score: RfgScore
    latest: object
    rank_in_area: int


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier, clamped to the end of a shorter month."""
    return add_months(day, -months)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on a day (born 29 February: a year older on 1 March in a common year)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


_EARLIEST_INSTANT = dt.datetime.min.replace(tzinfo=dt.UTC)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_date(name: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RuleInputError(name, "Enter a date (day, month and year), not a date and time")
    return value


def boundaries(as_of: dt.date, config: RfgConfig | None = None) -> RfgBoundaries:
    """The look-back, recency band and age dates for a ranking date (used by every scorer)."""
    config = RfgConfig() if config is None else config
    if not isinstance(config, RfgConfig):
        raise RuleInputError("rfg_config", "Give the RFG settings as RFG settings")
    as_of = _check_date("as_of", as_of)
    if as_of.year < EARLIEST_RANKING_YEAR:
        raise RuleInputError("as_of", f"Enter a ranking date in {EARLIEST_RANKING_YEAR} or later")
    counted_after = months_before(as_of, config.look_back_years * MONTHS_PER_YEAR)
    recency = tuple((months, months_before(as_of, months), points) for months, points in config.recency_bands)
    born_by = months_before(as_of, config.min_age * MONTHS_PER_YEAR)
    presume = config.min_age <= DA_ACT_MIN_AGE
    steps = [
        Step(
            f"Records after {_day(counted_after)} up to and including {_day(as_of)} count "
            f"(the last {config.look_back_years} years)",
            SOURCE_MATAC,
        ),
        Step(f"Aged {config.min_age} or over on {_day(as_of)}: born on or before {_day(born_by)}", SOURCE_MATAC),
    ]
    return RfgBoundaries(as_of, counted_after, as_of, recency, born_by, presume, tuple(steps))


def _check_records(records: Iterable[DaRecord]) -> list[DaRecord]:
    checked = []
    for i, record in enumerate(records):
        where = f"records[{i}]"
        if not isinstance(record, DaRecord):
            raise RuleInputError(where, "Give each record as a domestic-abuse record")
        _check_date(f"{where}.occurred_on", record.occurred_on)
        if record.offence_code is not None and not isinstance(record.offence_code, str):
            raise RuleInputError(
                f"{where}.offence_code", "Give the offence code as text, or none for a non-crime record"
            )
        if not isinstance(record.victims, frozenset | set) or not all(isinstance(v, str) for v in record.victims):
            raise RuleInputError(f"{where}.victims", "Give the victims as a set of labels, such as A and B")
        if not isinstance(record.victims_under_16, frozenset | set) or not record.victims_under_16 <= record.victims:
            raise RuleInputError(
                f"{where}.victims_under_16", "Give the victims under 16 as labels of the record's own victims"
            )
        if record.occurred_at is not None and (
            not isinstance(record.occurred_at, dt.datetime) or record.occurred_at.tzinfo is None
        ):
            raise RuleInputError(
                f"{where}.occurred_at", "Give the time it occurred with its time zone, or leave it out"
            )
        if record.record_id is not None and (
            isinstance(record.record_id, bool) or not isinstance(record.record_id, int)
        ):
            raise RuleInputError(f"{where}.record_id", "Give the record id as a whole number, or leave it out")
        checked.append(record)
    return checked


def _both_16_or_over(records: list[DaRecord], date_of_birth: dt.date | None) -> tuple[list[DaRecord], list[Step]]:
    """The records in which both people were 16 or over on the day (DA Act 2021 s.1(2)(a)), and the working."""
    young_perpetrator = [
        r for r in records if date_of_birth is not None and age_on(date_of_birth, r.occurred_on) < DA_ACT_MIN_AGE
    ]
    older = [r for r in records if date_of_birth is None or age_on(date_of_birth, r.occurred_on) >= DA_ACT_MIN_AGE]
    only_young_victims = [r for r in older if r.victims and not (r.victims - r.victims_under_16)]
    kept = [r for r in older if not (r.victims and not (r.victims - r.victims_under_16))]
    young_victims = sum(len(r.victims & r.victims_under_16) for r in kept)

    def plural(items: list[DaRecord]) -> str:
        return f"{len(items)} record{'s' if len(items) != 1 else ''}"

    steps = []
    if young_perpetrator:
        steps.append(
            Step(
                f"{plural(young_perpetrator)} made when the perpetrator was under 16: not domestic abuse in law, "
                "not counted",
                SOURCE_DA_ACT_AGE,
            )
        )
    elif date_of_birth is not None and records:
        steps.append(Step("The perpetrator was 16 or over at the time of each record", SOURCE_DA_ACT_AGE))
    if only_young_victims:
        steps.append(
            Step(f"{plural(only_young_victims)} whose every victim was under 16: not counted", SOURCE_DA_ACT_AGE)
        )
    if young_victims:
        steps.append(Step("Victims under 16 on the day of a record are not counted as its victims", SOURCE_DA_ACT_AGE))
    return kept, steps


def _recency_order(record: DaRecord) -> tuple[Any, ...]:
    """Most recent last: by date, then the instant where known, then the record id where known."""
    return (
        record.occurred_on,
        record.occurred_at is not None,
        record.occurred_at or _EARLIEST_INSTANT,
        record.record_id is not None,
        record.record_id or 0,
    )


def score_perpetrator(
    records: Iterable[DaRecord],
    *,
    as_of: dt.date,
    date_of_birth: dt.date | None = None,
    config: RfgConfig | None = None,
) -> RfgScore:
    """One perpetrator's RFG score on a ranking date, and whether they are a serial perpetrator (MATAC)."""
    bounds = boundaries(as_of, config)
    config = RfgConfig() if config is None else config
    if date_of_birth is not None:
        _check_date("date_of_birth", date_of_birth)
        if date_of_birth > as_of:
            raise RuleInputError("date_of_birth", "The date of birth must be on or before the ranking date")
    every = _check_records(records)
    in_window = [r for r in every if bounds.counted_after < r.occurred_on <= bounds.counted_until]
    steps = [bounds.working[0]]
    later = sum(1 for r in every if r.occurred_on > as_of)
    earlier = len(every) - len(in_window) - later
    steps.append(
        Step(
            f"{len(in_window)} of {len(every)} records in the look-back ({earlier} older, {later} after the ranking "
            "date)",
            SOURCE_MATAC,
        )
    )
    counted, age_steps = _both_16_or_over(in_window, date_of_birth)
    steps.extend(age_steps)

    latest = max(counted, key=_recency_order) if counted else None
    recency = 0
    if latest is not None:
        band = next((b for b in bounds.recency_bands if latest.occurred_on > b[1]), None)
        when = f"Most recent record {_day(latest.occurred_on)}"
        if band is None:
            steps.append(Step(f"{when}: in no recency band, 0 points", f"{SOURCE_RFG}: recency bands"))
        else:
            months, _after, recency = band
            unit = "month" if months == 1 else "months"
            steps.append(Step(f"{when}: within {months} {unit}, {recency} points", f"{SOURCE_RFG}: recency bands"))

    frequency = config.frequency_points(len(counted))
    cap = "" if config.frequency_cap is None else f", at most {config.frequency_cap}"
    steps.append(
        Step(
            f"Frequency: {len(counted)} records at {config.frequency_weight} points each{cap}: {frequency} points",
            f"{SOURCE_RFG}: frequency",
        )
    )

    by_code: dict[str | None, int] = {}
    for r in counted:
        by_code[r.offence_code] = by_code.get(r.offence_code, 0) + 1
    gravity = sum(config.gravity_for(code) * n for code, n in by_code.items())
    parts = [
        f"{n} x {'non-crime' if code is None else code} at {config.gravity_for(code)}"
        for code, n in sorted(by_code.items(), key=lambda item: (item[0] is not None, item[0] or ""))
    ]
    steps.append(Step(f"Gravity: {'; '.join(parts) or 'no records'}: {gravity} points", f"{SOURCE_RFG}: gravity"))

    distinct = len(frozenset().union(*(r.victims - r.victims_under_16 for r in counted)))
    victims = distinct * config.victim_weight
    steps.append(
        Step(
            f"{distinct} different victims at {config.victim_weight} points each: {victims} points",
            f"{SOURCE_RFG}: victims",
        )
    )
    total = recency + frequency + gravity + victims
    steps.append(Step(f"RFG total {recency} + {frequency} + {gravity} + {victims} = {total}", SOURCE_RFG))

    age = age_on(date_of_birth, as_of) if date_of_birth is not None else None
    presumed = False
    if age is not None:
        old_enough = age >= config.min_age
        text = f"Aged {age} on {_day(as_of)}: {'' if old_enough else 'not '}{config.min_age} or over"
        if age < DA_ACT_MIN_AGE and counted:
            text += "; a domestic-abuse record implies 16 or over, so check the date of birth and the flag"
        steps.append(Step(text, SOURCE_MATAC))
    elif counted and bounds.presume_age_when_unknown:
        old_enough = presumed = True
        steps.append(
            Step(
                "Date of birth not recorded: 16 or over presumed, because a domestic-abuse record implies both people "
                "were 16 or over; record the date of birth",
                SOURCE_DA_ACT,
            )
        )
    else:
        old_enough = False
        steps.append(
            Step(
                f"Date of birth not recorded: cannot show {config.min_age} or over; record the date of birth",
                SOURCE_MATAC,
            )
        )

    enough_records = len(counted) >= SERIAL_MIN_RECORDS
    enough_victims = distinct >= SERIAL_MIN_VICTIMS
    serial = old_enough and enough_records and enough_victims
    if serial:
        verdict = f"Serial perpetrator: {len(counted)} records against {distinct} different victims"
    else:
        missing = [
            text
            for ok, text in (
                (old_enough, f"not shown to be {config.min_age} or over"),
                (enough_records, "not more than one record"),
                (enough_victims, "fewer than two different victims"),
            )
            if not ok
        ]
        verdict = f"Not a serial perpetrator: {', '.join(missing)}"
    steps.append(Step(verdict, SOURCE_MATAC))

    return RfgScore(
        recency=recency,
        frequency=frequency,
        gravity=gravity,
        victims=victims,
        total=total,
        records_counted=len(counted),
        distinct_victims=distinct,
        serial_perpetrator=serial,
        age=age,
        age_presumed=presumed,
        latest_on=latest.occurred_on if latest else None,
        latest_at=latest.occurred_at if latest else None,
        area=latest.area if latest else None,
        working=tuple(steps),
    )


def rank(
    scores: Iterable[tuple[object, object, RfgScore, object]],
    *,
    top_n: int | None = None,
    serial_only: bool = True,
) -> list[RankedRow]:
    """Rank perpetrators within each area: total, then latest record, both highest first, then person key.

    Each item is (person key, area key, score, latest) where latest orders the
    most recent record: ``score.latest_at`` where the records carry their
    instant, else ``score.latest_on`` (one kind for all items). Only serial
    perpetrators are ranked unless ``serial_only`` is False; a perpetrator with
    no counted record has no area and is never ranked. ``top_n`` keeps at most
    that many per area (None keeps all). Rows come area by area (area key
    order), best first.
    """
    if top_n is not None:
        _whole_number("top_n", top_n, minimum=1)
    by_area: dict[Any, list[tuple[Any, RfgScore, Any]]] = {}
    for person_key, area_key, score, latest in scores:
        if score.records_counted == 0 or area_key is None or (serial_only and not score.serial_perpetrator):
            continue
        by_area.setdefault(area_key, []).append((person_key, score, latest))
    rows: list[RankedRow] = []
    for area_key in sorted(by_area):
        entries = sorted(by_area[area_key], key=lambda e: e[0])
        entries.sort(key=lambda e: e[2], reverse=True)
        entries.sort(key=lambda e: e[1].total, reverse=True)
        for position, (person_key, score, latest) in enumerate(entries[:top_n] if top_n else entries, start=1):
            rows.append(RankedRow(person_key, area_key, score, latest, position))
    return rows
