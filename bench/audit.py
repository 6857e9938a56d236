"""The audit store at national scale (PostgreSQL): 100 million audit rows, partitioned by month.

    .venv/bin/python bench/audit.py --database-url postgres://postgres@127.0.0.1:5432/sg_audit_bench

A database of its own (no world is needed: the queries read the audit table
alone). The first run migrates it and generates ``--rows`` audit rows at the
national rate (``--per-day``, 3 million a day) ending at the start of the
current month, so 100 million rows fill the last 34 days before it. Each
month is loaded into a table of its own with one ``INSERT ... SELECT`` from
``generate_series`` (ids from one block reserved on the audit sequence, in
time order), indexed, given the partition's range as a CHECK constraint and
attached as that month's partition (so the attach does not scan it again),
then vacuumed as autovacuum would leave it (all-visible, for index-only
scans); the append-only trigger and the parent's indexes then cover it. Later runs
find the rows by a note in ``bench_audit_generated`` and only measure.

Measured (medians and 95th percentiles, warm-up excluded):

- "who has looked at this record": the queryset of the nominal's access-log
  page (``offenders.views.access_log``: the record's events, newest first, at
  most 200), for random nominals; target p95 100 ms;
- a user's month of reads: every view, search and export by one user in the
  last full month, oldest first (the fields a report shows), for random
  users; target p95 100 ms;
- the insert of one audited view (``AuditEvent.objects.create`` in a
  transaction of its own, commit included, as the gate writes it) into the
  partitioned table and into the same table unpartitioned (the layout before
  partitioning: one table, primary key on id, the same indexes and trigger,
  holding a copy of the smallest generated month, the one the partitioned
  inserts go to, so that both receive rows into indexes of the same size),
  interleaved; and the same with the hourly sealing job
  running flat out beside it (sealing the backlog, batch after batch), in
  alternating phases; side by side as ratios of medians;
- how fast sealing and ``verify`` go (rows a second), and so how long an
  hour of national audit rows (125,000) takes to seal.

Figures are printed as JSON (and written to --output). Benchmarks are not
tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sg_audit_bench"
TARGET_P95_MS = 100.0
WARM_UP = 10
NOTE = "bench_audit_generated"
PLAIN = "bench_audit_plain"
READS = ("view", "search", "export")
NATIONAL_ROWS_PER_HOUR = 3_000_000 // 24

# One month's rows, in id order and time order. $-placeholders are filled in by load_month.
LOAD_SQL = """
INSERT INTO {table} (id, at, actor_id, actor_username, actor_agency_id, operation, record_type, record_id,
                     purpose, outcome, reason, request_id, client_address, detail)
SELECT %(first_id)s + g,
       %(lower)s::timestamptz + (g::float8 / %(count)s) * (%(upper)s::timestamptz - %(lower)s::timestamptz),
       a, 'user.' || a, 1 + a %% 400,
       op,
       CASE WHEN op = 'search' THEN 'people.person' WHEN r2 < 0.6 THEN 'offenders.nominal' ELSE 'people.person' END,
       CASE WHEN op = 'search' THEN NULL
            WHEN r2 < 0.6 THEN 1 + floor(r3 * %(nominals)s)::bigint
            ELSE 1 + floor(r3 * %(people)s)::bigint END,
       'offender_management',
       CASE WHEN r2 < 0.01 THEN 'refused' ELSE 'allowed' END,
       CASE WHEN r2 < 0.01 THEN 'not allocated' ELSE 'allocated offender manager' END,
       lpad(to_hex(%(first_id)s + g), 32, '0'),
       ('10.' || (a %% 250) || '.' || (a / 250 %% 250) || '.1')::inet,
       CASE WHEN op = 'search' THEN '{{"shown": [1, 2, 3]}}'::jsonb ELSE '{{"page": "nominal"}}'::jsonb END
