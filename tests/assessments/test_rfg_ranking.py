"""The set-based MATAC ranking gives exactly the scores and ranking of the rule (safeguard.rules.rfg)."""

import dataclasses
import datetime as dt
import random
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.assessments.rfg_ranking import RankedPerpetrator, rank_force, ranking_sql, score_person
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson, IncidentRole, Offence
from safeguard.people.models import Person
from safeguard.rules import rfg
from safeguard.rules.rfg import DaRecord, RfgConfig
from safeguard.rules.working import RuleInputError
from safeguard.workforce.models import Agency

pytestmark = pytest.mark.django_db

LONDON = timezone.get_default_timezone()
# Small weights make equal totals common, so the tie-breaks are exercised.
FLAT = RfgConfig(
    recency_bands=((1, 2), (12, 1)),
    frequency_weight=1,
    frequency_cap=3,
    gravity_weights={"CJA1988-s39": 2, "OAPA1861-s47": 1},
    non_crime_gravity=0,
    default_crime_gravity=1,
    victim_weight=1,
    top_n_per_area=3,
    min_age=18,
)
CONFIGS = [RfgConfig(), FLAT]
AS_OF_DATES = [
    dt.date(2025, 3, 30),  # clocks go forward in London that night
    dt.date(2024, 10, 26),  # and back the night after
    dt.date(2024, 2, 29),
    dt.date(2026, 1, 15),
]


@dataclasses.dataclass
class IncidentSpec:
    at: dt.datetime
    area: int
    domestic_abuse: bool
    code: str | None
    perpetrators: frozenset[int]
    victims: frozenset[int]
    witnesses: frozenset[int] = frozenset()
    pk: int | None = None


@pytest.fixture
def place(db):
    tree = f.area_tree("Rfg Shire", ("Alpha", "Beta", "Gamma"))
    police = f.agency(tree["mappa"], Agency.Kind.POLICE, "Rfg Shire Police")
    return SimpleNamespace(
        mappa=tree["mappa"],
        areas=[a.pk for a in tree["local"]],
        police=police,
        offences=dict(Offence.objects.values_list("code", "pk")),
        counter=iter(range(1, 10**9)),
    )


def local(day: dt.date, hour: int = 12, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)), LONDON)


def write(place, births: list[dt.date | None], incidents: list[IncidentSpec]) -> list[int]:
    """The people and incidents in the database; returns the people's ids in order (specs get their pk)."""
    people = Person.objects.bulk_create(
        Person(given_name="Test", family_name=f"Person{i}", date_of_birth=born, area=place.mappa)
        for i, born in enumerate(births)
    )
    ids = [p.pk for p in people]
    rows = Incident.objects.bulk_create(
        Incident(
            reference=f"RFG/{next(place.counter):07d}",
            occurred_at=spec.at,
            local_area_id=spec.area,
            domestic_abuse=spec.domestic_abuse,
            offence_id=place.offences[spec.code] if spec.code else None,
            recorded_by=place.police,
        )
        for spec in incidents
    )
    links = []
    for spec, row in zip(incidents, rows, strict=True):
        spec.pk = row.pk
        for role, members in (
            (IncidentRole.PERPETRATOR, spec.perpetrators),
            (IncidentRole.VICTIM, spec.victims),
            (IncidentRole.WITNESS, spec.witnesses),
        ):
            links += [IncidentPerson(incident_id=row.pk, person_id=ids[m], role=role) for m in members]
    IncidentPerson.objects.bulk_create(links)
    return ids


