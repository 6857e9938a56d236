"""What each page of the load mix costs in CPU: the Python process's time per page, its queries, and PostgreSQL's.

    nice -n 19 .venv/bin/python bench/page_cost.py --database-url postgres://postgres@127.0.0.1:5432/safeguard \\
        --label before

``make load`` (bench/load/) measures the whole: pages a second at a p95, gunicorn, PostgreSQL and locust on
the same cores. This says where that CPU goes, page by page, so that a change to one page is measured on
its own. In one process, with Django's test client (the whole middleware stack, the gate and its audit
writes) and the load test's own settings (``safeguard.settings.load``: production's, DEBUG off, the cached
template loader, the session and the CSRF cookie as gunicorn serves them), it signs in as the accounts
the load test would pick (bench/load/plan.py's ``pick_accounts``: the offender manager with the largest
caseload, a MAPPA coordinator, a supervisor), opens each page of the mix (bench/load/locustfile.py) a
few times to warm up, then ``--iterations`` times over the records the load test would open, and gives
for each page:

- ``cpu_ms``: this process's CPU time (``time.process_time``) a page, mean and p50: Django, the
  templates, psycopg, the test client (a little less than a gunicorn worker's, which also parses HTTP);
- ``queries``: the SQL statements a page sends (mean);
- ``db_cpu_ms``: the PostgreSQL backend's CPU time a page (from /proc; 10 ms ticks, so a mean over many);
- ``wall_p50``/``wall_p95`` (ms): elapsed time, fair only on a quiet machine.

The writes of the mix (a nominal's level changed with a reason; an action completed, on an action made for
the purpose) run inside a transaction that is rolled back once timed: the world is left as it was, apart
from the audit rows and sessions of the reads (as any benchmark's) and a "bench" authenticator per account
(bench/run.py's ``signed_in_client``). The mix-weighted mean weighs each page as often as locust's users
ask for it (users pause alike between tasks; the weights are the locustfile's).

Each run is kept in bench/results/page_cost.json under its ``--label`` ("before", "after"); ``--docs``
writes the runs kept there to docs/benchmarks.md (its own section). Benchmarks are not tests: nothing
here asserts a time. CPU time under ``nice`` is still a fair measure; wall times are not while others run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "load"))
RESULTS = ROOT / "bench" / "results" / "page_cost.json"
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "page-cost"
SETTINGS = "safeguard.settings.load"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/safeguard"
WARM_UP = 5
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")

# The locustfile's mix: for each role, its share of the users, then each task's weight and the requests it makes
# (a search is its form and then the POST; a change is its form and then the POST).
MIX = {
    "offender_manager": (
        6,
        [
            (4, ["my work (offender manager)"]),
            (4, ["nominal page (offender manager)"]),
            (2, ["person page (offender manager)"]),
            (1, ["search: form", "search: name and date of birth"]),
            (1, ["search: form", "search: family name only"]),
            (1, ["API read: a nominal"]),
            (0.5, ["nominal change: form", "nominal change: saved"]),
            (0.5, ["action completed: form", "action completed: saved"]),
        ],
    ),
    "mappa_coordinator": (
        2,
        [
            (3, ["my work (MAPPA coordinator)"]),
            (1, ["my work: next page (MAPPA coordinator)"]),
            (3, ["nominal page (MAPPA coordinator)"]),
            (2, ["meeting and its agenda"]),
            (0.5, ["search: form", "search: name and date of birth"]),
            (0.5, ["search: form", "search: family name only"]),
            (0.5, ["nominal change: form", "nominal change: saved"]),
            (0.5, []),  # the coordinator's change task does nothing half the time
        ],
    ),
    "supervisor": (
        2,
        [
            (3, ["my work (supervisor)"]),
            (3, ["nominal page (supervisor)"]),
            (1, ["person page (supervisor)"]),
            (0.5, ["search: form", "search: name and date of birth"]),
            (0.5, ["search: form", "search: family name only"]),
        ],
    ),
}


@dataclass
class Sample:
    cpu_ms: float
    wall_ms: float
    queries: int
    db_cpu_ms: float | None
    status: int


@dataclass
class Page:
    name: str
    samples: list[Sample] = field(default_factory=list)
    path: str = ""

    def figures(self) -> dict:
        s = [x for x in self.samples]
        if not s:
            return {"n": 0}
        cpu = [x.cpu_ms for x in s]
        wall = sorted(x.wall_ms for x in s)
        db = [x.db_cpu_ms for x in s if x.db_cpu_ms is not None]
        return {
            "n": len(s),
            "cpu_ms": round(statistics.fmean(cpu), 1),
            "cpu_p50": round(statistics.median(cpu), 1),
            "queries": round(statistics.fmean(x.queries for x in s), 1),
            "db_cpu_ms": round(statistics.fmean(db), 1) if len(db) >= len(s) // 2 else None,
            "wall_p50": round(statistics.median(wall), 1),
            "wall_p95": round(wall[min(len(wall) - 1, max(0, round(0.95 * len(wall)) - 1))], 1),
            "statuses": sorted({x.status for x in s}),
            "path": self.path,
        }


class Meter:
    """Times one request at a time: this process's CPU, the wall clock, the queries, the backend's CPU."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.queries = 0
        connection.execute_wrappers.append(self._count)

    def close(self) -> None:
        self.connection.execute_wrappers.remove(self._count)

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def _backend(self) -> tuple[int | None, float | None]:
        conn = self.connection.connection
        if conn is None or getattr(conn, "closed", True):
            return None, None
        try:
            pid = conn.info.backend_pid
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return pid, (int(fields[11]) + int(fields[12])) * TICK_MS  # utime, stime
        except (OSError, ValueError, IndexError, AttributeError):
            return None, None

    def time(self, call: Callable[[], object]) -> tuple[Sample, object]:
        pid0, db0 = self._backend()
        self.queries = 0
        cpu0, wall0 = time.process_time(), time.perf_counter()
        response = call()
        wall1, cpu1 = time.perf_counter(), time.process_time()
        queries = self.queries
        pid1, db1 = self._backend()
        db = db1 - db0 if pid0 is not None and pid0 == pid1 and db0 is not None and db1 is not None else None
        status = getattr(response, "status_code", 0)
        return Sample((cpu1 - cpu0) * 1000, (wall1 - wall0) * 1000, queries, db, status), response


