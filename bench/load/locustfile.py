"""Safeguard's load test: simulated staff, each signed in (password and TOTP code), working as their role does.

Run by bench/load/run.py (``make load``), never by hand against another machine: the test refuses any
host but 127.0.0.1. The plan (accounts, passwords for this run, the records each may open) comes from
the file named by ``SAFEGUARD_LOAD_PLAN`` (bench/load/plan.py writes it).

Each simulated user signs in once, then works with a pause between pages (``SAFEGUARD_LOAD_WAIT``,
"min,max" seconds). The mix, by role (weights in brackets):

- offender manager (6 users in 10): my work (4), their nominal's page (4), the person's page (2),
  a search by name and date of birth or by family name alone (2), an API read of a nominal (1),
  a nominal change with a reason (0.5: the level moved between 1 and 2), an action completed with
  evidence (0.5);
- MAPPA coordinator (2 in 10): my work and the next page of its Level 2 and 3 nominals (4), a Level 2/3
  nominal's page (3), a meeting with its agenda (2), a search (1), a nominal change with a reason (0.5);
- supervisor (2 in 10): my work (3), a team nominal's page (3), the person's page (1), a search (1).

The ceiling users (run separately, no pause): a plain Django view, and one key lookup through the gate
with its audit insert.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import random
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from django_otp.oath import totp
from html_forms import form_fields
from locust import FastHttpUser, between, constant, events, task

_plan_path = os.environ.get("SAFEGUARD_LOAD_PLAN")
PLAN = json.loads(Path(_plan_path).read_text()) if _plan_path else {}
LOOPBACK = "127.0.0.1"
_wait = [float(x) for x in os.environ.get("SAFEGUARD_LOAD_WAIT", "1,3").split(",")]
WAIT = between(*_wait) if _wait[1] > 0 else constant(0)
PHASE = os.environ.get("SAFEGUARD_LOAD_PHASE", "mixed")  # mixed, or a ceiling: plain, lookup


@events.init.add_listener
def loopback_only(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host != LOOPBACK:
        raise SystemExit(f"The load test runs against {LOOPBACK} only, not {host!r}.")
    if not PLAN:
        raise SystemExit("No plan: set SAFEGUARD_LOAD_PLAN (bench/load/run.py does).")


# Accounts are shared out in turn; a TOTP code is good once per 30-second step, so two users signing
# in as the same account wait for the next step (the demo signs in without a code).
_turns = {role: itertools.cycle(accounts) for role, accounts in PLAN.get("accounts", {}).items() if accounts}
_last_step: dict[str, int] = {}
_lock = threading.Lock()


def _next_account(role: str) -> dict | None:
    turn = _turns.get(role)
    return next(turn) if turn else None


def _code_for(account: dict) -> str:
    import gevent

    while True:
        with _lock:
            step = int(time.time()) // 30
            if _last_step.get(account["username"]) != step:
                _last_step[account["username"]] = step
                return f"{totp(bytes.fromhex(account['totp_key'])):06d}"
        gevent.sleep(30 - time.time() % 30 + 0.1)


def needs_sign_in(task_method):
    """A user whose sign-in failed signs in again instead of doing the task."""

    @functools.wraps(task_method)
    def run(self):
        if not self.signed_in:
            self.sign_in()
            return
        task_method(self)

    return run


class SignedInUser(FastHttpUser):
    abstract = True
    role = ""
    wait_time = WAIT

    def on_start(self):
        self.account = _next_account(self.role)
        if self.account is None:
            raise RuntimeError(f"The plan has no account for {self.role}")
        self.rng = random.Random()
        self.sign_in()

    def sign_in(self):
        """Password, then (outside the demo) a code. A refusal counts as an error; the user tries again
        at their next page, as a person would, rather than walking signed out through pages."""
        self.signed_in = False
        page = self.client.get("/sign-in/", name="sign in: page").text
        fields = {
            "csrfmiddlewaretoken": _csrf(page),
            "username": self.account["username"],
            "password": self.account["password"],
        }
        with self.client.post("/sign-in/", data=fields, name="sign in: password", catch_response=True) as r:
            if PLAN.get("mfa") and "/sign-in/code/" not in r.url:
                r.failure(f"password refused: status {r.status_code}, {_errors(r.text) or _title(r.text)}")
                return
            if not PLAN.get("mfa") and "/sign-in" in urlsplit(r.url).path:
                r.failure(f"password refused: status {r.status_code}, {_errors(r.text) or _title(r.text)}")
                return
        if PLAN.get("mfa"):
            code = {"csrfmiddlewaretoken": _csrf(r.text), "code": _code_for(self.account)}
            with self.client.post("/sign-in/code/", data=code, name="sign in: code", catch_response=True) as r:
                if "/sign-in" in urlsplit(r.url).path:
                    r.failure(f"code refused: status {r.status_code}, {_errors(r.text) or _title(r.text)}")
                    return
        self.signed_in = True

    # Pages -----------------------------------------------------------------------------------
    def page(self, path: str, name: str, expect: str = ""):
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
            elif "/sign-in" in urlsplit(r.url).path:
                r.failure("signed out")
                self.signed_in = False
            elif expect and expect not in r.text:
                r.failure(f"no {expect!r} on the page")
        return r

    def my_work(self):
        self.page("/", "my work", "My work")

    def nominal(self):
        if self.account["nominals"]:
            self.page(f"/nominals/{self.rng.choice(self.account['nominals'])}/", "nominal page")

    def person(self):
        if self.account["people"]:
            self.page(f"/people/{self.rng.choice(self.account['people'])}/", "person page")

    def search(self):
        if not self.account["searches"]:
            return
        wanted = self.rng.choice(self.account["searches"])
        page = self.client.get("/search/", name="search: form").text
        data = {"csrfmiddlewaretoken": _csrf(page), "name": wanted["name"], "identifier": ""}
        dob = wanted.get("date_of_birth")
        day, month, year = map(str, dob or ["", "", ""])
        data.update({"date_of_birth_0": day, "date_of_birth_1": month, "date_of_birth_2": year})
        name = "search: name and date of birth" if dob else "search: family name only"
        with self.client.post("/search/", data=data, name=name, catch_response=True) as r:
            if r.status_code != 200 or "govuk-error-summary" in r.text:
                r.failure(f"status {r.status_code}")

    def api_nominal(self):
        if self.account["nominals"]:
            with self.client.get(
                f"/api/nominals/{self.rng.choice(self.account['nominals'])}/",
                name="API read: a nominal",
                catch_response=True,
            ) as r:
                if r.status_code != 200:
                    r.failure(f"status {r.status_code}")

    def change_nominal(self):
        if not self.account["nominals"]:
            return
        pk = self.rng.choice(self.account["nominals"])
        form = self.page(f"/nominals/{pk}/change/", "nominal change: form")
        if form.status_code != 200:
            return
        fields = form_fields(form.text)
        level = fields.get("management_level", "1")
        fields["management_level"] = "2" if level == "1" else "1"
        fields["reason"] = "Load test: level reviewed at the monthly supervision"
        with self.client.post(
            f"/nominals/{pk}/change/",
            data=fields,
            name="nominal change: saved",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"status {r.status_code}: {_errors(r.text)}")

    def complete_action(self):
        if not self.account["actions"]:
            return
        pk = self.account["actions"].pop()
        form = self.page(f"/actions/{pk}/complete/", "action completed: form")
        if form.status_code != 200:
            return
        fields = form_fields(form.text)
        fields["completion_evidence"] = "Visited at home; notes on the case file (load test)"
        with self.client.post(
            f"/actions/{pk}/complete/",
            data=fields,
            name="action completed: saved",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"status {r.status_code}: {_errors(r.text)}")


def _csrf(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page or "")
    return found.group(1) if found else ""


def _title(page: str) -> str:
    found = re.search(r"<title>([^<]*)</title>", page or "")
    return found.group(1).strip() if found else ""


def _errors(page: str) -> str:
    return "; ".join(re.findall(r'class="govuk-error-message">\s*(?:<span[^>]*>[^<]*</span>)?([^<]+)', page or ""))[
        :200
    ]


class OffenderManager(SignedInUser):
    role = "offender_manager"
    weight = 6
    abstract = PHASE != "mixed"

    @task(4)
    @needs_sign_in
    def t_my_work(self):
        self.my_work()

    @task(4)
    @needs_sign_in
    def t_nominal(self):
        self.nominal()

    @task(2)
    @needs_sign_in
    def t_person(self):
        self.person()

    @task(2)
    @needs_sign_in
    def t_search(self):
        self.search()

    @task(1)
    @needs_sign_in
    def t_api(self):
        self.api_nominal()

    @task(1)
    @needs_sign_in
    def t_change_or_complete(self):
        if self.rng.random() < 0.5:
            self.change_nominal()
        else:
            self.complete_action()


class MappaCoordinator(SignedInUser):
    role = "mappa_coordinator"
    weight = 2
    abstract = PHASE != "mixed"

    @task(3)
    @needs_sign_in
    def t_my_work(self):
        self.my_work()

    @task(1)
    @needs_sign_in
    def t_my_work_next(self):
        self.page("/?levels-page=2", "my work: next page", "My work")

    @task(3)
    @needs_sign_in
    def t_nominal(self):
        self.nominal()

    @task(2)
    @needs_sign_in
    def t_agenda(self):
        if self.account["meetings"]:
            self.page(f"/forums/meetings/{self.rng.choice(self.account['meetings'])}/", "meeting and its agenda")

    @task(1)
    @needs_sign_in
    def t_search(self):
        self.search()

    @task(1)
    @needs_sign_in
    def t_change(self):
        if self.rng.random() < 0.5:
            self.change_nominal()


class Supervisor(SignedInUser):
    role = "supervisor"
    weight = 2
    abstract = PHASE != "mixed"

    @task(3)
    @needs_sign_in
    def t_my_work(self):
        self.my_work()

    @task(3)
    @needs_sign_in
    def t_nominal(self):
        self.nominal()

    @task(1)
    @needs_sign_in
    def t_person(self):
        self.person()

    @task(1)
    @needs_sign_in
    def t_search(self):
        self.search()


class CeilingPlain(SignedInUser):
    """The ceiling: a plain Django view behind the same middleware, no pause."""

    role = "offender_manager"
    wait_time = constant(0)
    abstract = PHASE != "plain"

    @task
    @needs_sign_in
    def plain(self):
        self.page("/load-ceiling/plain/", "ceiling: plain Django view")


class CeilingLookup(SignedInUser):
    """The ceiling: one key lookup through the gate and its audit insert, no pause."""

    role = "offender_manager"
    wait_time = constant(0)
    abstract = PHASE != "lookup"

    @task
    @needs_sign_in
    def lookup(self):
        pk = self.rng.choice(self.account["nominals"] or PLAN["ceiling_nominals"])
        self.page(f"/load-ceiling/nominal/{pk}/", "ceiling: key lookup and audit insert")


# Every request's time, written when locust stops, so that bench/load/run.py works out exact percentiles
# (locust's own CSV rounds them) over the pages of the mix together.
_records: list[tuple[float, str, float, bool]] = []


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception=None, **kwargs):
    _records.append((time.time(), name, response_time, exception is None))


@events.quitting.add_listener
def write_records(environment, **kwargs):
    out = os.environ.get("SAFEGUARD_LOAD_OUTPUT")
    if out:
        with open(out, "w") as f:
            json.dump(_records, f)