def expected(ids, births, incidents, as_of, config, *, serial_only=True, top_n=None, area_ids=None):
    """The rule's answer, from the specs (not from the database)."""
    entries = []
    for index, person_id in enumerate(ids):
        records = [
            DaRecord(
                occurred_on=timezone.localdate(spec.at, LONDON),
                offence_code=spec.code,
                victims=frozenset(str(ids[v]) for v in spec.victims if v != index),
                area=spec.area,
                occurred_at=spec.at,
                record_id=spec.pk,
                # Both people 16 or over on the day (DA Act 2021 s.1(2)(a)): a victim under 16 is not counted.
                victims_under_16=frozenset(
                    str(ids[v])
                    for v in spec.victims
                    if v != index
                    and births[v] is not None
                    and rfg.age_on(births[v], timezone.localdate(spec.at, LONDON)) < rfg.DA_ACT_MIN_AGE
                ),
            )
            for spec in incidents
            if spec.domestic_abuse and index in spec.perpetrators
        ]
        if not records:
            continue
        score = rfg.score_perpetrator(records, as_of=as_of, date_of_birth=births[index], config=config)
        if area_ids is not None and score.area not in area_ids:
            continue
        entries.append((person_id, score.area, score, score.latest_at))
    rows = rfg.rank(entries, top_n=config.top_n_per_area if top_n is None else top_n, serial_only=serial_only)
    return [
        RankedPerpetrator(
            person_id=r.person_key,
            area_id=r.area_key,
            recency=r.score.recency,
            frequency=r.score.frequency,
            gravity=r.score.gravity,
            victims=r.score.victims,
            total=r.score.total,
            records=r.score.records_counted,
            distinct_victims=r.score.distinct_victims,
            latest_at=r.score.latest_at,
            rank_in_area=r.rank_in_area,
            serial=r.score.serial_perpetrator,
        )
        for r in rows
    ]


def assert_same(place, ids, births, incidents, as_of, config):
    everyone = dataclasses.replace(config, top_n_per_area=None)
    cases = [
        (config, {}),
        (everyone, {}),
        (everyone, {"serial_only": False}),
        (config, {"top_n": 1}),
        (everyone, {"area_ids": place.areas[:2], "serial_only": False}),
        (config, {"area_ids": [place.areas[2]]}),
    ]
    for settings_, kwargs in cases:
        got = rank_force(settings_, as_of, **kwargs)
        want = expected(ids, births, incidents, as_of, settings_, **kwargs)
        assert got == want, kwargs


def boundary_days(as_of: dt.date, config: RfgConfig) -> list[dt.date]:
    """The days either side of every boundary the ranking date gives."""
    bounds = rfg.boundaries(as_of, config)
    edges = [bounds.counted_after, as_of] + [after for _m, after, _p in bounds.recency_bands]
    return [edge + dt.timedelta(days=d) for edge in edges for d in (-1, 0, 1)]


