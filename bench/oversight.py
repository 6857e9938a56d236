"""Oversight figures: the MAPPA annual tables (at most 2 s, 250,000 nominals) and the SafeLives return (at most 1 s).

    .venv/bin/python bench/oversight.py --database-url postgres://postgres@127.0.0.1:5432/sg_oversight_bench \\
        --nominals 250000 --incidents 1000000

Builds (once, with bench/run.py's ensure_world) a generated world of the given size on PostgreSQL, then gives
a share of its nominals a history of their own, as people recording would have left it: a first version
before the year, and for some a change of level or category in the year and one after 31 March (a nominal
with no history at all is taken as it stands, inside its managed dates). Measured:
``oversight.services.mappa_annual.build_annual`` for the area and the last year to 31 March (the snapshot
on 31 March from the history, Level 2/3 over the year, the year's orders and outcomes, suppression), as the
median of several runs; and ``oversight.services.safelives.build_return`` for a MARAC of its own that heard
2,000 cases in the 12 months to the last quarter's end (the quarter's rows per meeting and the metrics over
the 12 months, exact, as its coordinator sees them); the PCC dashboard of the area and the relationship-data
figures over 12 months of DA incidents, crimes and MARAC cases (counted in the database); forum volumes across
the local areas and MATAC outcomes (no target set for any of these: measured as they are). Benchmarks are not tests:
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sg_oversight_bench"
TARGET_ANNUAL_S = 2.0
TARGET_SAFELIVES_S = 1.0
MARKER = "bench.oversight"
HISTORY_SHARE = 0.3  # nominals given a history of their own


def add_history(seed: int, year: int) -> int:
    """Versions for a share of the nominals: one before the year, a change in it, a change after 31 March."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from safeguard.access.gate import audit_system
    from safeguard.audit.models import AuditEvent, Operation
    from safeguard.offenders.models import Nominal

    if AuditEvent.objects.filter(record_type=MARKER).exists():
        return 0
    history = Nominal.history.model
    columns = [
        f.column for f in history._meta.concrete_fields if not f.name.startswith("history_") and f.column != "id"
    ]
    table, source = history._meta.db_table, Nominal._meta.db_table
    modulus = round(1 / HISTORY_SHARE)
    rng = random.Random(seed)
    moments = [
        (timezone.make_aware(dt.datetime(year - 2, 6, 1, 12)), "+", "management_level", "management_level"),
        (
            timezone.make_aware(dt.datetime(year - 1, 10, 1, 12)),
            "~",
            "management_level",
            "CASE WHEN management_level = 1 THEN 2 ELSE management_level END",
        ),
        (timezone.make_aware(dt.datetime(year, 4, 2, 12)), "~", "management_level", "1"),
    ]
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for n, (when, kind, column, expression) in enumerate(moments):
            chosen = f"MOD(id, {modulus * (n + 1)}) = 0"
            selected = ", ".join(expression if c == column else c for c in columns)
            cursor.execute(
                f"INSERT INTO {table} (id, {', '.join(columns)}, history_date, history_type, history_change_reason)"  # noqa: S608 (bench)
                f" SELECT id, {selected}, %s, %s, %s FROM {source} WHERE {chosen}",
                [when, kind, "bench"],
            )
            written += cursor.rowcount
        audit_system(Operation.CREATE, MARKER, None, "oversight bench history", {"rows": written, "seed": rng.random()})
        cursor.execute(f"ANALYZE {table}")
    return written


MARAC_CASES = 2_000
MARAC_MEETINGS = 50


