import dataclasses
import datetime as dt
import importlib
import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import rfg
from safeguard.rules.rfg import DaRecord, RfgConfig, boundaries, rank, score_perpetrator
from safeguard.rules.working import RuleInputError, Status, explain

AS_OF = dt.date(2026, 3, 10)


def rec(day, victims=("A",), code=None, area="north", at=None, record_id=None):
    return DaRecord(day, code, frozenset(victims), area, at, record_id)


def serial_pair(day=AS_OF):
    """Two records against two victims: the smallest serial perpetrator."""
    return [rec(day, ["A"]), rec(day - dt.timedelta(days=30), ["B"])]


def same_day_pair(day=AS_OF):
    """Two records against two victims, both on one day (so one age test decides both)."""
    return [rec(day, ["A"]), rec(day, ["B"])]


# Settings and their provenance


def test_every_setting_has_a_default_entry_with_its_value_and_status():
    fields = {f.name for f in dataclasses.fields(RfgConfig)}
    names = [d.name for d in rfg.DEFAULTS]
    assert sorted(names) == sorted(fields)
    config = RfgConfig()
    for default in rfg.DEFAULTS:
        value = getattr(config, default.name)
        expected = tuple(sorted(default.value.items())) if isinstance(default.value, dict) else default.value
        assert value == expected, default.name
        assert default.source
    statuses = {d.name: d.status for d in rfg.DEFAULTS}
    assert statuses["look_back_years"] == statuses["min_age"] == Status.CONFIRMED
    unpublished = ("recency_bands", "frequency_weight", "gravity_weights", "victim_weight", "top_n_per_area")
    assert all(statuses[name] == Status.SAFEGUARD for name in unpublished)
    assert "not any force's" in rfg.SOURCE_SAFEGUARD and "not any force's" in RfgConfig.__doc__


def test_default_gravity_weights_cover_every_offence_safeguard_loads_and_rank_the_serious_higher():
    migration = importlib.import_module("safeguard.events.migrations.0004_offences")
    weights = RfgConfig().gravity_by_code
    assert set(migration.CODES) <= set(weights)
    assert weights["CL-murder"] > weights["OAPA1861-s18"] > weights["OAPA1861-s47"] > weights["CJA1988-s39"]
    assert weights["OAPA1861-s16"] > weights["PHA1997-s2"] and weights["SOA2003-s1"] > weights["SOA2003-s3"]
    assert all(isinstance(v, int) and not isinstance(v, bool) for v in weights.values())


