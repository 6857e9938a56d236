"""Caseload measures for offender managers, and the probation workload measurement model.

Sources (summarised in docs/sources/workforce.md):

- **There is no nationally recognised caseload ratio** for police offender
  managers. The 2022 joint inspection ("Twenty years on, is MAPPA achieving
  its objectives?", HMI Probation with HMICFRS and HMI Prisons, July 2022)
  found 50 to 100 cases per police offender manager [C] and its
  Recommendation 19 asks that workloads be reviewed and mitigated.
- West Midlands Police applies **1 sex-offender manager to 50 registered sex
  offenders**, with **high-risk cases at most 20%** of a caseload (seed) [L].
  Surrey aims under 50 cases and under 20% high risk, and notes that officers
  covering an Approved Premises carry a larger high-risk share (seed) [L].
  Both figures are therefore :class:`CaseloadSettings` fields, listed in
  ``DEFAULTS`` with status LOCAL; they are not national rules.
- Weights per case type and for Approved Premises work are area settings,
  **defaulting to one case = one unit** (domain file). No published weights
  exist for police offender managers; the defaults are Safeguard's choice.
- The probation workload measurement model (HMPPS Workload Measurement Tool
  and the "Manage a workforce" allocation service, ministryofjustice/
  hmpps-workload): each case scores points by tier and case type (community,
  custody, licence); a practitioner's **available points** are the grade's
  nominal target scaled by contracted hours less reduction hours over the
  grade's default contracted hours, truncated to a whole number; **capacity**
  is total points over available points, as a percentage. The point tables
  and nominal targets are HMPPS's own and are **not shipped here**: an area
  loads its table (:class:`PointTable`); the default table is a clearly
  marked placeholder, status UNCONFIRMED.

Decisions Safeguard had to make (the sources are silent):

- "1 to 50" is a limit, not a target: exactly 50 is within the ratio and 51
  is over. Likewise a high-risk share of exactly 20% is within the cap.
- The ratio is compared with the **weighted units** of a caseload, so an area
  that weights Approved Premises or Level 3 work sees it against the ratio;
  with the default weights (all 1) the units are the number of cases.
- A case's units are its location weight (community, custody or Approved
  Premises) times its management-level weight (Level 1 is always 1). With
  all weights 1 a case is one unit, as the domain file requires.
- The high-risk share counts cases (not units) at high or very high risk of
  serious harm; a case whose RoSH is not known is not counted as high risk
  and the working says how many there were. The cap is a whole number per
  cent and is compared exactly in integers (no floating point): the most
  high-risk cases a caseload of *n* may hold is floor(cap × n / 100), and
  "over by" is the number of high-risk cases above that on the present
  caseload. An empty caseload has a share of 0.
- Available points are computed exactly (``fractions.Fraction``, never
  floats) and then truncated. An implementation that rounds the ratio of
  hours first can fall one point short: 37 points × 1 hour / 37 hours is
  exactly 1 here.
- Capacity is rounded half up to one decimal place of a per cent (the ratio
  to three decimal places, as HMPPS's service shows it); whether a
  practitioner is over capacity is decided exactly (total points more than
  available points), so 100% exactly is not over.
- Available points of 0 (for example reduction hours equal to contracted
  hours) leave capacity undefined: :func:`capacity_percent` and
  :func:`impact_of_allocation` refuse it (field ``available_points``), and
  :func:`workload_capacity` answers ``capacity_percent`` None, with
  ``over_capacity`` true when any points are held. (HMPPS's service shows
  0% in that case, which reads like an empty caseload.)

:func:`available_points`, :func:`capacity_percent` and :func:`case_points`
are arithmetic primitives returning plain numbers (as ``rules.dates`` does);
:func:`workload_capacity` and :func:`impact_of_allocation` carry the working.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from safeguard.rules.working import Default, RuleInputError, Status, Step

__all__ = [
    "CASE_LOCATIONS",
    "CASE_TYPES",
    "DEFAULTS",
    "DEFAULT_CASELOAD_SETTINGS",
    "DEFAULT_POINT_TABLE",
    "AllocationImpact",
    "CaseFacts",
    "CaseloadMeasure",
    "CaseloadSettings",
    "PointTable",
    "TeamMeasure",
    "WorkloadCapacity",
    "available_points",
    "capacity_percent",
    "case_points",
    "caseload_measure",
    "impact_of_allocation",
    "team_measure",
    "workload_capacity",
]

SOURCE_NO_RATIO = (
    "No nationally recognised caseload ratio; the 2022 MAPPA joint inspection found 50-100 cases "
    "per police offender manager (Recommendation 19)"
)
SOURCE_WEST_MIDLANDS = "West Midlands Police practice (seed): 1 sex-offender manager to 50 RSOs, high risk at most 20%"
SOURCE_WEIGHTS = "Safeguard: weights per case type are area settings, one case = one unit by default"
SOURCE_HMPPS = "HMPPS workload measurement model (Manage a workforce; ministryofjustice/hmpps-workload)"
SOURCE_PLACEHOLDER = "Safeguard placeholder point table: not HMPPS's table; the area loads its own"
SOURCE_SAFEGUARD = "Safeguard's reading (the sources are silent)"

# Case locations (where the person is managed) and management levels.
COMMUNITY = "community"
CUSTODY = "custody"
APPROVED_PREMISES = "approved_premises"
CASE_LOCATIONS = (COMMUNITY, CUSTODY, APPROVED_PREMISES)
LEVELS = (1, 2, 3)

# Risk of serious harm (OASys RoSH), as offenders.models records it.
ROSH_LEVELS = ("low", "medium", "high", "very_high", "not_known")
HIGH_RISK = frozenset({"high", "very_high"})
NOT_KNOWN = "not_known"

# Probation case types for the point table.
LICENCE = "licence"
CASE_TYPES = (COMMUNITY, CUSTODY, LICENCE)

RATIO_CASES_PER_OFFICER = 50  # [L] West Midlands
HIGH_RISK_CAP_PERCENT = 20  # [L] West Midlands (Surrey aims for the same)
DEFAULT_WEIGHT = Decimal(1)  # one case = one unit (workforce.md)
PERCENT = 100
PERCENT_PLACES = 1  # capacity and shares are shown to one decimal place of a per cent
HOURS_IN_WEEK = 168  # a sanity limit on hours, not guidance
TIER_CODE_MAX_LENGTH = 10  # a sanity limit on tier codes, not guidance
DECIMAL_DENOMINATORS = 10**30  # a fraction whose denominator divides this is an exact decimal

Number = int | Decimal | Fraction | float


def _whole(field_name: str, value: object, *, minimum: int = 0, maximum: int | None = None) -> int:
    label = field_name.replace("_", " ")
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleInputError(field_name, f"Enter {label} as a whole number")
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise RuleInputError(field_name, f"Enter {label} of at least {minimum}{upper}")
    return value


def _exact(field_name: str, value: object) -> Fraction:
    """A number as an exact fraction: a float is read as the decimal it prints as (0.1 is one tenth)."""
    label = field_name.replace("_", " ")
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction | float):
        raise RuleInputError(field_name, f"Enter {label} as a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RuleInputError(field_name, f"Enter {label} as a finite number")
        value = Decimal(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise RuleInputError(field_name, f"Enter {label} as a finite number")
    return Fraction(value)


def _weight(field_name: str, value: object) -> Decimal:
    exact = _exact(field_name, value)
    if exact <= 0:
        raise RuleInputError(field_name, f"Enter {field_name.replace('_', ' ')} as a number more than 0")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if DECIMAL_DENOMINATORS % exact.denominator == 0:  # only factors of 2 and 5: an exact decimal
        return Decimal(exact.numerator) / Decimal(exact.denominator)
    raise RuleInputError(field_name, f"Enter {field_name.replace('_', ' ')} as a decimal number")


def _rounded(value: Fraction, places: int) -> Decimal:
    """``value`` (not negative) rounded half up to ``places`` decimal places, exactly."""
    scale = 10**places
    return Decimal(math.floor(value * scale + Fraction(1, 2))).scaleb(-places)


def _show(value: Fraction | Decimal | int) -> str:
    """A number for a sentence: whole numbers without decimals, others to at most two places."""
    exact = Fraction(value)
    if exact.denominator == 1:
        return str(exact.numerator)
    return format(_rounded(exact, 2).normalize(), "f")


def _percent(part: int | Fraction, whole: int | Fraction) -> Decimal:
    return _rounded(Fraction(part) * PERCENT / Fraction(whole), PERCENT_PLACES)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


# --- Caseload settings and measures ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadSettings:
    """An area's caseload ratio, high-risk cap and case weights (see ``DEFAULTS``).

    ``high_risk_cap_percent`` is a whole number per cent so that the cap is
    compared exactly. Weights are positive decimals; a case's units are its
    location weight times its management-level weight.
    """

    ratio_cases_per_officer: int = RATIO_CASES_PER_OFFICER
    high_risk_cap_percent: int = HIGH_RISK_CAP_PERCENT
    weight_community: Decimal = DEFAULT_WEIGHT
    weight_custody: Decimal = DEFAULT_WEIGHT
    weight_approved_premises: Decimal = DEFAULT_WEIGHT
    weight_level_2: Decimal = DEFAULT_WEIGHT
    weight_level_3: Decimal = DEFAULT_WEIGHT

    def __post_init__(self) -> None:
        _whole("ratio_cases_per_officer", self.ratio_cases_per_officer, minimum=1)
        _whole("high_risk_cap_percent", self.high_risk_cap_percent, minimum=0, maximum=PERCENT)
        for name in WEIGHT_FIELDS:
            object.__setattr__(self, name, _weight(name, getattr(self, name)))

    def location_weight(self, location: str) -> Decimal:
        return {
            COMMUNITY: self.weight_community,
            CUSTODY: self.weight_custody,
            APPROVED_PREMISES: self.weight_approved_premises,
        }[location]

    def level_weight(self, level: int) -> Decimal:
        return {1: DEFAULT_WEIGHT, 2: self.weight_level_2, 3: self.weight_level_3}[level]

    @property
    def default_weights(self) -> bool:
        return all(getattr(self, name) == DEFAULT_WEIGHT for name in WEIGHT_FIELDS)


WEIGHT_FIELDS = (
    "weight_community",
    "weight_custody",
    "weight_approved_premises",
    "weight_level_2",
    "weight_level_3",
)
DEFAULT_CASELOAD_SETTINGS = CaseloadSettings()


@dataclass(frozen=True)
class CaseFacts:
    """One case an officer manages, as it bears on the caseload measures.

    ``location``: community, custody or approved_premises (a person living in
    an Approved Premises is in the community and counts as community too).
    ``rosh``: risk of serious harm as recorded (low, medium, high, very_high,
    not_known). ``management_level``: MAPPA level 1, 2 or 3.
    """

    location: str = COMMUNITY
    rosh: str = NOT_KNOWN
    management_level: int = 1

    def __post_init__(self) -> None:
        if self.location not in CASE_LOCATIONS:
            raise RuleInputError("location", f"Choose a location: {', '.join(CASE_LOCATIONS)}")
        if self.rosh not in ROSH_LEVELS:
            raise RuleInputError("rosh", f"Choose a risk of serious harm: {', '.join(ROSH_LEVELS)}")
        if isinstance(self.management_level, bool) or self.management_level not in LEVELS:
            raise RuleInputError("management_level", "Choose a MAPPA management level: 1, 2 or 3")

    @property
    def high_risk(self) -> bool:
        return self.rosh in HIGH_RISK


@dataclass(frozen=True)
class CaseloadMeasure:
    """One officer's caseload against the area's ratio and high-risk cap.

    ``community_cases`` includes the ``approved_premises_cases``.
    ``high_risk_allowed`` is the most high-risk cases the cap allows for this
    many cases; ``over_high_risk_cap_by`` is how many high-risk cases are
    above it; ``over_ratio_by`` is how many units are above the ratio.
    """

    cases: int
    weighted_units: Decimal
    high_risk_cases: int
    high_risk_percent: Decimal
    rosh_not_known_cases: int
    community_cases: int
    custody_cases: int
    approved_premises_cases: int
    high_risk_in_approved_premises: int
    ratio_cases_per_officer: int
    high_risk_cap_percent: int
    high_risk_allowed: int
    over_ratio: bool
    over_ratio_by: Decimal
    over_high_risk_cap: bool
    over_high_risk_cap_by: int
    reasons: tuple[str, ...]
    working: tuple[Step, ...]

    @property
    def over(self) -> bool:
        """Over by volume or by share of high risk: the officer takes no new allocations this cycle."""
        return self.over_ratio or self.over_high_risk_cap


def _high_risk_allowed(cases: int, cap_percent: int) -> int:
    return cap_percent * cases // PERCENT


def _ratio_sentence(cases: int, units: Decimal, ratio: int, over_by: Decimal) -> str:
    if units == cases:
        return f"{_plural(cases, 'case')}, {_show(over_by)} more than the area's ratio of {ratio} per officer"
    return (
        f"{_plural(cases, 'case')} weighing {_show(units)} units, {_show(over_by)} more than the area's ratio of "
        f"{ratio} per officer"
    )


def _cap_sentence(high: int, cases: int, percent: Decimal, allowed: int, cap: int, in_ap: int) -> str:
    sentence = (
        f"{high} of {_plural(cases, 'case')} ({percent}%) are at high or very high risk of serious harm, "
        f"{high - allowed} more than the {allowed} the area's {cap}% cap allows"
    )
    if in_ap:
        sentence += f"; {in_ap} of them in Approved Premises"
    return sentence


def caseload_measure(
    cases: Iterable[CaseFacts], settings: CaseloadSettings = DEFAULT_CASELOAD_SETTINGS
) -> CaseloadMeasure:
    """One officer's caseload: counts, weighted units, high-risk share, and whether and why it is over."""
    if isinstance(cases, str | bytes | Mapping) or not isinstance(cases, Iterable):
        raise RuleInputError("cases", "Give the officer's cases as a list of cases")
    listed = list(cases)
    for case in listed:
        if not isinstance(case, CaseFacts):
            raise RuleInputError("cases", "Each case must be given with its location, risk and level")
    n = len(listed)
    units = sum(
        (settings.location_weight(c.location) * settings.level_weight(c.management_level) for c in listed),
        Decimal(0),
    )
    custody = sum(1 for c in listed if c.location == CUSTODY)
    in_ap = sum(1 for c in listed if c.location == APPROVED_PREMISES)
    high = sum(1 for c in listed if c.high_risk)
    high_in_ap = sum(1 for c in listed if c.high_risk and c.location == APPROVED_PREMISES)
    not_known = sum(1 for c in listed if c.rosh == NOT_KNOWN)
    ratio, cap = settings.ratio_cases_per_officer, settings.high_risk_cap_percent
    allowed = _high_risk_allowed(n, cap)
    percent = _percent(high, n) if n else _rounded(Fraction(0), PERCENT_PLACES)
    over_ratio = units > ratio
    over_ratio_by = units - ratio if over_ratio else Decimal(0)
    over_cap = high * PERCENT > cap * n
    over_cap_by = high - allowed if over_cap else 0

    working = [
        Step(
            f"The area's caseload ratio is 1 officer to {ratio} and its high-risk cap is {cap}% "
            "(area settings; there is no national ratio)",
            f"{SOURCE_WEST_MIDLANDS}; {SOURCE_NO_RATIO}",
        ),
        Step(
            f"{_plural(n, 'case')}: {n - custody} in the community (of which {in_ap} in Approved Premises) "
            f"and {custody} in custody"
        ),
    ]
    if settings.default_weights:
        working.append(Step(f"Each case is one unit: {_show(units)} units", SOURCE_WEIGHTS))
    else:
        working.append(
            Step(
                "Each case weighs its location weight (community "
                f"{_show(settings.weight_community)}, custody {_show(settings.weight_custody)}, Approved Premises "
                f"{_show(settings.weight_approved_premises)}) times its level weight (Level 1 1, Level 2 "
                f"{_show(settings.weight_level_2)}, Level 3 {_show(settings.weight_level_3)}): "
                f"{_show(units)} units",
                SOURCE_WEIGHTS,
            )
        )
    working.append(
        Step(
            f"{_show(units)} units against the ratio of {ratio}: "
            + (f"over by {_show(over_ratio_by)}" if over_ratio else "within it (exactly the ratio is not over)"),
            SOURCE_SAFEGUARD,
        )
    )
    working.append(
        Step(
            f"{high} of {_plural(n, 'case')} at high or very high RoSH ({percent}%); the {cap}% cap allows at most "
            f"{allowed}: " + (f"over by {over_cap_by}" if over_cap else "within it"),
            SOURCE_SAFEGUARD,
        )
    )
    if not_known:
        working.append(
            Step(f"{_plural(not_known, 'case')} with RoSH not known, not counted as high risk: record the RoSH")
        )

    reasons = []
    if over_ratio:
        reasons.append(_ratio_sentence(n, units, ratio, over_ratio_by))
    if over_cap:
        reasons.append(_cap_sentence(high, n, percent, allowed, cap, high_in_ap))
    return CaseloadMeasure(
        cases=n,
        weighted_units=units,
        high_risk_cases=high,
        high_risk_percent=percent,
        rosh_not_known_cases=not_known,
        community_cases=n - custody,
        custody_cases=custody,
        approved_premises_cases=in_ap,
        high_risk_in_approved_premises=high_in_ap,
        ratio_cases_per_officer=ratio,
        high_risk_cap_percent=cap,
        high_risk_allowed=allowed,
        over_ratio=over_ratio,
        over_ratio_by=over_ratio_by,
        over_high_risk_cap=over_cap,
        over_high_risk_cap_by=over_cap_by,
        reasons=tuple(reasons),
        working=tuple(working),
    )


