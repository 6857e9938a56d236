"""Where the machine's cores went during a load run, by kind of process (read from /proc, Linux only).

A sampler thread reads every process's CPU time (user and system, /proc/<pid>/stat) once a second,
and the machine's totals (/proc/stat), while the run goes on. ``share`` then says, for a window of
the run (its steady part), what share of all the cores each kind of process took:

- the gunicorn workers (user and system time apart) and its master: descendants of the server;
- PostgreSQL's backends for the run's database, and its other processes (background writers,
  autovacuum, other databases' backends);
- locust (the load generator: its own process and any children);
- this script (run_load.py and the sampler);
- kernel threads (softirq handlers such as the loopback's, kworkers), and interrupt time;
- everything else at normal priority, and everything else at low priority (nice > 0);
- idle.

A process that ends between two samples loses at most its last second (a recycled gunicorn worker).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

KINDS = (
    "gunicorn workers",
    "gunicorn master",
    "PostgreSQL backends (the run's database)",
    "PostgreSQL, other processes",
    "locust",
    "run_load.py (this script)",
    "kernel threads",
    "other processes, normal priority",
    "other processes, low priority (nice)",
)


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    comm: str
    utime: int
    stime: int
    nice: int
    start: int  # start time in ticks since boot: (pid, start) names one process for good


def parse_stat(text: str) -> Proc:
    """One line of /proc/<pid>/stat (the command name may hold spaces and brackets: split at the last ')')."""
    head, _, rest = text.rpartition(")")
    pid_text, _, comm = head.partition(" (")
    f = rest.split()
    # After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14) priority(15) nice(16) ... start(19)
    return Proc(int(pid_text), int(f[1]), comm, int(f[11]), int(f[12]), int(f[16]), int(f[19]))


def read_processes() -> dict[int, Proc]:
    out = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            out[int(entry.name)] = parse_stat((entry / "stat").read_text())
        except (OSError, ValueError, IndexError):
            continue  # ended while read
    return out


def machine_ticks() -> dict[str, int]:
    """/proc/stat's first line: user nice system idle iowait irq softirq steal, in ticks."""
    names = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
    values = (PROC / "stat").read_text().splitlines()[0].split()[1:9]
    return dict(zip(names, map(int, values), strict=True))


def _cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def ancestors(pid: int, procs: dict[int, Proc]) -> list[int]:
    chain, seen = [], set()
    while pid in procs and pid not in seen:
        seen.add(pid)
        pid = procs[pid].ppid
        chain.append(pid)
    return chain


def classify(proc: Proc, procs: dict[int, Proc], roots: dict[str, int], database: str, cmdline: str) -> str:
    """The kind of a process (one of KINDS): by ancestry first (the server's and locust's descendants),
    then by name."""
    up = ancestors(proc.pid, procs)
    if proc.pid == roots.get("gunicorn"):
        return "gunicorn master"
    if roots.get("gunicorn") in up:
        return "gunicorn workers"
    if proc.pid == roots.get("locust") or roots.get("locust") in up:
        return "locust"
    if proc.pid == roots.get("self"):
        return "run_load.py (this script)"
    if proc.pid == 2 or proc.ppid == 2:
        return "kernel threads"
    if proc.comm == "postgres" or proc.comm.startswith("postgres"):
        # A backend's title: "postgres: 15/main: <user> <database> <client> <state>".
        words = cmdline.split()
        if len(words) >= 4 and words[0] == "postgres:" and words[3] == database:
            return "PostgreSQL backends (the run's database)"
        return "PostgreSQL, other processes"
    return "other processes, low priority (nice)" if proc.nice > 0 else "other processes, normal priority"


class Sampler(threading.Thread):
    """Samples every process once ``interval`` seconds until stopped; ``share(t0, t1)`` sums a window."""

    def __init__(self, database: str, interval: float = 1.0):
        super().__init__(name="cpu-share", daemon=True)
        self.database = database
        self.interval = interval
        self.roots: dict[str, int] = {"self": os.getpid()}
        self.samples: list[tuple[float, dict[str, int], dict[tuple[int, int], tuple[str, int, int]]]] = []
        self._kinds: dict[tuple[int, int], str] = {}
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)
        self.sample()

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=10)

    def sample(self) -> None:
        procs = read_processes()
        now, totals = time.time(), machine_ticks()
        seen = {}
        for proc in procs.values():
            key = (proc.pid, proc.start)
            kind = self._kinds.get(key)
            # A process is classified once; locust's root is known only once it started, so a process
            # first seen as "other" is looked at again while it is one.
            if kind is None or kind.startswith("other"):
                cmd = _cmdline(proc.pid) if proc.comm.startswith("postgres") else ""
                kind = self._kinds[key] = classify(proc, procs, self.roots, self.database, cmd)
            seen[key] = (kind, proc.utime, proc.stime)
        self.samples.append((now, totals, seen))

    def share(self, t0: float, t1: float) -> dict:
        """Each kind's share of all the cores (percent, user and system) between the samples nearest t0 and t1,
        and the CPU milliseconds it spent in the window (for a per-request figure)."""
        inside = [s for s in self.samples if t0 <= s[0] <= t1]
        if len(inside) < 2:
            return {}
        first, last = inside[0], inside[-1]
        totals = {k: last[1][k] - first[1][k] for k in first[1]}
        capacity = sum(totals.values())
        if capacity <= 0:
            return {}
        # Each process's last value seen in the window, less its value at the window's start (0 if born after).
        latest: dict[tuple[int, int], tuple[str, int, int]] = {}
        for s in inside:
            latest.update(s[2])
        kinds = {k: [0, 0] for k in KINDS}
        for key, (kind, utime, stime) in latest.items():
            _, u0, s0 = first[2].get(key, (kind, 0, 0))
            kinds[kind][0] += utime - u0
            kinds[kind][1] += stime - s0

        def pct(ticks: int) -> float:
            return round(100 * ticks / capacity, 1)

        rows = {
            k: {"user": pct(u), "system": pct(s), "cpu_ms": round((u + s) * 1000 / TICK)} for k, (u, s) in kinds.items()
        }
        rows["interrupts (irq, softirq)"] = {
            "user": 0.0,
            "system": pct(totals["irq"] + totals["softirq"]),
            "cpu_ms": round((totals["irq"] + totals["softirq"]) * 1000 / TICK),
        }
        rows["idle"] = {"user": pct(totals["idle"] + totals["iowait"]), "system": 0.0, "cpu_ms": 0}
        return {"seconds": round(last[0] - first[0], 1), "cores": os.cpu_count(), "kinds": rows}
