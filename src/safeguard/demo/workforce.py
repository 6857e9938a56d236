"""The workforce of the fictional force area: training records, waiting lists, buddies, hours, caseload history.

Everything here is invented for the demo and the tests; no figure is a real
force's or HMPPS's. What it builds, and why it looks the way it does:

- **Officers' profiles** (:func:`profile_for`), decided before any nominal is
  allocated so that allocation can respect them: when each officer joined
  (``Staff.date_joined`` is read as the day they joined the unit), whether
  they hold MOSOVO (most do; a share are **new joiners** without it, and a
  very few hold a MOSOVO that has lapsed), and for probation staff their grade
  (PO or PSO) and weekly hours (some part-time, some with reduction hours).
- **The demo team** (:data:`DEMO_TEAM`): the offender managers of
  supervisor.demo's team besides om.demo, each with a fixed post, so that
  journey 9 of the journeys file is true in every demo world: two officers
  over 50 cases, one over 20% high risk because they cover an Approved
  Premises, four new joiners on the MOSOVO waiting list each with a buddy,
  and room left (under the ratio and the high-risk cap) for next month's
  releases. Their caseloads are generated case by case from the posts
  (:func:`case_plan`), as are om.demo's 30 cases (the README tour) and a set
  of **next month's releases**: nominals in custody, released in the next
  calendar month, with no offender manager yet, in the team's local areas.
  The plan takes the first nominals of the world; a world too small to hold
  it (fewer than :func:`planned_case_count` nominals) has the plan cut short.
- **Everyone else's caseload** is allocated as a supervisor would
  (:class:`OfficerPicker`): Level 2/3 nominals only to MOSOVO-trained officers
  (Recommendation 18; an officer whose MOSOVO has since lapsed keeps theirs,
  which is the gap the training pages show), high-risk probation cases to
  Probation Officers, and each case to the less loaded of two officers drawn
  at random, load being cases over the officer's share of a full-time post.
- **Training records** (:func:`build`): ViSOR for nearly every offender
  manager, MOSOVO for all but the new joiners, ARMS and digital investigation
  for some, DA CPD for one domestic abuse offender manager per division,
  MAPPA chair training for the chairs, MARAC referral awareness for MARAC
  coordinators; a few completions carry an expiry date
  that has passed or falls in the next weeks. Officers who trained in the
  last two years have a completed waiting-list entry and an ended buddy
  behind them; every officer without a counting MOSOVO is on the MOSOVO
  waiting list with a current buddy who holds MOSOVO; a few course places
  are offered by this force and by a neighbouring fictional force.
- **Caseload history** (:func:`snapshot_rows`): twelve month-end
  ``CaseloadSnapshot`` rows per officer, one for each of the twelve months
  before the current one. They are reconstructed as what the monthly task
  would have recorded had the world existed then: an officer's cases at the
  end of a month are the nominals they hold now that were allocated to them
  on or before that day (``allocated_on``), already managed (``managed_from``)
  and not yet ended (``managed_until``), counted by ``rules.workload`` under
  the area's settings. The generator keeps no history of a nominal's location,
  risk or level, so each case is counted as it is today, and a case that
  moved to another officer or ended is not in anyone's history. An officer
  has no snapshot for a month that ended before they joined.
- **Settings and places**: the demo MAPPA area's ``AreaSettings`` with
  probation grade targets for PO and PSO (:data:`DEMO_GRADE_TARGETS`,
  fictional, not HMPPS's), every other setting at its default; probation
  tiers (A3 to D0, as in the placeholder point table of ``rules.workload``)
  for probation-led nominals; coordinates for areas and team bases
  (:data:`LOCAL_AREA_COORDINATES`) somewhere plausible in England.

Deterministic for a seed: every draw comes from the generator's own
``random.Random`` in a fixed order, and no draw depends on database ids.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from safeguard.offenders.models import Location, Nominal, RiskOfSeriousHarm
from safeguard.rules import competence as courses
from safeguard.rules.dates import add_months
from safeguard.rules.workload import (
    APPROVED_PREMISES,
    COMMUNITY,
    CUSTODY,
    CaseFacts,
    CaseloadSettings,
    caseload_measure,
)
from safeguard.workforce.models import (
    AreaSettings,
    Buddy,
    CaseloadSnapshot,
    Course,
    CoursePlace,
    TrainingCompletion,
    WaitingListEntry,
)

from .signins import CASELOAD, OFFENDER_MANAGER

if TYPE_CHECKING:
    from .organisation import Organisation

# --- Geography ------------------------------------------------------------------------------------
# Fictional places at plausible points in the English Midlands (degrees). The North Division's local
# areas (Amberwick, Dunmarsh, Hollinsea) lie together in the north, near the demo team's base.
LOCAL_AREA_COORDINATES = {
    "Amberwick": (53.021, -2.047),
    "Brindlemoor": (52.803, -2.151),
    "Corvale": (52.552, -2.018),
    "Dunmarsh": (52.978, -1.804),
    "Fernholt": (52.741, -1.862),
    "Greywater": (52.493, -1.781),
    "Hollinsea": (53.084, -2.281),
}
TEAM_BASE_OFFSET = 0.012  # degrees between the bases of teams working from the same town (about a kilometre)


def centre(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    listed = list(points)
    return (
        round(sum(p[0] for p in listed) / len(listed), 4),
        round(sum(p[1] for p in listed) / len(listed), 4),
    )


def team_base(town: tuple[float, float], index: int) -> tuple[float, float]:
    """The base of the ``index``-th team working from a town: the town, then a short step east each."""
    return round(town[0], 4), round(town[1] + TEAM_BASE_OFFSET * index, 4)


# --- Officers' profiles ---------------------------------------------------------------------------
TRAINED = "trained"
NEW_JOINER = "new_joiner"
LAPSED = "lapsed"  # held MOSOVO; its certificate's expiry has passed

NEW_JOINER_SHARE = 0.07
LAPSED_SHARE = 0.015
PSO_EVERY = 3  # one probation offender manager in three is a PSO; the rest are Probation Officers
PART_TIME_EVERY = 7
PART_TIME_HOURS = (Decimal("22.5"), Decimal("30"))
REDUCTION_EVERY = 5
REDUCTION_HOURS = (Decimal("3.7"), Decimal("7.5"), Decimal("11"))
FULL_TIME_HOURS = Decimal(37)
NEW_JOINER_SHARE_OF_POST = 0.6  # a new joiner carries a lighter caseload while they train
NEW_JOINER_MONTHS = (2, 9)  # joined this many months ago
ESTABLISHED_YEARS = (1.5, 14)

# Fictional grade targets for the probation workload model of the demo area. They are NOT HMPPS's
# figures (which Safeguard does not ship); they are sized so that the demo's probation officers sit
# around 80-110% of capacity under the placeholder point table.
DEMO_GRADE_TARGETS = {
    "po": {"nominal_target": 520, "default_contracted_hours": 37},
    "pso": {"nominal_target": 380, "default_contracted_hours": 37},
}


@dataclass
class OfficerProfile:
    """What the generator decided about one offender manager before allocating any nominal."""

    username: str
    kind: str  # police or probation
    unit: int  # police division or probation delivery unit index
    team_key: str
    grade: str
    joined_on: dt.date
    mosovo: str = TRAINED
    mosovo_on: dt.date | None = None  # when they completed MOSOVO (none for a new joiner)
    contracted_hours: Decimal | None = None
    reduction_hours: Decimal = Decimal(0)
    post: str = ""  # the demo team's post, when the officer holds one
    post_index: int = -1  # its place in DEMO_TEAM
    domestic_abuse_lead: bool = False  # the division's domestic abuse offender manager (DA CPD)

    @property
    def ever_trained(self) -> bool:
        """Completed MOSOVO at some time (it may have lapsed since)."""
        return self.mosovo_on is not None

    @property
    def share_of_post(self) -> float:
        """How much of a full-time caseload the officer carries."""
        share = 1.0
        if self.contracted_hours is not None:
            share = float((self.contracted_hours - self.reduction_hours) / FULL_TIME_HOURS)
        if self.mosovo == NEW_JOINER:
            share *= NEW_JOINER_SHARE_OF_POST
        return max(share, 0.1)


def _joined(rng: random.Random, today: dt.date, new_joiner: bool) -> dt.date:
    if new_joiner:
        return add_months(today, -rng.randint(*NEW_JOINER_MONTHS)) - dt.timedelta(days=rng.randint(0, 20))
    return today - dt.timedelta(days=int(365.25 * rng.uniform(*ESTABLISHED_YEARS)))


def _mosovo_on(rng: random.Random, joined: dt.date, today: dt.date, mosovo: str) -> dt.date | None:
    """A few months to a year and a half after joining; long enough ago for a lapsed certificate to have run out."""
    if mosovo == NEW_JOINER:
        return None
    completed = joined + dt.timedelta(days=rng.randint(60, 540))
    return min(completed, today - dt.timedelta(days=150 if mosovo == LAPSED else 30))


def profile_for(
    rng: random.Random, today: dt.date, username: str, kind: str, unit: int, team_key: str, *, position: int
) -> OfficerProfile:
    """A generated offender manager outside the demo team; ``position`` is their place in the unit.

    The first of each unit is always a trained Probation Officer or Detective
    Constable; the first of each police division is its domestic abuse
    offender manager (one per division, as in Surrey: workforce.md).
    Probation grades and hours follow the position (every third a PSO,
    every seventh part-time, every fifth with reduction hours, starting with
    the first) so that even a small world shows each kind; the hours
    themselves are drawn.
    """
    r = rng.random()
    mosovo = TRAINED
    if position and r < NEW_JOINER_SHARE:
        mosovo = NEW_JOINER
    elif position and r < NEW_JOINER_SHARE + LAPSED_SHARE:
        mosovo = LAPSED
    grade = "Detective Constable"
    hours, reduction = None, Decimal(0)
    if kind == "probation":
        grade = "PSO" if position % PSO_EVERY == 1 else "PO"
        hours = rng.choice(PART_TIME_HOURS) if position % PART_TIME_EVERY == 1 else FULL_TIME_HOURS
        if position % REDUCTION_EVERY == 0:
            reduction = min(rng.choice(REDUCTION_HOURS), hours)
    joined = _joined(rng, today, mosovo == NEW_JOINER)
    return OfficerProfile(
        username=username,
        kind=kind,
        unit=unit,
        team_key=team_key,
        grade=grade,
        joined_on=joined,
        mosovo=mosovo,
        mosovo_on=_mosovo_on(rng, joined, today, mosovo),
        domestic_abuse_lead=kind == "police" and position == 0,
        contracted_hours=hours,
        reduction_hours=reduction,
    )


# --- The demo team --------------------------------------------------------------------------------
OVER_RATIO = "over_ratio"
APPROVED_PREMISES_POST = "approved_premises"
TRAINED_POST = "trained"
NEW_JOINER_POST = "new_joiner"


@dataclass(frozen=True)
class TeamPost:
    """One offender manager of the demo team and the caseload they hold.

    ``high_risk`` counts every case at high or very high RoSH, including the
    Level 2/3 ones (always high) and those in Approved Premises.
    """

    post: str
    cases: int
    high_risk: int
    level_2_3: int = 0
    approved_premises: int = 0
    high_risk_in_approved_premises: int = 0
    custody: int = 0
    recent: int = 0  # cases allocated to them in the last six months (a caseload that has grown)


# Checked against the defaults (1:50, 20%): two over 50 and within the cap; one over the cap only
# through Approved Premises work; everyone else under both with room for next month's releases.
DEMO_TEAM = (
    TeamPost(OVER_RATIO, cases=57, high_risk=11, level_2_3=3, custody=7, recent=12),
    TeamPost(OVER_RATIO, cases=54, high_risk=10, level_2_3=2, custody=6, recent=9),
    TeamPost(
        APPROVED_PREMISES_POST,
        cases=42,
        high_risk=13,
        level_2_3=2,
        approved_premises=16,
        high_risk_in_approved_premises=11,
        custody=3,
    ),
    TeamPost(TRAINED_POST, cases=38, high_risk=5, level_2_3=1, custody=5),
    TeamPost(TRAINED_POST, cases=44, high_risk=7, level_2_3=1, custody=6),
    TeamPost(NEW_JOINER_POST, cases=18, high_risk=1, custody=2),
    TeamPost(NEW_JOINER_POST, cases=24, high_risk=2, custody=3),
    TeamPost(NEW_JOINER_POST, cases=27, high_risk=3, custody=3),
    TeamPost(NEW_JOINER_POST, cases=31, high_risk=4, custody=4),
)
# om.demo's 30 cases (signins.CASELOAD): the first two are the tour's Level 2 nominals; of the rest
# this many are at high RoSH, keeping om.demo within the cap with room for one more.
OM_DEMO_HIGH_RISK_LEVEL_1 = 3
# Next month's releases, (level, high RoSH): allocated as a batch in journey 9.
NEXT_MONTH_RELEASES = (
    (2, True),
    (2, True),
    (2, True),
    (3, True),
    (1, True),
    (1, True),
    (1, True),
    (1, False),
    (1, False),
    (1, False),
    (1, False),
    (1, False),
)
DEMO_TEAM_KEY = "ppu-north"  # supervisor.demo's and om.demo's team (signins.SIGN_INS)
APPROVED_PREMISES_TOWN = 0  # index of its local area (Amberwick, in the North Division)
OM_DEMO_POST = "om_demo"
OM_DEMO_YEARS = 6
OM_DEMO_MOSOVO_AFTER_DAYS = 120
DEMO_VISOR_EXPIRING_POST = 3  # the first trained post: ViSOR runs out in the next weeks
DEMO_ARMS_LAPSED_POST = 1  # the second officer over the ratio: ARMS ran out recently
# The second trained post joined about 14 months ago and completed MOSOVO about 6 months ago, after
# months on the waiting list with a buddy: the history behind the four new joiners of today.
DEMO_RECENTLY_TRAINED_POST = 4
DEMO_RECENTLY_TRAINED_MONTHS = (14, 6)


def demo_team_profile(rng: random.Random, today: dt.date, username: str, index: int) -> OfficerProfile:
    post = DEMO_TEAM[index]
    mosovo = NEW_JOINER if post.post == NEW_JOINER_POST else TRAINED
    joined = _joined(rng, today, mosovo == NEW_JOINER)
    trained = _mosovo_on(rng, joined, today, mosovo)
    if index == DEMO_RECENTLY_TRAINED_POST:
        joined_months, trained_months = DEMO_RECENTLY_TRAINED_MONTHS
        joined = add_months(today, -joined_months) - dt.timedelta(days=rng.randint(0, 20))
        trained = add_months(today, -trained_months) - dt.timedelta(days=rng.randint(0, 20))
    return OfficerProfile(
        username=username,
        kind="police",
        unit=0,
        team_key=DEMO_TEAM_KEY,
        grade="Detective Constable",
        joined_on=joined,
        mosovo=mosovo,
        mosovo_on=trained,
        post=post.post,
        post_index=index,
    )


def om_demo_profile(username: str, today: dt.date) -> OfficerProfile:
    joined = today - dt.timedelta(days=int(365.25 * OM_DEMO_YEARS))
    return OfficerProfile(
        username=username,
        kind="police",
        unit=0,
        team_key=DEMO_TEAM_KEY,
        grade="Detective Constable",
        joined_on=joined,
        mosovo_on=joined + dt.timedelta(days=OM_DEMO_MOSOVO_AFTER_DAYS),
        post=OM_DEMO_POST,
    )


@dataclass(frozen=True)
class CaseSpec:
    """A nominal the plan fixes: who holds it (None: waiting for allocation), its level, risk and place."""

    officer: int | None
    level: int
    high_risk: bool
    location: str | None = None  # None: drawn as for any nominal
    allocated_days_ago: int | None = None  # None: allocated as for any nominal
    release_next_month: bool = False
    local: int | None = None  # index of the local area; None: one of the North Division's


def _post_cases(rng: random.Random, officer: int, post: TeamPost, first_level_3: bool) -> list[CaseSpec]:
    ap_other = post.approved_premises - post.high_risk_in_approved_premises
    other_high = post.high_risk - post.level_2_3 - post.high_risk_in_approved_premises
    rest = post.cases - post.level_2_3 - post.approved_premises - other_high - post.custody
    if min(ap_other, other_high, rest) < 0:
        raise ValueError(f"The demo team post {post} does not add up")
    cases = [
        CaseSpec(officer, 3 if first_level_3 and i == 0 else 2, True, Location.COMMUNITY) for i in range(post.level_2_3)
    ]
    ap = {"location": Location.APPROVED_PREMISES, "local": APPROVED_PREMISES_TOWN}
    cases += [CaseSpec(officer, 1, True, **ap) for _ in range(post.high_risk_in_approved_premises)]
    cases += [CaseSpec(officer, 1, False, **ap) for _ in range(ap_other)]
    cases += [CaseSpec(officer, 1, True, Location.COMMUNITY) for _ in range(other_high)]
    cases += [CaseSpec(officer, 1, False, Location.CUSTODY) for _ in range(post.custody)]
    community = [CaseSpec(officer, 1, False, Location.COMMUNITY) for _ in range(rest)]
    for i in range(min(post.recent, len(community))):
        community[i] = CaseSpec(officer, 1, False, Location.COMMUNITY, allocated_days_ago=rng.randint(0, 180))
    return cases + community


def case_plan(org: Organisation, rng: random.Random) -> list[CaseSpec]:
    """The nominals the demo needs, in the order the generator makes them: om.demo's, the releases, the team's."""
    om_demo = org.demo_users[OFFENDER_MANAGER].pk
    plan = [CaseSpec(om_demo, 2, True, Location.COMMUNITY) for _ in range(2)]
    rest = [CaseSpec(om_demo, 1, i < OM_DEMO_HIGH_RISK_LEVEL_1) for i in range(CASELOAD - 2)]
    rng.shuffle(rest)
    plan += rest
    plan += [
        CaseSpec(None, level, high, Location.CUSTODY, release_next_month=True) for level, high in NEXT_MONTH_RELEASES
    ]
    team: list[CaseSpec] = []
    for i, (officer, post) in enumerate(zip(org.demo_team, DEMO_TEAM, strict=True)):
        team += _post_cases(rng, officer, post, first_level_3=i == 0)
    rng.shuffle(team)
    return plan + team


def planned_case_count() -> int:
    return CASELOAD + len(NEXT_MONTH_RELEASES) + sum(p.cases for p in DEMO_TEAM)


def next_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last days of the calendar month after ``today``'s."""
    first = add_months(today.replace(day=1), 1)
    return first, add_months(first, 1) - dt.timedelta(days=1)