@dataclass(frozen=True)
class TeamMeasure:
    """A team's (or an area's) caseloads added up, and which officers are over.

    ``officers_over_ratio`` and ``officers_over_high_risk_cap`` hold the keys
    of the measures given (the mapping's keys, or positions in a list).
    ``capacity_units`` is the officers times the ratio.
    """

    officers: int
    cases: int
    weighted_units: Decimal
    high_risk_cases: int
    high_risk_percent: Decimal
    community_cases: int
    custody_cases: int
    approved_premises_cases: int
    capacity_units: int
    over_ratio: bool
    over_ratio_by: Decimal
    high_risk_allowed: int
    over_high_risk_cap: bool
    over_high_risk_cap_by: int
    average_units_per_officer: Decimal
    largest_caseload: int
    officers_over_ratio: tuple[Hashable, ...]
    officers_over_high_risk_cap: tuple[Hashable, ...]
    working: tuple[Step, ...]


def team_measure(
    measures: Mapping[Hashable, CaseloadMeasure] | Sequence[CaseloadMeasure],
    settings: CaseloadSettings = DEFAULT_CASELOAD_SETTINGS,
) -> TeamMeasure:
    """Officer measures added up for a team or area, against the ratio times the officers and the same cap."""
    if isinstance(measures, Mapping):
        items = list(measures.items())
    elif isinstance(measures, Sequence) and not isinstance(measures, str | bytes):
        items = list(enumerate(measures))
    else:
        raise RuleInputError("measures", "Give the officers' caseload measures as a list or by officer")
    for _, m in items:
        if not isinstance(m, CaseloadMeasure):
            raise RuleInputError("measures", "Each officer's figures must be a caseload measure")
    officers = len(items)
    cases = sum(m.cases for _, m in items)
    units = sum((m.weighted_units for _, m in items), Decimal(0))
    high = sum(m.high_risk_cases for _, m in items)
    ratio, cap = settings.ratio_cases_per_officer, settings.high_risk_cap_percent
    capacity = officers * ratio
    over_ratio = units > capacity
    allowed = _high_risk_allowed(cases, cap)
    over_cap = high * PERCENT > cap * cases
    percent = _percent(high, cases) if cases else _rounded(Fraction(0), PERCENT_PLACES)
    average = _rounded(Fraction(units) / officers, 1) if officers else _rounded(Fraction(0), 1)
    over_ratio_keys = tuple(k for k, m in items if m.over_ratio)
    over_cap_keys = tuple(k for k, m in items if m.over_high_risk_cap)
    working = (
        Step(
            f"{_plural(officers, 'officer')} with {_plural(cases, 'case')} ({_show(units)} units); "
            f"{_plural(len(over_ratio_keys), 'officer')} over the ratio, "
            f"{_plural(len(over_cap_keys), 'officer')} over the high-risk cap"
        ),
        Step(
            f"{_show(units)} units against {officers} × {ratio} = {capacity}: "
            + (f"over by {_show(units - capacity)}" if over_ratio else "within it"),
            f"{SOURCE_WEST_MIDLANDS}; {SOURCE_SAFEGUARD}",
        ),
        Step(
            f"{high} of {_plural(cases, 'case')} at high or very high RoSH ({percent}%); the {cap}% cap allows "
            f"{allowed}: " + (f"over by {high - allowed}" if over_cap else "within it"),
            SOURCE_SAFEGUARD,
        ),
    )
    return TeamMeasure(
        officers=officers,
        cases=cases,
        weighted_units=units,
        high_risk_cases=high,
        high_risk_percent=percent,
        community_cases=sum(m.community_cases for _, m in items),
        custody_cases=sum(m.custody_cases for _, m in items),
        approved_premises_cases=sum(m.approved_premises_cases for _, m in items),
        capacity_units=capacity,
        over_ratio=over_ratio,
        over_ratio_by=units - capacity if over_ratio else Decimal(0),
        high_risk_allowed=allowed,
        over_high_risk_cap=over_cap,
        over_high_risk_cap_by=high - allowed if over_cap else 0,
        average_units_per_officer=average,
        largest_caseload=max((m.cases for _, m in items), default=0),
        officers_over_ratio=over_ratio_keys,
        officers_over_high_risk_cap=over_cap_keys,
        working=working,
    )


