"""The relationship network and the Right to Know check for the most-linked people of a generated world.

    .venv/bin/python bench/network.py --database-url postgres://postgres@127.0.0.1:5432/safeguard

Runs on a generated world (bench/run.py's ensure_world; 250,000 nominals and 1,000,000 incidents by default).
Takes the people with the most incident links (the serial perpetrators and repeat victims: the largest
networks) and measures, per person, ``people.network.network_of`` as ``coordinator.demo`` (the gate's scope
and the audit event included) and ``actions.right_to_know.consider`` (the check every new relationship,
incident link or merge runs). Milliseconds, median and 95th percentile, printed as JSON (and written to
--output when given). Benchmarks are not tests: nothing here asserts a time.
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


def most_linked(count: int) -> list[int]:
    from django.db.models import Count

    from safeguard.events.models import IncidentPerson

    rows = IncidentPerson.objects.values("person_id").annotate(n=Count("pk")).order_by("-n", "person_id")
    return [row["person_id"] for row in rows[:count]]


def measure(people: list[int]) -> dict:
    import run
    from safeguard.access.gate import AccessContext
    from safeguard.access.purposes import default_purpose
    from safeguard.actions import right_to_know
    from safeguard.people.models import Person
    from safeguard.people.network import network_of
    from safeguard.workforce.models import Staff

    user = Staff.objects.get(username="coordinator.demo")
    ctx = AccessContext(user=user, purpose=default_purpose(user.roles))
    drawn, checked, links = [], [], []
    for pk in people:
        person = Person.objects.get(pk=pk)
        ms, network = run.timed(lambda person=person: network_of(ctx, person))
        drawn.append(ms)
        links.append(len(network.links) + network.hidden)
        ms, _ = run.timed(lambda pk=pk: right_to_know.consider(ctx, pk))
        checked.append(ms)
    return {
        "people": len(people),
        "links_per_person_max": max(links, default=0),
        "network_of_ms": run.percentiles(drawn),
        "right_to_know_consider_ms": run.percentiles(checked),
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--nominals", type=int, default=250_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=200, help="How many of the most-linked people to measure.")
    parser.add_argument("--output", type=Path, default=None, help="Also write the figures to this JSON file.")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    run.ensure_database(args.database_url, False)
    run.setup_django(args.database_url)
    run.ensure_world(args.seed, args.nominals, args.incidents)
    figures = measure(most_linked(args.people))
    results = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": run.machine(), **figures}
    text = json.dumps(results, indent=2, default=str)
    if args.output:
        args.output.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
