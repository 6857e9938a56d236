"""`make load`: Safeguard under load over real HTTP, on this machine's loopback, start to finish.

    .venv/bin/python bench/load/run_load.py                 # gunicorn + PostgreSQL, the national world of make bench
    .venv/bin/python bench/load/run_load.py --demo          # the demo: SQLite, the demo world, 20 users

1. Prints the machine (cores, memory, PostgreSQL version) and its load average.
2. Builds or finds the world: PostgreSQL, the world of ``make bench`` (bench/run.py builds it once and
   finds it again by seed and size); with ``--demo``, ``make demo``'s world in an SQLite file of its own
   (var/load/demo.sqlite3, built once), so that the run's changes stay out of the demo.
3. Writes the plan (bench/load/plan.py): accounts with a password and an authenticator for this run,
   and the records each opens.
4. Starts the server on 127.0.0.1 (gunicorn with deploy/gunicorn.conf.py and ``safeguard.settings.load``;
   the demo: ``safeguard.settings.demo`` under gunicorn, or Django's runserver with ``--server runserver``).
5. Runs locust headless (bench/load/locustfile.py): the mixed working day for ``--duration`` seconds,
   then, on the same server, the two ceilings (a plain view; a key lookup with its audit insert) for
   ``--ceiling-duration`` seconds each with no pause between requests.
6. Stops the server, takes the run's passwords away again, prints the load average, and writes the
   figures to bench/results/load.json (load-demo.json) and docs/benchmarks.md, with where the cores went in
   the steady part (bench/load/cpu_share.py: gunicorn's workers, PostgreSQL, locust, the kernel, other work).

``--app-cpu`` also counts the CPU time inside Django, page by page (bench/load/gunicorn_app_cpu.py), to tell
it from gunicorn's own; ``--worker-class``, ``--workers`` and ``--threads`` compare server settings; a short
run for that: ``--duration 120 --ceiling-duration 0 --no-docs``.

Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1].parent
HERE = Path(__file__).resolve().parent
VAR = ROOT / "var" / "load"
RESULTS = ROOT / "bench" / "results"
APP_CPU = VAR / "app_cpu"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import cpu_share  # noqa: E402

import machine  # noqa: E402

LOOPBACK = "127.0.0.1"
ROLE_WEIGHTS = {"offender_manager": 6, "mappa_coordinator": 2, "supervisor": 2}
TARGET = {"rate": 60.0, "p95_ms": 300.0, "errors": 0, "national_peak": 350.0}
DEMO_TARGET = {"users": 20, "p95_ms": 1000.0, "errors": 0}
COSTLY = {"my work": 150.0, "search: family name only": 150.0}
START_SECONDS = 120
# The demo's world in a file of its own, so that the load's changes never reach the demo you sign in to.
DEMO_DATABASE = f"sqlite:///{VAR / 'demo.sqlite3'}"
# Requests a task makes, by role, from the locustfile's task weights: a search and a change are a form and then
# its POST (2); the coordinator's change task does nothing half the time (1 on average); other tasks one page.
#   offender manager: my work 4×1, nominal 4×1, person 2×1, search 2×2, API 1×1, change or action 1×2 = 17 in 14
#   MAPPA coordinator: my work 3×1, next page 1×1, nominal 3×1, agenda 2×1, search 1×2, change 1×1 = 12 in 11
#   supervisor: my work 3×1, nominal 3×1, person 1×1, search 1×2 = 9 in 8
REQUESTS_A_TASK = {"offender_manager": 17 / 14, "mappa_coordinator": 12 / 11, "supervisor": 9 / 8}
OFFERED_ABOVE_GOAL = 1.05  # the users ask for the goal's rate and 5% more, so that reaching the goal is the server's


def views_a_user(wait: str, answer_seconds: float = 0.05) -> float:
    """The page views a second one simulated user asks for, the roles in the mix's shares: a user does a task (one
    or two requests), then pauses for a time drawn evenly from ``wait`` ("min,max" seconds)."""
    low, high = (float(x) for x in wait.split(","))
    shares = sum(ROLE_WEIGHTS.values())
    per_task = sum(REQUESTS_A_TASK[role] * w / shares for role, w in ROLE_WEIGHTS.items())
    return per_task / ((low + high) / 2 + answer_seconds)


def users_for_rate(rate: float, wait: str) -> int:
    """How many simulated staff ask for ``rate`` page views a second when pages answer quickly."""
    return math.ceil(rate / views_a_user(wait))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--demo", action="store_true", help="The demo: SQLite and the demo world.")
    p.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/safeguard")
    )
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--nominals", type=int, help="World size (default: the bench's 100,000; the demo's 1,500).")
    p.add_argument("--incidents", type=int, help="Incidents (default: the bench's 1,000,000; demo: 10 a nominal).")
    p.add_argument(
        "--users",
        type=int,
        help="Simulated staff (default: as many as ask for the goal's 60 views a second and 5%% more, 111 at "
        "1–3 s pauses; the demo 20).",
    )
    p.add_argument(
        "--spawn-rate", type=float, default=2.0, help="Users started a second (staff do not all sign in at once)."
    )
    p.add_argument("--duration", type=int, default=600, help="Seconds of the mixed working day.")
    p.add_argument("--ceiling-duration", type=int, default=60, help="Seconds of each ceiling (0: none).")
    p.add_argument("--ceiling-users", type=int, default=24)
    p.add_argument("--wait", default="1,3", help="Pause between one user's pages: 'min,max' seconds.")
    p.add_argument("--server", choices=("gunicorn", "runserver"), default="gunicorn")
    p.add_argument("--workers", type=int, help="gunicorn workers (default: deploy/gunicorn.conf.py's).")
    p.add_argument("--threads", type=int, help="gunicorn threads a worker (default: the config's).")
    p.add_argument("--worker-class", help="gunicorn worker class, e.g. sync or gthread (default: the config's).")
    p.add_argument(
        "--app-cpu",
        action="store_true",
        help="Count the CPU time inside Django apart from gunicorn's own (bench/load/gunicorn_app_cpu.py).",
    )
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--no-docs", action="store_true", help="Write bench/results only.")
    return p.parse_args(argv)


def _database_name(args) -> str:
    from urllib.parse import urlsplit

    return "" if args.demo else urlsplit(args.database_url).path.lstrip("/")


# The world and the plan -------------------------------------------------------------------------------


def prepare(args) -> dict:
    """World and plan, in this process; every connection closed again before the server starts."""
    users = {role: math.ceil(args.users * w / sum(ROLE_WEIGHTS.values())) for role, w in ROLE_WEIGHTS.items()}
    users["offender_manager"] = max(users["offender_manager"], args.ceiling_users if not args.demo else 0)
    if args.demo:
        os.environ["DJANGO_SETTINGS_MODULE"] = "safeguard.settings.demo"
        os.environ["DATABASE_URL"] = DEMO_DATABASE
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("generate_world", seed=args.seed, nominals=args.nominals, if_empty=True, verbosity=0)
    else:
        import run as bench_run

        bench_run.ensure_database(args.database_url, fresh=False)
        bench_run.setup_django(args.database_url)
        bench_run.ensure_world(args.seed, args.nominals, args.incidents)
    import plan as load_plan

    built = load_plan.build(users, seed=args.seed, with_mfa=not args.demo)
    from django.db import connections

    connections.close_all()
    return built


def release(built: dict) -> None:
    import plan as load_plan
    from django.db import connections

    load_plan.release(built)
    connections.close_all()


# The server --------------------------------------------------------------------------------------------


def start_server(args, log_dir: Path) -> subprocess.Popen:
    for log in ("access.log", "error.log"):
        (log_dir / log).unlink(missing_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    env["SAFEGUARD_ACCESS_LOG"] = str(log_dir / "access.log")
    env["SAFEGUARD_ERROR_LOG"] = str(log_dir / "error.log")
    if args.demo:
        env["DJANGO_SETTINGS_MODULE"] = "safeguard.settings.demo"
        env["DATABASE_URL"] = DEMO_DATABASE
        env["SAFEGUARD_DEBUG"] = "0"  # as a team would run it: no page-by-page SQL kept in memory
    else:
        env["DJANGO_SETTINGS_MODULE"] = "safeguard.settings.load"
        env["DATABASE_URL"] = args.database_url
        env["SAFEGUARD_SECRET_KEY"] = secrets.token_urlsafe(48)
    env["SAFEGUARD_ALLOWED_HOSTS"] = LOOPBACK
    env["SAFEGUARD_APP_CPU_DIR"] = str(APP_CPU)
    shutil.rmtree(APP_CPU, ignore_errors=True)
    APP_CPU.mkdir(parents=True)
    if args.server == "runserver":
        command = [sys.executable, str(ROOT / "manage.py"), "runserver", f"{LOOPBACK}:{args.port}", "--noreload"]
        command += ["--skip-checks"]
    else:
        config = HERE / "gunicorn_app_cpu.py" if args.app_cpu else ROOT / "deploy" / "gunicorn.conf.py"
        command = [sys.executable, "-m", "gunicorn", "-c", str(config)]
        command += ["--bind", f"{LOOPBACK}:{args.port}"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        if args.threads:
            command += ["--threads", str(args.threads)]
        if args.worker_class:
            command += ["--worker-class", args.worker_class]
    out = open(log_dir / "server.log", "w")  # noqa: SIM115 (kept open for the server's life)
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_SECONDS
    while True:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped: see {log_dir / 'server.log'}")
        try:
            socket.create_connection((LOOPBACK, args.port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline:
                stop_server(server)
                raise SystemExit("The server did not answer in time") from None
            time.sleep(0.3)


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=45)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# Locust ------------------------------------------------------------------------------------------------


def next_code_step() -> None:
    """Wait for the next 30-second TOTP step: each code is accepted once, and the last phase's users
    signed in with this step's codes."""
    time.sleep(30 - time.time() % 30 + 0.5)


