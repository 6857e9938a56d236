"""Running a meeting case by case on a generated world: the pages a chair waits on between two cases.

    .venv/bin/python bench/meeting_run.py --database-url postgres://postgres@127.0.0.1:5432/safeguard

Runs on a generated world (bench/run.py's ensure_world, found again by its seed and sizes). The next MAPPA
Level 2 meeting of the world (the demo's tour meeting, about 30 cases due) has its agenda built by
``coordinator.demo`` and is put in progress directly (the bench measures running it, not choosing a chair).
Then, with Django's test client (the full middleware stack, the gate and the audit writes):

- the attendance ticked at once (three agencies, two people each named) as one POST;
- for each case but the last three: the case-by-case page (GET) and "Save and next case" (POST, heard);
- the last three deferred together with one reason (the POST that asks, and the confirmed POST);
- the end page that lists what is left undone (GET) and ending the meeting (POST).

Everything runs in one transaction rolled back at the end, so every run finds the same meeting. Figures are
printed as JSON; benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run as bench  # noqa: E402  (bench/run.py: the database, Django and the world)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/safeguard"
DEFERRED_AT_THE_END = 3


class Rollback(Exception):
    pass


def _next_level2_meeting():
    from django.utils import timezone

    from safeguard.meetings.models import Forum, Meeting

    forum = Forum.objects.filter(kind=Forum.Kind.MAPPA_LEVEL_2, coordinators__username="coordinator.demo").first()
    return (
        Meeting.objects.filter(forum=forum, starts_at__date__gte=timezone.localdate(), status="scheduled")
        .order_by("starts_at")
        .first()
    )


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def _checked(response, expected: int, what: str):
    if response.status_code != expected:
        raise SystemExit(f"{what}: HTTP {response.status_code}, expected {expected}")
    return response


def _attendance(client, meeting) -> float:
    agencies = list(meeting.forum.member_agencies.order_by("name")[:3])
    data = {f"others_{a.pk}": f"First Example, Officer\nSecond Example, Manager ({a.pk})" for a in agencies}
    start = time.perf_counter()
    _checked(client.post(f"/forums/meetings/{meeting.pk}/attendance/list/", data), 302, "attendance")
    return _ms(start)


def _cases(client, items) -> tuple[list[float], list[float]]:
    pages, saves = [], []
    for item in items:
        url = f"/forums/items/{item.pk}/run/"
        start = time.perf_counter()
        _checked(client.get(url), 200, "case page")
        pages.append(_ms(start))
        item.refresh_from_db()
        start = time.perf_counter()
        _checked(client.post(url, {"version": item.version, "outcome": "heard"}), 302, "save and next")
        saves.append(_ms(start))
    return pages, saves


def _defer_and_end(client, meeting, items) -> dict:
    url = f"/forums/meetings/{meeting.pk}/defer/"
    data = {"items": [i.pk for i in items], "reason": "Out of time: the panel ran late."}
    start = time.perf_counter()
    _checked(client.post(url, data), 200, "defer: are you sure")
    asked = _ms(start)
    start = time.perf_counter()
    _checked(client.post(url, {**data, "confirmed": "yes"}), 302, "defer")
    deferred = _ms(start)
    start = time.perf_counter()
    _checked(client.get(f"/forums/meetings/{meeting.pk}/end/"), 200, "end page")
    end_page = _ms(start)
    meeting.refresh_from_db()
    start = time.perf_counter()
    _checked(client.post(f"/forums/meetings/{meeting.pk}/end/", {"version": meeting.version}), 302, "end")
    return {"defer_asked_ms": asked, "defer_ms": deferred, "end_page_ms": end_page, "end_ms": _ms(start)}


def measure() -> dict:
    from django.db import transaction

    from safeguard.access.gate import AccessContext
    from safeguard.access.purposes import default_purpose
    from safeguard.meetings.models import Meeting
    from safeguard.meetings.services.agenda import build_agenda
    from safeguard.workforce.models import Staff

    meeting = _next_level2_meeting()
    if meeting is None:
        raise SystemExit("The world has no scheduled MAPPA Level 2 meeting from today.")
    coordinator = Staff.objects.get(username="coordinator.demo")
    figures: dict = {}
    try:
        with transaction.atomic():
            ctx = AccessContext(user=coordinator, purpose=default_purpose(coordinator.roles))
            start = time.perf_counter()
            build_agenda(ctx, meeting, expected_version=meeting.version)
            figures["build_agenda_ms"] = _ms(start)
            Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.IN_PROGRESS)  # the bench's setup
            meeting.refresh_from_db()
            items = list(meeting.items.order_by("position"))
            figures["cases"] = len(items)
            client = bench.signed_in_client("coordinator.demo")
            _checked(client.get(f"/forums/meetings/{meeting.pk}/"), 200, "meeting page")  # warm-up: not measured
            figures["attendance_ms"] = _attendance(client, meeting)
            heard, last = items[:-DEFERRED_AT_THE_END], items[-DEFERRED_AT_THE_END:]
            pages, saves = _cases(client, heard)
            figures["case_page_ms"] = bench.percentiles(pages) if pages else None
            figures["save_and_next_ms"] = bench.percentiles(saves) if saves else None
            figures.update(_defer_and_end(client, meeting, last))
            raise Rollback
    except Rollback:
        pass
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--nominals", type=int, default=100_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="Drop and recreate the benchmark database first.")
    args = parser.parse_args(argv)
    bench.ensure_database(args.database_url, args.fresh)
    bench.setup_django(args.database_url)
    bench.ensure_world(args.seed, args.nominals, args.incidents)
    print(json.dumps({"size": {"nominals": args.nominals, "incidents": args.incidents}, **measure()}, indent=2))


if __name__ == "__main__":
    main()
