"""Safeguard's benchmarks on a national-size synthetic world (PostgreSQL).

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/safeguard

Creates the database if it is missing, migrates it, generates the world once
(100,000 nominals and 1,000,000 domestic-abuse incidents by default; kept
for the next run, found again by its seed and sizes), then measures in one
process with Django's test client, in-process (no network, no web server):

- person search: POST /search/ as an offender manager, a real person's name
  with two letters of the family name swapped, plus the date of birth;
- the nominal page: GET /nominals/<pk>/ as the area's MAPPA coordinator;
- the cost of the gate and its audit write: the nominal page with the gate,
  and with safeguard.access.gate.authorise replaced by a no-op (here only),
  interleaved, as a ratio of medians;
- matching (bench/matching.py, DuckDB): a million labelled person records deduplicated with Safeguard's
  Splink model and with Splink's default comparisons, F1 and time side by side (its own docs section);
- the paged lists (bench/paged_lists.py): my work's first and a deep page,
  sorted and filtered, the triage board, search by a family name alone, a
  team's caseloads, referrals and our agency's actions; the largest team's
  officers, the area's training page and an allocation batch of the area's
  unallocated nominals as the MAPPA coordinator (first and a deep page each).

Figures go to bench/results/latest.json and docs/benchmarks.md. Benchmarks
are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from html import escape
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/safeguard"
TARGETS_MS = {"search": 150.0, "nominal": 100.0}
TARGET_GATE_RATIO = 1.30
WARM_UP = 10
STATEMENT_TIMEOUT_MS = 20_000  # a search slower than this is recorded at this time, as timed out
SLOW_MS = 2_000  # a request this slow is counted even during warm-up: warming is not what slows it
TIME_BUDGET_S = 150.0  # per measure: a regression shows as fewer samples, not an afternoon's wait


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--nominals", type=int, default=100_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=250)
    parser.add_argument("--budget", type=float, default=TIME_BUDGET_S, help="Seconds at most per measure.")
    parser.add_argument("--fresh", action="store_true", help="Drop and recreate the benchmark database first.")
    parser.add_argument("--no-docs", action="store_true", help="Write bench/results/latest.json only.")
    return parser.parse_args(argv)


def ensure_database(url: str, fresh: bool) -> None:
    """Create the benchmark database if it does not exist (from the server's 'postgres' database)."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    name = params.get("dbname") or "safeguard"
    admin = make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}", file=sys.stderr)


def setup_django(url: str, settings: str = "safeguard.settings.test") -> None:
    """Django on this database, with the test settings unless told (bench/page_cost.py: the load test's)."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    import logging

    import django

    django.setup()
    # A failing page is counted in the figures; its traceback is not wanted on the console.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def ensure_world(seed: int, nominals: int, incidents: int) -> dict:
    from django.core.management import call_command

    from safeguard.demo import world
    from safeguard.offenders.models import Nominal

    call_command("migrate", verbosity=0, interactive=False)
    event = world.existing_world(seed, nominals, incidents)
    if event is not None:
        print("The world for this seed and size exists already: not generated again.", file=sys.stderr)
        return event.detail
    if Nominal.objects.exists():
        raise SystemExit("The database holds another world: rerun with --fresh to replace it.")

    def progress(stage, done, total):
        print(f"  {stage}: {done:,} of {total:,}", file=sys.stderr, flush=True)

    print(f"Generating {nominals:,} nominals and {incidents:,} incidents (seed {seed})", file=sys.stderr)
    counts = world.generate(seed, nominals, incidents, progress=progress)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def signed_in_client(username: str):
    """A test client signed in with both factors (as tests/conftest.py verified_client does)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguard.accounts import backends
    from safeguard.workforce.models import Staff

    user = Staff.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client(raise_request_exception=False)  # a failing page is counted, not fatal
    # Signed in as the sign-in pages leave a session: each request loads the user through this backend.
    client.force_login(user, backend=backends.PATH)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["signed_in_at"] = time.time()
    session.save()
    return client


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {"n": len(ordered), "p50": round(statistics.median(ordered), 1), "p95": round(p95, 1)}


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    response = call()
    return (time.perf_counter() - start) * 1000, response