FROM (
  SELECT g, 1 + floor(random() * %(actors)s)::bigint AS a, random() AS r2, random() AS r3,
         CASE WHEN r1 < 0.85 THEN 'view' WHEN r1 < 0.93 THEN 'search' WHEN r1 < 0.98 THEN 'change'
              ELSE 'create' END AS op
  FROM (SELECT g, random() AS r1 FROM generate_series(0, %(count)s - 1) AS g) AS s
) AS rows
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--rows", type=int, default=100_000_000, help="Audit rows to generate (once).")
    parser.add_argument("--per-day", type=int, default=3_000_000, help="Audit rows a day (the national rate).")
    parser.add_argument("--actors", type=int, default=50_000, help="Users.")
    parser.add_argument("--nominals", type=int, default=250_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=200, help="Queries of each kind.")
    parser.add_argument("--insert-seconds", type=float, default=40.0, help="Seconds of inserts in all.")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fresh", action="store_true", help="Drop and recreate the database first.")
    parser.add_argument("--output", help="Write the figures to this file as JSON.")
    parser.add_argument("--no-docs", action="store_true", help="Do not write the section of docs/benchmarks.md.")
    return parser.parse_args(argv)


def ensure_database(url: str, fresh: bool) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = conninfo_to_dict(url).get("dbname") or "sg_audit_bench"
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str, migrate: bool = True) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "safeguard.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {"n": len(ordered), "p50": round(statistics.median(ordered), 2), "p95": round(p95, 2)}


# Generating ------------------------------------------------------------------------


def months_of(start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """[start, end) cut at month boundaries (UTC)."""
    spans, lower = [], start
    while lower < end:
        following = (lower.replace(day=1, hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=32)).replace(
            day=1
        )
        upper = min(following, end)
        spans.append((lower, upper))
        lower = upper
    return spans


def generated(cursor) -> dict | None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {NOTE} (sizes jsonb NOT NULL, seconds float8 NOT NULL)")
    cursor.execute(f"SELECT sizes, seconds FROM {NOTE}")  # noqa: S608 (constant name)
    row = cursor.fetchone()
    if not row:
        return None
    # Django's PostgreSQL connection hands jsonb back as text (its JSONField decodes it itself).
    sizes = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    return {**sizes, "seconds": row[1]}


def load_month(cursor, lower: dt.datetime, upper: dt.datetime, count: int, first_id: int, args) -> str:
    """One month's rows into a table of its own, indexed and attached as the month's partition."""
    from safeguard.audit import partitions
    from safeguard.audit.models import ACTOR_INDEX_INCLUDES

    month = lower.date().replace(day=1)
    name = partitions.partition_name(month)
    p_lower, p_upper = partitions.bounds(month)
    cursor.execute(
        "SELECT 1 FROM pg_inherits WHERE inhparent = 'audit_auditevent'::regclass AND inhrelid::regclass::text = %s",
        [name],
    )
    if cursor.fetchone():
        raise SystemExit(f"{name} exists already: rerun with --fresh")
    cursor.execute(f"CREATE TABLE {name} (LIKE audit_auditevent INCLUDING DEFAULTS)")
    cursor.execute(f"ALTER TABLE {name} ALTER COLUMN id DROP IDENTITY IF EXISTS")
    params = {
        "first_id": first_id,
        "lower": lower,
        "upper": upper,
        "count": count,
        "actors": args.actors,
        "nominals": args.nominals,
        "people": args.people,
    }
    t0 = time.monotonic()
    cursor.execute(LOAD_SQL.format(table=name), params)
    t1 = time.monotonic()
    cursor.execute(f"ALTER TABLE {name} ADD PRIMARY KEY (id, at)")
    cursor.execute(f"CREATE INDEX ON {name} (record_type, record_id, at)")
    cursor.execute(f"CREATE INDEX ON {name} (actor_id, at) INCLUDE ({', '.join(ACTOR_INDEX_INCLUDES)})")
    cursor.execute(f"CREATE INDEX ON {name} USING brin (at)")
    # DDL takes no bound parameters (server-side binding sends them apart): the bounds written in as literals.
    compose, bounds = cursor.db.ops.compose_sql, [p_lower, p_upper]
    check = f"ALTER TABLE {name} ADD CONSTRAINT {name}_range CHECK (at IS NOT NULL AND at >= %s AND at < %s)"
    cursor.execute(compose(check, bounds))
    attach = f"ALTER TABLE audit_auditevent ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)"
    cursor.execute(compose(attach, bounds))
    cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {name}_range")
    cursor.execute(f"VACUUM (ANALYZE) {name}")  # as autovacuum leaves a month: all-visible, for index-only scans
    t2 = time.monotonic()
    print(
        f"  {name}: {count:,} rows loaded in {t1 - t0:.1f} s, indexed and attached in {t2 - t1:.1f} s", file=sys.stderr
    )  # noqa: E501
    return name


def ensure_rows(args) -> dict:
    from django.db import connection

    sizes = {
        "rows": args.rows,
        "per_day": args.per_day,
        "actors": args.actors,
        "nominals": args.nominals,
        "people": args.people,
        "seed": args.seed,
    }
    with connection.cursor() as cursor:
        note = generated(cursor)
        if note is not None:
            if {k: note.get(k) for k in sizes} != sizes:
                raise SystemExit(f"The database holds other audit rows ({note}): rerun with --fresh")
            print("The audit rows for these sizes exist already: not generated again.", file=sys.stderr)
            return note
        started = time.monotonic()
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SELECT setseed(%s)", [(args.seed % 1000) / 1000])
        now = dt.datetime.now(dt.UTC)
        end = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        start = end - dt.timedelta(seconds=args.rows / args.per_day * 86_400)
        spans = months_of(start, end)
        total = (end - start).total_seconds()
        counts = [round(args.rows * (u - lo).total_seconds() / total) for lo, u in spans]
        counts[-1] += args.rows - sum(counts)
        cursor.execute("SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id'))")
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), %s)", [first + args.rows])
        for (lower, upper), count in zip(spans, counts, strict=True):
            load_month(cursor, lower, upper, count, first, args)
            first += count
        seconds = round(time.monotonic() - started, 1)
        cursor.execute(f"INSERT INTO {NOTE} VALUES (%s, %s)", [json.dumps(sizes), seconds])  # noqa: S608
        cursor.execute("SET synchronous_commit = on")
        return {**sizes, "seconds": seconds}


