"""The fictional force area: areas, agencies of every kind, teams and staff.

Small enough to build through the ORM. Staff numbers follow the caseload
guidance in domain/workforce.md: about one offender manager per 45 nominals,
teams of about eight offender managers each supervised by a Detective
Sergeant (or a Senior Probation Officer), two Inspectors and a Chief
Inspector to chair meetings. Areas and team bases carry fictional
coordinates (``workforce.LOCAL_AREA_COORDINATES``) for allocation's nearness;
offender managers' profiles (training, hours, when they joined) come from
``workforce``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from faker import Faker

from safeguard.meetings.models import Forum
from safeguard.rules.names import fold
from safeguard.workforce.models import Agency, Area, Role, Staff, Team

from . import workforce
from .factories import DEMO_PASSWORD
from .signins import OFFENDER_MANAGER, SIGN_INS

LOCAL_AUTHORITIES = ("Amberwick", "Brindlemoor", "Corvale", "Dunmarsh", "Fernholt", "Greywater", "Hollinsea")
DIVISIONS = ("North", "Central", "South")
PDUS = ("North", "Central", "South")
PRISONS = ("HMP Imaginary Moor", "HMP Fictional Fields")
NOMINALS_PER_OFFENDER_MANAGER = 45  # Surrey's average caseload (workforce.md), under the 1:50 ratio
# Police manage every nominal in custody (12%) and 60% of the rest (nominals.py): 0.12 + 0.88 x 0.6.
POLICE_SHARE_OF_OFFENDER_MANAGERS = 0.65
TEAM_SIZE = 8  # offender managers per supervisor (Safeguard's choice for the demo; no guidance sets it)


@dataclass
class Organisation:
    mappa: Area
    local_areas: list[Area]
    divisions: list[Area]
    agencies: dict[str, Agency] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    police_oms: dict[int, list[int]] = field(default_factory=dict)  # division index -> staff ids (not the demo team)
    probation_oms: dict[int, list[int]] = field(default_factory=dict)  # PDU index -> staff ids
    demo_users: dict[str, Staff] = field(default_factory=dict)
    forums: dict[str, Forum] = field(default_factory=dict)
    staff_count: int = 0
    officers: dict[int, workforce.OfficerProfile] = field(default_factory=dict)  # every offender manager
    demo_team: list[int] = field(default_factory=list)  # the demo team's officers, in DEMO_TEAM order
    team_members: dict[str, list[int]] = field(default_factory=dict)  # team key -> offender managers
    team_supervisors: dict[str, list[int]] = field(default_factory=dict)  # team key -> supervisors
    other_staff: list[tuple[int, str]] = field(default_factory=list)  # (id, kind) of staff who are not OMs
    buddy_turns: dict[str, int] = field(default_factory=dict)

    def division_of(self, local_index: int) -> int:
        return local_index % len(DIVISIONS)

    def locals_of(self, division: int) -> list[int]:
        return [i for i in range(len(self.local_areas)) if self.division_of(i) == division]


def _area(name: str, code: str, kind: str, parent: Area | None = None, at: tuple[float, float] | None = None) -> Area:
    latitude, longitude = at or (None, None)
    return Area.objects.create(name=name, code=code, kind=kind, parent=parent, latitude=latitude, longitude=longitude)


def _town(local_index: int) -> tuple[float, float]:
    return workforce.LOCAL_AREA_COORDINATES[LOCAL_AUTHORITIES[local_index]]


def _division_locals(division: int) -> list[int]:
    return [i for i in range(len(LOCAL_AUTHORITIES)) if i % len(DIVISIONS) == division]


def build_areas_and_agencies(seed: int) -> Organisation:
    prefix = f"w{seed}"
    everywhere = workforce.centre(workforce.LOCAL_AREA_COORDINATES.values())
    mappa = _area("Fictional Shire MAPPA area", f"{prefix}-fictional-shire", Area.Kind.MAPPA, at=everywhere)
    local = [
        _area(name, f"{prefix}-{name.lower()}", Area.Kind.LOCAL_AUTHORITY, mappa, _town(i))
        for i, name in enumerate(LOCAL_AUTHORITIES)
    ]
    divisions = [
        _area(
            f"{d} Division",
            f"{prefix}-division-{d.lower()}",
            Area.Kind.POLICE_DIVISION,
            mappa,
            workforce.centre(_town(i) for i in _division_locals(n)),
        )
        for n, d in enumerate(DIVISIONS)
    ]
    org = Organisation(mappa=mappa, local_areas=local, divisions=divisions)

    def add(key: str, name: str, kind: str, area: Area) -> Agency:
        org.agencies[key] = Agency.objects.create(name=name, code=f"{prefix}-{key}", kind=kind, area=area)
        return org.agencies[key]

    add("police", "Fictional Shire Police", Agency.Kind.POLICE, mappa)
    for i, pdu in enumerate(PDUS):
        add(f"probation-{i}", f"Fictional Shire {pdu} Probation Delivery Unit", Agency.Kind.PROBATION, mappa)
    for i, prison in enumerate(PRISONS):
        add(f"prison-{i}", prison, Agency.Kind.PRISON, mappa)
    for i, la in enumerate(local):
        add(f"childrens-{i}", f"{la.name} Children's Services", Agency.Kind.CHILDRENS_SERVICES, la)
        add(f"adults-{i}", f"{la.name} Adult Social Care", Agency.Kind.ADULT_SOCIAL_CARE, la)
        add(f"housing-{i}", f"{la.name} Housing", Agency.Kind.HOUSING, la)
    add("health", "Fictional Shire NHS Foundation Trust", Agency.Kind.HEALTH, mappa)
    add("mental-health", "Imaginary Vale Mental Health Trust", Agency.Kind.HEALTH, mappa)
    add("idva", "Fictional Shire IDVA Service", Agency.Kind.IDVA_SERVICE, mappa)
    add("youth-justice", "Fictional Shire Youth Justice Service", Agency.Kind.YOUTH_JUSTICE, mappa)
    add("job-centre", "Amberwick Jobcentre", Agency.Kind.JOB_CENTRE, local[0])

    for d in range(len(DIVISIONS)):
        _team(org, "police", d, 0)
    base = workforce.team_base(everywhere, 0)
    for key, name in (("mappa-unit", "MAPPA Unit"), ("da-unit", "Domestic Abuse Unit")):
        org.teams[key] = Team.objects.create(
            name=name, agency=org.agencies["police"], area=mappa, base_latitude=base[0], base_longitude=base[1]
        )
    for p in range(len(PDUS)):
        _team(org, "probation", p, 0)
    return org


def police_team_key(division: int, index: int = 0) -> str:
    """Team keys: "ppu-north" (the demo team), "ppu-north-2", ..., "ppu-central", ..."""
    key = f"ppu-{DIVISIONS[division].lower()}"
    return key if index == 0 else f"{key}-{index + 1}"


def probation_team_key(pdu: int, index: int = 0) -> str:
    return f"probation-{pdu}" if index == 0 else f"probation-{pdu}-{index + 1}"


def _team(org: Organisation, kind: str, unit: int, index: int) -> str:
    """Create a team of a police division or a probation delivery unit, based in one of its towns."""
    suffix = "" if index == 0 else f" {index + 1}"
    towns = _division_locals(unit)
    base = workforce.team_base(_town(towns[index % len(towns)]), index // len(towns))
    if kind == "police":
        key, agency = police_team_key(unit, index), org.agencies["police"]
        name, area = f"Public Protection Unit {DIVISIONS[unit]}{suffix}", org.divisions[unit]
    else:
        key, agency = probation_team_key(unit, index), org.agencies[f"probation-{unit}"]
        name, area = f"{PDUS[unit]} Public Protection Team{suffix}", org.mappa
    org.teams[key] = Team.objects.create(
        name=name, agency=agency, area=area, base_latitude=base[0], base_longitude=base[1]
    )
    return key


# Forum settings (demo/forums.py schedules the meetings and names the coordinators once the sign-ins exist).
# Cadences follow the issue and the domain notes (monthly MAPPA, fortnightly MARAC, four-weekly MATAC, daily
# triage); the time, length and place are the demo's own choices, not guidance. The demo's triage meets every day
# (weekends too) and every cadence is counted from the day the world is generated, so that the tour finds a meeting
# to run and a triage to open on whatever day it is taken, a Sunday or a bank holiday included.
FORUM_SETTINGS = {
    # key: (cadence, start, minutes, place)
    "mappa-l2": (Forum.Cadence.MONTHLY, dt.time(10, 0), 180, "Fictional Shire Police HQ, MAPPA suite"),
    "mappa-l3": (Forum.Cadence.MONTHLY, dt.time(10, 0), 120, "Fictional Shire Police HQ, MAPPA suite"),
    "marac": (Forum.Cadence.FORTNIGHTLY, dt.time(9, 30), 240, "{town} Civic Centre, Committee Room 2"),
    "matac": (Forum.Cadence.FOUR_WEEKLY, dt.time(10, 0), 150, "Fictional Shire Police HQ, Room 4"),
    "triage": (Forum.Cadence.DAILY, dt.time(9, 30), 60, "Online (daily domestic-abuse triage call)"),
    "iom": (Forum.Cadence.MONTHLY, dt.time(14, 0), 120, "Fictional Shire Probation Office, Room 1"),
}
CONFIDENTIALITY_STATEMENT = (
    "This meeting is held under the information-sharing agreement of the Fictional Shire forums. What is shared "
    "here is shared for the protection of the people discussed and of the public, is OFFICIAL-SENSITIVE, and may "
    "not be passed on, copied or used for any other purpose without the chair's permission. Each attendee agrees "
    "to keep it confidential and to record only what their agency needs to act. (A fictional statement for the "
    "demo, modelled on the old MAPPA D; each area writes its own.)"
)


def _settle(forum: Forum, key: str, today: dt.date, town: str = "") -> None:
    cadence, starts, minutes, place = FORUM_SETTINGS[key]
    forum.cadence = cadence
    forum.first_meeting_on = today  # every forum meets on the day the world is made, then by its cadence
    forum.meeting_time = starts
    forum.meeting_minutes = minutes
    forum.meeting_place = place.format(town=town)
    forum.confidentiality_statement = CONFIDENTIALITY_STATEMENT
    forum.save()


def build_forums(org: Organisation, today: dt.date | None = None) -> None:
    """A MARAC per local authority area; the area's MAPPA Level 2 and 3 meetings, MATAC, daily triage and IOM panel.

    Each with its cadence, first meeting, start time, length, place and confidentiality statement; the MAPPA
    forums require a chair eligible for their level. Coordinators are named by ``demo.forums`` (the demo
    sign-ins are made after the forums).
    """
    today = today or dt.date.today()
    a = org.agencies
    n = len(org.local_areas)
    probation = [a[f"probation-{i}"] for i in range(len(PDUS))]
    prisons = [a[f"prison-{i}"] for i in range(len(PRISONS))]
    for i, la in enumerate(org.local_areas):
        forum = Forum.objects.create(name=f"{la.name} MARAC", kind=Forum.Kind.MARAC, area=org.mappa)
        forum.member_agencies.set(
            [a["police"], a[f"housing-{i}"], a["idva"], a[f"childrens-{i}"], a[f"adults-{i}"], a["health"], *probation]
        )
        forum.covers.set([la])
        _settle(forum, "marac", today, la.name)
        org.forums[f"marac-{i}"] = forum
    partners = [agency for key, agency in a.items() if key != "idva"]
    for key, kind, name, level in (
        ("mappa-l2", Forum.Kind.MAPPA_LEVEL_2, "Fictional Shire MAPPA Level 2 meeting", 2),
        ("mappa-l3", Forum.Kind.MAPPA_LEVEL_3, "Fictional Shire MAPPA Level 3 meeting", 3),
    ):
        forum = Forum.objects.create(name=name, kind=kind, area=org.mappa, chair_level=level)
        forum.member_agencies.set(partners)
        _settle(forum, key, today)
        org.forums[key] = forum
    housing = [a[f"housing-{i}"] for i in range(n)]
    childrens = [a[f"childrens-{i}"] for i in range(n)]
    for key, kind, name, members in (
        (
            "matac",
            Forum.Kind.MATAC,
            "Fictional Shire MATAC",
            [a["police"], *probation, a["idva"], *housing, *childrens, a["health"]],
        ),
        (
            "triage",
            Forum.Kind.DAILY_TRIAGE,
            "Fictional Shire daily domestic-abuse triage",
            [a["police"], a["idva"], *childrens, a["health"]],
        ),
        (
            "iom",
            Forum.Kind.IOM,
            "Fictional Shire IOM panel",
            [a["police"], *probation, *prisons, a["health"], a["mental-health"], *housing, a["job-centre"]],
        ),
    ):
        forum = Forum.objects.create(name=name, kind=kind, area=org.mappa)
        forum.member_agencies.set(members)
        _settle(forum, key, today)
        org.forums[key] = forum


def _shares(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), at least one each."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [max(1, int(x)) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (int(exact[i]) - exact[i], i))
    for i in by_remainder[: max(0, total - sum(counts))]:
        counts[i] += 1
    return counts


def build_staff(org: Organisation, nominals: int, rng: random.Random, fake: Faker, today: dt.date) -> None:
    """Generated staff (unable to sign in), in teams of about TEAM_SIZE, and the fixed demo sign-ins.

    Offender managers are sized to about one per 45 nominals outside the demo
    plan, shared between police divisions and probation delivery units in
    proportion to the local areas each serves. The demo team (the North
    Division's first team) holds om.demo and the officers of
    ``workforce.DEMO_TEAM``; the North's other officers work in further teams.
    """
    unusable = make_password(None)
    rows: list[Staff] = []
    profiles: dict[str, workforce.OfficerProfile] = {}
    kinds: dict[str, str] = {}
    teams_of: dict[str, str] = {}
    serial = 0

    def person(agency: Agency, team: str | None, roles: list[str], rank: str, kind: str, **extra) -> Staff:
        nonlocal serial
        serial += 1
        first, last = fake.first_name(), fake.last_name()
        username = f"{fold(first)}.{fold(last)}.{serial}"
        joined = extra.pop("joined_on", None) or today - dt.timedelta(days=rng.randint(400, 5000))
        staff = Staff(
            username=username,
            first_name=first,
            last_name=last,
            agency=agency,
            team=org.teams[team] if team else None,
            roles=roles,
            rank_or_grade=rank,
            password=unusable,
            date_joined=dt.datetime.combine(joined, dt.time(9), tzinfo=dt.UTC),
            **extra,
        )
        rows.append(staff)
        kinds[username] = kind
        if team:
            teams_of[username] = team
        return staff

    def officer(profile: workforce.OfficerProfile, agency: Agency) -> None:
        staff = person(
            agency,
            profile.team_key,
            [Role.OFFENDER_MANAGER],
            profile.grade,
            "officer",
            joined_on=profile.joined_on,
            contracted_hours=profile.contracted_hours,
            reduction_hours=profile.reduction_hours,
        )
        profile.username = staff.username
        profiles[staff.username] = profile

    police, weights = org.agencies["police"], [len(_division_locals(d)) for d in range(len(DIVISIONS))]
    outside_plan = max(0, nominals - workforce.planned_case_count())
    total_oms = max(len(DIVISIONS) + len(PDUS), round(outside_plan / NOMINALS_PER_OFFENDER_MANAGER))
    police_oms = max(len(DIVISIONS), round(total_oms * POLICE_SHARE_OF_OFFENDER_MANAGERS))
    probation_oms = max(len(PDUS), total_oms - police_oms)

    for index in range(len(workforce.DEMO_TEAM)):
        officer(workforce.demo_team_profile(rng, today, "", index), police)
    supervised = {workforce.DEMO_TEAM_KEY}  # supervisor.demo supervises the demo team
    for kind, counts in (("police", _shares(police_oms, weights)), ("probation", _shares(probation_oms, weights))):
        for unit, count in enumerate(counts):
            first_team = 1 if kind == "police" and unit == 0 else 0  # the North's first team is the demo team
            for i in range(count):
                index = first_team + i // TEAM_SIZE
                key = police_team_key(unit, index) if kind == "police" else probation_team_key(unit, index)
                if key not in supervised:
                    supervised.add(key)
                    if key not in org.teams:
                        _team(org, kind, unit, index)
                    grade = "Detective Sergeant" if kind == "police" else "SPO"
                    agency = police if kind == "police" else org.agencies[f"probation-{unit}"]
                    person(agency, key, [Role.SUPERVISOR], grade, "supervisor")
                agency = police if kind == "police" else org.agencies[f"probation-{unit}"]
                profile = workforce.profile_for(rng, today, "", kind, unit, key, position=i)
                officer(profile, agency)
    for _ in range(2):
        person(police, None, [Role.CHAIR], "Inspector", "chair")
    person(police, None, [Role.CHAIR], "Chief Inspector", "chair")
    for _ in range(max(1, nominals // 5000)):
        person(police, "mappa-unit", [Role.MAPPA_COORDINATOR], "Police staff", "mappa_coordinator")
    person(police, "da-unit", [Role.MARAC_COORDINATOR], "Police staff", "marac_coordinator")
    for _ in range(2):
        person(org.agencies["idva"], None, [Role.IDVA], "IDVA", "other")
    for i in range(len(org.local_areas)):
        person(org.agencies[f"housing-{i}"], None, [Role.PARTNER], "Housing officer", "other")
        person(org.agencies[f"childrens-{i}"], None, [Role.PARTNER], "Social worker", "other")
    Staff.objects.bulk_create(rows, batch_size=1000)
    _register_staff(org, rows, profiles, kinds, teams_of)
    org.staff_count = len(rows)
    _demo_sign_ins(org, today)


def _register_staff(
    org: Organisation,
    rows: list[Staff],
    profiles: dict[str, workforce.OfficerProfile],
    kinds: dict[str, str],
    teams_of: dict[str, str],
) -> None:
    """The saved staff in the organisation's indexes: officers by team and unit, supervisors by team."""
    by_username = dict(Staff.objects.filter(username__in=[s.username for s in rows]).values_list("username", "id"))
    for staff in rows:
        staff_id = by_username[staff.username]
        profile = profiles.get(staff.username)
        if profile is None:
            if kinds[staff.username] != "other":
                org.other_staff.append((staff_id, kinds[staff.username]))
            if kinds[staff.username] == "supervisor":
                org.team_supervisors.setdefault(teams_of[staff.username], []).append(staff_id)
            continue
        org.officers[staff_id] = profile
        org.team_members.setdefault(profile.team_key, []).append(staff_id)
        if profile.post:
            org.demo_team.append(staff_id)
        else:
            target = org.police_oms if profile.kind == "police" else org.probation_oms
            target.setdefault(profile.unit, []).append(staff_id)


# What the demo sign-ins are trained for (workforce.build reads the kind).
SIGN_IN_TRAINING = {
    Role.SUPERVISOR: "supervisor",
    Role.CHAIR: "chair",
    Role.MAPPA_COORDINATOR: "mappa_coordinator",
    Role.MARAC_COORDINATOR: "marac_coordinator",
}
SIGN_INS_JOINED_YEARS = 6


def _demo_sign_ins(org: Organisation, today: dt.date) -> None:
    hashed = make_password(DEMO_PASSWORD)
    joined = dt.datetime.combine(today - dt.timedelta(days=int(365.25 * SIGN_INS_JOINED_YEARS)), dt.time(9), dt.UTC)
    for spec in SIGN_INS:
        user = Staff.objects.create(
            date_joined=joined,
            username=spec.username,
            first_name=spec.first,
            last_name=spec.last,
            agency=org.agencies[spec.agency],
            team=org.teams.get(spec.team) if spec.team else None,
            roles=list(spec.roles),
            rank_or_grade=spec.rank,
            is_staff=spec.superuser,
            is_superuser=spec.superuser,
            password=hashed,
        )
        org.demo_users[spec.username] = user
        if spec.username == OFFENDER_MANAGER:
            profile = workforce.om_demo_profile(spec.username, today)
            org.officers[user.pk] = profile
            org.team_members.setdefault(spec.team, []).insert(0, user.pk)
            continue
        for role in spec.roles:
            if role in SIGN_IN_TRAINING:
                org.other_staff.append((user.pk, SIGN_IN_TRAINING[role]))
            if role == Role.SUPERVISOR and spec.team:
                org.team_supervisors.setdefault(spec.team, []).insert(0, user.pk)
    org.staff_count += len(SIGN_INS)
