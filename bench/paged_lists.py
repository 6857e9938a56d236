"""Paged lists at national size (web/lists.py): every page one bounded query and one capped count.

    .venv/bin/python bench/paged_lists.py --database-url postgres://postgres@127.0.0.1:5432/safeguard

Runs on bench/run.py's world (100,000 nominals and 1,000,000 incidents by default, generated once and
found again by its seed and sizes; ``--nominals``/``--incidents`` for a small one) and measures, in one
process with Django's test client (the full middleware stack, the gate and its audit writes included), the
p50 and p95 of:

- my work as the area's MAPPA coordinator (``coordinator.demo``: every Level 2 and 3 nominal of the area,
  and those waiting to be allocated): page 1 nearest due first; a deep page (page 20, or the last);
  sorted by name, last page first; filtered to the overdue;
- the daily triage board (today's, opened once by the MARAC coordinator when it is not open yet): page 1
  and sorted by when, filtered to the ungraded;
- person search by a common family name alone (bounded; says when it stopped);
- a supervisor's team caseloads (``supervisor.demo``);
- the referrals list (coordinator) and our agency's actions (``om.demo``).

Target (the issue's): p95 at most 150 ms for each paged list. Figures are printed as JSON (and written to
--output when given); bench/run.py adds them to docs/benchmarks.md. Benchmarks are not tests: nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/safeguard"
TARGET_P95_MS = 150.0
WARM_UP = 5
DEEP_PAGE = 20


def _measure(client, path: str, iterations: int, budget: float, method: str = "get", data=None) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from run import percentiles, timed

    samples, statuses = [], set()
    deadline = time.monotonic() + budget
    call = (lambda: client.post(path, data)) if method == "post" else (lambda: client.get(path))
    for n in range(iterations + WARM_UP):
        if time.monotonic() > deadline and len(samples) >= 5:
            break
        ms, response = timed(call)
        statuses.add(response.status_code)
        if n >= WARM_UP:
            samples.append(ms)
    return {**percentiles(samples), "statuses": sorted(statuses), "path": path, "target_p95_ms": TARGET_P95_MS}


def _coordinator_sections() -> dict:
    """How many rows the coordinator's sections hold (the pages the deep-page figure can reach)."""
    from safeguard.access import gate
    from safeguard.offenders.models import Nominal
    from safeguard.web import my_work
    from safeguard.workforce.models import Staff

    user = Staff.objects.get(username="coordinator.demo")
    visible = gate.scoped(user, Nominal.objects.filter(status=Nominal.Status.ACTIVE))
    return {key: queryset.count() for key, _title, queryset in my_work.section_queries(user, visible)}


def todays_triage() -> int | None:
    """Today's triage meeting of the area, opened once by the MARAC coordinator; on a day the triage does
    not meet, its latest meeting with cases (None when it has none)."""
    from django.core.exceptions import ValidationError
    from django.db.models import Count
    from django.utils import timezone

    from safeguard.access.gate import AccessContext
    from safeguard.meetings.models import Forum, Meeting
    from safeguard.triage import services
    from safeguard.workforce.models import Staff

    marac = Staff.objects.get(username="marac.demo")
    forum = Forum.objects.filter(kind=Forum.Kind.DAILY_TRIAGE, area_id=marac.mappa_area_id).first()
    if forum is None:
        return None
    day = services.day_of(forum, timezone.localdate())
    if day.meeting is not None:
        return day.meeting.pk
    try:
        ctx = AccessContext(user=marac, purpose="victim_safeguarding")
        return services.open_day(ctx, forum, timezone.localdate()).meeting.pk
    except ValidationError:
        latest = (
            Meeting.objects.filter(forum=forum)
            .annotate(n=Count("triage_cases"))
            .filter(n__gt=0)
            .order_by("-starts_at")
            .first()
        )
        return latest.pk if latest else None


def _common_family_name() -> str:
    from django.db.models import Count

    from safeguard.people.models import Person

    row = Person.objects.values("family_name").annotate(n=Count("pk")).order_by("-n").first()
    return row["family_name"] if row else "Smith"


def measure_lists(iterations: int = 100, budget: float = 60.0) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from run import signed_in_client

    sections = _coordinator_sections()
    levels = sections.get("levels", 0)
    deep = max(1, min(DEEP_PAGE, -(-levels // 50)))
    coordinator = signed_in_client("coordinator.demo")
    results: dict = {"coordinator_sections": sections}
    measures = {
        "my_work_page_1": (coordinator, "/"),
        "my_work_deep_page": (coordinator, f"/?levels-page={deep}#levels"),
        "my_work_by_name_descending": (coordinator, "/?levels-sort=name&levels-order=descending&levels-page=2"),
        "my_work_overdue": (coordinator, "/?due=overdue"),
        "referrals": (coordinator, "/referrals/?status=all"),
    }
    meeting = todays_triage()
    if meeting is not None:
        marac = signed_in_client("marac.demo")
        measures["triage_page_1"] = (marac, f"/triage/meetings/{meeting}/")
        measures["triage_by_when_ungraded"] = (marac, f"/triage/meetings/{meeting}/?sort=when&grade=ungraded")
        from safeguard.triage.models import TriageCase

        results["triage_cases"] = TriageCase.objects.filter(meeting_id=meeting).count()
    measures["caseloads"] = (signed_in_client("supervisor.demo"), "/workforce/caseloads/")
    measures["agency_actions"] = (signed_in_client("om.demo"), "/actions/agency/?sort=about")
    for name, (client, path) in measures.items():
        print(f"  {name}: {path}", file=sys.stderr, flush=True)
        results[name] = _measure(client, path, iterations, budget)
    family = _common_family_name()
    om = signed_in_client("om.demo")
    print(f"  search by a family name alone ({family})", file=sys.stderr, flush=True)
    results["search_family_name"] = _measure(om, "/search/", iterations, budget, "post", {"q": family})
    return results


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--nominals", type=int, default=100_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--budget", type=float, default=60.0, help="Seconds at most per measure.")
    parser.add_argument("--output", type=Path, default=None, help="Also write the figures to this JSON file.")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    run.ensure_database(args.database_url, False)
    run.setup_django(args.database_url)
    generation = run.ensure_world(args.seed, args.nominals, args.incidents)
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": run.machine(),
        "world": {k: generation.get(k) for k in ("seed", "nominals", "incidents", "people")},
        **measure_lists(args.iterations, args.budget),
    }
    text = json.dumps(results, indent=2, default=str)
    if args.output:
        args.output.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