def last_full_month() -> tuple[dt.datetime, dt.datetime]:
    end = dt.datetime.now(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    return start, end


# Queries ---------------------------------------------------------------------------


def measure_who_looked(args, rng: random.Random) -> dict:
    from safeguard.audit.models import AuditEvent

    samples, shown = [], []
    for n in range(args.iterations + WARM_UP):
        record_id = rng.randint(1, args.nominals)
        start = time.perf_counter()
        events = list(
            AuditEvent.objects.filter(record_type="offenders.nominal", record_id=record_id).order_by("-at")[:200]
        )
        ms = (time.perf_counter() - start) * 1000
        if n >= WARM_UP:
            samples.append(ms)
            shown.append(len(events))
    return {**percentiles(samples), "events_shown_median": statistics.median(shown), "target_p95_ms": TARGET_P95_MS}


def measure_month_of_reads(args, rng: random.Random) -> dict:
    from safeguard.audit.models import AuditEvent

    lower, upper = last_full_month()
    samples, rows = [], []
    for n in range(args.iterations + WARM_UP):
        actor = rng.randint(1, args.actors)
        start = time.perf_counter()
        reads = list(
            AuditEvent.objects.filter(actor_id=actor, at__gte=lower, at__lt=upper, operation__in=READS)
            .order_by("at")
            .values_list("at", "operation", "record_type", "record_id", "purpose", "outcome")
        )
        ms = (time.perf_counter() - start) * 1000
        if n >= WARM_UP:
            samples.append(ms)
            rows.append(len(reads))
    return {
        **percentiles(samples),
        "rows_median": statistics.median(rows),
        "month": f"{lower:%Y-%m}",
        "target_p95_ms": TARGET_P95_MS,
    }


def plans(args) -> dict:
    from django.db import connection

    lower, upper = last_full_month()
    out = {}
    queries = {
        "who_looked": (
            "SELECT * FROM audit_auditevent WHERE record_type = 'offenders.nominal' AND record_id = %s "
            "ORDER BY at DESC LIMIT 200",
            [args.nominals // 2],
        ),
        "month_of_reads": (
            "SELECT at, operation, record_type, record_id, purpose, outcome FROM audit_auditevent "
            "WHERE actor_id = %s AND at >= %s AND at < %s AND operation IN ('view', 'search', 'export') ORDER BY at",
            [args.actors // 2, lower, upper],
        ),
    }
    with connection.cursor() as cursor:
        for key, (sql, params) in queries.items():
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            out[key] = [row[0] for row in cursor.fetchall()]
    return out


# Inserts ---------------------------------------------------------------------------


def insert_target(cursor) -> tuple[str, dt.datetime]:
    """The smallest month of generated rows (the first, part of a month: about 10 million rows at 100 million)
    and a moment inside it: the inserts go there, and the unpartitioned table holds a copy of it, so that both
    receive rows into indexes of the same size (and the copy stays a few GB, not a month's 30)."""
    cursor.execute(
        """
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_auditevent'::regclass AND c.reltuples > 0
        ORDER BY c.reltuples LIMIT 1
        """
    )
    name = cursor.fetchone()[0]
    cursor.execute(f"SELECT max(at) FROM {name}")  # noqa: S608 (a partition's name from the catalogue)
    return name, cursor.fetchone()[0]


def ensure_plain_table(cursor, source: str) -> int:
    """The table before partitioning (primary key on id alone), holding a copy of ``source``."""
    from safeguard.audit.models import ACTOR_INDEX_INCLUDES

    cursor.execute("SELECT to_regclass(%s)", [PLAIN])
    if cursor.fetchone()[0] is None:
        cursor.execute(f"CREATE TABLE {PLAIN} (LIKE audit_auditevent INCLUDING DEFAULTS INCLUDING IDENTITY)")
        cursor.execute(f"INSERT INTO {PLAIN} SELECT * FROM {source}")  # noqa: S608 (constant names)
        cursor.execute(f"ALTER TABLE {PLAIN} ADD PRIMARY KEY (id)")
        cursor.execute(f"CREATE INDEX ON {PLAIN} (record_type, record_id, at)")
        cursor.execute(f"CREATE INDEX ON {PLAIN} (actor_id, at) INCLUDE ({', '.join(ACTOR_INDEX_INCLUDES)})")
        cursor.execute(f"CREATE INDEX ON {PLAIN} USING brin (at)")
        cursor.execute(
            f"CREATE TRIGGER {PLAIN}_append_only BEFORE UPDATE OR DELETE ON {PLAIN} "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM audit_auditevent) + 1)", [PLAIN]
        )
        cursor.execute(f"VACUUM (ANALYZE) {PLAIN}")
    cursor.execute(f"SELECT count(*) FROM {PLAIN}")  # noqa: S608 (constant name)
    return cursor.fetchone()[0]


@contextmanager
def model_table(name: str):
    """Point the AuditEvent model at another table (this benchmark only: the plain, unpartitioned layout)."""
    from safeguard.audit.models import AuditEvent

    original = AuditEvent._meta.db_table
    AuditEvent._meta.db_table = name
    try:
        yield
    finally:
        AuditEvent._meta.db_table = original


def _sealing_process(url: str, stop, results) -> None:
    """The sealing job run flat out (one batch a call, as the hourly job does them) until ``stop`` is set."""
    setup_django(url, migrate=False)
    from django.db import connection

    from safeguard.audit import sealing

    rows, seconds = 0, 0.0
    while not stop.is_set():
        start = time.monotonic()
        summary = sealing.seal_closed_batches(margin=dt.timedelta(0), wait=dt.timedelta(seconds=5), max_batches=1)
        seconds += time.monotonic() - start
        rows += summary.rows
    connection.close()
    results.put((rows, seconds))


class Sealer:
    """The sealing job in a process of its own (as under ``db_worker``), started and stopped per phase."""

    def __init__(self, url: str):
        import multiprocessing

        self.context = multiprocessing.get_context("spawn")
        self.url, self.rows, self.seconds = url, 0, 0.0
        self.process = self.stop = self.results = None

    def start(self) -> None:
        self.stop, self.results = self.context.Event(), self.context.Queue()
        self.process = self.context.Process(target=_sealing_process, args=(self.url, self.stop, self.results))
        self.process.start()

    def finish(self) -> None:
        self.stop.set()
        rows, seconds = self.results.get(timeout=600)
        self.process.join()
        self.rows, self.seconds = self.rows + rows, self.seconds + seconds


def seal_some(batches: int) -> None:
    """Seal a few batches so that the sealing job has a chain to continue (bounded: the backlog is huge)."""
    from safeguard.audit import sealing

    for _ in range(batches):
        sealing.seal_closed_batches(margin=dt.timedelta(0), wait=dt.timedelta(seconds=5), max_batches=1)


def one_insert(at: dt.datetime) -> float:
    from django.db import transaction

    from safeguard.audit.models import AuditEvent

    start = time.perf_counter()
    with transaction.atomic():
        AuditEvent.objects.create(
            at=at,
            actor_id=17,
            actor_username="user.17",
            actor_agency_id=17,
            operation="view",
            record_type="offenders.nominal",
            record_id=12345,
            purpose="offender_management",
            outcome="allowed",
            reason="allocated offender manager",
            request_id="f" * 32,
            client_address="10.17.0.1",
            detail={"page": "nominal"},
        )
    return (time.perf_counter() - start) * 1000


def measure_inserts(args) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        partition, at = insert_target(cursor)
        plain_rows = ensure_plain_table(cursor, partition)
    sealer = Sealer(args.database_url)
    figures = {("partitioned", False): [], ("partitioned", True): [], ("plain", False): [], ("plain", True): []}
    phases = [False, True, False, True]
    per_phase = args.insert_seconds / len(phases)
    for _ in range(WARM_UP):
        one_insert(at)
        with model_table(PLAIN):
            one_insert(at)
    for sealing_on in phases:
        if sealing_on:
            sealer.start()
            time.sleep(3.0)  # let it start (Django set-up) and get going before counting
        deadline = time.monotonic() + per_phase
        while time.monotonic() < deadline:
            figures[("partitioned", sealing_on)].append(one_insert(at))
            with model_table(PLAIN):
                figures[("plain", sealing_on)].append(one_insert(at))
        if sealing_on:
            sealer.finish()
    med = {k: statistics.median(v) for k, v in figures.items()}
    return {
        "into": {"partitioned": partition, "plain": f"{PLAIN} ({plain_rows:,} rows before the run)"},
        "partitioned": percentiles(figures[("partitioned", False)]),
        "plain": percentiles(figures[("plain", False)]),
        "partitioned_while_sealing": percentiles(figures[("partitioned", True)]),
        "plain_while_sealing": percentiles(figures[("plain", True)]),
        "ratio_partitioned_to_plain": round(med[("partitioned", False)] / med[("plain", False)], 3),
        "ratio_sealing_to_not_partitioned": round(med[("partitioned", True)] / med[("partitioned", False)], 3),
        "ratio_sealing_to_not_plain": round(med[("plain", True)] / med[("plain", False)], 3),
        "sealer": {
            "rows": sealer.rows,
            "seconds": round(sealer.seconds, 1),
            "rows_per_second": round(sealer.rows / sealer.seconds) if sealer.seconds else None,
        },
    }


def measure_verify(max_seals: int = 50) -> dict:
    """verify() over the first seals (at most ``max_seals``): rows checked a second."""
    from safeguard.audit import sealing
    from safeguard.audit.models import AuditSeal

    last = AuditSeal.objects.order_by("-number").values_list("number", flat=True).first() or 0
    start = time.monotonic()
    result = sealing.verify(from_number=max(1, last - max_seals + 1))
    seconds = time.monotonic() - start
    return {
        "seals": result.seals_checked,
        "rows": result.rows_checked,
        "ok": result.ok,
        "seconds": round(seconds, 2),
        "rows_per_second": round(result.rows_checked / seconds) if seconds and result.rows_checked else None,
    }


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits "
            "WHERE inhparent = 'audit_auditevent'::regclass"
        )
        size = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_auditevent'::regclass")
        partitions = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "postgresql": version,
        "audit_size": size,
        "partitions": partitions,
        "load_average": os.getloadavg(),
    }


