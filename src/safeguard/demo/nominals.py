"""Nominals in the proportions the MAPPA annual reports show, with index convictions to match.

Proportions (domain/mappa.md, the national figures): about 70% Category 1,
28% Category 2, 1.5% Category 3 and a few to be determined; about 98% at
Level 1, 1.7% at Level 2 and 0.3% at Level 3. Category 3 offenders are those
who need Level 2 or 3 management, so every Category 3 nominal here is at
Level 2 or 3. Convictions are consistent with the category: Category 1 has a
Schedule 3 offence; Category 2 has murder or a Schedule 15 offence with a
custodial term of 12 months or more.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from safeguard.events.models import Conviction, Disposal, Offence
from safeguard.offenders.models import Location, MappaCategory, Nominal, RiskOfSeriousHarm
from safeguard.people.models import Alias, Gender, WarningMarker

from .organisation import PRISONS, Organisation
from .people import PeopleRows
from .signins import CASELOAD, OFFENDER_MANAGER, TOUR_FAMILY_NAME, TOUR_GIVEN_NAME

CATEGORY_WEIGHTS = {
    MappaCategory.ONE: 70.0,
    MappaCategory.TWO: 28.0,
    MappaCategory.THREE: 1.5,
    MappaCategory.TO_BE_DETERMINED: 0.5,
}
LEVEL_2_SHARE_CAT_1_2 = 0.006  # with Category 3 (all Level 2 or 3) gives about 1.7% at Level 2
LEVEL_3_SHARE_CAT_1_2 = 0.001
LEVEL_3_SHARE_CAT_3 = 0.15
LOCATION_WEIGHTS = {
    Location.COMMUNITY: 82,
    Location.CUSTODY: 12,
    Location.APPROVED_PREMISES: 4,
    Location.HOSPITAL: 2,
}
ROSH_LEVEL_1 = {
    RiskOfSeriousHarm.LOW: 25,
    RiskOfSeriousHarm.MEDIUM: 55,
    RiskOfSeriousHarm.HIGH: 17,
    RiskOfSeriousHarm.VERY_HIGH: 1,
    RiskOfSeriousHarm.NOT_KNOWN: 2,
}
UNALLOCATED_SHARE = 0.01
POLICE_LEAD_SHARE = 0.6
ALIAS_SHARE = 0.12
MURDER_SHARE_OF_CAT_2 = 0.05
PREVIOUS_CONVICTION_SHARE = 0.3
REVIEW_WEEKS = {2: 16, 3: 8}
COURTS = ("Amberwick Crown Court", "Corvale Crown Court", "Fernholt Magistrates' Court")

NOMINAL_FIELDS = (
    "id",
    "reference",
    "person",
    "mappa_category",
    "management_level",
    "status",
    "location",
    "location_detail",
    "release_date",
    "rosh",
    "registered_sex_offender",
    "lead_agency",
    "offender_manager",
    "local_area",
    "managed_from",
    "managed_until",
    "allocated_on",
    "next_review_due",
    "version",
)
CONVICTION_FIELDS = (
    "person",
    "kind",
    "offence",
    "offence_date",
    "relevant_date",
    "sentence_date",
    "disposal",
    "term_months",
    "discharge_months",
    "soa_schedule_3",
    "cja_schedule_15",
    "court",
)


@dataclass
class NominalRows:
    first_id: int
    rows: list[tuple] = field(default_factory=list)
    convictions: list[tuple] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    local_index: list[int] = field(default_factory=list)  # per nominal: index of its local authority area
    tour_person_id: int | None = None

    def tables(self):
        return ((Nominal, NOMINAL_FIELDS, self.rows), (Conviction, CONVICTION_FIELDS, self.convictions))


class OffenceBook:
    """The offences loaded by the events data migration, grouped the way the generator needs."""

    def __init__(self):
        offences = list(Offence.objects.order_by("code"))
        self.by_code = {o.code: o for o in offences}
        self.schedule_3 = [o for o in offences if o.soa_schedule_3]
        self.schedule_15_violent = [o for o in offences if o.cja_schedule_15 and not o.soa_schedule_3]
        self.murder = [o for o in offences if o.is_murder]
        self.domestic_abuse = [o for o in offences if o.domestic_abuse_related]
        self.minor = [o for o in offences if not (o.cja_schedule_15 or o.soa_schedule_3 or o.is_murder)]
        if not (self.schedule_3 and self.schedule_15_violent and self.domestic_abuse):
            raise RuntimeError("The offence reference list is missing: run the migrations first.")


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _level(rng: random.Random, category: str) -> int:
    if category == MappaCategory.THREE:
        return 3 if rng.random() < LEVEL_3_SHARE_CAT_3 else 2
    r = rng.random()
    if r < LEVEL_3_SHARE_CAT_1_2:
        return 3
    return 2 if r < LEVEL_3_SHARE_CAT_1_2 + LEVEL_2_SHARE_CAT_1_2 else 1


def _review_due(rng: random.Random, level: int, today: dt.date) -> dt.date:
    r = rng.random()
    if r < 0.15:
        return today - dt.timedelta(days=rng.randint(1, 30))
    if r < 0.4:
        return today + dt.timedelta(days=rng.randint(0, 28))
    return today + dt.timedelta(days=rng.randint(29, REVIEW_WEEKS[level] * 7))


def _index_conviction(rng, book: OffenceBook, category: str, person_id: int, dob: dt.date, today: dt.date):
    """The conviction that brings the nominal under MAPPA, and its custodial term (months, or None)."""
    adult = dob + dt.timedelta(days=18 * 366)
    earliest = max(adult, today - dt.timedelta(days=25 * 365))
    span = max(60, (today - dt.timedelta(days=60) - earliest).days)
    relevant = min(earliest + dt.timedelta(days=rng.randint(0, span)), today - dt.timedelta(days=30))
    disposal, term = Disposal.IMPRISONMENT, None
    if category == MappaCategory.ONE:
        offence = rng.choice(book.schedule_3)
        disposal = rng.choices([Disposal.IMPRISONMENT, Disposal.COMMUNITY_ORDER, Disposal.LIFE], weights=[70, 28, 2])[0]
        term = rng.randint(6, 180) if disposal == Disposal.IMPRISONMENT else None
    elif category == MappaCategory.TWO:
        if rng.random() < MURDER_SHARE_OF_CAT_2:
            offence, disposal = rng.choice(book.murder), Disposal.LIFE
        else:
            offence, term = rng.choice(book.schedule_15_violent), rng.randint(12, 240)
    elif category == MappaCategory.THREE:
        offence = rng.choice(book.domestic_abuse)
        disposal = rng.choice([Disposal.IMPRISONMENT, Disposal.COMMUNITY_ORDER])
        term = rng.randint(3, 36) if disposal == Disposal.IMPRISONMENT else None
    else:
        offence = rng.choice(book.schedule_15_violent + book.schedule_3)
        term = rng.randint(12, 60)
    sentence = min(relevant + dt.timedelta(days=rng.randint(0, 42)), today)
    offence_date = max(relevant - dt.timedelta(days=rng.randint(20, 600)), dob + dt.timedelta(days=16 * 366))
    row = (
        person_id,
        Conviction.Kind.CONVICTION,
        offence.pk,
        min(offence_date, relevant),
        relevant,
        sentence,
        disposal,
        term,
        None,
        offence.soa_schedule_3,
        offence.cja_schedule_15,
        rng.choice(COURTS),
    )
    return row, sentence, term, disposal


def _previous_conviction(rng, book: OffenceBook, person_id: int, dob: dt.date, before: dt.date):
    adult = dob + dt.timedelta(days=17 * 366)
    if (before - adult).days < 120:
        return None
    relevant = adult + dt.timedelta(days=rng.randint(0, (before - adult).days - 60))
    offence = rng.choice(book.minor)
    return (
        person_id,
        Conviction.Kind.CONVICTION,
        offence.pk,
        relevant - dt.timedelta(days=rng.randint(10, 90)),
        relevant,
        relevant,
        Disposal.FINE,
        None,
        None,
        offence.soa_schedule_3,
        offence.cja_schedule_15,
        rng.choice(COURTS),
    )


def _release_and_location(rng, location: str, sentence: dt.date, term, disposal, today: dt.date):
    """Release date consistent with the sentence: in the future for custody, after sentence otherwise."""
    if location == Location.CUSTODY:
        return today + dt.timedelta(days=rng.randint(20, 900)), rng.choice(PRISONS)
    if location == Location.APPROVED_PREMISES:
        return max(sentence, today - dt.timedelta(days=rng.randint(1, 150))), "Fictional House Approved Premises"
    if location == Location.HOSPITAL:
        return None, "Imaginary Vale Secure Hospital"
    if term and disposal == Disposal.IMPRISONMENT:
        release = sentence + dt.timedelta(days=int(term * 30.4 / 2))
        return (release if release <= today else max(sentence, today - dt.timedelta(days=10))), ""
    return None, ""


def build(rng, org: Organisation, people: PeopleRows, book: OffenceBook, n: int, first_id: int, today) -> NominalRows:
    out = NominalRows(first_id=first_id)
    om_demo = org.demo_users[OFFENDER_MANAGER].pk
    division0 = [i for i in range(len(org.local_areas)) if org.division_of(i) == 0]
    police = org.agencies["police"].pk
    for i in range(n):
        tour = i == 0
        on_demo_caseload = i < CASELOAD
        category = MappaCategory.ONE if tour else _pick(rng, CATEGORY_WEIGHTS)
        level = 2 if i < 2 else _level(rng, category)
        local = rng.choice(division0) if on_demo_caseload else rng.randrange(len(org.local_areas))
        gender = Gender.MALE if tour or rng.random() < 0.95 else Gender.FEMALE
        dob = dt.date(1979, 3, 14) if tour else people.date_of_birth(20, 75)
        location = Location.COMMUNITY if on_demo_caseload and i < 2 else _pick(rng, LOCATION_WEIGHTS)
        provisional = people.first_id + people.count
        ids = people.identifiers(
            provisional,
            pnc=True,
            cro=True,
            nomis=location == Location.CUSTODY or rng.random() < 0.7,
            probation=rng.random() < 0.9,
            visor=True,
        )
        person_id = people.add(
            gender,
            dob,
            given=TOUR_GIVEN_NAME if tour else None,
            family=TOUR_FAMILY_NAME if tour else None,
            ids=ids,
        )
        if tour:
            out.tour_person_id = person_id
            people.add_alias(person_id, gender, Alias.Kind.NICKNAME)
        elif rng.random() < ALIAS_SHARE:
            kind = rng.choice([Alias.Kind.ALIAS, Alias.Kind.ALIAS, Alias.Kind.NICKNAME, Alias.Kind.PREVIOUS])
            people.add_alias(person_id, gender, kind, dob if kind == Alias.Kind.ALIAS and rng.random() < 0.5 else None)
        town = org.local_areas[local].name
        address_kind = "approved_premises" if location == Location.APPROVED_PREMISES else "home"
        if location == Location.COMMUNITY and rng.random() < 0.02:
            address_kind = "nfa"
        people.add_address(person_id, town, address_kind)

        conviction, sentence, term, disposal = _index_conviction(rng, book, category, person_id, dob, today)
        out.convictions.append(conviction)
        if rng.random() < PREVIOUS_CONVICTION_SHARE:
            previous = _previous_conviction(rng, book, person_id, dob, conviction[4])
            if previous:
                out.convictions.append(previous)
        release, detail = _release_and_location(rng, location, sentence, term, disposal, today)

        if category == MappaCategory.ONE:
            people.add_marker(person_id, WarningMarker.Code.SEX_OFFENDER, conviction[4])
        elif category == MappaCategory.TWO and rng.random() < 0.5:
            people.add_marker(person_id, WarningMarker.Code.VIOLENT, conviction[4])

        if location == Location.CUSTODY:
            lead = org.agencies[f"prison-{PRISONS.index(detail)}"].pk
            lead_police = True
        else:
            lead_police = on_demo_caseload or rng.random() < POLICE_LEAD_SHARE
            lead = police if lead_police else org.agencies[f"probation-{org.division_of(local)}"].pk
        if on_demo_caseload:
            om = om_demo
        elif rng.random() < UNALLOCATED_SHARE:
            om = None
        elif lead_police:
            om = rng.choice(org.police_oms[org.division_of(local)])
        else:
            om = rng.choice(org.probation_oms[org.division_of(local)])
        managed_from = min(conviction[4], today)
        allocated_on = min(managed_from + dt.timedelta(days=rng.randint(0, 30)), today) if om else None

        if level > 1:
            rosh = RiskOfSeriousHarm.VERY_HIGH if rng.random() < 0.3 else RiskOfSeriousHarm.HIGH
            review = _review_due(rng, level, today)
        else:
            rosh, review = _pick(rng, ROSH_LEVEL_1), None
        if tour:
            review = today + dt.timedelta(days=4)
        elif i == 1:
            review = today - dt.timedelta(days=6)

        nominal_id = first_id + i
        out.rows.append(
            (
                nominal_id,
                f"FS-{i + 1:07d}",
                person_id,
                category,
                level,
                Nominal.Status.ACTIVE,
                location,
                detail,
                release,
                rosh,
                category == MappaCategory.ONE,
                lead,
                om,
                org.local_areas[local].pk,
                managed_from,
                None,
                allocated_on,
                review,
                1,
            )
        )
        out.person_ids.append(person_id)
        out.local_index.append(local)
    return out