def test_settings_round_trip_through_json():
    config = RfgConfig(
        recency_bands=((2, 9), (12, 3)),
        frequency_cap=None,
        gravity_weights={"CJA1988-s39": 7, "X-1": 0},
        top_n_per_area=None,
        min_age=18,
    )
    again = RfgConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config
    assert again.gravity_for("CJA1988-s39") == 7 and again.gravity_for("X-1") == 0
    assert RfgConfig.from_dict({}) == RfgConfig()
    assert RfgConfig.from_dict({"victim_weight": 9}).victim_weight == 9


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("look_back_years", 0, "at least 1"),
        ("look_back_years", "3", "whole number"),
        ("look_back_years", True, "whole number"),
        ("min_age", 15, "at least 16"),
        ("frequency_weight", -1, "at least 0"),
        ("frequency_cap", 2.5, "whole number"),
        ("non_crime_gravity", None, "whole number"),
        ("default_crime_gravity", -3, "at least 0"),
        ("victim_weight", "five", "whole number"),
        ("top_n_per_area", 0, "at least 1"),
        ("recency_bands", [[3, 8], [1, 10]], "shortest period"),
        ("recency_bands", [[1, 5], [3, 8]], "cannot score more"),
        ("recency_bands", [[1, 10], [48, 1]], "beyond the look-back"),
        ("recency_bands", [[1, 10, 2]], "pair"),
        ("recency_bands", [[0, 10]], "months"),
        ("recency_bands", [[1, -1]], "points"),
        ("recency_bands", "1,10", "list"),
        ("gravity_weights", {"CJA1988-s39": -1}, "at least 0"),
        ("gravity_weights", {"": 3}, "offence code"),
        ("gravity_weights", {"X" * 31: 3}, "offence code"),
        ("gravity_weights", [["A-1", 3], ["A-1", 4]], "more than once"),
        ("gravity_weights", 5, "offence code and points"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(field, value, words):
    with pytest.raises(RuleInputError, match=words) as error:
        RfgConfig.from_dict({field: value})
    assert error.value.field == field


def test_unknown_setting_is_refused_by_name():
    with pytest.raises(RuleInputError) as error:
        RfgConfig.from_dict({"recencey_bands": []})
    assert error.value.field == "recencey_bands"
    with pytest.raises(RuleInputError) as error:
        RfgConfig.from_dict([1, 2])
    assert error.value.field == "rfg_config"


# The look-back: as_of - 3 years < occurred_on <= as_of


@pytest.mark.parametrize(
    "day, counted",
    [
        (dt.date(2023, 3, 9), False),  # the day before three years back
        (dt.date(2023, 3, 10), False),  # exactly three years back: no longer counts
        (dt.date(2023, 3, 11), True),  # the day after
        (dt.date(2026, 3, 9), True),
        (dt.date(2026, 3, 10), True),  # the ranking date itself
        (dt.date(2026, 3, 11), False),  # after the ranking date
    ],
)
def test_look_back_boundary(day, counted):
    score = score_perpetrator([rec(day)], as_of=AS_OF)
    assert score.records_counted == (1 if counted else 0)


@pytest.mark.parametrize(
    "as_of, last_excluded",
    [
        (dt.date(2024, 2, 29), dt.date(2021, 2, 28)),  # 29 February less three years is 28 February
        (dt.date(2025, 2, 28), dt.date(2022, 2, 28)),
        (dt.date(2025, 3, 1), dt.date(2022, 3, 1)),
    ],
)
def test_look_back_from_and_to_29_february(as_of, last_excluded):
    assert boundaries(as_of).counted_after == last_excluded
    assert score_perpetrator([rec(last_excluded)], as_of=as_of).records_counted == 0
    assert score_perpetrator([rec(last_excluded + dt.timedelta(days=1))], as_of=as_of).records_counted == 1


def test_look_back_of_a_29_february_record_four_years_on():
    record = rec(dt.date(2024, 2, 29))
    assert score_perpetrator([record], as_of=dt.date(2027, 2, 28)).records_counted == 1
    assert score_perpetrator([record], as_of=dt.date(2027, 3, 1)).records_counted == 0


@given(day=st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)), months=st.integers(0, 600))
def test_months_before_agrees_with_pandas_calendar_offsets(day, months):
    expected = (pd.Timestamp(day) - pd.DateOffset(months=months)).date()
    assert rfg.months_before(day, months) == expected


# Recency


@pytest.mark.parametrize(
    "as_of, latest, points",
    [
        (dt.date(2026, 5, 31), dt.date(2026, 5, 1), 10),
        (dt.date(2026, 5, 31), dt.date(2026, 4, 30), 8),  # exactly one month before: the next band
        (dt.date(2026, 5, 31), dt.date(2026, 3, 1), 8),
        (dt.date(2026, 5, 31), dt.date(2026, 2, 28), 6),  # 31 May less 3 months is 28 February
        (dt.date(2024, 5, 31), dt.date(2024, 2, 29), 6),  # a leap year: 29 February
        (dt.date(2024, 5, 31), dt.date(2024, 3, 1), 8),
        (dt.date(2026, 3, 10), dt.date(2025, 3, 11), 4),  # within 12 months
        (dt.date(2026, 3, 10), dt.date(2025, 3, 10), 2),  # exactly 12 months: 24-month band
        (dt.date(2026, 3, 10), dt.date(2023, 3, 11), 1),  # the last day of the look-back
    ],
)
def test_recency_bands_at_their_boundaries(as_of, latest, points):
    score = score_perpetrator([rec(latest), rec(latest - dt.timedelta(days=1), ["B"])], as_of=as_of)
    assert score.recency == points
    assert score.latest_on == latest