def main(argv=None) -> dict:
    args = parse_args(argv)
    ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url)
    started = time.monotonic()
    print(f"Audit rows: {args.rows:,} at {args.per_day:,} a day", file=sys.stderr, flush=True)
    generation = ensure_rows(args)
    rng = random.Random(args.seed)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import machine as machine_info

    cpu_before, load_before = machine_info.cpu_times(), machine_info.load_average()
    print("Measuring who has looked at a record", file=sys.stderr, flush=True)
    who = measure_who_looked(args, rng)
    print("Measuring a user's month of reads", file=sys.stderr, flush=True)
    month = measure_month_of_reads(args, rng)
    print("Measuring inserts, partitioned and not, with and without sealing", file=sys.stderr, flush=True)
    seal_some(3)
    inserts = measure_inserts(args)
    print("Measuring verify", file=sys.stderr, flush=True)
    verify = measure_verify()
    sealer = inserts["sealer"]
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "generation": generation,
        "who_looked_at_a_record": who,
        "a_users_month_of_reads": month,
        "inserts": inserts,
        "verify": verify,
        "seal_an_hour_of_national_rows_s": (
            round(NATIONAL_ROWS_PER_HOUR / sealer["rows_per_second"], 1) if sealer["rows_per_second"] else None
        ),
        "plans": plans(args),
        "seconds": round(time.monotonic() - started, 1),
        "while_measuring": {
            "cpu_share": machine_info.cpu_share(cpu_before, machine_info.cpu_times()),
            "load_average_before": load_before,
            "load_average_after": machine_info.load_average(),
        },
    }
    text = json.dumps(results, indent=2, default=str)
    if args.output:
        Path(args.output).write_text(text + "\n")
    print(text)
    if not args.no_docs:
        import sections

        sections.write("audit", section(results), ROOT / "docs" / "benchmarks.md")
    return results