# --- Allocating everyone else's nominals ---------------------------------------------------------
HIGH = frozenset({RiskOfSeriousHarm.HIGH, RiskOfSeriousHarm.VERY_HIGH})


class OfficerPicker:
    """Chooses the offender manager of a generated nominal outside the plan, as a supervisor would.

    Level 2/3 nominals go only to officers who held MOSOVO when the case was
    allocated; high-risk probation cases only to Probation Officers. Of two
    eligible officers drawn at random, the case goes to the one with less
    load (high-risk cases by their high-risk load first), load being cases
    over the officer's share of a full-time post.
    """

    def __init__(self, org: Organisation, rng: random.Random):
        self.rng = rng
        self.profiles = org.officers
        self.pools: dict[tuple, list[int]] = {}
        for kind, units in (("police", org.police_oms), ("probation", org.probation_oms)):
            for unit, ids in units.items():
                trained = [i for i in ids if self.profiles[i].ever_trained]
                self.pools[(kind, unit, False, False)] = ids
                self.pools[(kind, unit, True, False)] = trained or ids
                po = [i for i in ids if self.profiles[i].grade == "PO"] or ids
                self.pools[(kind, unit, False, True)] = po
                trained_po = [i for i in po if self.profiles[i].ever_trained]
                self.pools[(kind, unit, True, True)] = trained_po or trained or po
        self.cases: dict[int, int] = defaultdict(int)
        self.high: dict[int, int] = defaultdict(int)

    def pick(self, kind: str, unit: int, level: int, rosh: str) -> int:
        high = rosh in HIGH
        pool = self.pools[(kind, unit, level > 1, high and kind == "probation")]
        a, b = self.rng.choice(pool), self.rng.choice(pool)

        def load(officer: int) -> tuple[float, float]:
            share = self.profiles[officer].share_of_post
            by_cases = self.cases[officer] / share
            return (self.high[officer] / share, by_cases) if high else (by_cases, 0.0)

        chosen = a if load(a) <= load(b) else b
        self.cases[chosen] += 1
        if high:
            self.high[chosen] += 1
        return chosen


