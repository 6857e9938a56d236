"""Domestic-abuse incidents with a heavy tail, their victims, children and relationships.

The number of incidents per perpetrator is drawn from a Pareto distribution
(shape PARETO_SHAPE), so most perpetrators have one or two incidents and a few
serial perpetrators have many, against several victims (the MATAC definition:
two or more victims, domain/domestic-abuse.md). Every victim is personally
connected to the perpetrator (Domestic Abuse Act 2021 s.2); the typed
relationship with the DA flag is recorded for all but about one in ten
(UNRECORDED_RELATIONSHIP_SHARE: the recording gap a VAWG problem profile found,
so that the relationship-data quality page has something to show); some households have a child who is recorded
as present. Some of the area's nominals are perpetrators too.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.meetings.models import ForumCase
from safeguard.offenders.models import MappaCategory
from safeguard.people.models import Gender, Relationship, WarningMarker
from safeguard.rules.relationships import DEFAULT_CONNECTION, PersonalConnection, RelationshipKind

from .nominals import NominalRows, OffenceBook
from .organisation import Organisation
from .people import PeopleRows

PARETO_SHAPE = 1.3
MAX_INCIDENTS_PER_PERPETRATOR = 80
SERIAL_THRESHOLD = 4  # incidents from which a perpetrator may have several victims
MAX_VICTIMS = 6
NOMINAL_PERPETRATOR_SHARE = {MappaCategory.THREE: 1.0, MappaCategory.TWO: 0.3, MappaCategory.ONE: 0.05}
NON_CRIME_SHARE = 0.4
WITNESS_SHARE = 0.1
CHILD_SHARE = 0.3
LOOK_BACK_DAYS = 3 * 365
MARAC_REFERRAL_INCIDENTS = 3
MARAC_CLOSED_SHARE = 0.3
UNRECORDED_RELATIONSHIP_SHARE = 0.1
GAPS_SEED = 20261206  # a stream of its own: the gaps leave every other draw of the world as it was
OFFENCE_WEIGHTS = {
    "CJA1988-s39": 30,
    "OAPA1861-s47": 15,
    "CDA1971-s1-1": 12,
    "PHA1997-s2": 10,
    "SCA2015-s76": 8,
    "FLA1996-s42A": 7,
    "OAPA1861-s20": 4,
    "PHA1997-s2A": 4,
    "OAPA1861-s16": 3,
    "PHA1997-s4A": 3,
    "OAPA1861-s18": 1,
}
PARTNER_KINDS = {
    RelationshipKind.INTIMATE_PARTNER: 55,
    RelationshipKind.SPOUSE_OR_CIVIL_PARTNER: 15,
    RelationshipKind.CO_PARENT: 12,
    RelationshipKind.CHILD: 10,  # the perpetrator is an adult son or daughter of the victim
    RelationshipKind.SIBLING: 8,
}
PLACES = ("Victim's home address", "Shared home address", "Perpetrator's home address", "Public place")
SUMMARIES = (
    "Argument reported by a neighbour; both parties spoken to.",
    "Victim called police; perpetrator left before officers arrived.",
    "Third-party report of shouting and damage.",
    "Victim reported repeated messages and calls.",
    "Officers attended after a call from a child in the household.",
    "Report made at a police station some days later.",
)

INCIDENT_FIELDS = (
    "id",
    "reference",
    "occurred_at",
    "place",
    "local_area",
    "domestic_abuse",
    "offence",
    "summary",
    "recorded_by",
    "created_at",
)
INCIDENT_PERSON_FIELDS = ("incident", "person", "role")
RELATIONSHIP_FIELDS = (
    "person",
    "other",
    "kind",
    "former",
    "personal_connection",
    "domestic_abuse",
    "from_date",
    "to_date",
)
FORUM_CASE_FIELDS = ("forum", "person", "opened_on", "closed_on")


@dataclass
class IncidentRows:
    first_id: int
    incidents: list[tuple] = field(default_factory=list)
    people: list[tuple] = field(default_factory=list)
    relationships: list[tuple] = field(default_factory=list)
    forum_cases: list[tuple] = field(default_factory=list)
    perpetrators: int = 0
    serial_perpetrators: int = 0
    victims: int = 0
    children: int = 0

    def tables(self):
        return (
            (Relationship, RELATIONSHIP_FIELDS, self.relationships),
            (Incident, INCIDENT_FIELDS, self.incidents),
            (IncidentPerson, INCIDENT_PERSON_FIELDS, self.people),
            (ForumCase, FORUM_CASE_FIELDS, self.forum_cases),
        )


def incidents_for_one(rng: random.Random) -> int:
    return min(MAX_INCIDENTS_PER_PERPETRATOR, int(rng.paretovariate(PARETO_SHAPE)))


def _victim(rng, people: PeopleRows, perp_gender: str, perp_dob: dt.date, kind: str, town: str) -> int:
    gender = Gender.FEMALE if (perp_gender == Gender.MALE) == (rng.random() < 0.85) else Gender.MALE
    if kind == RelationshipKind.CHILD:
        dob = perp_dob - dt.timedelta(days=rng.randint(19 * 365, 35 * 365))
    else:
        dob = perp_dob + dt.timedelta(days=rng.randint(-6 * 365, 6 * 365))
    adult = people.today - dt.timedelta(days=16 * 366)
    if dob > adult:  # victims of domestic abuse are 16 or over (DA Act 2021 s.1): spread them, not pile them up
        dob = adult - dt.timedelta(days=rng.randint(0, 5 * 365))
    victim = people.add(gender, dob)
    people.add_address(victim, town)
    return victim


def _relate(out: IncidentRows, gaps: random.Random, row: tuple) -> None:
    """The perpetrator's relationship to a victim, DA-flagged, unless it is one of the gaps left unrecorded."""
    if gaps.random() >= UNRECORDED_RELATIONSHIP_SHARE:
        out.relationships.append((*row, True, None, None))


