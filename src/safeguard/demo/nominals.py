"""Nominals in the proportions the MAPPA annual reports show, with index convictions to match.

Proportions (domain/mappa.md, the national figures): about 70% Category 1,
28% Category 2, 1.5% Category 3 and a few to be determined; about 98% at
Level 1, 1.7% at Level 2 and 0.3% at Level 3. Category 3 offenders are those
who need Level 2 or 3 management, so every Category 3 nominal here is at
Level 2 or 3. Convictions are consistent with the category: Category 1 has a
Schedule 3 offence; Category 2 has murder or a Schedule 15 offence with a
custodial term of 12 months or more.

The first nominals are the demo's plan (``workforce.case_plan``): om.demo's
caseload, next month's releases waiting for allocation and the demo team's
caseloads. Every other nominal goes to an offender manager of its division
or delivery unit through ``workforce.OfficerPicker`` (Level 2/3 only to a
MOSOVO-trained officer), on a day no earlier than the officer joined; a
tenth came to their present officer in the last year. Probation-led
nominals carry a probation tier (``workforce.tier_for``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from safeguard.events.models import Conviction, Disposal, Offence
from safeguard.offenders.models import Location, MappaCategory, Nominal, RiskOfSeriousHarm
from safeguard.people.models import Alias, Gender, WarningMarker
from safeguard.workforce.models import AreaSettings

from . import workforce
from .organisation import PRISONS, Organisation
from .people import PeopleRows
from .signins import TOUR_FAMILY_NAME, TOUR_GIVEN_NAME

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
# With Level 2/3 (always high) about 15% of nominals are at high or very high RoSH: Surrey aims under 20%
# per officer and has four officers over it (workforce.md), which an area average near 20% could not give.
ROSH_LEVEL_1 = {
    RiskOfSeriousHarm.LOW: 28,
    RiskOfSeriousHarm.MEDIUM: 57,
    RiskOfSeriousHarm.HIGH: 12,
    RiskOfSeriousHarm.VERY_HIGH: 1,
    RiskOfSeriousHarm.NOT_KNOWN: 2,
}
UNALLOCATED_SHARE = 0.01
REALLOCATED_SHARE = 0.1  # came to their present offender manager in the last year (a colleague left, a move)
POLICE_LEAD_SHARE = 0.6
ALIAS_SHARE = 0.12
MURDER_SHARE_OF_CAT_2 = 0.05
PREVIOUS_CONVICTION_SHARE = 0.3
REVIEW_WEEKS = {2: 16, 3: 8}
RELEASE_SOON_SHARE = 0.1  # of the other nominals in custody: released within the months the level is set before
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
    "workload_tier",
    "last_reviewed_on",
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
    """When the next review falls: most in the coming weeks, 15% overdue by days or weeks (never by years)."""
    r = rng.random()
    if r < 0.15:
        return today - dt.timedelta(days=rng.randint(1, 30))
    if r < 0.4:
        return today + dt.timedelta(days=rng.randint(0, 28))
    return today + dt.timedelta(days=rng.randint(29, REVIEW_WEEKS[level] * 7))


def _last_reviewed(level: int, review_due: dt.date | None, managed_from: dt.date, settings) -> dt.date | None:
    """The last Level 2/3 review meeting, placed so that the rules (``rules.mappa.review_due``: the area's interval
    after the last review) give the review due date drawn for the nominal. None where that day would come before
    the nominal was managed at all: the rules then count from when the level was set, which is recent."""
    if level < 2 or review_due is None:
        return None
    weeks = settings.level2_review_weeks if level == 2 else settings.level3_review_weeks
    last = review_due - dt.timedelta(weeks=weeks)
    return last if last >= managed_from else None


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


def _custody_release(rng: random.Random, today: dt.date) -> dt.date:
    """A release in the future. The level must be set some months before release (``rules.mappa.level_set_by``) and
    Safeguard shows that date until release; an area sets it in time, so most releases here are further off than
    that, and a few fall just inside it (the level to be set, overdue by days or weeks). Next month's releases are
    the demo plan's (``workforce.case_plan``)."""
    if rng.random() < RELEASE_SOON_SHARE:
        return today + dt.timedelta(days=rng.randint(150, 182))
    return today + dt.timedelta(days=rng.randint(183, 900))