# --- Probation tiers ------------------------------------------------------------------------------
TIER_LETTER = {
    RiskOfSeriousHarm.VERY_HIGH: "A",
    RiskOfSeriousHarm.HIGH: "B",
    RiskOfSeriousHarm.MEDIUM: "C",
    RiskOfSeriousHarm.LOW: "D",
}
LIKELIHOOD_WEIGHTS = (20, 35, 30, 15)  # 0 to 3


def tier_for(rng: random.Random, rosh: str) -> str:
    """A probation tier (A3 to D0): the letter follows the RoSH recorded, the number is drawn."""
    letter = TIER_LETTER.get(rosh) or rng.choice("CD")
    return f"{letter}{rng.choices(range(4), weights=LIKELIHOOD_WEIGHTS)[0]}"


# --- Area settings --------------------------------------------------------------------------------


def area_settings(org: Organisation) -> AreaSettings:
    """The demo MAPPA area's settings: the defaults, with fictional probation grade targets."""
    settings = AreaSettings(area=org.mappa, probation_grade_targets=DEMO_GRADE_TARGETS)
    settings.full_clean(exclude=["area"])
    AreaSettings.objects.bulk_create([settings])  # no history row: generated, not set by a person
    return AreaSettings.objects.get(area=org.mappa)


# --- Training records -----------------------------------------------------------------------------
FORCE = "Fictional Shire Police"
NEIGHBOUR_FORCE = "Imaginary Vale Constabulary"
VISOR_SHARE = 0.96
ARMS_SHARE_POLICE = 0.35
ARMS_SHARE_PROBATION = 0.45
DIGITAL_SHARE = 0.25
VISOR_EXPIRING_SHARE = 0.05  # of ViSOR completions: certificate runs out in the next weeks
ARMS_LAPSED_SHARE = 0.08  # of ARMS completions: certificate ran out in the last months
MOSOVO_EXPIRING_SHARE = 0.02
EXPIRING_DAYS = (5, 60)
LAPSED_DAYS = (10, 120)
RECENT_TRAINING_DAYS = 730  # a MOSOVO this recent has its waiting list entry and buddy behind it
COMPLETION_FIELDS = ("staff", "course", "completed_on", "expires_on", "evidence", "recorded_by", "recorded_at")
WAITING_FIELDS = ("staff", "course", "joined_on", "status", "place", "note", "closed_on")
BUDDY_FIELDS = ("new_joiner", "buddy", "started_on", "ended_on", "recorded_by")
PLACE_FIELDS = ("id", "course", "offered_by", "starts_on", "places", "area", "recorded_by", "recorded_at")


