"""The Category 3 prompt scan over every domestic-abuse perpetrator of a national world (target: at most 10 s).

    .venv/bin/python bench/category3.py --database-url postgres://postgres@127.0.0.1:5432/safeguard

Runs on a generated world (bench/run.py's ensure_world; 1,000,000 domestic-abuse
incidents by default) and adds once, by COPY, the facts the scan reads, which
the world generator does not make:

- for every open MARAC case of a victim: the DASH it was referred on (graded
  high, medium or standard), completed for the victim's latest incident, and
  the MARAC referral made from it, naming the victim's perpetrators, some
  flagged as repeats;
- a DASH for a fifth of the other domestic-abuse incidents of the last 12
  months (one in ten of those graded high);
- MATAC selections of serial perpetrators, and open MAPPA referrals for some
  perpetrators (which suppress their prompt), after bench/my_work_actions.py's
  forums (this script makes them if they are missing).

The area's MAPPA Level 2 and 3 forums name ``coordinator.demo`` as their
coordinator (the scan asks the named coordinators, else every holder of the
role: the generated world has one per team). Then it clears the Category 3
prompts and measures ``actions.category3.scan``:
the first run (which raises every prompt due), and the median of three
further runs (the nightly steady state: prompts refreshed, none raised), and
``gather`` (the SQL facts) alone. Figures are printed as JSON (and written to
--output when given). Benchmarks are not tests: nothing here asserts a time.
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
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/safeguard"
TARGET_S = 10.0
MARKER = "bench.category3"
OTHER_DASH_SHARE = 0.2
MATAC_SELECTIONS = 400
OPEN_MAPPA_REFERRALS = 500

CASES_SQL = """
SELECT fc.id, fc.forum_id, fc.person_id, fc.opened_on, perp.person_id, MAX(i.id), MAX(i.occurred_at)
FROM meetings_forumcase fc
JOIN meetings_forum f ON f.id = fc.forum_id AND f.kind = 'marac'
JOIN events_incidentperson vic ON vic.person_id = fc.person_id AND vic.role = 'victim'
JOIN events_incident i ON i.id = vic.incident_id AND i.domestic_abuse
JOIN events_incidentperson perp ON perp.incident_id = i.id AND perp.role = 'perpetrator'
WHERE fc.closed_on IS NULL
GROUP BY fc.id, fc.forum_id, fc.person_id, fc.opened_on, perp.person_id
"""
RECENT_SQL = """
SELECT i.id, vic.person_id, i.occurred_at
FROM events_incident i
JOIN events_incidentperson vic ON vic.incident_id = i.id AND vic.role = 'victim'
WHERE i.domestic_abuse AND i.occurred_at >= %s
"""


def build_facts(seed: int = 2026) -> dict:
    """DASHs, MARAC referrals, MATAC selections and MAPPA referrals for the scan, once."""
    from django.db import connection, transaction
    from django.utils import timezone

    from my_work_actions import ensure_forums, insert_rows
    from safeguard.access.gate import AccessContext
    from safeguard.access.gate import _write_event as write_event  # seeding past events, as the gate wrote them
    from safeguard.assessments.models import Assessment, InstrumentVersion
    from safeguard.audit.models import AuditEvent, Operation, Outcome
    from safeguard.demo import bulk
    from safeguard.demo.world import system_user
    from safeguard.meetings.models import Forum, ForumCase
    from safeguard.people.models import WarningMarker
    from safeguard.referrals.models import Referral
    from safeguard.workforce.models import Agency, Staff

    if AuditEvent.objects.filter(record_type=MARKER).exists():
        return {"built": False}
    started = time.monotonic()
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        forums = ensure_forums(rng)
        matac = next(f for f in forums if f.kind == Forum.Kind.MATAC)
        mappa_l2 = next(f for f in forums if f.kind == Forum.Kind.MAPPA_LEVEL_2)
        dash = InstrumentVersion.current_for("dash")
        idva = Staff.objects.get(username="idva.demo")
        police = Agency.objects.get(kind=Agency.Kind.POLICE, staff__username="om.demo")
        om = Staff.objects.get(username="om.demo")
        with connection.cursor() as cursor:
            cursor.execute(CASES_SQL)
            pairs = cursor.fetchall()
            cursor.execute(RECENT_SQL, [timezone.now() - dt.timedelta(days=365)])
            recent = cursor.fetchall()
        by_case: dict[int, dict] = {}
        for case_id, forum_id, victim, opened, perp, incident_id, occurred in pairs:
            entry = by_case.setdefault(
                case_id, {"forum": forum_id, "victim": victim, "opened": opened, "perps": set(), "incident": 0}
            )
            entry["perps"].add(perp)
            if incident_id > entry["incident"]:
                entry["incident"], entry["occurred"] = incident_id, occurred
        next_assessment, next_referral = bulk.next_id(Assessment), bulk.next_id(Referral)
        assessments, referrals, named = [], [], []

        def assessment(victim, incident_id, on, grade):
            pk = next_assessment + len(assessments)
            assessments.append(
                {
                    "id": pk,
                    "person_id": victim,
                    "incident_id": incident_id,
                    "instrument_id": dash.pk,
                    "answers": {},
                    "result": {"bench": True},
                    "summary": f"DASH graded {grade}",
                    "grade": grade,
                    "refer_to_marac": grade == "high",
                    "assessed_on": on,
                    "assessor_id": idva.pk,
                    "assessor_agency_id": idva.agency_id,
                    "created_at": timezone.now(),
                }
            )
            return pk

        grades = ["high"] * 55 + ["medium"] * 30 + ["standard"] * 15
        for case_id, c in by_case.items():
            on = max(c["opened"] - dt.timedelta(days=rng.randint(1, 10)), timezone.localdate(c["occurred"]))
            on = min(on, today)
            dash_id = assessment(c["victim"], c["incident"], on, rng.choice(grades))
            made = timezone.make_aware(dt.datetime.combine(on, dt.time(15)))
            pk = next_referral + len(referrals)
            referrals.append(
                {
                    "id": pk,
                    "kind": Referral.Kind.MARAC,
                    "forum_id": c["forum"],
                    "person_id": c["victim"],
                    "status": rng.choice([Referral.Status.LISTED, Referral.Status.ACCEPTED]),
                    "referring_agency_id": idva.agency_id,
                    "referred_by_id": idva.pk,
                    "created_at": made,
                    "submitted_at": made,
                    "status_since": made,
                    "decided_at": made,
                    "dash_id": dash_id,
                    "is_repeat": rng.random() < 0.3,
                    "incident_date": on,
                    "forum_case_id": case_id,
                }
            )
            named += [{"referral_id": pk, "person_id": perp} for perp in sorted(c["perps"])]
        for incident_id, victim, occurred in recent:
            if rng.random() < OTHER_DASH_SHARE:
                grade = "high" if rng.random() < 0.1 else rng.choice(["medium", "standard"])
                assessment(victim, incident_id, timezone.localdate(occurred), grade)
        serial = list(
            WarningMarker.objects.filter(code=WarningMarker.Code.DOMESTIC_ABUSE).values_list("person_id", flat=True)
        )
        selected = rng.sample(serial, min(MATAC_SELECTIONS, len(serial)))
        matac_cases = [{"forum_id": matac.pk, "person_id": p, "opened_on": today - dt.timedelta(30)} for p in selected]
        first_case = bulk.next_id(ForumCase)
        insert_rows(ForumCase, [{"id": first_case + n, **row} for n, row in enumerate(matac_cases)])
        decided = timezone.now() - dt.timedelta(days=30)
        for n, person in enumerate(selected):
            referrals.append(
                {
                    "id": next_referral + len(referrals),
                    "kind": Referral.Kind.MATAC,
                    "forum_id": matac.pk,
                    "person_id": person,
                    "status": Referral.Status.ACCEPTED,
                    "referring_agency_id": police.pk,
                    "referred_by_id": om.pk,
                    "created_at": decided,
                    "submitted_at": decided,
                    "status_since": decided,
                    "decided_at": decided,
                    "matac_source": Referral.MatacSource.RANKING,
                    "forum_case_id": first_case + n,
                }
            )
        perpetrators = sorted({row["person_id"] for row in named})
        for person in rng.sample(perpetrators, min(OPEN_MAPPA_REFERRALS, len(perpetrators))):
            referrals.append(
                {
                    "id": next_referral + len(referrals),
                    "kind": Referral.Kind.MAPPA,
                    "forum_id": mappa_l2.pk,
                    "person_id": person,
                    "status": Referral.Status.SUBMITTED,
                    "referring_agency_id": police.pk,
                    "referred_by_id": om.pk,
                    "created_at": decided,
                    "submitted_at": decided,
                    "status_since": decided,
                    "mappa_category": "3",
                    "level_sought": 2,
                }
            )
        counts = {
            "assessments": insert_rows(Assessment, assessments),
            "referrals": insert_rows(Referral, referrals),
            "perpetrators_named": insert_rows(Referral.perpetrators.through, named),
            "matac_selections": len(selected),
        }
        bulk.reset_sequences([Assessment, Referral, ForumCase])
        counts["seconds"] = round(time.monotonic() - started, 1)
        write_event(
            AccessContext.system(system_user()), Operation.CREATE, MARKER, None, Outcome.ALLOWED, "bench facts", counts
        )
    with connection.cursor() as cursor:
        for table in ("assessments_assessment", "referrals_referral", "referrals_referral_perpetrators"):
            cursor.execute(f"ANALYZE {table}")
    return {"built": True, **counts}


def measure_scan(repeats: int = 3) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from safeguard.actions import category3
    from safeguard.actions.models import Prompt
    from safeguard.events.models import IncidentPerson
    from safeguard.meetings.models import Forum
    from safeguard.workforce.models import Staff

    built = build_facts()
    today = timezone.localdate()
    # The area names its MAPPA coordinator on its Level 2 and 3 forums, as a configured area would; otherwise
    # every holder of the role in the area (the generated world has one per team) would be asked about everyone.
    coordinator = Staff.objects.get(username="coordinator.demo")
    for forum in Forum.objects.filter(kind__in=[Forum.Kind.MAPPA_LEVEL_2, Forum.Kind.MAPPA_LEVEL_3]):
        forum.coordinators.set([coordinator])
    cleared = Prompt.objects.filter(kind=Prompt.Kind.CATEGORY_3).delete()[0]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE actions_prompt")  # the cleared rows are not what a first night meets
    start = time.perf_counter()
    first = category3.scan(today)
    first_s = time.perf_counter() - start
    steady, summaries = [], []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        summaries.append(category3.scan(today))
        steady.append(time.perf_counter() - start)
    gathers = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        gathered = category3.gather(today)
        gathers.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        category3.gather(today)
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
    perpetrators = (
        IncidentPerson.objects.filter(role="perpetrator", incident__domestic_abuse=True)
        .values("person_id")
        .distinct()
        .count()
    )
    return {
        "facts": built,
        "da_perpetrators_in_the_world": perpetrators,
        "prompts_cleared_first": cleared,
        "first_run": {**first, "seconds": round(first_s, 2)},
        "steady_run_s": round(statistics.median(steady), 2),
        "steady_runs_s": [round(s, 2) for s in steady],
        "steady_summary": summaries[-1],
        "gather_s": round(statistics.median(gathers), 2),
        "perpetrators_with_facts": len(gathered),
        "gather_statements": len(captured.captured_queries),
        "gather_slowest": [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:500]} for q in slowest],
        "target_s": TARGET_S,
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--nominals", type=int, default=250_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=None, help="Also write the figures to this JSON file.")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    run.ensure_database(args.database_url, False)
    run.setup_django(args.database_url)
    run.ensure_world(args.seed, args.nominals, args.incidents)
    results = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": run.machine(), **measure_scan(args.repeats)}
    text = json.dumps(results, indent=2, default=str)
    if args.output:
        args.output.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