def measure_calls(call, iterations: int, budget: float, warm_up: int, expect: str = "") -> dict:
    """The p50 and p95 of ``call()`` (one request through a test client) over ``iterations`` calls after
    ``warm_up`` untimed ones, stopping early once ``budget`` seconds have passed (with 5 samples at least);
    the status codes answered, and with ``expect`` how many timed pages showed that text."""
    samples, statuses, found = [], set(), 0
    deadline = time.monotonic() + budget
    for n in range(iterations + warm_up):
        if time.monotonic() > deadline and len(samples) >= 5:
            break
        ms, response = timed(call)
        statuses.add(response.status_code)
        if n >= warm_up:
            samples.append(ms)
            found += bool(expect) and expect in response.content.decode()
    result = {**percentiles(samples), "statuses": sorted(statuses)}
    if expect:
        result["pages_showing_it"] = found
    return result


def typo(family: str, rng: random.Random) -> str:
    """The family name with two neighbouring letters swapped (a different spelling)."""
    for _ in range(10):
        i = rng.randrange(1, max(2, len(family) - 1))
        if i + 1 < len(family) and family[i] != family[i + 1]:
            return family[:i] + family[i + 1] + family[i] + family[i + 2 :]
    return family[:-1]


def measure_search(iterations: int, rng: random.Random, budget: float) -> dict:
    from safeguard.people.models import Person
    from safeguard.workforce.models import Staff

    om = Staff.objects.get(username="om.demo")
    ids = list(Person.objects.filter(area_id=om.mappa_area_id).order_by("id").values_list("id", flat=True))
    chosen = rng.sample(ids, min(len(ids), iterations + WARM_UP))
    people = Person.objects.in_bulk(chosen)
    client = signed_in_client("om.demo")
    samples, found, statuses, timeouts = [], 0, set(), 0
    deadline = time.monotonic() + budget
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
    for n, pk in enumerate(chosen):
        if time.monotonic() > deadline and len(samples) >= 3:
            break
        person = people[pk]
        dob = person.date_of_birth
        data = {
            "name": f"{person.given_name} {typo(person.family_name, rng)}",
            "date_of_birth_0": str(dob.day),
            "date_of_birth_1": str(dob.month),
            "date_of_birth_2": str(dob.year),
        }
        ms, response = timed(lambda data=data: client.post("/search/", data))
        statuses.add(response.status_code)
        if n >= WARM_UP or ms >= SLOW_MS:
            if response.status_code != 200 and ms >= STATEMENT_TIMEOUT_MS:
                timeouts += 1
            samples.append(ms)
            found += response.status_code == 200 and escape(person.family_name) in response.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    result = percentiles(samples)
    result.update({"found_share": round(found / len(samples), 3), "statuses": sorted(statuses), "timed_out": timeouts})
    return result


def nominal_ids(rng: random.Random, count: int) -> list[int]:
    from safeguard.offenders.models import Nominal

    ids = list(Nominal.objects.order_by("id").values_list("id", flat=True))
    return rng.sample(ids, min(len(ids), count))


def measure_nominal(iterations: int, rng: random.Random, budget: float) -> dict:
    client = signed_in_client("coordinator.demo")
    chosen = nominal_ids(rng, iterations + WARM_UP)
    samples, statuses = [], set()
    deadline = time.monotonic() + budget
    for n, pk in enumerate(chosen):
        if time.monotonic() > deadline and len(samples) >= 5:
            break
        ms, response = timed(lambda pk=pk: client.get(f"/nominals/{pk}/"))
        statuses.add(response.status_code)
        if n >= WARM_UP and response.status_code == 200:
            samples.append(ms)
    result = percentiles(samples) if samples else {"n": 0, "p50": None, "p95": None}
    result["statuses"] = sorted(statuses)
    return result