@dataclass
class WorkforceRows:
    completions: list[tuple] = field(default_factory=list)
    waiting: list[tuple] = field(default_factory=list)
    buddies: list[tuple] = field(default_factory=list)
    places: list[tuple] = field(default_factory=list)
    snapshots: list[tuple] = field(default_factory=list)

    def tables(self):
        return (
            (CoursePlace, PLACE_FIELDS, self.places),
            (TrainingCompletion, COMPLETION_FIELDS, self.completions),
            (WaitingListEntry, WAITING_FIELDS, self.waiting),
            (Buddy, BUDDY_FIELDS, self.buddies),
            (CaseloadSnapshot, SNAPSHOT_FIELDS, self.snapshots),
        )


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _expiring(rng: random.Random, today: dt.date) -> dt.date:
    return today + dt.timedelta(days=rng.randint(*EXPIRING_DAYS))


def _lapsed(rng: random.Random, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=rng.randint(*LAPSED_DAYS))


@dataclass(frozen=True)
class _Place:
    id: int
    course: str
    offered_by: str
    places: int


def _places(rng: random.Random, org: Organisation, rows: WorkforceRows, course_ids, first_id: int, today, recorded_by):
    """A few places offered on coming courses: MOSOVO by this force and by a neighbour, ARMS by this force."""
    offered = [
        _Place(first_id, courses.MOSOVO, f"{FORCE} (force training school)", 6),
        _Place(first_id + 1, courses.MOSOVO, f"{NEIGHBOUR_FORCE} (neighbouring force)", 4),
        _Place(first_id + 2, courses.ARMS, f"{FORCE} (force ARMS trainers)", 8),
    ]
    starts = (rng.randint(28, 45), rng.randint(56, 80), rng.randint(18, 30))
    for place, days in zip(offered, starts, strict=True):
        rows.places.append(
            (
                place.id,
                course_ids[place.course],
                place.offered_by,
                today + dt.timedelta(days=days),
                place.places,
                org.mappa.pk,
                recorded_by,
                _moment(today - dt.timedelta(days=rng.randint(3, 20))),
            )
        )
    return offered