class Sampler:
    """A sampling profiler on CPU time (``ITIMER_PROF``): every millisecond of this process's CPU, the stack
    it was running, so the shares are CPU's (not time waiting for the database) and barely disturbed
    (cProfile's own cost is several times a page's)."""

    INTERVAL = 0.001

    def __init__(self):
        self.stacks: dict[tuple, int] = {}

    def _sample(self, signum, frame):
        stack = []
        while frame is not None:
            code = frame.f_code
            stack.append(f"{_short(code.co_filename)}:{code.co_firstlineno}({code.co_name})")
            frame = frame.f_back
        key = tuple(stack)
        self.stacks[key] = self.stacks.get(key, 0) + 1

    def start(self):
        import signal

        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.INTERVAL, self.INTERVAL)

    def stop(self):
        import signal

        signal.setitimer(signal.ITIMER_PROF, 0, 0)

    def report(self, out, top: int = 60) -> None:
        total = sum(self.stacks.values()) or 1
        inclusive: dict[str, int] = {}
        own: dict[str, int] = {}
        for stack, n in self.stacks.items():
            own[stack[0]] = own.get(stack[0], 0) + n
            for name in set(stack):
                inclusive[name] = inclusive.get(name, 0) + n
        print(f"{total} samples (one a tick of CPU time)", file=out)
        print("-- own time --", file=out)
        for name, n in sorted(own.items(), key=lambda x: -x[1])[:top]:
            print(f"{100 * n / total:6.1f}%  {name}", file=out)
        print("-- inclusive --", file=out)
        for name, n in sorted(inclusive.items(), key=lambda x: -x[1])[: top * 2]:
            print(f"{100 * n / total:6.1f}%  {name}", file=out)


