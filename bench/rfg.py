"""MATAC ranking of a whole force: the set-based SQL pass against plain pandas.

    .venv/bin/python bench/rfg.py --database-url postgres://postgres@127.0.0.1:5432/safeguard

Runs against an existing world (it never generates or writes one: run
bench/run.py or generate_world first) and measures, in one process:

- rank_force: safeguard.assessments.rfg_ranking.rank_force with Safeguard's
  default settings, the whole force, serial perpetrators, top N per area;
- pandas: the same scoring done the plain way, read the rows from the database
  with one query into a DataFrame and group by (the time includes the read).

It reports the median of each, their ratio, how many perpetrators were scored
and how many are serial, and whether both give the same ranking: the same
ordered list of (person, area, total), compared on the top N per area that was
timed and on the full ranking of every serial perpetrator. Benchmarks are not
tests: nothing here asserts a time. Importable: ``measure_rfg()`` once Django
is set up (bench/run.py's setup_django).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/safeguard"
TARGET_SECONDS = 5.0  # rank_force on the national world (1,000,000 domestic-abuse incidents)

PANDAS_SQL = """
SELECT p.person_id, i.id AS incident_id, i.occurred_at, i.local_area_id, o.code AS offence_code,
       v.person_id AS victim_id, pp.date_of_birth, vp.date_of_birth AS victim_date_of_birth