def build(
    rng: random.Random, org: Organisation, today: dt.date, system_user: int, first_place_id: int
) -> WorkforceRows:
    """Training records, course places, waiting lists and buddies for every generated member of staff."""
    rows = WorkforceRows()
    course_ids = dict(Course.objects.values_list("code", "id"))
    if set(courses.COURSES) - set(course_ids):
        raise RuntimeError("The course catalogue is missing: run the migrations first.")
    places = _places(rng, org, rows, course_ids, first_place_id, today, system_user)
    record = _Recorder(rows, course_ids, system_user, today)
    for officer in sorted(org.officers):
        _officer_training(rng, record, officer, org.officers[officer], today)
    for staff_id, kind in org.other_staff:
        _other_training(rng, record, staff_id, kind, today)
    _waiting_and_buddies(rng, org, rows, record, places, today)
    return rows


class _Recorder:
    """Collects completion rows (each with a fictional certificate number) and who holds MOSOVO since when."""

    def __init__(self, rows: WorkforceRows, course_ids: dict[str, int], recorded_by: int, today: dt.date):
        self.rows, self.course_ids, self.recorded_by, self.today = rows, course_ids, recorded_by, today
        self.serial = 0
        self.mosovo_since: dict[int, dt.date] = {}  # holders of a MOSOVO that counts today
        self.arms: set[int] = set()

    def add(self, staff: int, course: str, completed_on: dt.date, expires_on: dt.date | None = None) -> dt.date:
        completed_on = min(completed_on, self.today - dt.timedelta(days=1))
        if expires_on is not None and expires_on <= completed_on:
            expires_on = completed_on + dt.timedelta(days=1)
        self.serial += 1
        recorded = min(completed_on + dt.timedelta(days=3), self.today)
        self.rows.completions.append(
            (
                staff,
                self.course_ids[course],
                completed_on,
                expires_on,
                f"Fictional certificate FS-TR-{self.serial:06d}",
                self.recorded_by,
                _moment(recorded),
            )
        )
        if course == courses.MOSOVO and (expires_on is None or expires_on > self.today):
            self.mosovo_since[staff] = completed_on
        if course == courses.ARMS:
            self.arms.add(staff)
        return completed_on


