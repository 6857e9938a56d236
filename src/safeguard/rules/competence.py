"""Training and competence: what an officer's course records allow them to do on a given day.

Sources (summarised in docs/sources/workforce.md and mappa.md):

- The 2022 joint inspection ("Twenty years on, is MAPPA achieving its
  objectives?", HMI Probation with HMICFRS and HMI Prisons, July 2022),
  Recommendation 18: every Level 2/3 nominal is allocated to a **suitably
  trained** police offender manager [C]; Recommendation 15: a training
  strategy for everyone in MAPPA [C]. The inspection does not name a course.
- The seed documents' training table [L]: MOSOVO (Management of Sexual or
  Violent Offenders, College of Policing approved) for every offender
  manager, with new joiners working with an experienced **buddy** until
  trained; ARMS for offender managers doing ARMS assessments; ViSOR for every
  ViSOR user; MAPPA chair training and CPD for chairs; standing panel CPD;
  DA CPD; digital investigation; MARAC referral into MAPPA.
- Chairs: HMICFRS describes a chair as "an inspector (or equivalent)", and "a
  superintendent (or equivalent)" for the highest risk [C]; the West
  Midlands has Inspectors chair Level 1/2 meetings and Chief Inspectors
  Level 3, and chairs must be MAPPA trained (seed) [L]. The chair's rank per
  level is a setting of the area (mappa.md); the defaults are the West
  Midlands'.

So every requirement here is a :class:`CompetenceSettings` field listed in
``DEFAULTS``: "suitably trained" is read as MOSOVO (the seed's course,
status LOCAL), and the rest follow the seed.

Decisions Safeguard had to make (the sources are silent):

- **Expiry day.** A completion counts from the day it was completed (a
  course completed today counts today) **until the day before** its
  ``expires_on``: ``expires_on`` is the first day on which it no longer
  counts, so a course that "expires today" does **not** count today. This is
  the cautious reading for decisions about who may hold Level 3 nominals or
  chair a meeting; a form recording the date should label it "no longer valid
  from". It matches a refresh period counted as a period *beginning with* the
  day of completion (``rules.dates``): a course completed on 1 May 2024 with
  a 12-month refresh counts until 30 April 2025 and expires on 1 May 2025.
- **Refresh periods.** The domain file gives no national refresh periods, so
  by default no course expires (``refresh_months`` empty, status LOCAL: each
  force sets its own). A completion's own ``expires_on`` (from its
  certificate) is used when recorded; otherwise the area's refresh period for
  the course, if any, gives the expiry (completed_on + months, a 29 February
  completion + 12 months expiring on 28 February, as ``rules.dates`` does).
- Several completions of a course: the course counts if any one counts;
  the expiry shown is the latest.
- **Probation grades.** No published table matches probation grades to
  police ranks. The default treats a Senior Probation Officer as an
  Inspector (from the seed's pairing of a Detective Inspector with an SPO for
  peer review of meetings; status UNCONFIRMED) and sets no equivalent for
  other grades, which therefore cannot chair until the area sets one.
- Detective ranks are the same rank as the uniformed rank (a Detective
  Inspector is an Inspector). Ranks of the Metropolitan Police and City of
  London above Chief Superintendent are not modelled.
- A rank or grade that is not recognised (free text) is not an error: the
  officer simply cannot be matched to a chair's rank, and the gaps say so.
- A new joiner "without MOSOVO" is anyone without a counting MOSOVO
  completion on the day, so a lapsed MOSOVO also means working with a buddy
  until it is refreshed; the working says which.

:func:`rank_code` is a primitive returning a plain code (or None), so the
Django side can map the free-text rank it holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from safeguard.rules.dates import add_months
from safeguard.rules.working import Default, RuleInputError, Status, Step

__all__ = [
    "COURSES",
    "DEFAULTS",
    "DEFAULT_COMPETENCE_SETTINGS",
    "POLICE_RANKS",
    "PROBATION_GRADES",
    "BuddyFinding",
    "Competence",
    "CompetenceSettings",
    "Completion",
    "competence",
    "needs_buddy",
    "rank_code",
]

SOURCE_REC18 = (
    "2022 MAPPA joint inspection, Recommendation 18 (every Level 2/3 nominal allocated to a suitably trained "
    "police offender manager); the course is the seed's MOSOVO"
)
SOURCE_SEED = "Safeguard's starting training table (force practice)"
SOURCE_BUDDY = (
    "Safeguard's starting training table (force practice): new joiners work with an experienced buddy until trained"
)
SOURCE_CHAIR = (
    "West Midlands practice (seed): Inspectors chair Level 1/2, Chief Inspectors Level 3, chairs MAPPA trained; "
    "HMICFRS: 'an inspector (or equivalent)'"
)
SOURCE_EQUIVALENTS = (
    "No published equivalence of probation grades to police ranks; SPO as Inspector from the seed's pairing of a "
    "Detective Inspector with a Senior Probation Officer for peer review"
)
SOURCE_REFRESH = "No national refresh periods are given: each force sets its own"
SOURCE_SAFEGUARD = "Safeguard's reading (the sources are silent)"

MOSOVO = "mosovo"
ARMS = "arms"
VISOR = "visor"
MAPPA_CHAIR = "mappa_chair"
STANDING_PANEL_CPD = "standing_panel_cpd"
DA_CPD = "da_cpd"
DIGITAL_INVESTIGATION = "digital_investigation"
MARAC_TO_MAPPA_REFERRAL = "marac_to_mappa_referral"

COURSES = {
    MOSOVO: "MOSOVO (Management of Sexual or Violent Offenders)",
    ARMS: "ARMS (Active Risk Management System)",
    VISOR: "ViSOR",
    MAPPA_CHAIR: "MAPPA chair training and CPD",
    STANDING_PANEL_CPD: "Standing MAPPA panel CPD",
    DA_CPD: "Domestic abuse CPD",
    DIGITAL_INVESTIGATION: "Digital investigation (devices)",
    MARAC_TO_MAPPA_REFERRAL: "MARAC referral into MAPPA",
}

# Police ranks of England and Wales, lowest first (detective ranks are the same ranks).
CONSTABLE = "constable"
SERGEANT = "sergeant"
INSPECTOR = "inspector"
CHIEF_INSPECTOR = "chief_inspector"
SUPERINTENDENT = "superintendent"
CHIEF_SUPERINTENDENT = "chief_superintendent"
POLICE_RANKS = {
    CONSTABLE: "Constable",
    SERGEANT: "Sergeant",
    INSPECTOR: "Inspector",
    CHIEF_INSPECTOR: "Chief Inspector",
    SUPERINTENDENT: "Superintendent",
    CHIEF_SUPERINTENDENT: "Chief Superintendent",
    "assistant_chief_constable": "Assistant Chief Constable",
    "deputy_chief_constable": "Deputy Chief Constable",
    "chief_constable": "Chief Constable",
}
RANK_ORDER = {code: position for position, code in enumerate(POLICE_RANKS)}

PROBATION_GRADES = {
    "pso": "Probation Services Officer (PSO)",
    "pqip": "Trainee Probation Officer (PQiP)",
    "po": "Probation Officer (PO)",
    "spo": "Senior Probation Officer (SPO)",
}

_ALIASES = {
    "pc": CONSTABLE,
    "dc": CONSTABLE,
    "ps": SERGEANT,
    "sgt": SERGEANT,
    "ds": SERGEANT,
    "insp": INSPECTOR,
    "di": INSPECTOR,
    "ci": CHIEF_INSPECTOR,
    "dci": CHIEF_INSPECTOR,
    "chief insp": CHIEF_INSPECTOR,
    "supt": SUPERINTENDENT,
    "dsupt": SUPERINTENDENT,
    "dsu": SUPERINTENDENT,
    "ch supt": CHIEF_SUPERINTENDENT,
    "chief supt": CHIEF_SUPERINTENDENT,
    "csupt": CHIEF_SUPERINTENDENT,
    "dcs": CHIEF_SUPERINTENDENT,
    "acc": "assistant_chief_constable",
    "dcc": "deputy_chief_constable",
    "cc": "chief_constable",
    "probation services officer": "pso",
    "probation service officer": "pso",
    "trainee probation officer": "pqip",
    "probation officer": "po",
    "senior probation officer": "spo",
}
_PREFIXES = ("detective ", "det ", "police ")

LEVELS = (1, 2, 3)
MAX_REFRESH_MONTHS = 120  # a sanity limit on settings, not guidance

HOLD_PURPOSE = "to hold Level 2 and 3 nominals"
ARMS_PURPOSE = "to complete ARMS assessments"
CHAIR_PURPOSE = "to chair MAPPA meetings"


def rank_code(text: str | None) -> str | None:
    """A police rank or probation grade code for a rank as written ("DCI", "Detective Inspector", "SPO").

    None when nothing is written or the rank is not recognised.
    """
    if not isinstance(text, str):
        return None
    words = re.sub(r"[^a-z]+", " ", text.lower()).strip()
    for candidate in (words, *(words[len(p) :] for p in _PREFIXES if words.startswith(p))):
        code = candidate.replace(" ", "_")
        if code in POLICE_RANKS or code in PROBATION_GRADES:
            return code
        if candidate in _ALIASES:
            return _ALIASES[candidate]
    return None


def _rank_label(code: str | None) -> str:
    return POLICE_RANKS.get(code or "") or PROBATION_GRADES[code or ""]


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _levels_text(levels: Iterable[int]) -> str:
    ordered = sorted(levels)
    if len(ordered) == 1:
        return f"Level {ordered[0]}"
    return "Level " + ", ".join(str(n) for n in ordered[:-1]) + f" and {ordered[-1]}"


def _check_date(field_name: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise RuleInputError(field_name, "Enter a date")
    return value


def _course_set(field_name: str, value: object) -> frozenset[str]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise RuleInputError(field_name, "Give the courses as a list of course codes")
    courses = frozenset(value)
    unknown = [c for c in courses if c not in COURSES]
    if unknown:
        raise RuleInputError(field_name, f"Use the course codes: {', '.join(COURSES)}")
    if not courses:
        raise RuleInputError(field_name, "Choose at least one course")
    return courses


def _pairs(field_name: str, value: object) -> list[tuple[object, object]]:
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        pairs = []
        for pair in value:
            if isinstance(pair, str | bytes) or not isinstance(pair, Iterable) or len(pair := tuple(pair)) != 2:
                raise RuleInputError(field_name, "Give each entry as a pair")
            pairs.append(pair)
        return pairs
    raise RuleInputError(field_name, "Give the entries as pairs")


@dataclass(frozen=True)
class CompetenceSettings:
    """Which courses and ranks allow what, and each course's refresh period (see ``DEFAULTS``).

    ``probation_equivalents`` and ``refresh_months`` may be given as
    mappings (grade to police rank; course to months); they are held as
    sorted tuples of pairs. A course with no refresh period never expires
    unless its completion records an expiry.
    """

    hold_level_2_3_courses: frozenset[str] = frozenset({MOSOVO})
    arms_courses: frozenset[str] = frozenset({ARMS})
    chair_courses: frozenset[str] = frozenset({MAPPA_CHAIR})
    buddy_until_courses: frozenset[str] = frozenset({MOSOVO})
    chair_min_rank_level_1: str = INSPECTOR
    chair_min_rank_level_2: str = INSPECTOR
    chair_min_rank_level_3: str = CHIEF_INSPECTOR
    probation_equivalents: tuple[tuple[str, str], ...] = (("spo", INSPECTOR),)
    refresh_months: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        for name in ("hold_level_2_3_courses", "arms_courses", "chair_courses", "buddy_until_courses"):
            object.__setattr__(self, name, _course_set(name, getattr(self, name)))
        for level in LEVELS:
            name = f"chair_min_rank_level_{level}"
            if getattr(self, name) not in POLICE_RANKS:
                raise RuleInputError(name, f"Choose a police rank: {', '.join(POLICE_RANKS)}")
        equivalents = []
        for grade, rank in _pairs("probation_equivalents", self.probation_equivalents):
            if grade not in PROBATION_GRADES:
                raise RuleInputError(
                    "probation_equivalents", f"Use the probation grades: {', '.join(PROBATION_GRADES)}"
                )
            if rank not in POLICE_RANKS:
                raise RuleInputError("probation_equivalents", f"Use the police ranks: {', '.join(POLICE_RANKS)}")
            equivalents.append((grade, rank))
        if len({g for g, _ in equivalents}) != len(equivalents):
            raise RuleInputError("probation_equivalents", "Give each probation grade once")
        object.__setattr__(self, "probation_equivalents", tuple(sorted(equivalents)))
        refresh = []
        for course, months in _pairs("refresh_months", self.refresh_months):
            if course not in COURSES:
                raise RuleInputError("refresh_months", f"Use the course codes: {', '.join(COURSES)}")
            if months is None:
                continue
            if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_REFRESH_MONTHS:
                raise RuleInputError(
                    "refresh_months", f"{COURSES[course]}: enter whole months from 1 to {MAX_REFRESH_MONTHS}, or none"
                )
            refresh.append((course, months))
        if len({c for c, _ in refresh}) != len(refresh):
            raise RuleInputError("refresh_months", "Give each course once")
        object.__setattr__(self, "refresh_months", tuple(sorted(refresh)))

    def chair_min_rank(self, level: int) -> str:
        return str(getattr(self, f"chair_min_rank_level_{level}"))

    def refresh_for(self, course: str) -> int | None:
        return dict(self.refresh_months).get(course)

    def equivalent_of(self, grade: str) -> str | None:
        return dict(self.probation_equivalents).get(grade)


DEFAULT_COMPETENCE_SETTINGS = CompetenceSettings()

DEFAULTS = (
    Default(
        "hold_level_2_3_courses",
        sorted(DEFAULT_COMPETENCE_SETTINGS.hold_level_2_3_courses),
        SOURCE_REC18,
        Status.LOCAL,
        "Recommendation 18 [C] asks for a suitably trained police offender manager; it names no course.",
    ),
    Default("arms_courses", sorted(DEFAULT_COMPETENCE_SETTINGS.arms_courses), SOURCE_SEED, Status.LOCAL),
    Default("chair_courses", sorted(DEFAULT_COMPETENCE_SETTINGS.chair_courses), SOURCE_CHAIR, Status.LOCAL),
    Default(
        "buddy_until_courses",
        sorted(DEFAULT_COMPETENCE_SETTINGS.buddy_until_courses),
        SOURCE_BUDDY,
        Status.LOCAL,
    ),
    Default(
        "chair_min_rank_level_1",
        INSPECTOR,
        SOURCE_CHAIR,
        Status.LOCAL,
        "HMICFRS [C]: 'an inspector (or equivalent)'.",
    ),
    Default("chair_min_rank_level_2", INSPECTOR, SOURCE_CHAIR, Status.LOCAL),
    Default(
        "chair_min_rank_level_3",
        CHIEF_INSPECTOR,
        SOURCE_CHAIR,
        Status.LOCAL,
        "HMICFRS [C] speaks of 'a superintendent (or equivalent)' for the highest risk.",
    ),
    Default(
        "probation_equivalents",
        dict(DEFAULT_COMPETENCE_SETTINGS.probation_equivalents),
        SOURCE_EQUIVALENTS,
        Status.UNCONFIRMED,
        "No equivalent is set for PSO, PQiP or PO; they cannot chair until the area sets one.",
    ),
    Default(
        "refresh_months",
        {},
        SOURCE_REFRESH,
        Status.LOCAL,
        "By default no course expires unless its completion records an expiry date.",
    ),
)


@dataclass(frozen=True)
class Completion:
    """One completion of a course: counts from ``completed_on`` until the day before ``expires_on``."""

    course: str
    completed_on: dt.date
    expires_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.course not in COURSES:
            raise RuleInputError("course", f"Choose a course: {', '.join(COURSES)}")
        _check_date("completed_on", self.completed_on)
        if self.expires_on is not None:
            _check_date("expires_on", self.expires_on)
            if self.expires_on <= self.completed_on:
                raise RuleInputError("expires_on", "The expiry date must be after the date the course was completed")


def _completions(completions: object) -> list[Completion]:
    if isinstance(completions, str | bytes | Mapping) or not isinstance(completions, Iterable):
        raise RuleInputError("completions", "Give the course completions as a list")
    listed = list(completions)
    for item in listed:
        if not isinstance(item, Completion):
            raise RuleInputError("completions", "Each completion needs a course and the date it was completed")
    return listed


def _expiry(completion: Completion, settings: CompetenceSettings) -> dt.date | None:
    if completion.expires_on is not None:
        return completion.expires_on
    months = settings.refresh_for(completion.course)
    return None if months is None else add_months(completion.completed_on, months)


@dataclass(frozen=True)
class _CourseState:
    valid: bool
    expires_on: dt.date | None  # latest expiry of a counting completion; None when one never expires
    lapsed_on: dt.date | None  # latest expiry already reached, when the course does not count


def _state(course: str, completions: list[Completion], on: dt.date, settings: CompetenceSettings) -> _CourseState:
    started = [c for c in completions if c.course == course and c.completed_on <= on]
    expiries = [_expiry(c, settings) for c in started]
    counting = [e for e in expiries if e is None or on < e]
    if counting:
        latest = None if None in counting else max(e for e in counting if e is not None)
        return _CourseState(valid=True, expires_on=latest, lapsed_on=None)
    lapsed = [e for e in expiries if e is not None]
    return _CourseState(valid=False, expires_on=None, lapsed_on=max(lapsed) if lapsed else None)


def _course_gap(course: str, state: _CourseState, purposes: list[str]) -> str:
    needed = " and ".join(purposes)
    if state.lapsed_on is not None:
        return f"{COURSES[course]}: expired on {_day(state.lapsed_on)}; needed {needed}"
    return f"{COURSES[course]}: not completed; needed {needed}"


@dataclass(frozen=True)
class Competence:
    """What the records allow on day ``on``, with the gaps in plain sentences.

    ``rank`` is the recognised rank or grade code (None when none is
    recognised); ``chair_rank`` the police rank used for chairing (the rank,
    or the grade's equivalent). ``expiries`` lists the counting courses that
    expire, soonest first, with the first day each no longer counts.
    """

    on: dt.date
    rank: str | None
    chair_rank: str | None
    valid_courses: frozenset[str]
    may_hold_level_2_3: bool
    may_complete_arms: bool
    may_chair_levels: frozenset[int]
    gaps: tuple[str, ...]
    expiries: tuple[tuple[str, dt.date], ...]
    working: tuple[Step, ...]

    def expiring_within(self, days: int) -> tuple[tuple[str, dt.date], ...]:
        """Counting courses that stop counting on one of the next ``days`` days (on + 1 to on + days)."""
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise RuleInputError("days", "Enter the number of days as a whole number of 0 or more")
        limit = self.on + dt.timedelta(days=days)
        return tuple((course, expiry) for course, expiry in self.expiries if expiry <= limit)


def _requirement_step(what: str, courses: frozenset[str], states: dict[str, _CourseState], source: str) -> Step:
    parts = []
    for course in sorted(courses):
        state = states[course]
        if state.valid:
            until = f" until the day before {_day(state.expires_on)}" if state.expires_on else ""
            parts.append(f"{COURSES[course]} counts{until}")
        elif state.lapsed_on:
            parts.append(f"{COURSES[course]} expired on {_day(state.lapsed_on)}")
        else:
            parts.append(f"{COURSES[course]} not completed")
    met = all(states[c].valid for c in courses)
    return Step(f"{what}: {'; '.join(parts)}: {'yes' if met else 'no'}", source)


def _rank_gaps(
    rank: str | None,
    code: str | None,
    chair_rank: str | None,
    rank_levels: frozenset[int],
    settings: CompetenceSettings,
) -> list[str]:
    """What the recorded rank or grade leaves out: an unknown rank, no equivalent, and the levels it cannot chair."""
    gaps = []
    if rank is not None and rank.strip() and code is None:
        gaps.append(
            "The rank or grade recorded is not one Safeguard recognises: record a police rank (Constable to "
            "Chief Constable) or a probation grade (PSO, PQiP, PO, SPO)"
        )
    elif code in PROBATION_GRADES and chair_rank is None:
        gaps.append(
            f"The area has set no police-rank equivalent for the grade {_rank_label(code)}, "
            "so it cannot be matched to a chair's rank"
        )
    elif code is None:
        gaps.append("No rank or grade is recorded, so it cannot be matched to a chair's rank")
    by_minimum: dict[str, list[int]] = {}
    for level in LEVELS:
        if level not in rank_levels:
            by_minimum.setdefault(settings.chair_min_rank(level), []).append(level)
    recorded = ""
    if chair_rank is not None:
        recorded = f"; the rank recorded is {_rank_label(code)}"
        if code != chair_rank:
            recorded += f", treated as {_rank_label(chair_rank)}"
    for minimum, levels in by_minimum.items():
        gaps.append(f"Chairing {_levels_text(levels)} meetings needs {_rank_label(minimum)} or above{recorded}")
    return gaps


def _competence_working(
    listed: list[Completion],
    states: dict[str, _CourseState],
    valid: frozenset[str],
    code: str | None,
    chair_rank: str | None,
    may_chair: frozenset[int],
    on: dt.date,
    settings: CompetenceSettings,
) -> list[Step]:
    """The working of a competence answer: what counts on the day, each requirement, and the chair's rank."""
    working = [
        Step(
            f"On {_day(on)} a completion counts from the day it was completed until the day before it expires: "
            + (", ".join(COURSES[c] for c in COURSES if c in valid) or "no course counts"),
            SOURCE_SAFEGUARD,
        )
    ]
    derived = sorted({c.course for c in listed if c.expires_on is None and settings.refresh_for(c.course)})
    if derived:
        working.append(
            Step(
                "Expiry from the area's refresh period where none is recorded: "
                + ", ".join(f"{COURSES[c]} {settings.refresh_for(c)} months" for c in derived),
                SOURCE_REFRESH,
            )
        )
    working.append(
        _requirement_step("May hold Level 2 and 3 nominals", settings.hold_level_2_3_courses, states, SOURCE_REC18)
    )
    working.append(_requirement_step("May complete ARMS assessments", settings.arms_courses, states, SOURCE_SEED))
    working.append(_requirement_step("Chair training", settings.chair_courses, states, SOURCE_CHAIR))
    minimums = "; ".join(
        f"{_levels_text([lv for lv in LEVELS if settings.chair_min_rank(lv) == m])} {_rank_label(m)} or above"
        for m in dict.fromkeys(settings.chair_min_rank(lv) for lv in LEVELS)
    )
    if chair_rank is None:
        rank_text = "no rank to match"
    elif code == chair_rank:
        rank_text = f"rank {_rank_label(code)}"
    else:
        rank_text = f"grade {_rank_label(code)}, treated as {_rank_label(chair_rank)}"
    working.append(
        Step(
            f"Chair's rank by level: {minimums}; {rank_text}; may chair: "
            + (_levels_text(may_chair) if may_chair else "no level"),
            f"{SOURCE_CHAIR}; {SOURCE_EQUIVALENTS}" if code in PROBATION_GRADES else SOURCE_CHAIR,
        )
    )
    return working


def competence(
    completions: Iterable[Completion],
    rank: str | None,
    on: dt.date,
    settings: CompetenceSettings = DEFAULT_COMPETENCE_SETTINGS,
) -> Competence:
    """Who may hold Level 2/3 nominals, complete ARMS and chair which levels, from the records on day ``on``."""
    _check_date("on", on)
    listed = _completions(completions)
    if rank is not None and not isinstance(rank, str):
        raise RuleInputError("rank", "Enter the rank or grade as text")
    states = {course: _state(course, listed, on, settings) for course in COURSES}
    valid = frozenset(c for c, s in states.items() if s.valid)
    may_hold = settings.hold_level_2_3_courses <= valid
    may_arms = settings.arms_courses <= valid
    chair_trained = settings.chair_courses <= valid

    code = rank_code(rank)
    chair_rank = settings.equivalent_of(code) if code in PROBATION_GRADES else code
    rank_levels = frozenset(
        level
        for level in LEVELS
        if chair_rank is not None and RANK_ORDER[chair_rank] >= RANK_ORDER[settings.chair_min_rank(level)]
    )
    may_chair = rank_levels if chair_trained else frozenset()

    purposes: dict[str, list[str]] = {}
    for courses, purpose in (
        (settings.hold_level_2_3_courses, HOLD_PURPOSE),
        (settings.arms_courses, ARMS_PURPOSE),
        (settings.chair_courses, CHAIR_PURPOSE),
    ):
        for course in sorted(courses):
            if course not in valid:
                purposes.setdefault(course, []).append(purpose)
    gaps = [_course_gap(course, states[course], needed) for course, needed in purposes.items()]

    gaps.extend(_rank_gaps(rank, code, chair_rank, rank_levels, settings))
    working = _competence_working(listed, states, valid, code, chair_rank, may_chair, on, settings)
    expiries = tuple(
        sorted(
            ((c, s.expires_on) for c, s in states.items() if s.valid and s.expires_on is not None),
            key=lambda pair: (pair[1], pair[0]),
        )
    )
    return Competence(
        on=on,
        rank=code,
        chair_rank=chair_rank,
        valid_courses=valid,
        may_hold_level_2_3=may_hold,
        may_complete_arms=may_arms,
        may_chair_levels=may_chair,
        gaps=tuple(gaps),
        expiries=expiries,
        working=tuple(working),
    )


@dataclass(frozen=True)
class BuddyFinding:
    """Whether the officer works with an experienced buddy, and which courses they lack."""

    needs_buddy: bool
    missing_courses: tuple[str, ...]
    working: tuple[Step, ...]


def needs_buddy(
    completions: Iterable[Completion], on: dt.date, settings: CompetenceSettings = DEFAULT_COMPETENCE_SETTINGS
) -> BuddyFinding:
    """An officer without a counting MOSOVO (the area's buddy courses) on day ``on`` works with a buddy."""
    _check_date("on", on)
    listed = _completions(completions)
    missing = []
    parts = []
    for course in sorted(settings.buddy_until_courses):
        state = _state(course, listed, on, settings)
        if state.valid:
            parts.append(f"{COURSES[course]} counts")
            continue
        missing.append(course)
        if state.lapsed_on is not None:
            parts.append(f"{COURSES[course]} expired on {_day(state.lapsed_on)}: a buddy until it is refreshed")
        else:
            parts.append(f"{COURSES[course]} not completed: a buddy until trained")
    return BuddyFinding(
        needs_buddy=bool(missing),
        missing_courses=tuple(missing),
        working=(Step(f"On {_day(on)}: " + "; ".join(parts), SOURCE_BUDDY),),
    )