def test_no_recency_bands_scores_no_recency():
    config = RfgConfig(recency_bands=())
    assert score_perpetrator([rec(AS_OF)], as_of=AS_OF, config=config).recency == 0


@given(
    as_of=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)),
    first=st.integers(0, 3 * 366),
    second=st.integers(0, 3 * 366),
)
def test_a_more_recent_record_never_scores_less_recency(as_of, first, second):
    newer, older = sorted((first, second))
    a = score_perpetrator([rec(as_of - dt.timedelta(days=newer))], as_of=as_of).recency
    b = score_perpetrator([rec(as_of - dt.timedelta(days=older))], as_of=as_of).recency
    assert a >= b


# Frequency, gravity, victims, total


def test_frequency_points_per_record_with_and_without_a_cap():
    records = [rec(AS_OF - dt.timedelta(days=i)) for i in range(25)]
    assert score_perpetrator(records, as_of=AS_OF).frequency == 40  # 25 x 2 capped at 40
    assert score_perpetrator(records[:20], as_of=AS_OF).frequency == 40
    assert score_perpetrator(records[:19], as_of=AS_OF).frequency == 38
    uncapped = RfgConfig(frequency_cap=None, frequency_weight=3)
    assert score_perpetrator(records, as_of=AS_OF, config=uncapped).frequency == 75


def test_gravity_sums_each_record_weight_non_crime_and_unknown_offences():
    config = RfgConfig(gravity_weights={"OAPA1861-s18": 30}, non_crime_gravity=1, default_crime_gravity=3)
    records = [
        rec(AS_OF, code="OAPA1861-s18"),
        rec(AS_OF, code="OAPA1861-s18"),
        rec(AS_OF, code=None),
        rec(AS_OF, code="NOT-LISTED"),
    ]
    score = score_perpetrator(records, as_of=AS_OF, config=config)
    assert score.gravity == 30 + 30 + 1 + 3
    assert "2 x OAPA1861-s18 at 30" in explain(score.working)


def test_victims_are_counted_once_each_across_records():
    records = [rec(AS_OF, ["A", "B"]), rec(AS_OF, ["B"]), rec(AS_OF, []), rec(dt.date(2020, 1, 1), ["C"])]
    score = score_perpetrator(records, as_of=AS_OF)
    assert score.distinct_victims == 2 and score.victims == 10


def test_total_is_the_sum_of_its_parts_and_every_step_names_its_source():
    score = score_perpetrator(
        [rec(AS_OF, ["A"], "OAPA1861-s47"), rec(dt.date(2025, 1, 1), ["B"])],
        as_of=AS_OF,
        date_of_birth=dt.date(1980, 1, 1),
    )
    assert score.total == score.recency + score.frequency + score.gravity + score.victims
    assert (score.recency, score.frequency, score.gravity, score.victims) == (10, 4, 11, 10)
    assert all(step.source for step in score.working)
    assert "Serial perpetrator" in explain(score.working)


@given(
    days=st.lists(st.integers(-30, 4 * 366), max_size=12),
    victims=st.lists(st.sets(st.sampled_from("ABCD"), max_size=3), min_size=12, max_size=12),
)
def test_scores_are_integers_and_match_their_counts(days, victims):
    records = [rec(AS_OF - dt.timedelta(days=d), v) for d, v in zip(days, victims, strict=False)]
    score = score_perpetrator(records, as_of=AS_OF)
    counted = [d for d in days if d >= 0 and AS_OF - dt.timedelta(days=d) > dt.date(2023, 3, 10)]
    assert score.records_counted == len(counted)
    parts = (score.recency, score.frequency, score.gravity, score.victims, score.total)
    assert all(type(p) is int for p in parts)
    assert score.total == sum(parts[:4])
    assert score.serial_perpetrator == (len(counted) >= 2 and score.distinct_victims >= 2)


# The serial perpetrator test (MATAC)


def test_two_records_against_two_victims_is_serial():
    score = score_perpetrator(serial_pair(), as_of=AS_OF, date_of_birth=dt.date(1990, 6, 1))
    assert score.serial_perpetrator and score.age == 35


