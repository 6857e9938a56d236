"""The load test's section of docs/benchmarks.md, written by the run (bench/load/run_load.py).

The section sits between two markers so that bench/report.py (which writes the rest of the file)
keeps it, and a load run replaces only its own section (the PostgreSQL run's or the demo's).
"""

from __future__ import annotations

import re
from pathlib import Path

MARKERS = {
    False: ("<!-- load:start -->", "<!-- load:end -->"),
    True: ("<!-- load-demo:start -->", "<!-- load-demo:end -->"),
}
COSTLY = {"my work": 150.0, "my work: next page": 150.0, "search: family name only": 150.0}


def _ms(value) -> str:
    return "n/a" if value is None or value != value else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _machine(m: dict) -> str:
    database = f"PostgreSQL {m['postgresql']}" if m.get("postgresql") else f"SQLite {m['sqlite']}"
    before = ", ".join(map(str, m["load_average_before"]))
    after = ", ".join(map(str, m["load_average_after"]))
    text = (
        f"{m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB memory, {database}, Python {m['python']}; "
        f"load average (1, 5, 15 minutes) before {before}, after {after}"
    )
    share = m.get("cpu_share")
    if share:
        text += (
            f"; the cores' time during the run: {share['normal']}% at normal priority (the server, PostgreSQL "
            f"and locust), {share['low_priority']}% other work at low priority (nice 19), {share['idle']}% idle"
        )
    return text


def cpu_table(phase: dict) -> list[str]:
    """Where the cores went in the steady part of a phase (bench/load/cpu_share.py), by kind of process, and the
    CPU milliseconds each kind spent for one page view."""
    cpu = phase.get("cpu")
    if not cpu or not cpu.get("kinds"):
        return []
    views = phase["all_pages"]["requests"] or 1
    lines = [
        f"Where the {cpu['cores']} cores went in the steady part ({cpu['seconds']:,.0f} s, sampled from /proc once a "
        "second; share of all the cores' time):",
        "",
        "| process | user % | system % | together % | CPU ms a page view |",
        "|---|---|---|---|---|",
    ]
    for kind, row in cpu["kinds"].items():
        together = row["user"] + row["system"]
        per_view = f"{row['cpu_ms'] / views:.1f}" if kind != "idle" else ""
        lines.append(f"| {kind} | {row['user']} | {row['system']} | {together:.1f} | {per_view} |")
    return [*lines, ""]


