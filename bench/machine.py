"""The machine a benchmark or load test ran on, and how busy it was: printed before and after each run.

A figure means little without the machine beside it, and a figure from a machine that was busy with
something else (another build, another test run) is not the machine's: the load average before and
after shows which it was.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path


def memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def postgresql_version(url: str | None) -> str | None:
    """The server's version, or None when there is no PostgreSQL URL or no server answers."""
    if not url or not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:  # the server's own database: the one named may not exist yet
        with psycopg.connect(make_conninfo(url, dbname="postgres"), connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return None


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_times() -> list[int] | None:
    """The machine's CPU time so far (the first line of /proc/stat, in clock ticks), or None off Linux."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    return [int(x) for x in fields[1:9]]


def cpu_share(before: list[int] | None, after: list[int] | None) -> dict | None:
    """How the cores spent the run, in percent: at normal priority (the run itself and anything else at
    nice 0), at low priority (other work started with ``nice``, which yields to the run), and idle.

    Load average alone cannot tell a run that had the cores to itself from one that shared them with
    low-priority background work (a database build at nice 19): this says which it was.
    """
    if not before or not after:
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = (a - b for a, b in zip(after, before, strict=True))
    total = user + nice + system + idle + iowait + irq + softirq + steal
    if total <= 0:
        return None

    def pct(x: int) -> float:
        return round(100 * x / total, 1)

    return {"normal": pct(user + system + irq + softirq), "low_priority": pct(nice), "idle": pct(idle + iowait)}


def describe(database_url: str | None = None) -> dict:
    import sqlite3

    return {
        "cores": os.cpu_count(),
        "memory_gb": memory_gb(),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "postgresql": postgresql_version(database_url),
        "sqlite": sqlite3.sqlite_version,
    }


def say(label: str, figures: dict) -> None:
    """One line on standard error, e.g. 'Machine: 2 cores, 23.5 GB, PostgreSQL 15.20; load average 0.4 ...'."""
    database = f"PostgreSQL {figures['postgresql']}" if figures.get("postgresql") else f"SQLite {figures['sqlite']}"
    print(
        f"{label}: {figures['cores']} cores, {figures['memory_gb']} GB memory, {database}, Python "
        f"{figures['python']}; load average (1, 5, 15 min) {', '.join(map(str, load_average()))}",
        file=sys.stderr,
        flush=True,
    )