def _officer_training(rng, record: _Recorder, officer: int, p: OfficerProfile, today: dt.date) -> None:
    joined = p.joined_on
    if p.post or rng.random() < VISOR_SHARE:
        expiring = p.post_index == DEMO_VISOR_EXPIRING_POST or (not p.post and rng.random() < VISOR_EXPIRING_SHARE)
        expires = _expiring(rng, today) if expiring else None
        record.add(officer, courses.VISOR, _between(rng, joined, joined + dt.timedelta(days=45)), expires)
    if p.mosovo_on is not None:
        expires = None
        if p.mosovo == LAPSED:
            expires = _lapsed(rng, today)
        elif not p.post and rng.random() < MOSOVO_EXPIRING_SHARE:
            expires = _expiring(rng, today)
        record.add(officer, courses.MOSOVO, p.mosovo_on, expires)
    if p.mosovo == NEW_JOINER:
        return
    always_arms = p.post in (OM_DEMO_POST, OVER_RATIO, APPROVED_PREMISES_POST)
    if always_arms or rng.random() < (ARMS_SHARE_PROBATION if p.kind == "probation" else ARMS_SHARE_POLICE):
        completed = _between(rng, joined + dt.timedelta(days=120), today - dt.timedelta(days=60))
        lapsed = p.post_index == DEMO_ARMS_LAPSED_POST or (not p.post and rng.random() < ARMS_LAPSED_SHARE)
        record.add(officer, courses.ARMS, completed, _lapsed(rng, today) if lapsed else None)
    if p.domestic_abuse_lead:
        record.add(officer, courses.DA_CPD, _between(rng, today - dt.timedelta(days=700), today))
    if rng.random() < DIGITAL_SHARE:
        record.add(officer, courses.DIGITAL_INVESTIGATION, _between(rng, joined, today))