def section(r: dict) -> str:
    mixed, all_pages, target = r["mixed"], r["mixed"]["all_pages"], r["target"]
    pause, p95 = r["wait_seconds"].replace(",", "–"), _ms(all_pages["p95"])
    p95_met = _yes(all_pages["p95"] <= target["p95_ms"])
    errors, requests = mixed.get("errors_all_run", all_pages["errors"]), mixed.get("requests_all_run", 0)
    lines = []
    if r["demo"]:
        lines += [
            f"## The demo under load (`make load DEMO=1`), measured {r['date']}",
            "",
            f"{r['users']} signed-in users on the demo world ({r['world']['nominals']:,} nominals, SQLite in WAL "
            f"mode), served by **{r['server']}** with `safeguard.settings.demo`, each pausing {pause} s between "
            f"pages, for {mixed['seconds']:,.0f} s after the ramp.",
            "",
            "| goal | measured | met? |",
            "|---|---|---|",
            f"| 0 errors (the whole run, signing in included) | {errors} of {requests:,} | {_yes(errors == 0)} |",
            f"| p95 ≤ {target['p95_ms']:,.0f} ms | {p95} ms | {p95_met} |",
            f"| (pages a second) | {all_pages['per_second']} | |",
        ]
    else:
        share = all_pages["per_second"] / target["national_peak"] * 100 if all_pages["per_second"] else 0
        met = (
            all_pages["per_second"] >= target["rate"]
            and all_pages["p95"] <= target["p95_ms"]
            and errors == target["errors"]
        )
        lines += [
            f"## Under load over HTTP (`make load`), measured {r['date']}",
            "",
            f"{r['users']} simulated staff (6 offender managers, 2 MAPPA coordinators and 2 supervisors in 10), each "
            f"signed in with a password and a TOTP code and pausing {pause} s between "
            f"pages, against **gunicorn** (deploy/gunicorn.conf.py) and PostgreSQL on the world of `make bench` "
            f"(seed {r['world']['seed']}, {r['world']['nominals']:,} nominals), all on this one machine over the "
            f"loopback, for {mixed['seconds']:,.0f} s after the ramp (locust, headless)."
            + (
                f" {r['users']} users pausing so ask for about {r['offered_per_second']:g} views a second when pages "
                "answer quickly (the mix's 1.17 requests a task over the mean pause): the goal's rate and 5% more, "
                "so that reaching it is the server's doing, and no more, so that p95 measures the server at the "
                "goal's rate rather than a queue of requests beyond it."
                if r.get("offered_per_second")
                else ""
            ),
            "",
            "| goal | measured | met? |",
            "|---|---|---|",
            f"| ≥ {target['rate']:g} mixed page views a second | {all_pages['per_second']} | "
            f"{_yes(all_pages['per_second'] >= target['rate'])} |",
            f"| p95 ≤ {target['p95_ms']:g} ms | {p95} ms | {p95_met} |",
            f"| 0 errors (the whole run, signing in included) | {errors} of {requests:,} | {_yes(errors == 0)} |",
            f"| all three | | {_yes(met)} |",
            "",
            f"That is {share:.0f}% of a national peak of about {target['national_peak']:g} audited views a second "
            "(some 3 million audit rows a day).",
        ]
    lines += [
        "",
        "| page | requests | a second | p50 (ms) | p95 (ms) | p99 (ms) | errors | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    rows = [("**all pages of the mix**", all_pages, "")]
    # The p95 ≤ 150 ms goal of the two costly pages is the national one (PostgreSQL), not the demo's.
    rows += [(name, f, None if r["demo"] else COSTLY.get(name)) for name, f in mixed["pages"].items()]
    for name, phase in (("plain", "ceiling: plain Django view"), ("lookup", "ceiling: key lookup and audit insert")):
        ceiling = r.get("ceilings", {}).get(name)
        if ceiling:
            rows.append(
                (f"{phase} (alone, no pause, {r['ceilings'][name]['seconds']:,.0f} s)", ceiling["all_pages"], None)
            )
    for name, f, costly in rows:
        goal = f"p95 ≤ {costly:g} ms: {_yes(f['p95'] <= costly)}" if costly else ""
        lines.append(
            f"| {name} | {f['requests']:,} | {f['per_second']} | {_ms(f['p50'])} | {_ms(f['p95'])} | {_ms(f['p99'])} "
            f"| {f['errors']} | {goal} |"
        )
    lines += ["", f"Machine: {_machine(r['machine'])}.", ""]
    lines += cpu_table(mixed)
    if not r["demo"]:
        lines += [
            "The two ceiling rows are the same server with nothing but the middleware (session, sign-in, "
            "second factor) and, for the second, one nominal read by its key through the gate with its audit "
            "insert: what this machine serves at most, beside what the pages cost. The load generator (locust) "
            "runs on the same cores as gunicorn and PostgreSQL.",
            "",
        ]
    start, end = MARKERS[r["demo"]]
    return "\n".join([start, *lines, end])


def write(r: dict, path: Path) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    new = section(r)
    start, end = MARKERS[r["demo"]]
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _m: new, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + new + "\n"
    path.write_text(text)


def keep(old_text: str) -> str:
    """The load sections of the file as it was (bench/report.py appends them when it rewrites the file)."""
    kept = []
    for start, end in MARKERS.values():
        found = re.search(re.escape(start) + r".*?" + re.escape(end), old_text, re.S)
        if found:
            kept.append(found.group(0))
    return "\n\n".join(kept)
