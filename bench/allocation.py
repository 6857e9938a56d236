"""Benchmark: allocating a batch of 1,000 new nominals over 400 officers already holding 20,000 cases.

    .venv/bin/python bench/allocation.py [--seed 2026] [--time-limit 10]

Pure Python (no database): a fictional force is generated from the seed, eight
areas of 50 offender managers in three teams each, about 60% trained for
Level 2/3, capacities from each area's ratio (1:50 to 1:70) scaled for part
time, 20,000 cases already held (some officers over capacity, a few covering
an Approved Premises with a high share of high-risk cases), and a batch of
1,000 new nominals (Level 1/2/3, about one in six high risk, some naming a
team, some with a current officer, some excluding officers who manage a
victim of the same person, all with a location). It measures in one run:

- solve: safeguard.workforce.solver.solve with HiGHS (time limit 10 s):
  seconds, status, proven optimal, relative MIP gap (target: within 1% of the
  proven optimum), hard-rule violations (must be 0);
- greedy: the fast fallback, for reference;
- least-loaded: the hand rule "least-loaded trained officer".

For each it reports the largest caseload, the spread of high-risk shares
(max - min, standard deviation), officers over the high-risk cap, current
officers kept and the mean distance. Benchmarks are not tests: nothing here
asserts a time. Importable: ``measure_allocation(seed=2026)``.

From the database (``--database-url``, PostgreSQL): ``measure_allocation_db``
works out batches exactly as the allocation page does
(``workforce.services.allocation.start_batch``, as the area's MAPPA
coordinator, every offender manager of the area) on a generated world of
20,000 nominals, about 400 offender managers (``manage.py generate_world``,
generated once and found again by its seed and sizes, as bench/run.py does),
and reports the time to build the problem from the database beside the
solve time, the whole request's time (reading, solving, storing the batch and
its audit events), the hard-rule violations of what was stored (must be 0),
the time to accept them all (each through the nominal's change, its history
and the due dates: the time for the page's request to answer, which queues the background job, beside the
time for the job to finish) and the least-loaded rule's figures. Two batches: the area's unallocated nominals,
and the releases from prison of the next ``RELEASE_DAYS`` days (about 1,000,
most with a current officer). The generated world holds no training records
and no coordinates: the benchmark adds, once, a MOSOVO completion for a
seeded ``TRAINED_SHARE`` of the offender managers, a base for each team and a
middle for each local authority area. Each batch is rolled back afterwards,
so runs do not pile up batches::

    .venv/bin/python bench/allocation.py --database-url postgres://postgres@127.0.0.1:5432/sg_allocation_bench

``--nominals N`` generates a smaller world (in a database of its own) to see that the benchmark runs.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safeguard.workforce.solver import (  # noqa: E402
    Allocation,
    AllocationProblem,
    Nominal,
    Officer,
    check,
    greedy,
    least_loaded_trained,
    prepare,
    score,
    solve,
)

TARGET_S = 10.0
TARGET_GAP = 0.01
AREAS = 8
OFFICERS_PER_AREA = 50
TEAMS_PER_AREA = 3
HELD_CASES = 20_000
NEW_NOMINALS = 1_000
AREA_RATIOS = (50, 55, 60, 60, 65, 60, 55, 70)  # cases per full-time officer, one per area
PART_TIME = ((1.0, 0.8), (0.8, 0.12), (0.6, 0.08))  # (FTE, share of officers)
TRAINED_SHARE = 0.6
LEVEL_SHARES = ((1, 0.8), (2, 0.16), (3, 0.04))
HIGH_RISK_BY_LEVEL = {1: 0.1, 2: 0.4, 3: 0.7}
APPROVED_PREMISES_SHARE = 0.03  # officers covering an Approved Premises: high-risk share about 35%
TEAM_NAMED_SHARE = 0.2
CURRENT_OFFICER_SHARE = 0.1
EXCLUSION_SHARE = 0.05
CENTRE = (52.48, -1.89)  # a fictional force around a Midlands-like centre
AREA_SPREAD_DEG = 0.35
LOCAL_SPREAD_DEG = 0.08


def _pick(rng: random.Random, weighted):
    roll, total = rng.random(), 0.0
    for value, share in weighted:
        total += share
        if roll < total:
            return value
    return weighted[-1][0]


def generate(seed: int = 2026) -> AllocationProblem:
    """The fictional force and batch for one seed (the same seed gives the same problem)."""
    rng = random.Random(seed)
    areas = [f"Area {chr(ord('A') + i)}" for i in range(AREAS)]
    centres = {
        a: (
            CENTRE[0] + rng.uniform(-AREA_SPREAD_DEG, AREA_SPREAD_DEG),
            CENTRE[1] + rng.uniform(-1, 1) * AREA_SPREAD_DEG,
        )
        for a in areas
    }
    drafts = []
    for a_index, area in enumerate(areas):
        for i in range(OFFICERS_PER_AREA):
            team = f"{area[-1]}{1 + i % TEAMS_PER_AREA}"
            capacity = round(AREA_RATIOS[a_index] * _pick(rng, PART_TIME))
            trained = rng.random() < TRAINED_SHARE
            approved_premises = rng.random() < APPROVED_PREMISES_SHARE
            share = 0.35 if approved_premises else max(0.0, rng.gauss(0.15 if trained else 0.12, 0.04))
            fill = max(0.4, rng.gauss(0.9, 0.08))
            location = (
                centres[area][0] + rng.gauss(0, LOCAL_SPREAD_DEG),
                centres[area][1] + rng.gauss(0, LOCAL_SPREAD_DEG),
            )
            drafts.append([f"OM{a_index:02d}{i:03d}", area, team, trained, capacity, fill, share, location])
    # Scale the fills so that the officers hold exactly HELD_CASES between them.
    raw = [d[4] * d[5] for d in drafts]
    factor = HELD_CASES / sum(raw)
    held = [int(r * factor) for r in raw]
    for i in sorted(range(len(held)), key=lambda i: raw[i] * factor - held[i], reverse=True)[: HELD_CASES - sum(held)]:
        held[i] += 1
    officers = []
    for d, cases in zip(drafts, held, strict=True):
        high = sum(1 for _ in range(cases) if rng.random() < d[6])
        officers.append(
            Officer(
                id=d[0],
                area_id=d[1],
                team_id=d[2],
                trained_for_level_2_3=d[3],
                capacity_cases=d[4],
                current_cases=cases,
                current_high_risk=high,
                location=d[7],
            )
        )
    by_area: dict[str, list[Officer]] = {}
    for o in officers:
        by_area.setdefault(o.area_id, []).append(o)
    nominals = []
    for k in range(NEW_NOMINALS):
        area = rng.choice(areas)
        level = _pick(rng, LEVEL_SHARES)
        team = f"{area[-1]}{rng.randint(1, TEAMS_PER_AREA)}" if rng.random() < TEAM_NAMED_SHARE else None
        staff = by_area[area]
        current = rng.choice(staff).id if rng.random() < CURRENT_OFFICER_SHARE else None
        excluded = (
            frozenset(o.id for o in rng.sample(staff, rng.randint(1, 3)))
            if rng.random() < EXCLUSION_SHARE
            else frozenset()
        )
        nominals.append(
            Nominal(
                id=f"N{k:05d}",
                area_id=area,
                level=level,
                high_risk=rng.random() < HIGH_RISK_BY_LEVEL[level],
                team_id=team,
                current_officer_id=current,
                excluded_officer_ids=excluded,
                location=(
                    centres[area][0] + rng.gauss(0, 2 * LOCAL_SPREAD_DEG),
                    centres[area][1] + rng.gauss(0, 2 * LOCAL_SPREAD_DEG),
                ),
            )
        )
    return AllocationProblem(officers=tuple(officers), nominals=tuple(nominals))


def figures(problem: AllocationProblem, assignments: dict) -> dict:
    """Caseload and high-risk figures of every officer after the batch (before it when ``assignments`` is empty)."""
    prepared = prepare(problem)
    new = {}
    for nid, oid in assignments.items():
        cases, high = new.get(oid, (0, 0))
        new[oid] = (cases + 1, high + int(prepared.nominals[nid].high_risk))
    shares, loads, ratios, over_cap = [], [], [], 0
    for o in problem.officers:
        extra, extra_high = new.get(o.id, (0, 0))
        cases, high = o.current_cases + extra, o.current_high_risk + extra_high
        loads.append(cases)
        ratios.append(cases / o.capacity_cases)
        if cases:
            shares.append(high / cases)
            over_cap += int(100 * high > o.high_risk_cap_percent * cases)
    receiving = [o.current_cases + new[o.id][0] for o in problem.officers if o.id in new]
    receiving_ratio = [(o.current_cases + new[o.id][0]) / o.capacity_cases for o in problem.officers if o.id in new]
    with_current = [n for n in problem.nominals if n.current_officer_id is not None]
    distances = [prepared.distance.get((nid, oid)) for nid, oid in assignments.items()]
    distances = [d for d in distances if d is not None]
    return {
        "largest_caseload": max(loads),
        "largest_caseload_of_officers_given_nominals": max(receiving, default=None),
        "largest_load_percent_of_capacity": round(100 * max(ratios), 1),
        "largest_load_percent_of_officers_given_nominals": round(100 * max(receiving_ratio), 1)
        if receiving_ratio
        else None,
        "load_percent_std_points": round(100 * statistics.pstdev(ratios), 3),
        "high_risk_share_spread_points": round(100 * (max(shares) - min(shares)), 2),
        "high_risk_share_std_points": round(100 * statistics.pstdev(shares), 3),
        "officers_over_high_risk_cap": over_cap,
        "current_officers_kept": sum(1 for n in with_current if assignments.get(n.id) == n.current_officer_id),
        "nominals_with_current_officer": len(with_current),
        "mean_distance_km": round(statistics.fmean(distances), 2) if distances else None,
    }


def _run(name: str, function, problem: AllocationProblem) -> dict:
    started = time.perf_counter()
    result = function(problem)
    seconds = time.perf_counter() - started
    if not isinstance(result, Allocation):
        return {
            "method": name,
            "seconds": round(seconds, 3),
            "feasible": False,
            "unplaced": len(result.unplaced),
            "binding": list(result.binding),
        }
    prepared = prepare(problem)
    row = {
        "method": result.method,
        "seconds": round(seconds, 3),
        "feasible": True,
        "objective": round(result.objective, 3),
        "objective_recomputed": round(score(prepared, result.assignments), 3),
        "proven_optimal": result.proven_optimal,
        "gap": result.gap,
        "hard_rule_violations": len(check(problem, result.assignments)),
    }
    row.update(figures(problem, dict(result.assignments)))
    row["working"] = [step.text for step in result.working]
    return row


def measure_allocation(seed: int = 2026, time_limit_s: float = TARGET_S) -> dict:
    started = time.perf_counter()
    problem = generate(seed)
    generated = time.perf_counter() - started
    prepared = prepare(problem)
    arcs = sum(len(ids) for ids in prepared.eligible.values())
    solved = _run("highs", lambda p: solve(p, time_limit_s=time_limit_s), problem)
    fallback = _run("greedy", greedy, problem)
    baseline = _run("least_loaded", least_loaded_trained, problem)
    before = figures(problem, {})
    gap = solved.get("gap")
    return {
        "seed": seed,
        "officers": len(problem.officers),
        "cases_held": sum(o.current_cases for o in problem.officers),
        "new_nominals": len(problem.nominals),
        "trained_officers": sum(1 for o in problem.officers if o.trained_for_level_2_3),
        "level_2_3_nominals": sum(1 for n in problem.nominals if n.level >= 2),
        "high_risk_nominals": sum(1 for n in problem.nominals if n.high_risk),
        "pairs_no_hard_rule_bars": arcs,
        "generate_seconds": round(generated, 2),
        "time_limit_seconds": time_limit_s,
        "target_seconds": TARGET_S,
        "target_gap": TARGET_GAP,
        "solve_within_target": solved["seconds"] <= TARGET_S,
        "gap_within_target": gap is not None and gap <= TARGET_GAP,
        "before": before,
        "solve": solved,
        "greedy": fallback,
        "least_loaded": baseline,
    }


def _table(result: dict) -> str:
    keys = [
        "seconds",
        "objective",
        "proven_optimal",
        "gap",
        "hard_rule_violations",
        "largest_caseload",
        "largest_caseload_of_officers_given_nominals",
        "largest_load_percent_of_capacity",
        "largest_load_percent_of_officers_given_nominals",
        "load_percent_std_points",
        "high_risk_share_spread_points",
        "high_risk_share_std_points",
        "officers_over_high_risk_cap",
        "current_officers_kept",
        "mean_distance_km",
    ]
    columns = ("before", "solve", "greedy", "least_loaded")
    lines = [f"{'':46}" + "".join(f"{c:>16}" for c in columns)]
    for key in keys:
        cells = []
        for c in columns:
            value = result[c].get(key, "")
            if isinstance(value, float) and not math.isnan(value):
                value = f"{value:.4g}"
            cells.append(f"{value!s:>16}")
        lines.append(f"{key:46}" + "".join(cells))
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# From the database

DB_SEED = 2026
DB_NOMINALS = 20_000  # about 400 offender managers at one per 50 nominals (demo.organisation)
DB_INCIDENTS = 20_000  # incidents link perpetrators and victims: the victim rule has something to bar
RELEASE_DAYS = 365
DEFAULT_DB_NAME = "sg_allocation_bench"


def _prepare_world(seed: int) -> dict:
    """Training records and coordinates for the generated world, added once (the generator makes neither)."""
    import datetime as dt

    from safeguard.demo import world
    from safeguard.offenders.services import offender_managers_in
    from safeguard.rules.competence import MOSOVO
    from safeguard.workforce.models import Area, Course, Team, TrainingCompletion

    mappa = Area.objects.get(code=f"w{seed}-fictional-shire")
    officers = list(offender_managers_in(mappa.pk).order_by("pk"))
    added = 0
    if not TrainingCompletion.objects.filter(staff__in=officers).exists():
        rng = random.Random(seed)
        course, _ = Course.objects.get_or_create(code=MOSOVO, defaults={"name": "MOSOVO"})
        recorder = world.system_user()
        rows = [
            TrainingCompletion(
                staff=o,
                course=course,
                completed_on=dt.date.today() - dt.timedelta(days=rng.randint(30, 1500)),
                recorded_by=recorder,
            )
            for o in officers
            if rng.random() < TRAINED_SHARE
        ]
        TrainingCompletion.objects.bulk_create(rows)
        added = len(rows)
    rng = random.Random(seed + 1)
    for team in Team.objects.filter(base_latitude=None).filter(area__in=[mappa, *mappa.children.all()]):
        team.base_latitude = CENTRE[0] + rng.uniform(-AREA_SPREAD_DEG, AREA_SPREAD_DEG)
        team.base_longitude = CENTRE[1] + rng.uniform(-AREA_SPREAD_DEG, AREA_SPREAD_DEG)
        team.save(update_fields=["base_latitude", "base_longitude"])
    for area in mappa.children.filter(kind=Area.Kind.LOCAL_AUTHORITY, latitude=None):
        area.latitude = CENTRE[0] + rng.uniform(-AREA_SPREAD_DEG, AREA_SPREAD_DEG)
        area.longitude = CENTRE[1] + rng.uniform(-AREA_SPREAD_DEG, AREA_SPREAD_DEG)
        area.save(update_fields=["latitude", "longitude"])
    return {"mappa": mappa, "officers": len(officers), "completions_added": added}


def _db_batch(ctx, request, label: str) -> dict:
    """One batch as the page works it out, timed in its parts, checked, then rolled back."""
    from django.db import transaction

    from safeguard.workforce.services import allocation as service
    from safeguard.workforce.solver import check, least_loaded_trained

    with transaction.atomic():
        started = time.perf_counter()
        found = list(service.candidates(ctx.user, request))
        officers = list(service.officers_for(request.area.pk, request.team))
        read_candidates = time.perf_counter() - started
        built = service.build_problem(found, officers, area=request.area, on=_today())
        solving = time.perf_counter()
        result, _ = service.solve_batch(built)
        solve_seconds = time.perf_counter() - solving
        baseline = least_loaded_trained(built.problem)
        began = time.perf_counter()
        batch = service.start_batch(ctx, request)
        whole = time.perf_counter() - began
        stored = {
            r.nominal.reference: service.officer_label(r.recommended_officer)
            for r in batch.recommendations.select_related("nominal", "recommended_officer")
            if r.recommended_officer_id
        }
        violations = check(built.problem, stored) if batch.status == "recommended" else ()
        accepted = _accept_in_background(ctx, batch) if batch.status == "recommended" else {}
        row = {
            "batch": label,
            "nominals": len(built.problem.nominals),
            "officers": len(built.problem.officers),
            "trained_officers": sum(1 for o in built.problem.officers if o.trained_for_level_2_3),
            "level_2_3_nominals": sum(1 for n in built.problem.nominals if n.level >= 2),
            "with_current_officer": sum(1 for n in built.problem.nominals if n.current_officer_id is not None),
            "with_exclusions": sum(1 for n in built.problem.nominals if n.excluded_officer_ids),
            "linked_within_batch": len(built.links),
            "cases_held": sum(o.current_cases for o in built.problem.officers),
            "pairs_no_hard_rule_bars": sum(len(ids) for ids in prepare(built.problem).eligible.values()),
            "build_from_db_seconds": round(read_candidates + built.seconds, 3),
            "build_queries_candidates_seconds": round(read_candidates, 3),
            "build_problem_seconds": round(built.seconds, 3),
            "solve_seconds": round(solve_seconds, 3),
            "start_batch_seconds": round(whole, 3),
            "start_batch_parts": batch.figures.get("seconds"),
            "status": batch.status,
            "method": batch.method,
            "proven_optimal": batch.proven_optimal,
            "gap": batch.gap,
            "stored_hard_rule_violations": len(violations),
            "accept_all_request_seconds": accepted.get("request_seconds"),
            "accept_all_seconds": accepted.get("job_seconds"),
            "accept_all_job_status": accepted.get("status"),
            "accepted": accepted.get("accepted", 0),
            "refused_on_accept": accepted.get("refused", 0),
            "recommended": batch.figures.get("recommended"),
            "least_loaded": batch.figures.get("least_loaded"),
            "before": batch.figures.get("before"),
        }
        if batch.status != "recommended":
            row["binding"] = batch.infeasible_reasons
        row["least_loaded_method"] = baseline.method
        row["solver_method"] = result.method
        transaction.set_rollback(True)
    return row


def _accept_in_background(ctx, batch) -> dict:
    """Accept all as the page does it: the request checks and queues the job (the database backend: one row)
    and answers; the worker then runs the job (``jobs.runner.run``: every decision through the gate, one
    transaction). Both timed, inside the benchmark's transaction (rolled back with the batch). The worker's
    wait before it takes the job (its poll interval, 1 s by default) is not counted."""
    from django.test import override_settings

    from safeguard.jobs import runner
    from safeguard.workforce.services import allocation as service

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        began = time.perf_counter()
        job = service.start_accept_all(ctx, batch, expected_version=batch.version)
        request_seconds = time.perf_counter() - began
    began = time.perf_counter()
    runner.run(job.pk)
    job_seconds = time.perf_counter() - began
    job.refresh_from_db()
    return {
        "request_seconds": round(request_seconds, 3),
        "job_seconds": round(job_seconds, 3),
        "status": job.status,
        "accepted": job.result.get("accepted", 0),
        "refused": len(job.result.get("refused", [])),
    }


def _today():
    from django.utils import timezone

    return timezone.localdate()


def measure_allocation_db(seed: int = DB_SEED, nominals: int = DB_NOMINALS) -> dict:
    """The batches of the allocation page on a generated world (Django set up on the benchmark database)."""
    import datetime as dt

    sys.path.insert(0, str(ROOT / "bench"))
    import run
    from safeguard.access.gate import AccessContext
    from safeguard.workforce.models import Staff
    from safeguard.workforce.services import allocation as service

    generation = run.ensure_world(seed, nominals, max(1, DB_INCIDENTS * nominals // DB_NOMINALS))
    prepared = _prepare_world(seed)
    coordinator = Staff.objects.get(username="coordinator.demo")  # the area's MAPPA coordinator
    ctx = AccessContext(user=coordinator, purpose="public_protection")
    area = prepared["mappa"]
    today = _today()
    batches = [
        _db_batch(ctx, service.BatchRequest(kind=service.UNALLOCATED, area=area), "unallocated nominals of the area"),
        _db_batch(
            ctx,
            service.BatchRequest(
                kind=service.RELEASES,
                area=area,
                released_from=today,
                released_to=today + dt.timedelta(days=RELEASE_DAYS - 1),
            ),
            f"releases of the next {RELEASE_DAYS} days",
        ),
    ]
    return {
        "seed": seed,
        "world": {k: generation.get(k) for k in ("seed", "nominals", "incidents", "people", "seconds")},
        "offender_managers": prepared["officers"],
        "training_completions_added": prepared["completions_added"],
        "batches": batches,
    }


def database_url_for(url: str, name: str = DEFAULT_DB_NAME) -> str:
    """The same server as ``url``, database ``name`` (the allocation world is kept apart from bench/run.py's)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def measure_allocation_db_in_subprocess(url: str) -> dict:
    """``measure_allocation_db`` in a process of its own, on its own database of the server of ``url``.

    bench/run.py calls this: one Django process cannot switch to a second database of another world.
    """
    import subprocess

    target = database_url_for(url)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--db-only", "--json-only", "--database-url", target],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or ["failed"], "database": target.rsplit("/", 1)[-1]}
    return json.loads(done.stdout)


def _db_table(result: dict) -> str:
    keys = [
        "nominals",
        "officers",
        "cases_held",
        "pairs_no_hard_rule_bars",
        "with_current_officer",
        "with_exclusions",
        "build_from_db_seconds",
        "solve_seconds",
        "start_batch_seconds",
        "status",
        "method",
        "proven_optimal",
        "gap",
        "stored_hard_rule_violations",
        "accept_all_request_seconds",
        "accept_all_seconds",
        "accept_all_job_status",
        "accepted",
        "refused_on_accept",
    ]
    lines = []
    for b in result["batches"]:
        lines.append(b["batch"])
        for key in keys:
            lines.append(f"  {key:32}{b.get(key)!s}")
        for name in ("recommended", "least_loaded"):
            f = b.get(name) or {}
            shown = {
                k: f.get(k)
                for k in (
                    "largest_caseload",
                    "high_risk_share_spread_points",
                    "officers_over_high_risk_cap",
                    "officers_over_capacity",
                    "unplaced",
                )
            }
            lines.append(f"  {name:32}{shown}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--time-limit", type=float, default=TARGET_S)
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"Also measure batches built from this PostgreSQL database (for example .../{DEFAULT_DB_NAME}).",
    )
    parser.add_argument("--db-only", action="store_true", help="Only the measure from the database.")
    parser.add_argument(
        "--nominals",
        type=int,
        default=DB_NOMINALS,
        help="Nominals of the database's world (a small one proves the benchmark runs; use a database of its own).",
    )
    parser.add_argument("--json-only", action="store_true", help="Print the figures as JSON only (no tables).")
    args = parser.parse_args()
    if not args.db_only:
        result = measure_allocation(seed=args.seed, time_limit_s=args.time_limit)
        print(json.dumps(result, indent=2))
        if not args.json_only:
            print(_table(result))
    if args.database_url:
        sys.path.insert(0, str(ROOT / "bench"))
        import run

        run.ensure_database(args.database_url, fresh=False)
        run.setup_django(args.database_url)
        db = measure_allocation_db(seed=args.seed, nominals=args.nominals)
        print(json.dumps(db, indent=2, default=str))
        if not args.json_only:
            print(_db_table(db))


if __name__ == "__main__":
    main()