def test_one_victim_or_one_record_is_not_serial():
    one_victim = score_perpetrator([rec(AS_OF, ["A"]), rec(AS_OF, ["A"])], as_of=AS_OF)
    assert not one_victim.serial_perpetrator
    assert "fewer than two different victims" in explain(one_victim.working)
    one_record = score_perpetrator([rec(AS_OF, ["A", "B"])], as_of=AS_OF)
    assert not one_record.serial_perpetrator
    assert "not more than one record" in explain(one_record.working)


def test_records_outside_the_look_back_do_not_make_a_serial_perpetrator():
    records = [rec(AS_OF, ["A"]), rec(dt.date(2023, 3, 10), ["B"])]
    assert not score_perpetrator(records, as_of=AS_OF).serial_perpetrator
    records = [rec(AS_OF, ["A"]), rec(dt.date(2023, 3, 11), ["B"])]
    assert score_perpetrator(records, as_of=AS_OF).serial_perpetrator


@pytest.mark.parametrize(
    "born, serial",
    [
        (dt.date(2010, 3, 11), False),  # 16 tomorrow: 15 on the ranking date
        (dt.date(2010, 3, 10), True),  # 16 today
        (dt.date(2010, 3, 9), True),
    ],
)
def test_aged_16_on_the_ranking_date(born, serial):
    # Corrected: both records were 30 days apart, so the earlier one (made at 15) counted; a record made under 16
    # no longer counts (DA Act 2021 s.1(2)(a)), so both records are now made on the ranking date.
    score = score_perpetrator(same_day_pair(), as_of=AS_OF, date_of_birth=born)
    assert score.serial_perpetrator is serial
    if not serial:
        assert "under 16" in explain(score.working)


@pytest.mark.parametrize(
    "as_of, serial",
    [(dt.date(2024, 2, 28), False), (dt.date(2024, 2, 29), True), (dt.date(2024, 3, 1), True)],
)
def test_born_29_february_is_16_on_29_february_in_a_leap_year(as_of, serial):
    score = score_perpetrator(same_day_pair(as_of), as_of=as_of, date_of_birth=dt.date(2008, 2, 29))
    assert score.serial_perpetrator is serial


@pytest.mark.parametrize(
    "as_of, serial",
    [(dt.date(2025, 2, 28), False), (dt.date(2025, 3, 1), True)],
)
def test_born_29_february_turns_17_on_1_march_in_a_common_year(as_of, serial):
    config = RfgConfig(min_age=17)
    score = score_perpetrator(serial_pair(as_of), as_of=as_of, date_of_birth=dt.date(2008, 2, 29), config=config)
    assert score.serial_perpetrator is serial
    assert boundaries(as_of, config).born_on_or_before == as_of.replace(year=2008)


@given(
    born=st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
    as_of=st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)),
    min_age=st.integers(16, 25),
)
def test_born_on_or_before_agrees_with_the_age(born, as_of, min_age):
    cutoff = boundaries(as_of, RfgConfig(min_age=min_age)).born_on_or_before
    assert (rfg.age_on(born, as_of) >= min_age) == (born <= cutoff)


def test_unknown_date_of_birth_is_presumed_16_or_over_from_the_domestic_abuse_flag():
    score = score_perpetrator(serial_pair(), as_of=AS_OF)
    assert score.serial_perpetrator and score.age_presumed and score.age is None
    assert "presumed" in explain(score.working) and "Domestic Abuse Act 2021 s.1" in explain(score.working)


def test_unknown_date_of_birth_proves_nothing_about_a_minimum_age_above_16():
    score = score_perpetrator(serial_pair(), as_of=AS_OF, config=RfgConfig(min_age=18))
    assert not score.serial_perpetrator and not score.age_presumed
    assert "not shown to be 18 or over" in explain(score.working)


def test_no_records_scores_nothing():
    score = score_perpetrator([], as_of=AS_OF)
    assert (score.total, score.records_counted, score.latest_on, score.area) == (0, 0, None, None)
    assert not score.serial_perpetrator and not score.age_presumed


# The perpetrator's area: their most recent record