def _other_training(rng, record: _Recorder, staff: int, kind: str, today: dt.date) -> None:
    """Supervisors, chairs and coordinators: the courses their work asks of them."""
    long_ago = today - dt.timedelta(days=rng.randint(900, 3600))
    recent = _between(rng, today - dt.timedelta(days=600), today)
    if kind == "supervisor":
        record.add(staff, courses.VISOR, long_ago)
        record.add(staff, courses.MOSOVO, long_ago + dt.timedelta(days=rng.randint(60, 400)))
        if rng.random() < 0.5:
            record.add(staff, courses.ARMS, long_ago + dt.timedelta(days=rng.randint(200, 800)))
    elif kind == "chair":
        expires = _expiring(rng, today) if rng.random() < 0.25 else None
        record.add(staff, courses.MAPPA_CHAIR, long_ago, expires)
        if rng.random() < 0.5:
            record.add(staff, courses.STANDING_PANEL_CPD, recent)
    elif kind == "mappa_coordinator":
        record.add(staff, courses.VISOR, long_ago)
        if rng.random() < 0.5:
            record.add(staff, courses.STANDING_PANEL_CPD, recent)
    elif kind == "marac_coordinator":
        record.add(staff, courses.MARAC_TO_MAPPA_REFERRAL, recent)
        if rng.random() < 0.5:
            record.add(staff, courses.DA_CPD, recent)


def _buddy_for(
    org: Organisation, profile: OfficerProfile, officer: int, holders: dict[int, dt.date], before: dt.date | None = None
) -> int | None:
    """A colleague holding MOSOVO (trained before ``before``, if given): from the same team, in turn; else the
    unit's officers; else the team's supervisor; else anyone."""

    def holds(other: int) -> bool:
        return other != officer and other in holders and (before is None or holders[other] < before)

    team = [o for o in org.team_members.get(profile.team_key, ()) if holds(o)]
    if profile.post:  # in the demo team, the officers with room buddy (not the two over the ratio)
        team = [o for o in team if org.officers[o].post != OVER_RATIO] or team
    if not team:
        units = org.police_oms if profile.kind == "police" else org.probation_oms
        team = [o for o in units.get(profile.unit, ()) if holds(o)]
    if not team:
        team = [o for o in org.team_supervisors.get(profile.team_key, ()) if holds(o)]
    if not team:
        team = sorted(o for o in holders if holds(o))
    if not team:
        return None
    turn = org.buddy_turns.get(profile.team_key, 0)
    org.buddy_turns[profile.team_key] = turn + 1
    return team[turn % len(team)]