def _release_and_location(rng, location: str, sentence: dt.date, term, disposal, today: dt.date):
    """Release date consistent with the sentence: in the future for custody, after sentence otherwise."""
    if location == Location.CUSTODY:
        return _custody_release(rng, today), rng.choice(PRISONS)
    if location == Location.APPROVED_PREMISES:
        return max(sentence, today - dt.timedelta(days=rng.randint(1, 150))), "Fictional House Approved Premises"
    if location == Location.HOSPITAL:
        return None, "Imaginary Vale Secure Hospital"
    if term and disposal == Disposal.IMPRISONMENT:
        release = sentence + dt.timedelta(days=int(term * 30.4 / 2))
        return (release if release <= today else max(sentence, today - dt.timedelta(days=10))), ""
    return None, ""


def _planned_rosh(rng: random.Random, high: bool) -> str:
    if high:
        return RiskOfSeriousHarm.VERY_HIGH if rng.random() < 0.3 else RiskOfSeriousHarm.HIGH
    return RiskOfSeriousHarm.LOW if rng.random() < 0.3 else RiskOfSeriousHarm.MEDIUM


def _allocated_on(rng, org: Organisation, om: int, level: int, managed_from: dt.date, spec, release, location, today):
    """When the nominal came to its present offender manager: not before they joined, nor before it was managed,
    and a Level 2/3 nominal not before they completed MOSOVO."""
    if spec is not None and spec.allocated_days_ago is not None:
        day = today - dt.timedelta(days=spec.allocated_days_ago)
    elif spec is not None and location == Location.APPROVED_PREMISES and release:
        day = release  # the Approved Premises post takes each resident on arrival
    else:
        day = managed_from + dt.timedelta(days=rng.randint(0, 30))
        joined = org.officers[om].joined_on if om in org.officers else None
        if joined is not None and day < joined:
            day = joined + dt.timedelta(days=rng.randint(0, 60))
        if rng.random() < REALLOCATED_SHARE:
            day = max(day, today - dt.timedelta(days=rng.randint(0, 365)))
    trained_on = org.officers[om].mosovo_on if om in org.officers else None
    if level > 1 and trained_on is not None:
        day = max(day, trained_on)
    return min(max(day, managed_from), today)


def _category_and_level(rng, spec, tour: bool):
    category = MappaCategory.ONE if tour else _pick(rng, CATEGORY_WEIGHTS)
    if spec is None:
        return category, _level(rng, category)
    if category == MappaCategory.THREE and spec.level == 1:
        category = MappaCategory.ONE  # Category 3 nominals are all at Level 2 or 3
    return category, spec.level


def _location(rng, spec):
    if spec is not None and spec.location is not None:
        return spec.location
    location = _pick(rng, LOCATION_WEIGHTS)
    if spec is not None and location == Location.APPROVED_PREMISES:
        location = Location.COMMUNITY  # only the Approved Premises post holds residents in the plan
    return location