def run_locust(args, plan_path: Path, phase: str, users: int, seconds: int, wait: str, sampler=None) -> dict:
    output = VAR / f"{phase}.json"
    output.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "SAFEGUARD_LOAD_PLAN": str(plan_path),
            "SAFEGUARD_LOAD_PHASE": phase,
            "SAFEGUARD_LOAD_WAIT": wait,
            "SAFEGUARD_LOAD_OUTPUT": str(output),
        }
    )
    ramp = users / args.spawn_rate
    signing_in = max(30.0, users * 0.5)  # every user signs in first (a password check takes a while on purpose)
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
        "-u", str(users), "-r", str(args.spawn_rate), "-t", f"{int(seconds + ramp + signing_in)}s",
        "--host", f"http://{LOOPBACK}:{args.port}", "--stop-timeout", "10", "--exit-code-on-error", "0",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    print(
        f"  locust, {phase}: {users} users for {seconds} s after a {ramp:.0f} s ramp and up to {signing_in:.0f} s "
        "of signing in",
        file=sys.stderr,
        flush=True,
    )
    log = VAR / f"{phase}.locust.log"
    with open(log, "w") as out:
        locust = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        if sampler:
            sampler.roots["locust"] = locust.pid
        locust.wait()
    if not output.exists():
        raise SystemExit(f"locust wrote no figures: see {log}")
    records = json.loads(output.read_text())
    figures = summarise(records, ramp_seconds=ramp)
    if sampler and figures.get("window"):
        figures["cpu"] = sampler.share(*figures["window"])
    return figures