# --- Probation workload measurement ---------------------------------------------------------------


def _tier_code(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > TIER_CODE_MAX_LENGTH:
        raise RuleInputError("tier", f"Enter a tier code of 1 to {TIER_CODE_MAX_LENGTH} characters")
    return value.strip().upper()


@dataclass(frozen=True)
class PointTable:
    """Points per case by case type and tier: an area setting.

    Give ``points`` as ``{case_type: {tier: points}}`` (as :meth:`to_dict`
    writes it); it is held as a sorted tuple of (case type, tier, points).
    Tier codes are upper-cased. Every case type must have at least one tier.
    """

    points: tuple[tuple[str, str, int], ...]
    name: str = "area point table"

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", self._checked(self.points))

    @staticmethod
    def _checked(points: object) -> tuple[tuple[str, str, int], ...]:
        name = "point_table"
        rows: list[tuple[str, str, int]] = []
        if isinstance(points, Mapping):
            for case_type, tiers in points.items():
                if not isinstance(tiers, Mapping):
                    raise RuleInputError(name, "Give each case type's points as tier and points")
                rows.extend((case_type, tier, value) for tier, value in tiers.items())
        elif isinstance(points, Iterable) and not isinstance(points, str | bytes):
            for row in points:
                if isinstance(row, str | bytes) or not isinstance(row, Iterable) or len(row := tuple(row)) != 3:
                    raise RuleInputError(name, "Give each row as case type, tier and points")
                rows.append(row)
        else:
            raise RuleInputError(name, "Give the point table as points per tier for each case type")
        seen: set[tuple[str, str]] = set()
        out = []
        for case_type, tier, value in rows:
            if case_type not in CASE_TYPES:
                raise RuleInputError(name, f"Use the case types {', '.join(CASE_TYPES)}")
            try:
                code = _tier_code(tier)
            except RuleInputError as err:
                raise RuleInputError(name, err.message) from None
            if (case_type, code) in seen:
                raise RuleInputError(name, f"Tier {code} is given twice for {case_type} cases")
            seen.add((case_type, code))
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise RuleInputError(name, f"Tier {code}, {case_type}: enter the points as a whole number of 0 or more")
            out.append((case_type, code, value))
        missing = [t for t in CASE_TYPES if not any(row[0] == t for row in out)]
        if missing:
            raise RuleInputError(name, f"Give points for {', '.join(missing)} cases")
        return tuple(sorted(out))

    def to_dict(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {t: {} for t in CASE_TYPES}
        for case_type, tier, value in self.points:
            table[case_type][tier] = value
        return table

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, int]], name: str = "area point table") -> PointTable:
        return cls(points=data, name=name)  # type: ignore[arg-type]  # __post_init__ holds it as a sorted tuple

    def lookup(self, case_type: str, tier: str) -> int | None:
        for row_type, row_tier, value in self.points:
            if (row_type, row_tier) == (case_type, tier):
                return value
        return None