FROM events_incident i
JOIN events_incidentperson p ON p.incident_id = i.id AND p.role = %s
JOIN people_person pp ON pp.id = p.person_id
LEFT JOIN events_offence o ON o.id = i.offence_id
LEFT JOIN events_incidentperson v ON v.incident_id = i.id AND v.role = %s AND v.person_id <> p.person_id
LEFT JOIN people_person vp ON vp.id = v.person_id
WHERE i.domestic_abuse = %s AND i.occurred_at >= %s AND i.occurred_at < %s
"""


def read_rows(config, as_of: dt.date):
    """Every (perpetrator, record, victim) row in the look-back, one query, as a DataFrame."""
    import pandas as pd
    from django.db import connection

    from safeguard.assessments.rfg_ranking import start_of_day_after
    from safeguard.events.models import IncidentRole
    from safeguard.rules import rfg

    bounds = rfg.boundaries(as_of, config)
    ops = connection.ops
    params = [
        IncidentRole.PERPETRATOR.value,
        IncidentRole.VICTIM.value,
        True,
        ops.adapt_datetimefield_value(start_of_day_after(bounds.counted_after)),
        ops.adapt_datetimefield_value(start_of_day_after(bounds.counted_until)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(PANDAS_SQL, params)
        rows = cursor.fetchall()
    columns = [
        "person_id",
        "incident_id",
        "occurred_at",
        "area_id",
        "offence_code",
        "victim_id",
        "date_of_birth",
        "victim_date_of_birth",
    ]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True)
    return frame


def _day_numbers(dates):
    """YYYYMMDD of each date (NaN where missing), as the SQL compares ages on the day."""
    import pandas as pd

    days = pd.to_datetime(dates)
    return days.dt.year * 10000 + days.dt.month * 100 + days.dt.day


def both_16_or_over(rows):
    """Keep the rows of records in which both people were 16 or over on the day (DA Act 2021 s.1(2)(a)).

    A record counts when the perpetrator was 16 or over (date of birth not recorded: counted) and it has no victim
    or at least one victim 16 or over (not recorded: counted); victims under 16 are dropped from its rows.
    """
    from django.conf import settings

    from safeguard.rules import rfg

    local_day = _day_numbers(rows["occurred_at"].dt.tz_convert(settings.TIME_ZONE).dt.date)
    limit = rfg.DA_ACT_MIN_AGE * 10000
    perpetrator_ok = rows["date_of_birth"].isna() | (local_day - _day_numbers(rows["date_of_birth"]) >= limit)
    has_victim = rows["victim_id"].notna()
    victim_ok = has_victim & (
        rows["victim_date_of_birth"].isna() | (local_day - _day_numbers(rows["victim_date_of_birth"]) >= limit)
    )
    rows = rows.assign(perpetrator_ok=perpetrator_ok, has_victim=has_victim, victim_ok=victim_ok)
    per_record = rows.groupby(["person_id", "incident_id"]).agg(
        perpetrator_ok=("perpetrator_ok", "first"), any_victim=("has_victim", "any"), any_ok=("victim_ok", "any")
    )
    keep = per_record[per_record["perpetrator_ok"] & (~per_record["any_victim"] | per_record["any_ok"])].index
    rows = rows.set_index(["person_id", "incident_id"]).loc[lambda f: f.index.isin(keep)].reset_index()
    return rows[~rows["has_victim"] | rows["victim_ok"]]


def pandas_rank(config, as_of: dt.date, *, serial_only: bool = True, top_n: int | None = None):
    """The RFG scores and ranking of rules.rfg, computed with pandas group-bys. Returns (ranked, scored)."""
    import numpy as np
    import pandas as pd

    from safeguard.assessments.rfg_ranking import start_of_day_after
    from safeguard.rules import rfg

    bounds = rfg.boundaries(as_of, config)
    rows = both_16_or_over(read_rows(config, as_of))
    records = rows.drop_duplicates(["person_id", "incident_id"])
    codes = records["offence_code"]
    weights = codes.map(config.gravity_by_code)
    gravity = np.where(codes.isna(), config.non_crime_gravity, weights.fillna(config.default_crime_gravity))
    records = records.assign(gravity=gravity.astype("int64"))

    per = records.groupby("person_id").agg(
        records=("incident_id", "size"),
        gravity=("gravity", "sum"),
        latest_at=("occurred_at", "max"),
        date_of_birth=("date_of_birth", "first"),
    )
    latest = records.sort_values(["person_id", "occurred_at", "incident_id"]).groupby("person_id").tail(1)
    per["area_id"] = latest.set_index("person_id")["area_id"]
    victims = rows.dropna(subset=["victim_id"]).drop_duplicates(["person_id", "victim_id"])
    per["distinct_victims"] = victims.groupby("person_id").size().reindex(per.index, fill_value=0)

    recency = np.zeros(len(per), dtype="int64")
    assigned = np.zeros(len(per), dtype=bool)
    for _months, after, points in bounds.recency_bands:
        hit = ~assigned & (per["latest_at"] >= pd.Timestamp(start_of_day_after(after))).to_numpy()
        recency[hit] = points
        assigned |= hit
    per["recency"] = recency
    frequency = per["records"] * config.frequency_weight
    per["frequency"] = frequency if config.frequency_cap is None else frequency.clip(upper=config.frequency_cap)
    per["victims"] = per["distinct_victims"] * config.victim_weight
    per["total"] = per["recency"] + per["frequency"] + per["gravity"] + per["victims"]
    dob = pd.to_datetime(per["date_of_birth"])
    old_enough = (dob <= pd.Timestamp(bounds.born_on_or_before)) | (dob.isna() & bounds.presume_age_when_unknown)
    per["serial"] = (
        old_enough & (per["records"] >= rfg.SERIAL_MIN_RECORDS) & (per["distinct_victims"] >= rfg.SERIAL_MIN_VICTIMS)
    )
    scored = per.reset_index()
    ranked = scored[scored["serial"]] if serial_only else scored
    ranked = ranked.sort_values(
        ["area_id", "total", "latest_at", "person_id"], ascending=[True, False, False, True], kind="mergesort"
    )
    ranked = ranked.assign(rank_in_area=ranked.groupby("area_id").cumcount() + 1)
    if top_n is not None:
        ranked = ranked[ranked["rank_in_area"] <= top_n]
    return ranked, scored


def _triples_sql(rows) -> list[tuple[int, int, int]]:
    return [(r.person_id, r.area_id, r.total) for r in rows]


def _triples_pandas(frame) -> list[tuple[int, int, int]]:
    return [
        (int(p), int(a), int(t)) for p, a, t in zip(frame["person_id"], frame["area_id"], frame["total"], strict=True)
    ]


def measure_rfg(as_of: dt.date | None = None, repeats: int = 3) -> dict:
    """Median seconds of rank_force and of pandas over ``repeats`` interleaved runs, and whether they agree."""
    from django.db import connection
    from django.utils import timezone

    from safeguard.assessments.rfg_ranking import rank_force
    from safeguard.rules.rfg import RfgConfig

    as_of = as_of or timezone.localdate()
    config = RfgConfig()
    top_n = config.top_n_per_area
    sql_times, pandas_times = [], []
    sql_rows = pandas_rows = scored = None
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        sql_rows = rank_force(config, as_of)
        sql_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        pandas_rows, scored = pandas_rank(config, as_of, top_n=top_n)
        pandas_times.append(time.perf_counter() - start)
    same_top = _triples_sql(sql_rows) == _triples_pandas(pandas_rows)
    every = replace(config, top_n_per_area=None)
    full_sql = rank_force(every, as_of)
    full_pandas, _ = pandas_rank(every, as_of)
    same_full = _triples_sql(full_sql) == _triples_pandas(full_pandas)
    sql_median, pandas_median = statistics.median(sql_times), statistics.median(pandas_times)
    return {
        "as_of": as_of.isoformat(),
        "database": connection.vendor,
        "repeats": len(sql_times),
        "rank_force_s": round(sql_median, 3),
        "pandas_s": round(pandas_median, 3),
        "pandas_over_rank_force": round(pandas_median / sql_median, 2) if sql_median else None,
        "rank_force_runs_s": [round(t, 3) for t in sql_times],
        "pandas_runs_s": [round(t, 3) for t in pandas_times],
        "perpetrators_scored": int(len(scored)),
        "serial_perpetrators": int(scored["serial"].sum()),
        "ranked_rows": len(sql_rows),
        "top_n_per_area": top_n,
        "same_ranking": same_top and same_full,
        "same_top_n": same_top,
        "same_full_ranking": same_full,
        "target_rank_force_s": TARGET_SECONDS,
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="Ranking date (default today).")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=None, help="Also write the figures to this JSON file.")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    from run import setup_django

    setup_django(args.database_url)
    results = measure_rfg(args.as_of, args.repeats)
    text = json.dumps(results, indent=2)
    if args.output:
        args.output.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
