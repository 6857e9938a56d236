"""An officer's "my work" with their open actions, on a national-size world (target: p95 at most 150 ms).

    .venv/bin/python bench/my_work_actions.py --database-url postgres://postgres@127.0.0.1:5432/safeguard

Runs on a generated world (bench/run.py's ensure_world: 250,000 nominals and
1,000,000 domestic-abuse incidents by default, generated once and found again
by its seed and sizes), and adds once, by COPY, what the issue's benchmark
names: forums up to 50 in all, and 10,000 open actions (with 20,000 closed
ones behind them) on the forums' cases, owned by the area's offender managers
or, unowned, by partner agencies. ``om.demo`` gets a dozen open actions, a
third of them overdue, and two prompts, so that every section of the page has
rows. Then, in one process with Django's test client (the full middleware
stack, gate and audit writes included):

- my work as ``om.demo`` (GET /), the figure the issue targets;
- what the actions and prompts add to that page: the same page with and without them, interleaved, so the
  difference stands whatever else the machine is doing;
- my work as ``housing.demo`` (a partner: its agency's unowned actions too; most of its time is the
  "cases on your agency's forums" section, which is older than the actions);
- our agency's actions as ``om.demo`` (GET /actions/agency/: the police's thousands, paginated).

Figures are printed as JSON (and written to --output when given); docs/benchmarks.md is the lead's. Benchmarks
are not tests: nothing here asserts a time. ``build_actions()`` and ``insert_rows()`` are importable (bench/category3.py
uses insert_rows).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 150.0
FORUMS = 50
OPEN_ACTIONS = 10_000
CLOSED_ACTIONS = 20_000
DEMO_OPEN = 12
MARKER = "bench.actions"  # the audit event that says the rows are there (record_type)
WARM_UP = 10


def insert_rows(model, rows: list[dict]) -> int:
    """COPY rows given as dicts; every other column takes the model's default (or NULL, or '')."""
    from django.db import connection
    from django.db.models import JSONField

    from safeguard.demo import bulk

    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in rows[0]]
    names = [f.attname for f in fields]
    jsonb = None
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb as jsonb

    def value(f, row):
        if f.attname in row:
            v = row[f.attname]
        elif f.has_default():
            v = f.get_default()
        elif f.null:
            v = None
        else:
            v = ""
        if isinstance(f, JSONField) and v is not None:
            v = jsonb(v) if jsonb else json.dumps(v)
        return v

    return bulk.insert(model, names, (tuple(value(f, row) for f in fields) for row in rows))


def _marker_exists() -> bool:
    from safeguard.audit.models import AuditEvent

    return AuditEvent.objects.filter(record_type=MARKER).exists()


def ensure_forums(rng: random.Random) -> list:
    """The world's forums, topped up to FORUMS with further MARACs, MATACs, IOM panels and triage meetings."""
    from safeguard.meetings.models import Forum
    from safeguard.workforce.models import Agency, Area

    forums = list(Forum.objects.order_by("pk"))
    mappa = Area.objects.filter(kind=Area.Kind.MAPPA).order_by("pk").first()
    partners = list(Agency.objects.filter(area__in=[mappa, *mappa.children.all()]).order_by("pk"))
    kinds = [Forum.Kind.MARAC, Forum.Kind.MATAC, Forum.Kind.IOM, Forum.Kind.DAILY_TRIAGE]
    for n in range(len(forums), FORUMS):
        kind = kinds[n % len(kinds)]
        forum = Forum.objects.create(name=f"Bench {Forum.Kind(kind).label} {n + 1}", kind=kind, area=mappa)
        forum.member_agencies.set(rng.sample(partners, min(6, len(partners))))
        forums.append(forum)
    return forums