def test_area_is_that_of_the_most_recent_record():
    records = [rec(AS_OF - dt.timedelta(days=5), area="south"), rec(AS_OF - dt.timedelta(days=1), area="north")]
    assert score_perpetrator(records, as_of=AS_OF).area == "north"
    later = [*records, rec(AS_OF + dt.timedelta(days=1), area="east")]  # after the ranking date: not counted
    assert score_perpetrator(later, as_of=AS_OF).area == "north"


def test_area_on_the_same_day_goes_by_the_time_then_the_highest_record_id():
    morning = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    evening = dt.datetime(2026, 3, 10, 21, 0, tzinfo=dt.UTC)
    by_time = [rec(AS_OF, area="late", at=evening, record_id=1), rec(AS_OF, area="early", at=morning, record_id=2)]
    assert score_perpetrator(by_time, as_of=AS_OF).area == "late"
    a_moment_later = morning + dt.timedelta(microseconds=1)
    close = [
        rec(AS_OF, area="later", at=a_moment_later, record_id=1),
        rec(AS_OF, area="sooner", at=morning, record_id=2),
    ]
    assert score_perpetrator(close, as_of=AS_OF).area == "later"
    same = [rec(AS_OF, area="lower", at=morning, record_id=7), rec(AS_OF, area="higher", at=morning, record_id=9)]
    score = score_perpetrator(same, as_of=AS_OF)
    assert score.area == "higher" and score.latest_at == morning


# Bad input


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"as_of": dt.datetime(2026, 3, 10, 12, 0)}, "as_of"),
        ({"as_of": "2026-03-10"}, "as_of"),
        ({"as_of": dt.date(1800, 1, 1)}, "as_of"),
        ({"date_of_birth": dt.date(2026, 3, 11)}, "date_of_birth"),
        ({"date_of_birth": "1990-01-01"}, "date_of_birth"),
        ({"records": [rec(dt.datetime(2026, 1, 1, 10, 0))]}, "records[0].occurred_on"),
        ({"records": [rec(AS_OF), DaRecord(AS_OF, None, ["Alice Example"], "north")]}, "records[1].victims"),
        ({"records": [DaRecord(AS_OF, 47, frozenset(), "north")]}, "records[0].offence_code"),
        ({"records": [rec(AS_OF, at=dt.datetime(2026, 3, 10, 9, 0))]}, "records[0].occurred_at"),
        ({"records": [rec(AS_OF, record_id="7")]}, "records[0].record_id"),
        ({"records": [("2026-03-10", None)]}, "records[0]"),
        ({"config": {"look_back_years": 3}}, "rfg_config"),
    ],
)
def test_bad_input_names_the_field_and_echoes_no_personal_data(kwargs, field):
    arguments = {"records": serial_pair(), "as_of": AS_OF, **kwargs}
    with pytest.raises(RuleInputError) as error:
        score_perpetrator(arguments.pop("records"), **arguments)
    assert error.value.field == field
    assert "Alice" not in error.value.message and "1990" not in error.value.message


# Ranking within each area


def _score(total, *, serial=True, records=2):
    return rfg.RfgScore(total, 0, 0, 0, total, records, 2, serial, None, False, None, None, None, ())


def test_rank_by_total_then_latest_then_person_within_each_area():
    rows = rank(
        [
            ("p3", "north", _score(50), dt.date(2026, 1, 1)),
            ("p1", "north", _score(60), dt.date(2025, 1, 1)),
            ("p2", "north", _score(50), dt.date(2026, 2, 1)),  # same total, more recent: above p3
            ("p5", "north", _score(50), dt.date(2026, 1, 1)),  # same total and date: person key order
            ("p4", "south", _score(10), dt.date(2026, 1, 1)),
            ("p6", "south", _score(99, serial=False), dt.date(2026, 1, 1)),
            ("p7", "south", _score(0, records=0), None),
        ]
    )
    assert [(r.area_key, r.person_key, r.rank_in_area) for r in rows] == [
        ("north", "p1", 1),
        ("north", "p2", 2),
        ("north", "p3", 3),
        ("north", "p5", 4),
        ("south", "p4", 1),
    ]