def measure_gate_overhead(iterations: int, rng: random.Random, budget: float) -> dict:
    """The same pages with and without the gate's authorise (decide and audit), interleaved."""
    from safeguard.audit.models import AuditEvent

    client = signed_in_client("coordinator.demo")
    chosen = nominal_ids(rng, iterations + WARM_UP)
    gated, ungated = [], []
    events_before = AuditEvent.objects.count()
    deadline = time.monotonic() + budget
    for n, pk in enumerate(chosen):
        if time.monotonic() > deadline and len(gated) >= 5:
            break
        with_gate, first = timed(lambda pk=pk: client.get(f"/nominals/{pk}/"))
        with mock.patch("safeguard.access.gate.authorise", lambda *a, **k: None):
            without, second = timed(lambda pk=pk: client.get(f"/nominals/{pk}/"))
        if n >= WARM_UP and first.status_code == second.status_code == 200:
            gated.append(with_gate)
            ungated.append(without)
    audited = AuditEvent.objects.count() - events_before
    if not gated:
        return {"with_gate": None, "without_gate": None, "ratio_of_medians": None, "audit_events_written": audited}
    ratio = statistics.median(gated) / statistics.median(ungated)
    return {
        "with_gate": percentiles(gated),
        "without_gate": percentiles(ungated),
        "ratio_of_medians": round(ratio, 3),
        "audit_events_written": audited,
    }


def explain_search() -> list[dict]:
    """The SQL of one search, each statement's time, and the plan of the slowest (EXPLAIN ANALYZE)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.people.models import Person

    person = Person.objects.exclude(date_of_birth=None).order_by("id")[1000:1001].get()
    client = signed_in_client("om.demo")
    dob = person.date_of_birth
    data = {
        "name": f"{person.given_name} {typo(person.family_name, random.Random(1))}",
        "date_of_birth_0": str(dob.day),
        "date_of_birth_1": str(dob.month),
        "date_of_birth_2": str(dob.year),
    }
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
    with CaptureQueriesContext(connection) as captured:
        client.post("/search/", data)
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    out = []
    for q in queries[:3]:
        entry = {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:2000]}
        if q["sql"].lstrip().upper().startswith("SELECT"):
            entry["plan"] = _plan(q["sql"])
        out.append(entry)
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    return out


def _plan(query: str) -> list[str]:
    """EXPLAIN ANALYZE, or the estimated plan alone when the statement times out."""
    from django.db import DatabaseError, connection, transaction

    for explain in ("EXPLAIN (ANALYZE, BUFFERS) ", "EXPLAIN "):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(explain + query)
                return [row[0] for row in cursor.fetchall()]
        except DatabaseError:
            continue
    return []


def machine() -> dict:
    import platform

    import django
    from django.db import connection

    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
    }


def dataset() -> dict:
    from safeguard.events.models import Incident, IncidentPerson
    from safeguard.offenders.models import Nominal
    from safeguard.people.models import NameKey, Person

    return {
        "nominals": Nominal.objects.count(),
        "people": Person.objects.count(),
        "incidents": Incident.objects.count(),
        "incident_people": IncidentPerson.objects.count(),
        "name_keys": NameKey.objects.count(),
    }


def main_on_world(description: str, measure, *, nominals: int, iterations: int, budget: float, argv=None) -> None:
    """The command line of a benchmark that measures on this world: the database and the world (built once), then
    ``measure(iterations, budget)``; its figures printed as JSON (and written to --output when given)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--nominals", type=int, default=nominals)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=iterations)
    parser.add_argument("--budget", type=float, default=budget, help="Seconds at most per measure.")
    parser.add_argument("--output", type=Path, default=None, help="Also write the figures to this JSON file.")
    args = parser.parse_args(argv)
    ensure_database(args.database_url, False)
    setup_django(args.database_url)
    generation = ensure_world(args.seed, args.nominals, args.incidents)
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "world": {k: generation.get(k) for k in ("seed", "nominals", "incidents", "people")},
        **measure(args.iterations, args.budget),
    }
    text = json.dumps(results, indent=2, default=str)
    if args.output:
        args.output.write_text(text + "\n")
    print(text)