def build_actions(seed: int = 2026) -> dict:
    """10,000 open and 20,000 closed actions on the forums' cases, once (see the module docstring)."""
    from django.db import transaction
    from django.utils import timezone

    from safeguard.access.gate import AccessContext
    from safeguard.access.gate import _write_event as write_event  # seeding past events, as the gate wrote them
    from safeguard.actions.models import Action, Prompt
    from safeguard.audit.models import Operation, Outcome
    from safeguard.demo.world import system_user
    from safeguard.meetings.models import ForumCase
    from safeguard.offenders.services import offender_managers_in
    from safeguard.workforce.models import Agency, Staff

    if _marker_exists():
        return {"built": False, "open_actions": Action.objects.filter(status__in=Action.OPEN_STATUSES).count()}
    started = time.monotonic()
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        forums = ensure_forums(rng)
        om = Staff.objects.get(username="om.demo")
        officers = list(offender_managers_in(om.mappa_area_id).values_list("pk", "agency_id"))
        partner_agencies = list(
            Agency.objects.exclude(kind__in=list(Agency.RESPONSIBLE_AUTHORITY)).values_list("pk", flat=True)
        )
        cases = list(ForumCase.objects.filter(closed_on=None).values_list("pk", "forum_id", "person_id")[:200_000])
        # Forums without cases of their own (the bench's extra ones) take a share of open cases.
        with_cases = {forum_id for _pk, forum_id, _person in cases}
        extra = []
        for forum in forums:
            if forum.pk not in with_cases:
                for _pk, _f, person_id in rng.sample(cases, 40):
                    extra.append({"forum_id": forum.pk, "person_id": person_id, "opened_on": today})
        if extra:
            insert_rows(ForumCase, extra)
            cases = list(ForumCase.objects.filter(closed_on=None).values_list("pk", "forum_id", "person_id"))
        creator = system_user().pk
        rows = []

        def action(case, *, status, due_on, owner, agency, completed_on=None):
            pk, forum_id, person_id = case
            created = timezone.make_aware(dt.datetime.combine(due_on - dt.timedelta(days=28), dt.time(11)))
            rows.append(
                {
                    "forum_id": forum_id,
                    "forum_case_id": pk,
                    "person_id": person_id,
                    "description": "Research the agency's records and report back to the chair.",
                    "owner_agency_id": agency,
                    "owner_id": owner,
                    "due_on": due_on,
                    "status": status,
                    "completed_on": completed_on,
                    "completion_evidence": "Returned to the coordinator." if completed_on else "",
                    "completed_by_id": owner if completed_on else None,
                    "created_by_id": creator,
                    "created_at": min(created, timezone.now()),
                }
            )

        for n in range(OPEN_ACTIONS):
            case = rng.choice(cases)
            due = today + dt.timedelta(days=rng.randint(-40, 60))
            status = Action.Status.IN_PROGRESS if rng.random() < 0.3 else Action.Status.OPEN
            if n < DEMO_OPEN:  # om.demo's own: a third overdue
                action(
                    case, status=status, due_on=today + dt.timedelta(days=(n - 4) * 3), owner=om.pk, agency=om.agency_id
                )
            elif rng.random() < 0.6:
                owner, agency = rng.choice(officers)
                action(case, status=status, due_on=due, owner=owner, agency=agency)
            else:
                action(case, status=status, due_on=due, owner=None, agency=rng.choice(partner_agencies))
        for _ in range(CLOSED_ACTIONS):
            case = rng.choice(cases)
            due = today - dt.timedelta(days=rng.randint(1, 720))
            owner, agency = rng.choice(officers)
            if rng.random() < 0.9:
                late = rng.randint(-10, 20)
                action(
                    case,
                    status=Action.Status.COMPLETE,
                    due_on=due,
                    owner=owner,
                    agency=agency,
                    completed_on=min(today, due + dt.timedelta(days=late)),
                )
            else:
                action(case, status=Action.Status.CANCELLED, due_on=due, owner=owner, agency=agency)
        written = insert_rows(Action, rows)
        demo_cases = rng.sample(cases, 2)
        prompts = [
            {
                "kind": Prompt.Kind.LINKED_CASE,
                "assigned_to_id": om.pk,
                "person_id": demo_cases[0][2],
                "reasons": ["The MARAC case's perpetrator is a MAPPA nominal"],
                "raised_on": today,
            },
            {
                "kind": Prompt.Kind.CATEGORY_3,
                "assigned_to_id": om.pk,
                "person_id": demo_cases[1][2],
                "reasons": ["A repeat MARAC referral"],
                "raised_on": today,
            },
        ]
        insert_rows(Prompt, prompts)
        detail = {"forums": len(forums), "actions": written, "seconds": round(time.monotonic() - started, 1)}
        write_event(
            AccessContext.system(system_user()),
            Operation.CREATE,
            MARKER,
            None,
            Outcome.ALLOWED,
            "benchmark actions",
            detail,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE actions_action")
        cursor.execute("ANALYZE actions_prompt")
        cursor.execute("ANALYZE meetings_forumcase")
    return {"built": True, **detail, "open_actions": OPEN_ACTIONS}


def _measure(client, path: str, iterations: int, budget: float, expect: str = "") -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from run import measure_calls

    return measure_calls(lambda: client.get(path), iterations, budget, WARM_UP, expect)


EMPTY_PART = {
    "actions": [],
    "action_count": 0,
    "overdue_count": 0,
    "prompts": [],
    "prompt_count": 0,
    "may_list_agency_actions": False,
}


def measure_actions_part(client, iterations: int, budget: float) -> dict:
    """The same page with and without its actions and prompts (interleaved): what this part adds, whatever the load."""
    from unittest import mock

    sys.path.insert(0, str(ROOT / "bench"))
    from run import percentiles, timed

    with_part, without, added = [], [], []
    deadline = time.monotonic() + budget
    for n in range(iterations + WARM_UP):
        if time.monotonic() > deadline and len(added) >= 5:
            break
        a, _ = timed(lambda: client.get("/"))
        with mock.patch("safeguard.web.views._actions_and_prompts", lambda *args: dict(EMPTY_PART)):
            b, _ = timed(lambda: client.get("/"))
        if n >= WARM_UP:
            with_part.append(a)
            without.append(b)
            added.append(a - b)
    return {
        "with_actions": percentiles(with_part),
        "without_actions": percentiles(without),
        "added_ms_median": round(statistics.median(added), 1),
    }


def slowest_queries(client, path: str, count: int = 3) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    ordered = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    return [{"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:600]} for q in ordered[:count]] + [
        {"statements": len(captured.captured_queries)}
    ]


def measure_my_work(iterations: int = 250, budget: float = 150.0) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from run import signed_in_client
    from safeguard.actions.models import Action

    built = build_actions()
    om = signed_in_client("om.demo")
    housing = signed_in_client("housing.demo")
    return {
        "actions": built,
        "open_actions": Action.objects.filter(status__in=Action.OPEN_STATUSES).count(),
        "om_open_actions": Action.objects.filter(owner__username="om.demo", status__in=Action.OPEN_STATUSES).count(),
        "my_work_officer": {**_measure(om, "/", iterations, budget, "My actions"), "target_p95_ms": TARGET_P95_MS},
        "my_work_partner": _measure(housing, "/", iterations, budget, "My actions"),
        "agency_actions_officer": _measure(om, "/actions/agency/", iterations // 2, budget / 2, "Our agency"),
        "my_work_actions_part": measure_actions_part(om, iterations // 2, budget / 2),
        "my_work_queries": slowest_queries(om, "/"),
    }


def main(argv=None) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    run.main_on_world(
        __doc__.splitlines()[0], measure_my_work, nominals=250_000, iterations=250, budget=150.0, argv=argv
    )


if __name__ == "__main__":
    main()
