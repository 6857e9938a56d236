"""The fictional force area: areas, agencies of every kind, teams and staff.

Small enough to build through the ORM. Staff numbers follow the caseload
guidance in domain/workforce.md: about one offender manager per 50 nominals,
a Detective Sergeant (or Senior Probation Officer) supervising each team, an
Inspector and a Chief Inspector to chair meetings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from faker import Faker

from safeguard.meetings.models import Forum
from safeguard.rules.names import fold
from safeguard.workforce.models import Agency, Area, Role, Staff, Team

from .factories import DEMO_PASSWORD
from .signins import SIGN_INS

LOCAL_AUTHORITIES = ("Amberwick", "Brindlemoor", "Corvale", "Dunmarsh", "Fernholt", "Greywater", "Hollinsea")
DIVISIONS = ("North", "Central", "South")
PDUS = ("North", "Central", "South")
PRISONS = ("HMP Imaginary Moor", "HMP Fictional Fields")
NOMINALS_PER_OFFENDER_MANAGER = 50
POLICE_SHARE_OF_OFFENDER_MANAGERS = 0.6


@dataclass
class Organisation:
    mappa: Area
    local_areas: list[Area]
    divisions: list[Area]
    agencies: dict[str, Agency] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    police_oms: dict[int, list[int]] = field(default_factory=dict)  # division index -> staff ids
    probation_oms: dict[int, list[int]] = field(default_factory=dict)  # PDU index -> staff ids
    demo_users: dict[str, Staff] = field(default_factory=dict)
    forums: dict[str, Forum] = field(default_factory=dict)
    staff_count: int = 0

    def division_of(self, local_index: int) -> int:
        return local_index % len(DIVISIONS)


def _area(name: str, code: str, kind: str, parent: Area | None = None) -> Area:
    return Area.objects.create(name=name, code=code, kind=kind, parent=parent)


def build_areas_and_agencies(seed: int) -> Organisation:
    prefix = f"w{seed}"
    mappa = _area("Fictional Shire MAPPA area", f"{prefix}-fictional-shire", Area.Kind.MAPPA)
    local = [_area(name, f"{prefix}-{name.lower()}", Area.Kind.LOCAL_AUTHORITY, mappa) for name in LOCAL_AUTHORITIES]
    divisions = [
        _area(f"{d} Division", f"{prefix}-division-{d.lower()}", Area.Kind.POLICE_DIVISION, mappa) for d in DIVISIONS
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

    police = org.agencies["police"]
    for i, d in enumerate(DIVISIONS):
        key = "ppu-north" if i == 0 else f"ppu-{d.lower()}"
        org.teams[key] = Team.objects.create(name=f"Public Protection Unit {d}", agency=police, area=divisions[i])
    org.teams["mappa-unit"] = Team.objects.create(name="MAPPA Unit", agency=police, area=mappa)
    org.teams["da-unit"] = Team.objects.create(name="Domestic Abuse Unit", agency=police, area=mappa)
    for i, pdu in enumerate(PDUS):
        org.teams[f"probation-{i}"] = Team.objects.create(
            name=f"{pdu} Public Protection Team", agency=org.agencies[f"probation-{i}"], area=mappa
        )
    return org


def police_team_key(division: int) -> str:
    return "ppu-north" if division == 0 else f"ppu-{DIVISIONS[division].lower()}"


def build_forums(org: Organisation) -> None:
    """A MARAC per local authority area, and the area's MAPPA Level 2 and Level 3 meetings."""
    a = org.agencies
    for i, la in enumerate(org.local_areas):
        forum = Forum.objects.create(name=f"{la.name} MARAC", kind=Forum.Kind.MARAC, area=org.mappa)
        forum.member_agencies.set([a["police"], a[f"housing-{i}"], a["idva"], a[f"childrens-{i}"]])
        org.forums[f"marac-{i}"] = forum
    partners = [agency for key, agency in a.items() if key != "idva"]
    for key, kind, name in (
        ("mappa-l2", Forum.Kind.MAPPA_LEVEL_2, "Fictional Shire MAPPA Level 2 meeting"),
        ("mappa-l3", Forum.Kind.MAPPA_LEVEL_3, "Fictional Shire MAPPA Level 3 meeting"),
    ):
        forum = Forum.objects.create(name=name, kind=kind, area=org.mappa)
        forum.member_agencies.set(partners)
        org.forums[key] = forum