def build(
    rng: random.Random,
    org: Organisation,
    people: PeopleRows,
    book: OffenceBook,
    nominals: NominalRows,
    total: int,
    first_id: int,
    today: dt.date,
    progress=None,
) -> IncidentRows:
    out = IncidentRows(first_id=first_id)
    gaps = random.Random(GAPS_SEED)
    offence_codes = [c for c in OFFENCE_WEIGHTS if c in book.by_code]
    offence_ids = [book.by_code[c].pk for c in offence_codes]
    offence_weights = [OFFENCE_WEIGHTS[c] for c in offence_codes]
    police = org.agencies["police"].pk
    other_recorders = [org.agencies["idva"].pk] + [org.agencies[f"housing-{i}"].pk for i in range(len(org.local_areas))]
    now = people.now
    witnesses_pool: list[int] = []
    nominal_queue = [
        (person_id, local, row[3])
        for person_id, local, row in zip(nominals.person_ids, nominals.local_index, nominals.rows, strict=True)
    ]
    person_rows = {row[0]: row for row in people.persons[: people.count]}
    cursor = 0

    while len(out.incidents) < total:
        if cursor < len(nominal_queue):
            perp, local, category = nominal_queue[cursor]
            cursor += 1
            if rng.random() >= NOMINAL_PERPETRATOR_SHARE.get(category, 0.0):
                continue
            perp_gender, perp_dob = person_rows[perp][5], person_rows[perp][4]
        else:
            local = rng.randrange(len(org.local_areas))
            perp_gender = Gender.MALE if rng.random() < 0.8 else Gender.FEMALE
            perp_dob = people.date_of_birth(18, 60)
            known = rng.random() < 0.5
            perp = people.add(
                perp_gender,
                perp_dob,
                ids=people.identifiers(
                    people.first_id + people.count, pnc=known, cro=False, nomis=False, probation=False, visor=False
                ),
            )
            people.add_address(perp, org.local_areas[local].name)
        out.perpetrators += 1
        town = org.local_areas[local].name
        count = min(incidents_for_one(rng), total - len(out.incidents))
        victims = []
        n_victims = 1 if count < SERIAL_THRESHOLD else rng.randint(2, min(MAX_VICTIMS, 1 + count // 2))
        if n_victims > 1:
            out.serial_perpetrators += 1
            people.add_marker(perp, WarningMarker.Code.DOMESTIC_ABUSE, today)
        for _ in range(n_victims):
            kind = rng.choices(list(PARTNER_KINDS), weights=list(PARTNER_KINDS.values()))[0]
            victim = _victim(rng, people, perp_gender, perp_dob, kind, town)
            former = kind in (RelationshipKind.INTIMATE_PARTNER, RelationshipKind.SPOUSE_OR_CIVIL_PARTNER) and (
                n_victims > 1 or rng.random() < 0.5
            )
            start = today - dt.timedelta(days=rng.randint(LOOK_BACK_DAYS, 12 * 365))
            _relate(out, gaps, (perp, victim, kind, former, DEFAULT_CONNECTION[RelationshipKind(kind)].value))
            child = None
            if kind != RelationshipKind.CHILD and rng.random() < CHILD_SHARE:
                child_dob = today - dt.timedelta(days=rng.randint(200, 15 * 365))
                family = people.persons[victim - people.first_id][3]
                child = people.add(rng.choice([Gender.FEMALE, Gender.MALE]), child_dob, family=family)
                out.relationships.append(
                    (
                        child,
                        victim,
                        RelationshipKind.CHILD.value,
                        False,
                        PersonalConnection.RELATIVES.value,
                        False,
                        child_dob,
                        None,
                    )
                )
                out.children += 1
            victims.append((victim, child, start))
            out.victims += 1
        recent = 0
        for k in range(count):
            victim, child, _start = victims[0] if k % 3 or len(victims) == 1 else rng.choice(victims)
            incident_id = first_id + len(out.incidents)
            days_ago = int(LOOK_BACK_DAYS * (rng.random() ** 1.5))
            if days_ago <= 365:
                recent += 1
            occurred = now - dt.timedelta(days=days_ago, seconds=rng.randint(0, 86_399))
            offence = None if rng.random() < NON_CRIME_SHARE else rng.choices(offence_ids, weights=offence_weights)[0]
            recorder = police if rng.random() < 0.9 else rng.choice(other_recorders)
            out.incidents.append(
                (
                    incident_id,
                    f"FS/{incident_id:08d}",
                    occurred,
                    rng.choice(PLACES),
                    org.local_areas[local].pk,
                    True,
                    offence,
                    rng.choice(SUMMARIES),
                    recorder,
                    occurred,
                )
            )
            out.people.append((incident_id, perp, IncidentRole.PERPETRATOR))
            out.people.append((incident_id, victim, IncidentRole.VICTIM))
            if child and rng.random() < 0.5:
                out.people.append((incident_id, child, IncidentRole.CHILD_PRESENT))
            if witnesses_pool and rng.random() < WITNESS_SHARE:
                witness = rng.choice(witnesses_pool)
                if witness not in (perp, victim, child):
                    out.people.append((incident_id, witness, IncidentRole.WITNESS))
        witnesses_pool.extend(v for v, _c, _s in victims)
        if recent >= MARAC_REFERRAL_INCIDENTS:
            forum = org.forums[f"marac-{local}"].pk
            for victim, _child, _start in victims:
                opened = today - dt.timedelta(days=rng.randint(0, 330))
                closed = opened + dt.timedelta(days=rng.randint(14, 90)) if rng.random() < MARAC_CLOSED_SHARE else None
                out.forum_cases.append((forum, victim, opened, closed if closed and closed <= today else None))
        if progress and out.perpetrators % 20_000 == 0:
            progress("incidents", len(out.incidents), total)
    return out


def mappa_forum_cases(org: Organisation, nominals: NominalRows, today: dt.date) -> list[tuple]:
    """Level 2 and 3 nominals are cases of the area's MAPPA meetings."""
    rows = []
    for row in nominals.rows:
        level, person_id, managed_from = row[4], row[2], row[14]
        if level >= 2:
            forum = org.forums["mappa-l3" if level == 3 else "mappa-l2"].pk
            rows.append((forum, person_id, max(managed_from, today - dt.timedelta(days=400)), None))
    return rows