def _pct(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return round(ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))], 1)


def _figures(rows: list, seconds: float) -> dict:
    times = sorted(r[2] for r in rows)
    return {
        "requests": len(rows),
        "errors": sum(1 for r in rows if not r[3]),
        "per_second": round(len(rows) / seconds, 2) if seconds > 0 else None,
        "p50": _pct(times, 0.50),
        "p95": _pct(times, 0.95),
        "p99": _pct(times, 0.99),
        "mean": round(statistics.fmean(times), 1) if times else None,
    }


def summarise(records: list, ramp_seconds: float) -> dict:
    """Figures over the steady part of the run (after every user has started), by page and together."""
    if not records:
        return {"seconds": 0, "pages": {}, "all_pages": _figures([], 0)}
    sign_ins = [r for r in records if r[1].startswith("sign in")]
    # The steady part starts once every user has started and signed in (a password check is slow on purpose).
    start = max(min(r[0] for r in records) + ramp_seconds, max((r[0] for r in sign_ins), default=0))
    steady = [r for r in records if r[0] >= start]
    seconds = (max(r[0] for r in steady) - start) if steady else 0
    pages = [r for r in steady if not r[1].startswith("sign in")]
    by_name: dict[str, list] = {}
    for r in pages:
        by_name.setdefault(r[1], []).append(r)
    return {
        "seconds": round(seconds, 1),
        "window": [start, start + seconds] if steady else None,
        "all_pages": _figures(pages, seconds),
        "pages": {name: _figures(rows, seconds) for name, rows in sorted(by_name.items())},
        "sign_ins": {"requests": len(sign_ins), "errors": sum(1 for r in sign_ins if not r[3])},
        # Every failure of the run, signing in and the ramp included: the "0 errors" goal counts these.
        "errors_all_run": sum(1 for r in records if not r[3]),
        "requests_all_run": len(records),
    }