def _short(filename: str) -> str:
    for marker in ("site-packages/", "src/", "lib/python3.11/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _client(username: str):
    from run import signed_in_client

    return signed_in_client(username)


def _rolled_back(body: Callable[[], None]) -> None:
    """Run ``body`` in a transaction that is undone afterwards (the writes of the mix leave no trace)."""
    from django.db import transaction

    with transaction.atomic():
        body()
        transaction.set_rollback(True)


class Mix:
    """The pages of the load mix, each a function of the iteration (which record it opens), timed by ``meter``."""

    def __init__(self, seed: int):
        import plan as load_plan

        from safeguard.access.system import system_staff

        self.plan = load_plan
        self.rng = random.Random(seed)
        accounts = load_plan.pick_accounts({"offender_manager": 1, "mappa_coordinator": 1, "supervisor": 1})
        self.users = {role: found[0] for role, found in accounts.items()}
        self.records = {}
        for role, user in self.users.items():
            rows = list(load_plan.records_of(role, user).order_by("pk").values_list("pk", "person_id")[:400])
            self.rng.shuffle(rows)
            self.records[role] = rows[: load_plan.RECORDS_EACH] or [(None, None)]
        om = self.users["offender_manager"]
        searches = load_plan._searches(self.rng, om.mappa_area_id)
        self.with_dob = [s for s in searches if s.get("date_of_birth")] or searches
        self.family_only = [s for s in searches if not s.get("date_of_birth")] or searches
        self.meetings = load_plan.meetings_of(self.users["mappa_coordinator"]) or [0]
        self.users.update(forum_accounts())
        self.clients = {role: _client(user.username) for role, user in self.users.items()}
        self.system_id = system_staff().pk
        self.meter = Meter()
        self.pages: dict[str, Page] = {}

    def record(self, name: str, path: str, call: Callable[[], object], keep: bool):
        sample, response = self.meter.time(call)
        page = self.pages.setdefault(name, Page(name, path=path))
        if keep:
            page.samples.append(sample)
        return response

    def _row(self, role: str, n: int) -> tuple[int, int]:
        return self.records[role][n % len(self.records[role])]

    def runs(self) -> list[tuple[str, Callable[[int, bool], None]]]:
        out = []
        for role in ROLE_NAMES:
            out.append((f"my work ({ROLE_NAMES[role]})", self._page(role, f"my work ({ROLE_NAMES[role]})", "/")))
        for role, name in FORUM_ROLE_NAMES.items():
            if role in self.users:
                out.append((f"my work ({name})", self._page(role, f"my work ({name})", "/")))
        out.append(
            (
                "my work: next page",
                self._page("mappa_coordinator", "my work: next page (MAPPA coordinator)", "/?levels-page=2"),
            )
        )
        for role in ROLE_NAMES:
            out.append((f"nominal page ({ROLE_NAMES[role]})", self._nominal(role)))
        for role in ("offender_manager", "supervisor"):
            out.append((f"person page ({ROLE_NAMES[role]})", self._person(role)))
        out += [
            ("search: name and date of birth", self._search("search: name and date of birth", self.with_dob)),
            ("search: family name only", self._search("search: family name only", self.family_only)),
            ("API read: a nominal", self._api),
            ("nominal change", self._change_nominal),
            ("action completed", self._complete_action),
            ("meeting and its agenda", self._agenda),
        ]
        return out  # fmt: skip

    def _page(self, role: str, name: str, path: str) -> Callable[[int, bool], None]:
        return lambda n, keep: self.record(name, path, lambda: self.clients[role].get(path), keep)

    def _nominal(self, role: str) -> Callable[[int, bool], None]:
        def run(n: int, keep: bool):
            path = f"/nominals/{self._row(role, n)[0]}/"
            self.record(f"nominal page ({ROLE_NAMES[role]})", path, lambda: self.clients[role].get(path), keep)

        return run

    def _person(self, role: str) -> Callable[[int, bool], None]:
        def run(n: int, keep: bool):
            path = f"/people/{self._row(role, n)[1]}/"
            self.record(f"person page ({ROLE_NAMES[role]})", path, lambda: self.clients[role].get(path), keep)

        return run

    def _search(self, name: str, pool: list[dict]) -> Callable[[int, bool], None]:
        def run(n: int, keep: bool):
            wanted = pool[n % len(pool)]
            day, month, year = map(str, wanted.get("date_of_birth") or ["", "", ""])
            data = {
                "name": wanted["name"],
                "identifier": "",
                "date_of_birth_0": day,
                "date_of_birth_1": month,
                "date_of_birth_2": year,
            }
            client = self.clients["offender_manager"]
            self.record("search: form", "/search/", lambda: client.get("/search/"), keep)
            self.record(name, "/search/", lambda: client.post("/search/", data), keep)

        return run  # fmt: skip

    def _api(self, n: int, keep: bool) -> None:
        path = f"/api/nominals/{self._row('offender_manager', n)[0]}/"
        self.record("API read: a nominal", path, lambda: self.clients["offender_manager"].get(path), keep)

    def _agenda(self, n: int, keep: bool) -> None:
        path = f"/forums/meetings/{self.meetings[n % len(self.meetings)]}/"
        self.record("meeting and its agenda", path, lambda: self.clients["mappa_coordinator"].get(path), keep)

    def _change_nominal(self, n: int, keep: bool) -> None:
        from html_forms import form_fields

        client = self.clients["offender_manager"]
        path = f"/nominals/{self._row('offender_manager', n)[0]}/change/"
        form = self.record("nominal change: form", path, lambda: client.get(path), keep)
        fields = form_fields(form.content.decode())
        fields["management_level"] = "2" if fields.get("management_level", "1") == "1" else "1"
        fields["reason"] = "Page cost: level reviewed at the monthly supervision"
        _rolled_back(lambda: self.record("nominal change: saved", path, lambda: client.post(path, fields), keep))

    def _complete_action(self, n: int, keep: bool) -> None:
        from html_forms import form_fields

        client = self.clients["offender_manager"]

        def body():
            (pk,) = self.plan._stock_actions(self.users["offender_manager"], self.rng, self.system_id, 1)
            path = f"/actions/{pk}/complete/"
            form = self.record("action completed: form", path, lambda: client.get(path), keep)
            fields = form_fields(form.content.decode())
            fields["completion_evidence"] = "Visited at home; notes on the case file (page cost)"
            self.record("action completed: saved", path, lambda: client.post(path, fields), keep)

        _rolled_back(body)


ROLE_NAMES = {
    "offender_manager": "offender manager",
    "mappa_coordinator": "MAPPA coordinator",
    "supervisor": "supervisor",
}


# The forum roles, not in the load mix: each one's heaviest page is its my work (an IDVA's forums' cases and
# DASHs due, a chair's meetings and minutes, and the active nominals a chair or a MARAC coordinator sees on
# their agency's forums), measured on its own.
FORUM_ROLE_NAMES = {
    "idva": "IDVA",
    "chair": "chair",
    "marac_coordinator": "MARAC coordinator",
}


def forum_accounts() -> dict:
    """An account of each forum role (reads only): the chair who chairs the most meetings, the first IDVA and
    MARAC coordinator."""
    from django.db.models import Count

    from safeguard.workforce.models import Staff

    found = {}
    for role in FORUM_ROLE_NAMES:
        staff = Staff.objects.filter(roles__icontains=f'"{role}"', is_active=True)
        if role == "chair":
            staff = staff.annotate(n=Count("meetings_chaired")).order_by("-n", "pk")
        user = staff.order_by("pk").first() if role != "chair" else staff.first()
        if user is not None:
            found[role] = user
    return found


def measure(iterations: int, seed: int = 2026, profile: str = "") -> dict:
    """Every page of the mix: ``WARM_UP`` requests, then ``iterations`` timed ones (or profiled, with ``profile``)."""
    mix = Mix(seed)
    runs = [(label, run) for label, run in mix.runs() if profile in label]
    sampler = Sampler() if profile else None
    for label, run in runs:
        print(f"  {label}", file=sys.stderr, flush=True)
        for n in range(WARM_UP):
            run(n, False)
        if sampler is not None:
            sampler.start()
        for n in range(iterations):
            run(WARM_UP + n, True)
        if sampler is not None:
            sampler.stop()
    if sampler is not None:
        sampler.report(sys.stderr)
    mix.meter.close()
    figures = {name: page.figures() for name, page in mix.pages.items()}
    accounts = {role: user.username for role, user in mix.users.items()}
    return {"accounts": accounts, "pages": figures, "mix": mix_weighted(figures)}


def mix_weighted(figures: dict) -> dict:
    """The mean over the load mix's requests, each page weighed by how often locust's users ask for it."""
    weights: dict[str, float] = {}
    for share, tasks in MIX.values():
        total = sum(w for w, _ in tasks)
        for w, requests in tasks:
            for name in requests:
                weights[name] = weights.get(name, 0.0) + share * w / total
    out: dict = {}
    for key in ("cpu_ms", "queries", "db_cpu_ms"):
        have = {n: w for n, w in weights.items() if figures.get(n, {}).get(key) is not None}
        total = sum(have.values())
        out[key] = round(sum(figures[n][key] * w for n, w in have.items()) / total, 1) if total else None
    out["requests_weighed"] = sorted(weights)
    return out


# The table, the kept runs, the docs ------------------------------------------------------------------------

COLUMNS = (
    ("cpu_ms", "CPU ms"),
    ("cpu_p50", "CPU p50"),
    ("queries", "queries"),
    ("db_cpu_ms", "DB CPU ms"),
    ("wall_p50", "wall p50"),
    ("wall_p95", "wall p95"),
)


def table(run: dict) -> str:
    width = max(len(n) for n in run["pages"]) + 2
    lines = [f"{'page':<{width}}{'n':>5}" + "".join(f"{title:>11}" for _, title in COLUMNS)]
    for name, f in run["pages"].items():
        cells = "".join(f"{'' if f.get(k) is None else f[k]:>11}" for k, _ in COLUMNS)
        lines.append(f"{name:<{width}}{f['n']:>5}{cells}")
    mix = run["mix"]
    lines.append(
        f"{'mix-weighted mean':<{width}}{'':>5}{mix['cpu_ms']:>11}{'':>11}{mix['queries']:>11}"
        f"{'' if mix['db_cpu_ms'] is None else mix['db_cpu_ms']:>11}"
    )
    return "\n".join(lines)


def _cell(value) -> str:
    return "–" if value is None else f"{value:g}"


def section(kept: dict, shown: tuple[str, ...] = ("before", "after")) -> str:
    """The docs section: the kept runs named (before, after) side by side, CPU, queries and PostgreSQL's CPU a page."""
    labels = [label for label in shown if label in kept]
    runs = [kept[label] for label in labels]
    names: list[str] = []
    for run in runs:
        names += [n for n in run["pages"] if n not in names]
    head = "| Page | " + " | ".join(f"CPU ms ({label})" for label in labels)
    head += " | " + " | ".join(f"queries ({label})" for label in labels)
    head += " | " + " | ".join(f"DB CPU ms ({label})" for label in labels) + " |"
    rows = [head, "|" + "---|" * (1 + 3 * len(labels))]
    for name in names:
        cells = [run["pages"].get(name, {}) for run in runs]
        rows.append(
            f"| {name} | "
            + " | ".join(_cell(c.get("cpu_ms")) for c in cells)
            + " | "
            + " | ".join(_cell(c.get("queries")) for c in cells)
            + " | "
            + " | ".join(_cell(c.get("db_cpu_ms")) for c in cells)
            + " |"
        )
    rows.append(
        "| **mix-weighted mean** | "
        + " | ".join(f"**{_cell(r['mix']['cpu_ms'])}**" for r in runs)
        + " | "
        + " | ".join(_cell(r["mix"]["queries"]) for r in runs)
        + " | "
        + " | ".join(_cell(r["mix"]["db_cpu_ms"]) for r in runs)
        + " |"
    )
    conditions = []
    for label, run in zip(labels, runs, strict=True):
        m = run["machine"]
        conditions.append(
            f"- {label}: {run['date']}, commit {run.get('commit', '?')}, {m['nproc']} cores, Python {m['python']}, "
            f"Django {m['django']}, PostgreSQL {m['postgresql']}; world of {run['world']['nominals']:,} nominals; "
            f"{run['iterations']} requests a page after {WARM_UP} to warm up; load average (1, 5, 15 minutes) before "
            f"{', '.join(map(str, run['load_average'][0]))}, after {', '.join(map(str, run['load_average'][1]))}"
            + (f". {run['note']}" if run.get("note") else "")
        )
    return "\n".join(
        [
            "## What each page of the load mix costs in CPU (bench/page_cost.py)",
            "",
            "One process, Django's test client, the load test's settings (`safeguard.settings.load`: production's, "
            "DEBUG off, cached templates) on the national world in PostgreSQL, signed in as the accounts the load "
            "test picks. **CPU ms**: the Python process's CPU time a page (mean), what a gunicorn worker spends "
            "on it less the HTTP parsing; **DB CPU ms**: the PostgreSQL backend's (from /proc, 10 ms ticks: a "
            "mean over many pages). The mix-weighted mean weighs each page as often as `make load`'s users open "
            "it. Run under `nice -n 19` beside other work: CPU times are fair, wall times (in "
            "bench/results/page_cost.json) are not. The writes are rolled back once timed. CPU time itself rises "
            "with the machine's load (caches and cores shared with other work; the same code measured 10 to 20% "
            "apart in two runs here), so only runs made side by side compare: compare the columns, not a column "
            "with another day's.",
            "",
            *rows,
            "",
            *conditions,
        ]
    )


def _commit() -> str:
    import subprocess

    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "?"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--label", default="latest", help="Kept under this name in bench/results/page_cost.json.")
    parser.add_argument("--docs", action="store_true", help="Write the kept runs to docs/benchmarks.md.")
    parser.add_argument("--profile", default="", help="Profile the pages whose name holds this; keep nothing.")
    parser.add_argument("--docs-only", action="store_true", help="Write the kept runs to the docs, measure nothing.")
    parser.add_argument("--note", default="", help="What this run measures (the change), shown in the docs.")
    parser.add_argument("--shown", default="before,after", help="The kept runs the docs show, side by side.")
    args = parser.parse_args(argv)  # fmt: skip
    kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if not args.docs_only:
        import machine as machine_info
        import run as bench_run

        os.environ.setdefault("SAFEGUARD_SECRET_KEY", secrets.token_urlsafe(48))
        os.environ.setdefault("SAFEGUARD_ALLOWED_HOSTS", "testserver")
        bench_run.setup_django(args.database_url, settings=SETTINGS)
        from safeguard.offenders.models import Nominal

        nominals = Nominal.objects.count()
        if not nominals:
            raise SystemExit("No world in this database: bench/run.py builds it.")
        load_before = machine_info.load_average()
        commit = _commit()  # the code measured: taken before, not after a run of minutes
        figures = measure(args.iterations, profile=args.profile)
        if args.profile:
            return
        result = {
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "commit": commit,
            "settings": SETTINGS,
            "machine": bench_run.machine(),
            "world": {"nominals": nominals},
            "iterations": args.iterations,
            "note": args.note,
            "load_average": [load_before, machine_info.load_average()],
            **figures,
        }
        print(table(result))
        print(json.dumps(result, indent=2, default=str))
        kept[args.label] = result
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(kept, indent=2, default=str) + "\n")
    if args.docs or args.docs_only:
        import sections

        sections.write(SECTION, section(kept, tuple(args.shown.split(","))), DOCS)


if __name__ == "__main__":
    main()
