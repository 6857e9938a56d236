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