def add_marac_year(seed: int) -> int:
    """A MARAC of its own that heard 2,000 cases over the 12 months to the last quarter's end (50 meetings of
    40), of existing people, a third repeats, some with children and a perpetrator; written once."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from safeguard.access.system import system_staff
    from safeguard.meetings.models import AgendaItem, Forum, ForumCase, Meeting
    from safeguard.oversight.services.safelives import last_quarter, quarter_bounds
    from safeguard.people.models import Person
    from safeguard.referrals.models import Referral
    from safeguard.workforce.models import Agency, Area

    if Forum.objects.filter(name="Bench MARAC").exists():
        return 0
    rng = random.Random(seed)
    area = Area.objects.filter(kind=Area.Kind.MAPPA).order_by("pk").first()
    agencies = list(Agency.objects.filter(area__in=[area, *area.children.all()]).order_by("pk"))
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True)[: MARAC_CASES + 500])
    victims, perpetrators = people[:MARAC_CASES], people[MARAC_CASES:]
    system = system_staff()
    _, last = quarter_bounds(*last_quarter(timezone.localdate()))
    with transaction.atomic():
        forum = Forum.objects.create(name="Bench MARAC", kind=Forum.Kind.MARAC, area=area)
        cases = ForumCase.objects.bulk_create(
            ForumCase(forum=forum, person_id=p, opened_on=last - dt.timedelta(days=400)) for p in victims
        )
        meetings = Meeting.objects.bulk_create(
            Meeting(
                forum=forum,
                starts_at=timezone.make_aware(dt.datetime.combine(last - dt.timedelta(days=7 * n), dt.time(10))),
                status=Meeting.Status.HELD,
            )
            for n in range(MARAC_MEETINGS)
        )
        referrals = Referral.objects.bulk_create(
            Referral(
                kind=Referral.Kind.MARAC,
                forum=forum,
                person_id=case.person_id,
                status=Referral.Status.LISTED,
                referring_agency=rng.choice(agencies),
                referred_by=system,
                is_repeat=rng.random() < 0.33,
                children=[{"date_of_birth": "2018-01-01"}] * rng.choice([0, 0, 1, 2]),
                forum_case=case,
            )
            for case in cases
        )
        Through = Referral.perpetrators.through
        Through.objects.bulk_create(
            Through(referral_id=r.pk, person_id=rng.choice(perpetrators)) for r in referrals if perpetrators
        )
        per = MARAC_CASES // MARAC_MEETINGS
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meetings[n // per],
                position=n % per + 1,
                section=AgendaItem.Section.NEW,
                why="bench",
                forum_case=case,
                person_id=case.person_id,
                referral=referral,
                has_children=bool(referral.children),
                outcome=AgendaItem.Outcome.HEARD,
            )
            for n, (case, referral) in enumerate(zip(cases, referrals, strict=True))
        )
    return MARAC_CASES


def measure_safelives(repeats: int) -> dict:
    from django.utils import timezone

    from safeguard.meetings.models import Forum
    from safeguard.oversight.services import safelives

    forum = Forum.objects.get(name="Bench MARAC")
    year, quarter = safelives.last_quarter(timezone.localdate())
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = safelives.build_return(forum, year, quarter, exact=True)
        times.append(time.perf_counter() - start)
    return {
        "quarter": f"{year}-Q{quarter}",
        "cases_in_12_months": result.year_total.get("cases"),
        "meetings_in_quarter": len(result.rows),
        "safelives_s": round(statistics.median(times), 3),
        "safelives_runs_s": [round(t, 3) for t in times],
        "target_safelives_s": TARGET_SAFELIVES_S,
    }


def measure_annual(repeats: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from safeguard.offenders.models import Nominal
    from safeguard.oversight.services import mappa_annual
    from safeguard.workforce.models import Area

    year = mappa_annual.latest_year(timezone.localdate())
    area = Area.objects.filter(kind=Area.Kind.MAPPA).order_by("pk").first()
    times = []
    tables = None
    for _ in range(repeats):
        start = time.perf_counter()
        tables = mappa_annual.build_annual(area.pk, year)
        times.append(time.perf_counter() - start)
    return {
        "database": connection.vendor,
        "year_to_31_march": year,
        "nominals": Nominal.objects.count(),
        "history_rows": Nominal.history.model.objects.count(),
        "eligible_on_31_march": sum(tables.on_31_march.values()),
        "level_2_3_over_the_year": sum(tables.level_2_3.values()),
        "annual_s": round(statistics.median(times), 3),
        "annual_runs_s": [round(t, 3) for t in times],
        "target_annual_s": TARGET_ANNUAL_S,
    }


def measure_dashboard(repeats: int) -> dict:
    """The PCC dashboard of the area (five snapshots on 31 March, each MARAC's eight quarters, the
    relationship trend) and the relationship-data figures on their own (12 months of DA incidents)."""
    from django.utils import timezone

    from safeguard.oversight.services import dashboard, relationships
    from safeguard.workforce.models import Area

    area = Area.objects.filter(kind=Area.Kind.MAPPA).order_by("pk").first()
    today = timezone.localdate()
    board, quality = [], []
    checked = 0
    for _ in range(repeats):
        start = time.perf_counter()
        dashboard.build_dashboard(area.pk, today)
        board.append(time.perf_counter() - start)
        start = time.perf_counter()
        q = relationships.build_quality(area.pk, today)
        quality.append(time.perf_counter() - start)
        checked = q.breakdowns[0].table.grand_total.text
    return {
        "dashboard_s": round(statistics.median(board), 3),
        "dashboard_runs_s": [round(t, 3) for t in board],
        "relationship_quality_s": round(statistics.median(quality), 3),
        "relationship_quality_runs_s": [round(t, 3) for t in quality],
        "da_incidents_checked_12_months_as_published": checked,
    }


def measure_forum_and_matac(repeats: int) -> dict:
    """Forum volumes across the area's local areas (12 months of MARAC referrals, meetings, heard cases and
    triage, with the medians) and MATAC outcomes (every perpetrator taken on, scored on two dates). No target
    is set for either: the issue names none, so these are measures only."""
    from django.utils import timezone

    from safeguard.oversight.services import forum_volumes, matac_outcomes
    from safeguard.workforce.models import Area

    area = Area.objects.filter(kind=Area.Kind.MAPPA).order_by("pk").first()
    today = timezone.localdate()
    volumes, matac = [], []
    v = m = None
    for _ in range(repeats):
        start = time.perf_counter()
        v = forum_volumes.build_volumes(area.pk, *forum_volumes.period(today))
        volumes.append(time.perf_counter() - start)
        start = time.perf_counter()
        m = matac_outcomes.build_outcomes(area.pk, today)
        matac.append(time.perf_counter() - start)
    return {
        "forum_volumes_s": round(statistics.median(volumes), 3),
        "forum_volumes_runs_s": [round(t, 3) for t in volumes],
        "forum_volumes_local_areas": len(v.lines),
        "matac_outcomes_s": round(statistics.median(matac), 3),
        "matac_outcomes_runs_s": [round(t, 3) for t in matac],
        "matac_cohorts": len(m.cohorts),
        "target": "none set (no target in the issue)",
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--nominals", type=int, default=250_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="Drop and recreate the benchmark database first.")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    from run import ensure_database, ensure_world, setup_django

    ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url)
    from django.utils import timezone

    from safeguard.oversight.services import mappa_annual

    ensure_world(args.seed, args.nominals, args.incidents)
    added = add_history(args.seed, mappa_annual.latest_year(timezone.localdate()))
    marac = add_marac_year(args.seed)
    results = {
        "history_rows_added": added,
        "marac_cases_added": marac,
        "annual": measure_annual(args.repeats),
        "safelives": measure_safelives(args.repeats),
        "dashboard": measure_dashboard(args.repeats),
        "forum_and_matac": measure_forum_and_matac(args.repeats),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