def measure_matching(no_docs: bool) -> dict:
    """bench/matching.py in a process of its own (DuckDB, no database): it writes its own section of the docs."""
    import subprocess

    command = [sys.executable, str(ROOT / "bench" / "matching.py"), *(["--no-docs"] if no_docs else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-3:] or ["failed"]}
    return json.loads((RESULTS / "matching.json").read_text())


def main(argv=None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    import machine as machine_info

    machine_info.say("Machine before the benchmarks", machine_info.describe(args.database_url))
    load_before = machine_info.load_average()
    ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url)
    started = time.monotonic()
    generation = ensure_world(args.seed, args.nominals, args.incidents)
    rng = random.Random(args.seed)
    print("Measuring person search", file=sys.stderr)
    search = measure_search(args.iterations, rng, args.budget)
    print("Measuring the nominal page", file=sys.stderr)
    nominal = measure_nominal(args.iterations, rng, args.budget)
    print("Measuring the gate and audit overhead", file=sys.stderr)
    gate = measure_gate_overhead(args.iterations, rng, args.budget)
    print("Measuring the due dates of every nominal", file=sys.stderr)
    import due_dates as due_dates_bench

    due = due_dates_bench.measure_due_dates()
    print("Measuring the RFG ranking, SQL against pandas", file=sys.stderr)
    import rfg as rfg_bench

    rfg = rfg_bench.measure_rfg()
    print("Measuring the allocation of a batch of new nominals", file=sys.stderr)
    import allocation as allocation_bench

    allocation = allocation_bench.measure_allocation()
    print("Measuring allocation batches built from the database (a world of its own)", file=sys.stderr)
    allocation_db = allocation_bench.measure_allocation_db_in_subprocess(args.database_url)
    print(
        "Measuring the forums: agenda, my work with actions, the Category 3 scan (worlds of their own)", file=sys.stderr
    )
    import forums as forums_bench

    forums = forums_bench.measure_forums(args.database_url)
    print("Measuring the paged lists: my work, triage, search, caseloads (web/lists.py)", file=sys.stderr)
    import paged_lists as lists_bench

    paged = lists_bench.measure_lists(max(20, args.iterations // 2), min(args.budget, 60.0))
    print("Measuring the audit store at 100 million rows (sg_audit_bench, a database of its own)", file=sys.stderr)
    audit = forums_bench._run("audit.py", forums_bench._url(args.database_url, "sg_audit_bench"))
    print("Measuring matching: a million labelled records, Safeguard's model beside Splink's defaults", file=sys.stderr)
    matching = measure_matching(args.no_docs)
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "dataset": dataset(),
        "generation": {k: generation.get(k) for k in ("seed", "nominals", "incidents", "people", "seconds")},
        "search": {**search, "target_p95_ms": TARGETS_MS["search"]},
        "nominal_page": {**nominal, "target_p95_ms": TARGETS_MS["nominal"]},
        "gate_overhead": {**gate, "target_ratio": TARGET_GATE_RATIO},
        "due_dates": due,
        "rfg": rfg,
        "allocation": allocation,
        "allocation_db": allocation_db,
        "forums": forums,
        "paged_lists": paged,
        "audit": audit,
        "matching": matching,
        "search_queries": explain_search(),
        "seconds": round(time.monotonic() - started, 1),
    }
    results["machine"].update({"load_average_before": load_before, "load_average_after": machine_info.load_average()})
    machine_info.say("Machine after the benchmarks", machine_info.describe(args.database_url))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    if not args.no_docs:
        import report

        report.write(results, ROOT / "docs" / "benchmarks.md")
    shown = ("search", "nominal_page", "gate_overhead", "due_dates", "rfg")  # allocation: see latest.json
    print(json.dumps({k: results[k] for k in shown}, indent=2))


if __name__ == "__main__":
    main()