def generated(place, as_of: dt.date, config: RfgConfig, seed: int, people: int = 40, count: int = 300):
    rng = random.Random(seed)
    sixteen = rfg.months_before(as_of, 16 * 12)
    births = [
        rng.choice(
            [
                None,
                sixteen,  # 16 on the ranking date
                sixteen + dt.timedelta(days=1),  # 16 the day after
                dt.date(2008, 2, 29),
                rfg.months_before(as_of, 18 * 12) + dt.timedelta(days=1),  # 18 the day after
                dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15000)),
                dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15000)),
            ]
        )
        for _ in range(people)
    ]
    edges = boundary_days(as_of, config)
    codes = [None, None, "CJA1988-s39", "OAPA1861-s47", "OAPA1861-s18", "CL-murder", "TA1968-s1", "SCA2015-s76"]
    heavy = list(range(people // 4))  # a few people have many records
    incidents = []
    for _ in range(count):
        near_an_edge = rng.random() < 0.4
        day = rng.choice(edges) if near_an_edge else as_of - dt.timedelta(days=rng.randint(-5, 3 * 366 + 30))
        hour, minute, second = rng.choice([(0, 0, 0), (23, 59, 59), (12, 0, 0), (rng.randint(0, 23), 30, 0)])
        perpetrators = {rng.choice(heavy if rng.random() < 0.6 else range(people))}
        if rng.random() < 0.08:
            perpetrators.add(rng.randrange(people))
        victims = set(rng.sample(range(people), rng.choice([0, 1, 1, 1, 2, 3])))
        if rng.random() < 0.05:
            victims |= perpetrators  # a counter-allegation: both people recorded as both
        incidents.append(
            IncidentSpec(
                at=local(day, hour, minute, second),
                area=rng.choice(place.areas),
                domestic_abuse=rng.random() < 0.9,
                code=rng.choice(codes),
                perpetrators=frozenset(perpetrators),
                victims=frozenset(victims),
                witnesses=frozenset(rng.sample(range(people), rng.choice([0, 0, 1]))),
            )
        )
    return births, incidents


@pytest.mark.parametrize("as_of", AS_OF_DATES)
@pytest.mark.parametrize("config", CONFIGS, ids=["default", "flat"])
def test_rank_force_agrees_with_the_rule_on_a_generated_force(place, as_of, config):
    births, incidents = generated(place, as_of, config, seed=as_of.toordinal())
    ids = write(place, births, incidents)
    ranked = rank_force(dataclasses.replace(config, top_n_per_area=None), as_of, serial_only=False)
    assert len(ranked) > 20 and any(r.serial for r in ranked) and not all(r.serial for r in ranked)
    if config is FLAT:
        assert len({(r.area_id, r.total) for r in ranked}) < len(ranked), "some totals tie within an area"
    assert_same(place, ids, births, incidents, as_of, config)


@st.composite
def small_force(draw):
    as_of = draw(st.sampled_from(AS_OF_DATES))
    births = draw(
        st.lists(
            st.one_of(st.none(), st.dates(dt.date(2006, 1, 1), dt.date(2011, 12, 31)), st.just(dt.date(1980, 5, 5))),
            min_size=2,
            max_size=6,
        )
    )
    people = len(births)
    config = draw(st.sampled_from(CONFIGS))
    days = st.one_of(
        st.sampled_from(boundary_days(as_of, config)),
        st.integers(-3, 3 * 366 + 3).map(lambda n: as_of - dt.timedelta(days=n)),
    )
    incident = st.builds(
        IncidentSpec,
        at=st.tuples(days, st.sampled_from([(0, 0, 0), (12, 0, 0), (23, 59, 59)])).map(lambda t: local(t[0], *t[1])),
        area=st.integers(0, 2),
        domestic_abuse=st.booleans(),
        code=st.sampled_from([None, "CJA1988-s39", "OAPA1861-s18", "TA1968-s1"]),
        perpetrators=st.frozensets(st.integers(0, people - 1), min_size=1, max_size=2),
        victims=st.frozensets(st.integers(0, people - 1), max_size=3),
    )
    return as_of, config, births, draw(st.lists(incident, max_size=14))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(force=small_force())
def test_rank_force_agrees_with_the_rule_on_any_small_force(place, force):
    as_of, config, births, incidents = force
    for spec in incidents:
        spec.area = place.areas[spec.area] if spec.area < 3 else spec.area
    with transaction.atomic():
        ids = write(place, births, incidents)
        assert_same(place, ids, births, incidents, as_of, config)
        transaction.set_rollback(True)


def test_look_back_boundaries_are_local_midnights(place):
    as_of = dt.date(2025, 3, 29)  # the next day is 23 hours long
    after = rfg.boundaries(as_of).counted_after
    area = place.areas[0]
    specs = [
        IncidentSpec(local(after, 23, 59, 59), area, True, None, frozenset({0}), frozenset({1})),  # not counted
        IncidentSpec(local(after + dt.timedelta(days=1), 0, 0, 0), area, True, None, frozenset({0}), frozenset({2})),
        IncidentSpec(local(as_of, 23, 59, 59), area, True, None, frozenset({0}), frozenset({1})),
        IncidentSpec(local(as_of + dt.timedelta(days=1), 0, 0, 0), area, True, None, frozenset({0}), frozenset({3})),
        IncidentSpec(local(as_of, 9), area, False, None, frozenset({0}), frozenset({3})),  # not domestic abuse
    ]
    ids = write(place, [dt.date(1990, 1, 1), None, None, None], specs)
    [row] = rank_force(RfgConfig(), as_of)
    assert (row.person_id, row.records, row.distinct_victims, row.area_id) == (ids[0], 2, 2, area)
    assert row.latest_at == specs[2].at and row.recency == 10 and row.serial
    [earlier] = rank_force(RfgConfig(), as_of - dt.timedelta(days=1), serial_only=False)
    assert (earlier.records, earlier.latest_at) == (2, specs[1].at)
    [later] = rank_force(RfgConfig(), as_of + dt.timedelta(days=1), serial_only=False)
    assert (later.records, later.latest_at) == (2, specs[3].at)


def test_area_is_that_of_the_most_recent_record_then_the_highest_incident(place):
    alpha, beta, gamma = place.areas
    at = local(dt.date(2026, 1, 10), 20)
    specs = [
        IncidentSpec(at - dt.timedelta(days=3), alpha, True, None, frozenset({0}), frozenset({1})),
        IncidentSpec(at, beta, True, None, frozenset({0}), frozenset({2})),
        IncidentSpec(at, gamma, True, None, frozenset({0}), frozenset({1})),  # same instant, higher id
    ]
    ids = write(place, [None, None, None], specs)
    [row] = rank_force(RfgConfig(), dt.date(2026, 1, 15))
    assert row.person_id == ids[0] and row.area_id == gamma and specs[2].pk > specs[1].pk


def test_a_perpetrator_recorded_as_their_own_victim_is_not_counted_as_a_victim(place):
    area = place.areas[0]
    day = dt.date(2026, 1, 1)
    specs = [
        IncidentSpec(local(day), area, True, None, frozenset({0, 1}), frozenset({0, 1})),
        IncidentSpec(local(day, 13), area, True, None, frozenset({0}), frozenset({0})),
    ]
    ids = write(place, [None, None], specs)
    rows = {r.person_id: r for r in rank_force(RfgConfig(), dt.date(2026, 1, 2), serial_only=False)}
    assert (rows[ids[0]].records, rows[ids[0]].distinct_victims, rows[ids[0]].serial) == (2, 1, False)
    assert (rows[ids[1]].records, rows[ids[1]].distinct_victims) == (1, 1)


def test_score_person_gives_the_rule_with_its_working_from_the_database(place):
    as_of = dt.date(2026, 1, 15)
    births, incidents = generated(place, as_of, RfgConfig(), seed=5, people=12, count=60)
    ids = write(place, births, incidents)
    ranked = {r.person_id: r for r in rank_force(RfgConfig(top_n_per_area=None), as_of, serial_only=False)}
    for person_id, row in ranked.items():
        score = score_person(person_id, as_of)
        assert (score.total, score.records_counted, score.distinct_victims, score.area, score.serial_perpetrator) == (
            row.total,
            row.records,
            row.distinct_victims,
            row.area_id,
            row.serial,
        )
        assert score.working and all(step.source for step in score.working)
    assert set(ranked) <= set(ids)


def test_gravity_codes_and_weights_are_parameters_not_sql_text(place):
    config = RfgConfig(gravity_weights={"CJA1988-s39": 4, "X');DROP TABLE events_incident": 9})
    sql, params = ranking_sql(config, dt.date(2026, 1, 15))
    assert "CJA1988-s39" not in sql and "DROP" not in sql
    assert "CJA1988-s39" in params and "X');DROP TABLE events_incident" in params
    rank_force(config, dt.date(2026, 1, 15))
    assert Incident.objects.model._meta.db_table == "events_incident" and Incident.objects.count() == 0


def test_settings_without_bands_cap_or_weights_still_agree(place):
    as_of = dt.date(2026, 1, 15)
    config = RfgConfig(recency_bands=(), frequency_cap=None, gravity_weights={}, top_n_per_area=None)
    births, incidents = generated(place, as_of, config, seed=11, people=15, count=80)
    ids = write(place, births, incidents)
    assert_same(place, ids, births, incidents, as_of, config)


def test_empty_area_list_and_bad_top_n(place):
    assert rank_force(RfgConfig(), dt.date(2026, 1, 15), area_ids=[]) == []
    with pytest.raises(RuleInputError) as error:
        rank_force(RfgConfig(), dt.date(2026, 1, 15), top_n=0)
    assert error.value.field == "top_n"
    with pytest.raises(RuleInputError) as error:
        rank_force(RfgConfig(), dt.datetime(2026, 1, 15, 12, 0))
    assert error.value.field == "as_of"
    with pytest.raises(RuleInputError) as error:
        rank_force(RfgConfig(), dt.date(2026, 1, 15), area_ids=["1; DROP TABLE x"])
    assert error.value.field == "area_ids"