def build_staff(org: Organisation, nominals: int, rng: random.Random, fake: Faker) -> None:
    """Generated staff (unable to sign in) and the fixed demo sign-ins."""
    unusable = make_password(None)
    rows: list[Staff] = []
    serial = 0

    def person(agency: Agency, team: Team | None, roles: list[str], rank: str) -> Staff:
        nonlocal serial
        serial += 1
        first, last = fake.first_name(), fake.last_name()
        username = f"{fold(first)}.{fold(last)}.{serial}"
        staff = Staff(
            username=username,
            first_name=first,
            last_name=last,
            agency=agency,
            team=team,
            roles=roles,
            rank_or_grade=rank,
            password=unusable,
        )
        rows.append(staff)
        return staff

    total_oms = max(len(DIVISIONS) + len(PDUS), round(nominals / NOMINALS_PER_OFFENDER_MANAGER))
    police_oms = max(len(DIVISIONS), round(total_oms * POLICE_SHARE_OF_OFFENDER_MANAGERS))
    probation_oms = max(len(PDUS), total_oms - police_oms)
    police = org.agencies["police"]
    pending: list[tuple[str, int, Staff]] = []
    for i in range(police_oms):
        d = i % len(DIVISIONS)
        team = org.teams[police_team_key(d)]
        pending.append(("police", d, person(police, team, [Role.OFFENDER_MANAGER], "Detective Constable")))
    for i in range(probation_oms):
        p = i % len(PDUS)
        agency = org.agencies[f"probation-{p}"]
        pending.append(("probation", p, person(agency, org.teams[f"probation-{p}"], [Role.OFFENDER_MANAGER], "PO")))
    for d in range(len(DIVISIONS)):
        team = org.teams[police_team_key(d)]
        for _ in range(max(1, police_oms // (len(DIVISIONS) * 8))):
            person(police, team, [Role.SUPERVISOR], "Detective Sergeant")
    for p in range(len(PDUS)):
        person(org.agencies[f"probation-{p}"], org.teams[f"probation-{p}"], [Role.SUPERVISOR], "SPO")
    for _ in range(2):
        person(police, None, [Role.CHAIR], "Inspector")
    person(police, None, [Role.CHAIR], "Chief Inspector")
    for _ in range(max(1, nominals // 5000)):
        person(police, org.teams["mappa-unit"], [Role.MAPPA_COORDINATOR], "Police staff")
    person(police, org.teams["da-unit"], [Role.MARAC_COORDINATOR], "Police staff")
    for _ in range(2):
        person(org.agencies["idva"], None, [Role.IDVA], "IDVA")
    for i in range(len(org.local_areas)):
        person(org.agencies[f"housing-{i}"], None, [Role.PARTNER], "Housing officer")
        person(org.agencies[f"childrens-{i}"], None, [Role.PARTNER], "Social worker")
    Staff.objects.bulk_create(rows, batch_size=1000)
    by_username = dict(Staff.objects.filter(username__in=[s.username for s in rows]).values_list("username", "id"))
    for kind, unit, staff in pending:
        target = org.police_oms if kind == "police" else org.probation_oms
        target.setdefault(unit, []).append(by_username[staff.username])
    org.staff_count = len(rows)
    _demo_sign_ins(org)


def _demo_sign_ins(org: Organisation) -> None:
    hashed = make_password(DEMO_PASSWORD)
    for spec in SIGN_INS:
        user = Staff.objects.create(
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
    org.staff_count += len(SIGN_INS)
