"""Benchmark: working out every nominal's due dates again (target: 100,000 nominals in at most 10 s).

Compared side by side in one run with the obvious alternative, one nominal at a
time (``recompute([id])`` per nominal, as a page would after an event), timed
on a sample and scaled to the whole world. Importable (measure_due_dates) and
runnable alone:

    .venv/bin/python bench/due_dates.py --database-url postgres://postgres@127.0.0.1:5432/safeguard
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 10.0
SAMPLE = 500


def ensure_notifications() -> int:
    """A world generated before notifications existed gets its notification histories once."""
    from django.utils import timezone

    from safeguard.demo import notifications, world
    from safeguard.events.models import Notification

    if Notification.objects.exists():
        return Notification.objects.count()
    return notifications.build(random.Random(2026), world.system_user().pk, timezone.localdate())


def measure_due_dates(repeats: int = 3, sample: int = SAMPLE) -> dict:
    from django.utils import timezone

    from safeguard.offenders import due_dates
    from safeguard.offenders.models import Nominal

    ensure_notifications()
    today = timezone.localdate()
    active = Nominal.objects.filter(status=Nominal.Status.ACTIVE)
    total = active.count()
    bulk_runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        written = due_dates.recompute_all(today, force=True)
        bulk_runs.append(time.perf_counter() - started)
    ids = list(active.values_list("pk", flat=True))
    chosen = random.Random(7).sample(ids, min(sample, len(ids)))
    started = time.perf_counter()
    for pk in chosen:
        due_dates.recompute([pk], today)
    one_by_one = time.perf_counter() - started
    per_nominal = one_by_one / len(chosen)
    bulk = statistics.median(bulk_runs)
    return {
        "nominals": total,
        "written": written,
        "bulk_seconds": round(bulk, 2),
        "bulk_runs": [round(r, 2) for r in bulk_runs],
        "one_at_a_time_sample": len(chosen),
        "one_at_a_time_ms_each": round(per_nominal * 1000, 2),
        "one_at_a_time_scaled_seconds": round(per_nominal * total, 1),
        "ratio": round(per_nominal * total / bulk, 1) if bulk else None,
        "target_seconds": TARGET_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    run.setup_django(args.database_url or run.DEFAULT_URL)
    import json

    print(json.dumps(measure_due_dates(), indent=2))


if __name__ == "__main__":
    main()