def _waiting_and_buddies(rng, org: Organisation, rows, record: _Recorder, places: Sequence[_Place], today) -> None:
    mosovo = record.course_ids[courses.MOSOVO]
    holders = record.mosovo_since
    force_place, neighbour_place, arms_place = places
    waiting: list[tuple[dt.date, int, OfficerProfile]] = []
    for officer in sorted(org.officers):
        profile = org.officers[officer]
        recorder = org.team_supervisors.get(profile.team_key, [record.recorded_by])[0]
        if profile.mosovo == NEW_JOINER:
            listed = _between(rng, profile.joined_on, profile.joined_on + dt.timedelta(days=14))
            waiting.append((min(listed, today), officer, profile))
        elif profile.mosovo == LAPSED:
            waiting.append((_lapsed(rng, today), officer, profile))
        elif officer in holders and (today - holders[officer]).days <= RECENT_TRAINING_DAYS:
            # Trained recently: the waiting list entry and the buddy they had until then.
            completed = holders[officer]
            listed = min(completed - dt.timedelta(days=30), profile.joined_on + dt.timedelta(days=7))
            rows.waiting.append((officer, mosovo, listed, WaitingListEntry.Status.COMPLETED, None, "", completed))
            buddy = _buddy_for(org, profile, officer, holders, before=profile.joined_on)
            if buddy is not None:
                rows.buddies.append((officer, buddy, profile.joined_on, completed, recorder))

    # Places: the demo team's first new joiner is booked on the force's course and the second is offered
    # the neighbouring force's place; the longest waiting of the rest take what is left.
    waiting.sort(key=lambda w: (w[2].post == "", w[0], w[2].username))
    taken = {force_place.id: 0, neighbour_place.id: 0}
    for position, (since, officer, profile) in enumerate(waiting):
        status, place = WaitingListEntry.Status.WAITING, None
        if profile.post:
            if position == 0:
                status, place = WaitingListEntry.Status.BOOKED, force_place
            elif position == 1:
                status, place = WaitingListEntry.Status.OFFERED, neighbour_place
        elif taken[force_place.id] < force_place.places:
            status, place = WaitingListEntry.Status.BOOKED, force_place
        elif taken[neighbour_place.id] < neighbour_place.places:
            status, place = WaitingListEntry.Status.OFFERED, neighbour_place
        note = "MOSOVO certificate expired: refresher needed" if profile.mosovo == LAPSED else ""
        if place is not None:
            taken[place.id] += 1
            note = f"Place on the course by {place.offered_by}"
        rows.waiting.append((officer, mosovo, since, status, place.id if place else None, note, None))
        buddy = _buddy_for(org, profile, officer, holders)
        if buddy is None:
            raise RuntimeError("No one in the generated force holds MOSOVO to buddy a new joiner.")
        started = since if profile.mosovo == LAPSED else profile.joined_on
        recorder = org.team_supervisors.get(profile.team_key, [record.recorded_by])[0]
        rows.buddies.append((officer, buddy, started, None, recorder))

    # A few ARMS places booked by trained officers who have not done ARMS yet.
    wanting = [o for o in sorted(org.officers) if o in holders and o not in record.arms and not org.officers[o].post]
    for officer in rng.sample(wanting, min(len(wanting), arms_place.places // 2)):
        since = today - dt.timedelta(days=rng.randint(10, 200))
        note = f"Place on the course by {arms_place.offered_by}"
        arms = record.course_ids[courses.ARMS]
        rows.waiting.append((officer, arms, since, WaitingListEntry.Status.BOOKED, arms_place.id, note, None))


# --- Caseload history -----------------------------------------------------------------------------
SNAPSHOT_FIELDS = (
    "month",
    "officer",
    "team",
    "area",
    "cases",
    "weighted_units",
    "high_risk_cases",
    "community_cases",
    "custody_cases",
    "approved_premises_cases",
    "level_2_3_cases",
    "over_ratio",
    "over_high_risk_cap",
    "taken_at",
)
HISTORY_MONTHS = 12
RULE_LOCATION = {
    Location.COMMUNITY: COMMUNITY,
    Location.APPROVED_PREMISES: APPROVED_PREMISES,
    Location.CUSTODY: CUSTODY,
    Location.HOSPITAL: CUSTODY,  # as safeguard.workforce.figures counts a detained patient
}


def history_months(today: dt.date) -> list[dt.date]:
    """The first days of the twelve months before the current one, oldest first."""
    this_month = today.replace(day=1)
    return [add_months(this_month, -n) for n in range(HISTORY_MONTHS, 0, -1)]


def snapshot_rows(
    nominal_rows: Sequence[tuple],
    nominal_fields: Sequence[str],
    officers: dict[int, tuple[int | None, dt.date]],
    area_id: int,
    settings: CaseloadSettings,
    today: dt.date,
) -> list[tuple]:
    """Month-end caseload snapshots reconstructed from the nominals (see the module docstring).

    ``officers`` maps each offender manager's id to (team id, day joined).
    """
    col = {name: i for i, name in enumerate(nominal_fields)}
    held: dict[int, list[tuple[dt.date, dt.date | None, CaseFacts]]] = defaultdict(list)
    shared: dict[tuple, CaseFacts] = {}
    for row in nominal_rows:
        officer = row[col["offender_manager"]]
        if officer is None or officer not in officers or row[col["status"]] != Nominal.Status.ACTIVE:
            continue
        key = (RULE_LOCATION[row[col["location"]]], row[col["rosh"]], row[col["management_level"]])
        if key not in shared:
            shared[key] = CaseFacts(location=key[0], rosh=key[1], management_level=key[2])
        start = max(row[col["allocated_on"]] or row[col["managed_from"]], row[col["managed_from"]])
        held[officer].append((start, row[col["managed_until"]], shared[key]))
    out = []
    for month in history_months(today):
        end = add_months(month, 1) - dt.timedelta(days=1)
        taken = _moment(end + dt.timedelta(days=1), 2)
        for officer in sorted(officers):
            team, joined = officers[officer]
            if joined > end:
                continue
            facts = [f for start, until, f in held.get(officer, ()) if start <= end and (until is None or until > end)]
            m = caseload_measure(facts, settings)
            level_2_3 = sum(1 for f in facts if f.management_level > 1)
            out.append(
                (
                    month,
                    officer,
                    team,
                    area_id,
                    m.cases,
                    m.weighted_units,
                    m.high_risk_cases,
                    m.community_cases,
                    m.custody_cases,
                    m.approved_premises_cases,
                    level_2_3,
                    m.over_ratio,
                    m.over_high_risk_cap,
                    taken,
                )
            )
    return out
