"""Programme, release and IOM figures of an area at national size: take-up, outcomes and before/after (no target set).

    .venv/bin/python bench/pathways.py --database-url postgres://postgres@127.0.0.1:5432/sg_pathways_bench \\
        --nominals 250000 --incidents 1000000 --fresh

Builds (once, with bench/run.py's ensure_world) a generated world of the given size on PostgreSQL, then gives
its nominals, in proportion, the records the figures read (written once, marked by an audit event): a referral
to one of the area's programmes for 1 in 5 nominals (a spread of statuses, completions and drop-outs over the
last three years), a release checklist of six pathways for 1 in 12 (released on a day of the last three
years, accommodation in place for two in three, a substance misuse start around release for some), and an IOM
cohort entry for 1 in 50. No source gives these proportions: they are the benchmark's, chosen to give each
figure tens of thousands of rows at national size. The world's own DA incidents and convictions are the
outcomes. Measured: ``pathways.services.figures.area_figures`` for the area (every figure of the page, the
monthly pack's and the dashboard's section), as the median of several runs, and each of its parts alone.
The issue sets no target for these figures: none is asserted or claimed. Benchmarks are not tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sg_pathways_bench"
MARKER = "bench.pathways"
REFERRAL_EVERY, RELEASE_EVERY, IOM_EVERY = 5, 12, 50
BATCH = 5_000


def add_pathways(seed: int) -> dict:
    """Referrals, release checklists and IOM entries for a share of the area's nominals; written once."""
    from django.db import connection, transaction
    from django.utils import timezone

    from safeguard.access.gate import audit_system
    from safeguard.access.system import system_staff
    from safeguard.audit.models import AuditEvent, Operation
    from safeguard.demo.pathways import PROGRAMMES
    from safeguard.offenders.models import Nominal
    from safeguard.pathways.models import InterventionReferral, IomMembership, PathwayItem, Programme, ReleasePlan
    from safeguard.rules import release_pathways
    from safeguard.workforce.models import Area

    done = AuditEvent.objects.filter(record_type=MARKER).first()
    if done is not None:
        return {**done.detail, "written_earlier": True}
    rng = random.Random(seed)
    today = timezone.localdate()
    area = Area.objects.filter(kind=Area.Kind.MAPPA).order_by("pk").first()
    system = system_staff()
    programmes = [
        Programme.objects.get_or_create(area=area, name=name, provider=provider, defaults={"kind": kind})[0]
        for name, kind, provider in PROGRAMMES
    ]
    treatment = next(p for p in programmes if p.kind == Programme.Kind.SUBSTANCE_MISUSE)
    nominals = list(Nominal.objects.filter(local_area__parent=area).order_by("pk").values_list("pk", "lead_agency_id"))

    def day_in_last_years(years: int = 3) -> dt.date:
        return today - dt.timedelta(days=rng.randrange(1, 365 * years))

    counts = {"referrals": 0, "release_plans": 0, "pathway_items": 0, "iom_entries": 0}
    with transaction.atomic():
        referrals = []
        for n, (pk, _) in enumerate(nominals):
            if n % REFERRAL_EVERY:
                continue
            referred = day_in_last_years()
            status = rng.choices(
                ["referred", "accepted", "started", "attending", "completed", "dropped_out", "refused"],
                [1, 1, 1, 2, 4, 2, 1],
            )[0]
            started = (
                referred + dt.timedelta(days=rng.randrange(14, 60))
                if status not in ("referred", "accepted", "refused")
                else None
            )
            ended = None
            if status in ("completed", "dropped_out"):
                ended = min(started + dt.timedelta(days=rng.randrange(30, 200)), today)
            elif status == "refused":
                ended = referred + dt.timedelta(days=10)
            referrals.append(
                InterventionReferral(
                    nominal_id=pk,
                    programme=rng.choice(programmes),
                    pillar="interventions_and_treatment",
                    status=status,
                    referred_on=referred,
                    started_on=started,
                    ended_on=ended,
                    reason="bench" if status in ("dropped_out", "refused") else "",
                    referred_by=system,
                )
            )
        plans = []
        for n, (pk, lead) in enumerate(nominals):
            if n % RELEASE_EVERY != 1:
                continue
            released = day_in_last_years()
            plans.append(
                (
                    ReleasePlan(
                        nominal_id=pk,
                        release_date=released,
                        outcome="released",
                        released_on=released,
                        started_by=system,
                    ),
                    lead,
                )
            )
            if rng.random() < 0.4:  # a substance misuse start around release: before, within 3 weeks or after
                started = released + dt.timedelta(days=rng.randrange(-10, 40))
                referrals.append(
                    InterventionReferral(
                        nominal_id=pk,
                        programme=treatment,
                        pillar="interventions_and_treatment",
                        status="started",
                        referred_on=released - dt.timedelta(days=30),
                        started_on=started,
                        referred_by=system,
                    )
                )
        InterventionReferral.objects.bulk_create(referrals, batch_size=BATCH)
        made = ReleasePlan.objects.bulk_create([p for p, _ in plans], batch_size=BATCH)
        items = [
            PathwayItem(
                plan_id=plan.pk,
                pathway=name,
                owner_agency_id=lead,
                due_on=plan.release_date,
                status=release_pathways.ARRANGED,
                in_place_on_day=rng.random() < (0.67 if name == release_pathways.ACCOMMODATION else 0.5),
            )
            for plan, (_, lead) in zip(made, plans, strict=True)
            for name in release_pathways.PATHWAYS
        ]
        PathwayItem.objects.bulk_create(items, batch_size=BATCH)
        entries = [
            IomMembership(
                nominal_id=pk,
                stream=rng.choice(["fixed", "flex", "free"]),
                suggested_stream="free",
                reason="bench",
                entered_on=day_in_last_years(),
                entered_by=system,
            )
            for n, (pk, _) in enumerate(nominals)
            if n % IOM_EVERY == 2
        ]
        IomMembership.objects.bulk_create(entries, batch_size=BATCH)
        counts = {
            "referrals": len(referrals),
            "release_plans": len(made),
            "pathway_items": len(items),
            "iom_entries": len(entries),
        }
        audit_system(Operation.CREATE, MARKER, None, "pathways bench records", {**counts, "seed": seed})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (InterventionReferral, ReleasePlan, PathwayItem, IomMembership):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return counts


