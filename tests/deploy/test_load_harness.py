"""The load test's own parts: it refuses any host but the loopback, reads forms as a browser submits them,
and works out its figures over the steady part of a run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "bench" / "load"


@pytest.fixture
def load_modules(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    monkeypatch.syspath_prepend(str(LOAD))
    import run_load

    return run_load


@pytest.mark.parametrize("host", ["http://example.com:8000", "http://10.0.0.1:8000", "http://localhost:8000"])
def test_locust_refuses_any_host_but_127_0_0_1(tmp_path, host):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"mfa": False, "accounts": {}}))
    done = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(LOAD / "locustfile.py"), "--headless", "-u", "1", "-t", "1s"]
        + ["--host", host],
        env={"SAFEGUARD_LOAD_PLAN": str(plan), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "runs against 127.0.0.1 only" in done.stdout + done.stderr


def test_form_reader_submits_what_a_browser_would(monkeypatch):
    monkeypatch.syspath_prepend(str(LOAD))
    import html_forms  # never locustfile here: importing locust patches the test process with gevent

    html = """<form><input type="hidden" name="csrfmiddlewaretoken" value="t0k">
      <input name="version" value="3"><input type="checkbox" name="ticked" value="1" checked>
      <input type="checkbox" name="unticked" value="1"><input type="submit" name="go" value="Save">
      <select name="management_level"><option value="1">1</option><option value="2" selected>2</option></select>
      <textarea name="reason">kept as it was</textarea></form>"""
    assert html_forms.form_fields(html) == {
        "csrfmiddlewaretoken": "t0k",
        "version": "3",
        "ticked": "1",
        "management_level": "2",
        "reason": "kept as it was",
    }


def test_figures_count_the_steady_part_after_every_sign_in(load_modules):
    t0 = 1000.0
    records = [(t0 + 1, "sign in: password", 900.0, True), (t0 + 12, "sign in: password", 800.0, False)]
    records += [(t0 + 2, "my work", 5000.0, True)]  # before the last sign-in: not in the steady part
    records += [(t0 + 12 + n, "my work", float(n), True) for n in range(1, 101)]
    records += [(t0 + 113, "nominal page", 10.0, False)]
    figures = load_modules.summarise(records, ramp_seconds=5)
    assert figures["seconds"] == 101
    assert figures["pages"]["my work"]["requests"] == 100
    assert figures["pages"]["my work"]["p50"] == 50 and figures["pages"]["my work"]["p95"] == 95
    assert figures["pages"]["my work"]["p99"] == 99
    assert figures["all_pages"]["errors"] == 1
    assert figures["sign_ins"] == {"requests": 2, "errors": 1}
    assert figures["errors_all_run"] == 2


def test_cpu_share_reads_a_process_line_whose_name_holds_spaces_and_brackets(load_modules):
    import cpu_share

    line = "4242 (gunicorn: worker (x)) S 4200 4200 4200 0 -1 4194368 1 0 0 0 120 35 0 0 20 5 4 0 9876 0 0"
    proc = cpu_share.parse_stat(line)
    assert (proc.pid, proc.ppid, proc.comm) == (4242, 4200, "gunicorn: worker (x)")
    assert (proc.utime, proc.stime, proc.nice, proc.start) == (120, 35, 5, 9876)


def test_cpu_share_tells_the_server_locust_and_the_run_s_database_apart(load_modules):
    import cpu_share

    def proc(pid, ppid, comm="python", nice=0):
        return cpu_share.Proc(pid, ppid, comm, 0, 0, nice, 0)

    procs = {p.pid: p for p in [proc(1, 0), proc(10, 1), proc(11, 10), proc(12, 11), proc(20, 1), proc(21, 20)]}
    procs |= {p.pid: p for p in [proc(30, 1, "postgres"), proc(31, 30, "postgres"), proc(40, 2, "kworker/0:1")]}
    procs[50] = proc(50, 1, nice=19)
    roots = {"gunicorn": 11, "locust": 20, "self": 10}

    def kind(pid, cmdline=""):
        return cpu_share.classify(procs[pid], procs, roots, "safeguard", cmdline)

    assert kind(11) == "gunicorn master" and kind(12) == "gunicorn workers"
    assert kind(20) == "locust" and kind(21) == "locust"
    assert kind(10) == "run_load.py (this script)"
    assert kind(31, "postgres: 15/main: postgres safeguard 127.0.0.1(5000) idle") == (
        "PostgreSQL backends (the run's database)"
    )
    assert kind(31, "postgres: 15/main: postgres test_safeguard 127.0.0.1(5001) idle") == "PostgreSQL, other processes"
    assert kind(30, "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql") == "PostgreSQL, other processes"
    assert kind(40) == "kernel threads"
    assert kind(50) == "other processes, low priority (nice)" and kind(1) == "other processes, normal priority"


def test_cpu_share_counts_only_the_window_and_processes_born_in_it(load_modules):
    import cpu_share

    sampler = cpu_share.Sampler(database="safeguard")
    machine = {"user": 0, "nice": 0, "system": 0, "idle": 0, "iowait": 0, "irq": 0, "softirq": 0, "steal": 0}
    worker, born, ended = (1, 0), (2, 0), (3, 0)
    sampler.samples = [
        (0.0, machine, {worker: ("gunicorn workers", 100, 10)}),
        (1.0, machine | {"user": 100, "idle": 100}, {worker: ("gunicorn workers", 150, 20), ended: ("locust", 5, 0)}),
        (2.0, machine | {"user": 300, "idle": 100}, {worker: ("gunicorn workers", 200, 30), born: ("locust", 40, 10)}),
        (3.0, machine | {"user": 900, "idle": 100}, {worker: ("gunicorn workers", 900, 90)}),
    ]
    share = sampler.share(0.5, 2.5)  # the samples at 1.0 and 2.0: 200 ticks of capacity
    kinds = share["kinds"]
    assert (kinds["gunicorn workers"]["user"], kinds["gunicorn workers"]["system"]) == (25.0, 5.0)
    assert (kinds["locust"]["user"], kinds["locust"]["system"]) == (20.0, 5.0)  # born in the window: all of it
    assert kinds["idle"]["user"] == 0.0


def test_the_default_users_ask_for_the_goal_s_rate_and_a_little_more(load_modules):
    # The mix's tasks make 1.17 requests on average (a search and a change are a form and its POST); at pauses of
    # 1–3 s and quick answers a user asks for about 0.57 views a second.
    users = load_modules.users_for_rate(60 * load_modules.OFFERED_ABOVE_GOAL, "1,3")
    assert users == 111
    assert 63.0 <= users * load_modules.views_a_user("1,3") < 64.0
    assert load_modules.users_for_rate(60, "0,0") < 10  # no pause: a handful of users ask for as much
    assert load_modules.views_a_user("1,3", answer_seconds=1.0) < load_modules.views_a_user("1,3")