# The placeholder: tiers A3 to D0 (letter: risk of serious harm, A highest; number: 3 highest).
# Community and licence points are 4 per harm step (D=1 to A=4) plus 1 per likelihood step (0=1 to 3=4);
# custody is half that, rounded down. An illustrative ordering only, NOT HMPPS's table.
_HARM_STEPS = {"A": 4, "B": 3, "C": 2, "D": 1}
_PLACEHOLDER_TIERS = {f"{letter}{n}": 4 * harm + n + 1 for letter, harm in _HARM_STEPS.items() for n in range(4)}
DEFAULT_POINT_TABLE = PointTable.from_dict(
    {
        COMMUNITY: dict(_PLACEHOLDER_TIERS),
        CUSTODY: {tier: value // 2 for tier, value in _PLACEHOLDER_TIERS.items()},
        LICENCE: dict(_PLACEHOLDER_TIERS),
    },
    name="Safeguard placeholder (not HMPPS's table)",
)

DEFAULTS = (
    Default(
        "ratio_cases_per_officer",
        RATIO_CASES_PER_OFFICER,
        SOURCE_WEST_MIDLANDS,
        Status.LOCAL,
        "No national ratio exists; the 2022 joint inspection found 50-100 cases per police offender manager. "
        "Exactly the ratio is within it.",
    ),
    Default(
        "high_risk_cap_percent",
        HIGH_RISK_CAP_PERCENT,
        SOURCE_WEST_MIDLANDS,
        Status.LOCAL,
        "Whole per cent of cases at high or very high RoSH; exactly the cap is within it. Surrey aims for the same.",
    ),
    *(
        Default(name, DEFAULT_WEIGHT, SOURCE_WEIGHTS, Status.SAFEGUARD, "No published weights; one case = one unit.")
        for name in WEIGHT_FIELDS
    ),
    Default(
        "point_table",
        DEFAULT_POINT_TABLE.to_dict(),
        SOURCE_PLACEHOLDER,
        Status.UNCONFIRMED,
        "A placeholder so the model runs: tiers A3-D0, graded by harm then likelihood. HMPPS's own points are not "
        "shipped; an area must load its table before relying on capacity figures.",
    ),
)


def available_points(
    nominal_target: Number, default_contracted_hours: Number, contracted_hours: Number, reduction_hours: Number
) -> int:
    """The grade's nominal target scaled by (contracted - reduction) hours over the grade's default hours, truncated.

    Exact arithmetic (fractions, never floats): 100 × 30 / 37 = 81.08... gives 81.
    """
    return _available(nominal_target, default_contracted_hours, contracted_hours, reduction_hours)[0]


def _available(
    nominal_target: Number, default_contracted_hours: Number, contracted_hours: Number, reduction_hours: Number
) -> tuple[int, Step]:
    target = _exact("nominal_target", nominal_target)
    if target <= 0:
        raise RuleInputError("nominal_target", "Enter the grade's nominal target as points more than 0")
    default_hours = _exact("default_contracted_hours", default_contracted_hours)
    if default_hours <= 0 or default_hours > HOURS_IN_WEEK:
        raise RuleInputError(
            "default_contracted_hours", f"Enter the grade's default weekly hours: more than 0, at most {HOURS_IN_WEEK}"
        )
    hours = _exact("contracted_hours", contracted_hours)
    if hours < 0 or hours > HOURS_IN_WEEK:
        raise RuleInputError("contracted_hours", f"Enter the weekly contracted hours: 0 to {HOURS_IN_WEEK}")
    reduction = _exact("reduction_hours", reduction_hours)
    if reduction < 0:
        raise RuleInputError("reduction_hours", "Enter the reduction hours as 0 or more")
    if reduction > hours:
        raise RuleInputError("reduction_hours", "Reduction hours cannot be more than the contracted hours")
    exact = target * (hours - reduction) / default_hours
    points = math.floor(exact)  # truncation: the value is never negative
    step = Step(
        f"Available points: nominal target {_show(target)} × (contracted {_show(hours)} − reduction "
        f"{_show(reduction)} hours) ÷ default {_show(default_hours)} hours = {_show(exact)}, truncated to {points}",
        f"{SOURCE_HMPPS}: available points",
    )
    return points, step


def _capacity(total: int, available: int) -> Decimal:
    return _percent(total, available)


def capacity_percent(total_points: int, available_points: int) -> Decimal:
    """Total points over available points × 100, rounded half up to one decimal place.

    Available points of 0 leave capacity undefined: RuleInputError on ``available_points``.
    """
    total = _whole("total_points", total_points)
    available = _whole("available_points", available_points)
    if available == 0:
        raise RuleInputError(
            "available_points", "With no available points capacity cannot be a percentage: check hours and reductions"
        )
    return _capacity(total, available)


def case_points(tier: str, case_type: str, point_table: PointTable = DEFAULT_POINT_TABLE) -> int:
    """The points a case scores in the area's table for its tier and case type (community, custody, licence)."""
    if case_type not in CASE_TYPES:
        raise RuleInputError("case_type", f"Choose a case type: {', '.join(CASE_TYPES)}")
    if not isinstance(point_table, PointTable):
        raise RuleInputError("point_table", "Give the area's point table")
    code = _tier_code(tier)
    points = point_table.lookup(str(case_type), code)
    if points is None:
        raise RuleInputError(
            "tier", f"This tier has no points for {case_type} cases in the area's table: check it or add it"
        )
    return points


@dataclass(frozen=True)
class WorkloadCapacity:
    """Available points and capacity (None when there are no available points); over capacity above 100%."""

    available_points: int
    capacity_percent: Decimal | None
    over_capacity: bool
    working: tuple[Step, ...]


def workload_capacity(
    nominal_target: Number,
    default_contracted_hours: Number,
    contracted_hours: Number,
    reduction_hours: Number,
    total_points: int,
) -> WorkloadCapacity:
    """Available points from the hours, and capacity as total points over them (for the workload-capacity API)."""
    available, step = _available(nominal_target, default_contracted_hours, contracted_hours, reduction_hours)
    total = _whole("total_points", total_points)
    working = [step]
    if available == 0:
        percent = None
        over = total > 0
        working.append(
            Step(
                f"No available points, so capacity is not a percentage; {total} points held: "
                + ("over capacity" if over else "nothing held"),
                SOURCE_SAFEGUARD,
            )
        )
    else:
        percent = _capacity(total, available)
        over = total > available
        working.append(
            Step(
                f"Capacity: {total} ÷ {available} × 100 = {percent}% (half up to one decimal place): "
                + ("over capacity" if over else "within capacity (100% is not over)"),
                f"{SOURCE_HMPPS}: capacity",
            )
        )
    return WorkloadCapacity(
        available_points=available, capacity_percent=percent, over_capacity=over, working=tuple(working)
    )


@dataclass(frozen=True)
class AllocationImpact:
    """Capacity before and after a proposed case is allocated."""

    before_percent: Decimal
    after_percent: Decimal
    after_total_points: int
    over_capacity_after: bool
    working: tuple[Step, ...]


def impact_of_allocation(current_total_points: int, available_points: int, case_points: int) -> AllocationImpact:
    """The "impact of allocation": capacity now, and with the proposed case's points added."""
    current = _whole("current_total_points", current_total_points)
    available = _whole("available_points", available_points)
    points = _whole("case_points", case_points)
    if available == 0:
        raise RuleInputError(
            "available_points", "With no available points capacity cannot be a percentage: check hours and reductions"
        )
    after_total = current + points
    before, after = _capacity(current, available), _capacity(after_total, available)
    over = after_total > available
    working = (
        Step(f"Now: {current} ÷ {available} points = {before}%", f"{SOURCE_HMPPS}: capacity"),
        Step(
            f"With the proposed case ({points} points): {after_total} ÷ {available} = {after}%: "
            + ("over capacity" if over else "within capacity"),
            f"{SOURCE_HMPPS}: impact of allocation",
        ),
    )
    return AllocationImpact(
        before_percent=before,
        after_percent=after,
        after_total_points=after_total,
        over_capacity_after=over,
        working=working,
    )