def _yes(met: bool) -> str:
    return "yes" if met else "**no**"


def section(r: dict) -> str:
    """The figures as the audit section of docs/benchmarks.md."""
    who, month, ins, ver = r["who_looked_at_a_record"], r["a_users_month_of_reads"], r["inserts"], r["verify"]
    gen, m, busy = r["generation"], r["machine"], r["while_measuring"]
    share = busy["cpu_share"] or {}
    lines = [
        f"## The audit store at national scale (`bench/audit.py`), measured {r['date']}",
        "",
        f"{gen['rows']:,} audit rows at {gen['per_day']:,} a day ({gen['actors']:,} users, {gen['nominals']:,} "
        f"nominals, {gen['people']:,} people), partitioned by month ({m['partitions']} partitions, {m['audit_size']}); "
        f"PostgreSQL {m['postgresql']}, {m['nproc']} cores. Milliseconds; warm-up excluded.",
        "",
        "| measure | n | p50 (ms) | p95 (ms) | target | met? |",
        "|---|---|---|---|---|---|",
        f"| Who has looked at this record (the access-log page's query, newest 200) | {who['n']} | {who['p50']} "
        f"| {who['p95']} | p95 ≤ {who['target_p95_ms']:g} ms | {_yes(who['p95'] <= who['target_p95_ms'])} |",
        f"| A user's month of reads ({month['month']}, median {month['rows_median']:,.0f} rows) | {month['n']} "
        f"| {month['p50']} | {month['p95']} | p95 ≤ {month['target_p95_ms']:g} ms "
        f"| {_yes(month['p95'] <= month['target_p95_ms'])} |",
        f"| Insert of one audited view, partitioned table | {ins['partitioned']['n']:,} | {ins['partitioned']['p50']} "
        f"| {ins['partitioned']['p95']} | | |",
        f"| The same, one unpartitioned table (the layout before) | {ins['plain']['n']:,} | {ins['plain']['p50']} "
        f"| {ins['plain']['p95']} | | |",
        f"| Insert, partitioned, while the sealer runs | {ins['partitioned_while_sealing']['n']:,} "
        f"| {ins['partitioned_while_sealing']['p50']} | {ins['partitioned_while_sealing']['p95']} | | |",
        "",
        f"Insert cost, partitioned against unpartitioned: {ins['ratio_partitioned_to_plain']}× (medians); with "
        f"sealing running against without: {ins['ratio_sealing_to_not_partitioned']}×. The sealer hashed "
        f"{ins['sealer']['rows_per_second']:,} rows a second, so an hour of national rows (125,000) seals in "
        f"{r['seal_an_hour_of_national_rows_s']} s; `verify_audit` checked {ver['rows']:,} rows in {ver['seals']} "
        f"seals in {ver['seconds']} s (ok: {ver['ok']}).",
        "",
        f"While measuring: load average before {', '.join(map(str, busy['load_average_before']))}, after "
        f"{', '.join(map(str, busy['load_average_after']))}; the cores' time: {share.get('normal')}% at normal "
        f"priority (this benchmark and PostgreSQL), {share.get('low_priority')}% other work at nice 19, "
        f"{share.get('idle')}% idle. Generating the rows took {gen['seconds']:,.0f} s (first run only).",
        "",
        "    .venv/bin/python bench/audit.py --database-url postgres://postgres@127.0.0.1:5432/sg_audit_bench",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