def test_rank_keeps_top_n_per_area_and_can_include_everyone():
    items = [(f"p{i}", "north" if i % 2 else "south", _score(i, serial=i % 3 != 0), AS_OF) for i in range(1, 12)]
    top = rank(items, top_n=2)
    assert [(r.area_key, r.person_key) for r in top] == [
        ("north", "p11"),
        ("north", "p7"),
        ("south", "p10"),
        ("south", "p8"),
    ]
    everyone = rank(items, serial_only=False)
    assert len(everyone) == 11 and everyone[0].person_key == "p11" and everyone[1].person_key == "p9"
    with pytest.raises(RuleInputError) as error:
        rank(items, top_n=0)
    assert error.value.field == "top_n"


@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from("NS"), st.integers(0, 5), st.integers(0, 3), st.booleans()),
        max_size=25,
        unique_by=lambda t: t[0],
    ),
    st.one_of(st.none(), st.integers(1, 4)),
)
def test_ranking_is_ordered_and_complete(items, top_n):
    entries = [(p, a, _score(total, serial=serial), latest) for p, a, total, latest, serial in items]
    rows = rank(entries, top_n=top_n)
    for area in "NS":
        mine = [r for r in rows if r.area_key == area]
        assert [r.rank_in_area for r in mine] == list(range(1, len(mine) + 1))
        keys = [(-r.score.total, -r.latest, r.person_key) for r in mine]
        assert keys == sorted(keys)
        eligible = [e for e in entries if e[1] == area and e[2].serial_perpetrator]
        assert len(mine) == (len(eligible) if top_n is None else min(top_n, len(eligible)))


# Both people 16 or over at the time of each record (DA Act 2021 s.1(2)(a)) -----------------------------


@pytest.mark.parametrize(
    ("first_on", "counted"),
    [(dt.date(2023, 6, 30), 1), (dt.date(2023, 7, 1), 2), (dt.date(2023, 7, 2), 2)],
)
def test_a_record_made_when_the_perpetrator_was_15_does_not_count(first_on, counted):
    born = dt.date(2007, 7, 1)  # 16 on 1 July 2023
    records = [rec(first_on, ["A"]), rec(AS_OF, ["B"])]
    score = score_perpetrator(records, as_of=AS_OF, date_of_birth=born)
    assert score.records_counted == counted
    assert score.serial_perpetrator is (counted == 2)
    if counted == 1:
        assert "perpetrator was under 16" in explain(score.working)
        assert "s.1(2)(a)" in " ".join(step.source for step in score.working)


def test_a_victim_under_16_is_not_counted_and_a_record_with_only_such_victims_does_not_count():
    young_only = DaRecord(AS_OF, None, frozenset({"C"}), "x", victims_under_16=frozenset({"C"}))
    mixed = DaRecord(AS_OF, None, frozenset({"A", "D"}), "x", victims_under_16=frozenset({"D"}))
    score = score_perpetrator([young_only, mixed, rec(AS_OF, ["B"])], as_of=AS_OF)
    assert score.records_counted == 2 and score.distinct_victims == 2
    assert "every victim was under 16" in explain(score.working)


def test_victims_under_16_must_be_the_records_own_victims():
    with pytest.raises(RuleInputError) as caught:
        score_perpetrator(
            [DaRecord(AS_OF, None, frozenset({"A"}), "x", victims_under_16=frozenset({"B"}))], as_of=AS_OF
        )
    assert caught.value.field == "records[0].victims_under_16"


@given(
    born=st.dates(dt.date(1990, 1, 1), dt.date(2012, 12, 31)),
    days=st.lists(st.integers(0, 1000), min_size=1, max_size=8),
)
def test_no_counted_record_was_made_under_16(born, days):
    records = [rec(AS_OF - dt.timedelta(days=d), ["A" if i % 2 else "B"]) for i, d in enumerate(days)]
    if born > AS_OF:
        return
    score = score_perpetrator(records, as_of=AS_OF, date_of_birth=born)
    after = boundaries(AS_OF).counted_after
    in_window = [r for r in records if r.occurred_on > after]
    old_enough = [r for r in in_window if rfg.age_on(born, r.occurred_on) >= 16]
    assert score.records_counted == len(old_enough) <= len(in_window)