def _add_person(rng, people: PeopleRows, out: NominalRows, *, tour: bool, gender, dob, location) -> int:
    """The nominal's person with identifiers and, for some, another name."""
    ids = people.identifiers(
        people.first_id + people.count,
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
    return person_id


def _add_address(rng, people: PeopleRows, person_id: int, town: str, location) -> None:
    address_kind = "approved_premises" if location == Location.APPROVED_PREMISES else "home"
    if location == Location.COMMUNITY and rng.random() < 0.02:
        address_kind = "nfa"
    people.add_address(person_id, town, address_kind)


def _rosh(rng, spec, level: int):
    if spec is not None:
        return _planned_rosh(rng, spec.high_risk or level > 1)
    if level > 1:
        return RiskOfSeriousHarm.VERY_HIGH if rng.random() < 0.3 else RiskOfSeriousHarm.HIGH
    return _pick(rng, ROSH_LEVEL_1)


def _officer(rng, picker, spec, kind: str, division: int, level: int, rosh):
    """The planned officer, none (unallocated), or one picked from the division's officers of the lead agency."""
    if spec is not None:
        return spec.officer
    if rng.random() < UNALLOCATED_SHARE:
        return None
    return picker.pick(kind, division, level, rosh)


def build(rng, org: Organisation, people: PeopleRows, book: OffenceBook, n: int, first_id: int, today) -> NominalRows:
    """The nominals: first those the demo plan fixes (workforce.case_plan), then the rest of the world."""
    out = NominalRows(first_id=first_id)
    plan = workforce.case_plan(org, rng)
    review_settings = AreaSettings.for_area(org.mappa.pk).mappa_settings()
    picker = workforce.OfficerPicker(org, rng)
    releases_from, releases_to = workforce.next_month(today)
    division0 = org.locals_of(0)
    police = org.agencies["police"].pk
    for i in range(n):
        tour = i == 0
        spec = plan[i] if i < len(plan) else None
        category, level = _category_and_level(rng, spec, tour)
        if spec is not None:
            local = spec.local if spec.local is not None else rng.choice(division0)
        else:
            local = rng.randrange(len(org.local_areas))
        gender = Gender.MALE if tour or rng.random() < 0.95 else Gender.FEMALE
        dob = dt.date(1979, 3, 14) if tour else people.date_of_birth(20, 75)
        location = _location(rng, spec)
        person_id = _add_person(rng, people, out, tour=tour, gender=gender, dob=dob, location=location)
        _add_address(rng, people, person_id, org.local_areas[local].name, location)

        conviction, sentence, term, disposal = _index_conviction(rng, book, category, person_id, dob, today)
        out.convictions.append(conviction)
        if rng.random() < PREVIOUS_CONVICTION_SHARE:
            previous = _previous_conviction(rng, book, person_id, dob, conviction[4])
            if previous:
                out.convictions.append(previous)
        release, detail = _release_and_location(rng, location, sentence, term, disposal, today)
        if spec is not None and spec.release_next_month:
            release = releases_from + dt.timedelta(days=rng.randint(0, (releases_to - releases_from).days))

        if category == MappaCategory.ONE:
            people.add_marker(person_id, WarningMarker.Code.SEX_OFFENDER, conviction[4])
        elif category == MappaCategory.TWO and rng.random() < 0.5:
            people.add_marker(person_id, WarningMarker.Code.VIOLENT, conviction[4])

        rosh = _rosh(rng, spec, level)
        if location == Location.CUSTODY:
            lead = org.agencies[f"prison-{PRISONS.index(detail)}"].pk
            lead_police = True
        else:
            lead_police = spec is not None or rng.random() < POLICE_LEAD_SHARE
            lead = police if lead_police else org.agencies[f"probation-{org.division_of(local)}"].pk
        om = _officer(rng, picker, spec, "police" if lead_police else "probation", org.division_of(local), level, rosh)
        managed_from = min(conviction[4], today)
        allocated_on = _allocated_on(rng, org, om, level, managed_from, spec, release, location, today) if om else None
        tier = workforce.tier_for(rng, rosh) if not lead_police else ""

        review = _review_due(rng, level, today) if level > 1 else None
        if tour:
            review = today + dt.timedelta(days=4)
        elif i == 1:
            review = today - dt.timedelta(days=6)
        last_reviewed = _last_reviewed(level, review, managed_from, review_settings)

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
                tier,
                last_reviewed,
            )
        )
        out.person_ids.append(person_id)
        out.local_index.append(local)
    return out