def app_cpu_ms(t0: float, t1: float) -> dict:
    """The CPU milliseconds spent inside Django by every worker in the window (bench/load/gunicorn_app_cpu.py):
    all together, and a page's mean by page."""
    by_page: dict[str, list[float]] = {}
    for f in APP_CPU.glob("*.json"):
        for t, ms, page in json.loads(f.read_text()):
            if t0 <= t <= t1:
                by_page.setdefault(page, []).append(ms)
    total = sum(sum(v) for v in by_page.values())
    pages = {k: {"requests": len(v), "mean_ms": round(statistics.fmean(v), 1)} for k, v in sorted(by_page.items())}
    return {"total_ms": round(total), "pages": pages}


# The report --------------------------------------------------------------------------------------------


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.demo:
        args.nominals = args.nominals or 1500
        args.users = args.users or DEMO_TARGET["users"]
        args.ceiling_duration = 0
    else:
        args.nominals = args.nominals or 100_000
        args.incidents = args.incidents or 1_000_000
        args.users = args.users or users_for_rate(TARGET["rate"] * OFFERED_ABOVE_GOAL, args.wait)
    VAR.mkdir(parents=True, exist_ok=True)
    database_url = None if args.demo else args.database_url
    before = {**machine.describe(database_url), "load_average": machine.load_average()}
    machine.say("Machine before the load test", before)
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    print("Preparing the world and the plan", file=sys.stderr, flush=True)
    built = prepare(args)
    plan_path = VAR / "plan.json"
    plan_path.write_text(json.dumps(built))
    plan_path.chmod(0o600)
    print(f"Starting {args.server} on {LOOPBACK}:{args.port}", file=sys.stderr, flush=True)
    server = start_server(args, VAR)
    cpu_before = machine.cpu_times()
    sampler = cpu_share.Sampler(database=_database_name(args))
    sampler.roots["gunicorn"] = server.pid
    sampler.start()
    try:
        mixed = run_locust(args, plan_path, "mixed", args.users, args.duration, args.wait, sampler)
        ceilings = {}
        if args.ceiling_duration:
            for phase in ("plain", "lookup"):
                next_code_step()
                ceilings[phase] = run_locust(
                    args, plan_path, phase, args.ceiling_users, args.ceiling_duration, "0,0", sampler
                )
    finally:
        sampler.stop()
        stop_server(server)
        release(built)
        plan_path.unlink(missing_ok=True)
    if args.app_cpu and mixed.get("window"):
        mixed["app_cpu_ms"] = app_cpu_ms(*mixed["window"])
    after = machine.load_average()
    cpu = machine.cpu_share(cpu_before, machine.cpu_times())
    machine.say("Machine after the load test", {**before})
    results = {
        "date": started,
        "demo": args.demo,
        "server": args.server,
        "machine": {
            **before,
            "load_average_before": before.pop("load_average"),
            "load_average_after": after,
            "cpu_share": cpu,
        },
        "world": {"seed": args.seed, "nominals": args.nominals, "incidents": args.incidents},
        "users": args.users,
        "offered_per_second": None if args.demo else round(args.users * views_a_user(args.wait), 1),
        "wait_seconds": args.wait,
        "duration_seconds": args.duration,
        "mixed": mixed,
        "ceilings": ceilings,
        "target": DEMO_TARGET if args.demo else TARGET,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "load-demo.json" if args.demo else "load.json"
    (RESULTS / name).write_text(json.dumps(results, indent=2) + "\n")
    import load_report

    text = load_report.section(results)
    print(text)
    if not args.no_docs:
        load_report.write(results, ROOT / "docs" / "benchmarks.md")


if __name__ == "__main__":
    main()