def _median(run, repeats: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3), [round(t, 3) for t in times]


def measure(repeats: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from safeguard.offenders.models import Nominal
    from safeguard.oversight.models import OversightSettings
    from safeguard.pathways.models import PathwaySettings
    from safeguard.pathways.services import figures, outcomes
    from safeguard.workforce.models import Area

    area = Area.objects.filter(kind=Area.Kind.MAPPA).order_by("pk").first()
    today = timezone.localdate()
    minimum = OversightSettings.for_area(area.pk).small_number_threshold
    settings = PathwaySettings.for_area(area.pk).outcome_settings()
    whole, whole_runs = _median(lambda: figures.area_figures(area.pk, today), repeats)
    found = figures.area_figures(area.pk, today)
    parts = {
        "programme_outcomes_s": lambda: outcomes.programme_outcomes(area.pk, today, minimum, settings),
        "release_outcomes_s": lambda: outcomes.release_outcomes(area.pk, today, minimum, settings),
        "iom_before_after_s": lambda: outcomes.iom_before_after(area.pk, today, minimum, settings),
    }
    completed = next(o for o in found.programme_outcomes if o.label.endswith("completed"))
    return {
        "database": connection.vendor,
        "nominals": Nominal.objects.count(),
        "area_figures_s": whole,
        "area_figures_runs_s": whole_runs,
        **{name: _median(run, repeats)[0] for name, run in parts.items()},
        "first_programme_completed_followed_up": completed.followed.text,
        "releases_take_up_counted": found.release_outcomes.take_up_counted.text,
        "iom_entries_followed_up": found.iom.entries.text,
        "target": "no target set",
    }


def report(r: dict, args) -> str:
    national = args.nominals >= 250_000
    m, a = r["measured"], r["added"]
    title = "## Programme, release and IOM figures (`bench/pathways.py`)"
    if not national:
        title += ", not yet measured at national size"
    lines = [
        title,
        "",
        "Every figure of the pathways figures page (also the monthly pack's and the PCC dashboard's section): take-up",
        "by programme, the 12 months after completion, drop-out and release, treatment take-up within 21 days, the",
        "IOM cohort before and after entry. Records in proportion: a referral for 1 in 5 nominals, a release",
        "checklist for 1 in 12, an IOM entry for 1 in 50 (the benchmark's proportions). No target set.",
        "The national run:",
        "",
        "    .venv/bin/python bench/pathways.py --database-url postgres://postgres@127.0.0.1:5432/sg_pathways_bench \\",
        "        --nominals 250000 --incidents 1000000 --fresh",
        "",
        f"Measured {r['measured_at']} on {m['database']} with {m['nominals']:,} nominals and "
        f"{args.incidents:,} incidents ({a['referrals']:,} referrals, {a['release_plans']:,} release "
        f"checklists, {a['iom_entries']:,} IOM entries): all figures "
        f"{m['area_figures_s']} s (median of {args.repeats}); programme outcomes {m['programme_outcomes_s']} s, "
        f"release outcomes {m['release_outcomes_s']} s, IOM before and after {m['iom_before_after_s']} s.",
        f"Load average before {', '.join(map(str, r['load_average_before']))}, after "
        f"{', '.join(map(str, r['load_average_after']))}"
        + ("." if national else ": a small size on a shared machine, not evidence for national size."),
    ]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--nominals", type=int, default=250_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="Drop and recreate the benchmark database first.")
    parser.add_argument("--no-docs", action="store_true", help="Print the figures only; leave docs/benchmarks.md.")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    import machine
    import sections
    from run import ensure_database, ensure_world, setup_django

    ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url)
    ensure_world(args.seed, args.nominals, args.incidents)
    before = machine.load_average()
    added = add_pathways(args.seed)
    results = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before": before,
        "added": added,
        "measured": measure(args.repeats),
        "load_average_after": machine.load_average(),
    }
    print(json.dumps(results, indent=2, default=str))
    if not args.no_docs:
        sections.write("pathways", report(results, args), ROOT / "docs" / "benchmarks.md")


if __name__ == "__main__":
    main()
