"""Write docs/benchmarks.md from the figures of a run (bench/results/latest.json)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

RERUN = "make bench    # or: .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/safeguard"


def _met(value: float | None, target: float) -> str:
    if value is None:
        return "**not measured**"
    return "yes" if value <= target else "**no**"


def _fig(figures: dict | None, key: str):
    return "n/a" if not figures or figures.get(key) is None else figures[key]


def write(results: dict, path: Path) -> None:
    m, d = results["machine"], results["dataset"]
    s, n, g = results["search"], results["nominal_page"], results["gate_overhead"]
    rows = [
        (
            "Person search, one typo plus date of birth (POST /search/)",
            s["p50"],
            s["p95"],
            f"p95 ≤ {s['target_p95_ms']:g} ms",
            _met(s["p95"], s["target_p95_ms"]),
        ),
        (
            "Nominal page as MAPPA coordinator (GET /nominals/<pk>/)",
            _fig(n, "p50"),
            _fig(n, "p95"),
            f"p95 ≤ {n['target_p95_ms']:g} ms",
            _met(n["p95"], n["target_p95_ms"]),
        ),
        ("Nominal page with the gate and audit", _fig(g["with_gate"], "p50"), _fig(g["with_gate"], "p95"), "", ""),
        (
            "Nominal page with authorise() replaced by a no-op",
            _fig(g["without_gate"], "p50"),
            _fig(g["without_gate"], "p95"),
            "",
            "",
        ),
        (
            "Gate and audit overhead (ratio of medians)",
            _fig(g, "ratio_of_medians"),
            "",
            f"≤ {g['target_ratio']:.2f}",
            _met(g["ratio_of_medians"], g["target_ratio"]),
        ),
    ]
    due, rfg = results.get("due_dates"), results.get("rfg")
    if due:
        rows.append(
            (
                f"Due dates of every active nominal ({due['nominals']:,}), worked out and written in bulk",
                f"{due['bulk_seconds'] * 1000:,.0f}",
                "",
                f"≤ {due['target_seconds']:g} s",
                _met(due["bulk_seconds"], due["target_seconds"]),
            )
        )
        rows.append(
            (
                f"The same one nominal at a time (sample of {due['one_at_a_time_sample']}, scaled)",
                f"{due['one_at_a_time_scaled_seconds'] * 1000:,.0f}",
                "",
                f"bulk is {due['ratio']}× faster",
                "",
            )
        )
    if rfg:
        rows.append(
            (
                f"RFG ranking of the whole force in SQL ({rfg['perpetrators_scored']:,} perpetrators)",
                f"{rfg['rank_force_s'] * 1000:,.0f}",
                "",
                f"≤ {rfg['target_rank_force_s']:g} s and faster than pandas",
                "yes"
                if rfg["rank_force_s"] <= rfg["target_rank_force_s"] and rfg["pandas_s"] > rfg["rank_force_s"]
                else "**no**",
            )
        )
        rows.append(
            (
                "The same scoring in pandas (read from the database, then group)",
                f"{rfg['pandas_s'] * 1000:,.0f}",
                "",
                f"SQL is {rfg['pandas_over_rank_force']}× faster; same ranking: {rfg['same_ranking']}",
                "yes" if rfg["same_ranking"] else "**no**",
            )
        )
    alloc = results.get("allocation")
    if alloc:
        solved, naive = alloc["solve"], alloc["least_loaded"]
        rows.append(
            (
                f"Allocation of {alloc['new_nominals']:,} new nominals over {alloc['officers']} officers holding "
                f"{alloc['cases_held']:,} cases (HiGHS MIP)",
                f"{solved['seconds'] * 1000:,.0f}",
                "",
                f"≤ {alloc['target_seconds']:g} s, gap ≤ {alloc['target_gap']:.0%}, 0 violations",
                "yes"
                if alloc["solve_within_target"] and alloc["gap_within_target"] and solved["hard_rule_violations"] == 0
                else "**no**",
            )
        )
        rows.append(
            (
                "The same batch, greedy rule 'least-loaded trained officer'",
                f"{naive['seconds'] * 1000:,.0f}",
                "",
                f"largest caseload {naive.get('largest_caseload')} vs {solved.get('largest_caseload')}; "
                f"high-risk share spread {naive.get('high_risk_share_spread_points')} vs "
                f"{solved.get('high_risk_share_spread_points')} points; over the high-risk cap "
                f"{naive.get('officers_over_high_risk_cap')} vs {solved.get('officers_over_high_risk_cap')} officers",
                "",
            )
        )
    rows += _allocation_db_rows(results.get("allocation_db"))
    rows += _forum_rows(results.get("forums"))
    rows += _paged_list_rows(results.get("paged_lists"))
    rows += _audit_rows(results.get("audit"))
    lines = [
        "# Benchmarks",
        "",
        "Figures from `bench/run.py`, written by the run itself (do not edit by hand).",
        f"Measured {results['date']}.",
        "",
        "| measure | p50 (ms) | p95 (ms) | target | met? |",
        "|---|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {t} | {ok} |" for a, b, c, t, ok in rows],
        "",
        f"Search found the intended person in {s['found_share']:.1%} of {s['n']} searches; "
        f"{s.get('timed_out', 0)} were stopped at the 20 s statement time-out and count as 20 s "
        f"(HTTP status {', '.join(map(str, s['statuses']))}); nominal pages answered "
        f"{', '.join(map(str, n['statuses']))}. The gate run wrote {g['audit_events_written']:,} audit events.",
        "",
        "## How it is measured",
        "",
        "- One process, Django's test client in-process (no network, no web server), settings",
        "  `safeguard.settings.test` with `DATABASE_URL` pointing at the benchmark database; each request",
        "  runs the full middleware stack (session, MFA check, access gate, audit write, template).",
        f"- {s['n']} searches, each for a different real person of the world: the given name and the family",
        "  name with two neighbouring letters swapped, plus the date of birth, as an offender manager",
        "  (who may search the whole MAPPA area). Ten warm-up requests are not counted; each measure stops",
        "  after its time budget (150 s by default), so a slow measure shows as fewer samples.",
        f"- {n['n']} nominal pages, each a different nominal, as the area's MAPPA coordinator.",
        "- Gate overhead: the same nominal page fetched twice in a row, once as it is and once with",
        "  `safeguard.access.gate.authorise` patched to a no-op (in the benchmark process only),",
        "  interleaved so that both see the same cache state; the ratio of the two medians.",
        "- Due dates (`bench/due_dates.py`): `offenders.due_dates.recompute_all(force=True)` over every active",
        "  nominal (the daily task's work: read the facts in bulk, apply the pure rules, COPY the answers into a",
        "  temporary table and UPDATE from it), median of three runs; beside it `recompute([id])` one nominal",
        "  at a time on a random sample, scaled to the whole world.",
        "- RFG (`bench/rfg.py`): `assessments.rfg_ranking.rank_force` scores every perpetrator with a",
        "  domestic-abuse record in the look-back in one SQL statement and ranks the top N serial",
        "  perpetrators per local authority area; beside it a plain pandas implementation of the same",
        "  scoring (one query for the rows, then groupby), timed including its read; medians of three",
        "  interleaved runs. Both rankings (top N and the full ranking) are compared row for row.",
        "- Allocation (`bench/allocation.py`, pure Python, synthetic): 1,000 new nominals over 400 officers",
        "  already holding 20,000 cases, solved exactly with HiGHS (`workforce.solver.solve`), beside the greedy",
        "  rule 'least-loaded trained officer'; both are checked for hard-constraint violations.",
        "- Allocation from the database (`bench/allocation.py --db-only`, its own world `sg_allocation_bench`,",
        "  about 400 offender managers and 20,000 cases): `workforce.services.allocation.start_batch` as the",
        "  MAPPA coordinator (build the problem from the records, solve, store the recommendations) and",
        '  "accept all" as the page does it, a background job: the request (check, record and queue the job)',
        "  beside the job (`jobs.runner.run`: each decision through `offenders.services.change_nominal` and the",
        "  gate, in one transaction; the worker's poll interval not counted), each rolled back;",
        "  the stored answer is checked against the hard rules and compared with 'least-loaded trained officer'.",
        "- Forums (`bench/forums.py`, worlds of their own): `bench/agenda.py` builds one meeting's agenda for each",
        "  kind of forum as its coordinator, 15 runs each rolled back, on 250,000 nominals, 50 forums and 10,000",
        '  open actions (`sg_meetings_bench`); `bench/my_work_actions.py` fetches an officer\'s "my work" with',
        "  their open actions (250 requests) on a generated world of 250,000 nominals and 1,000,000",
        "  domestic-abuse incidents with 50 forums and 10,000 open actions added (`sg_actions_bench`);",
        "  `bench/category3.py` runs the Category 3 scan over every domestic-abuse perpetrator of that world",
        "  (first run, then the median of three).",
        "- Paged lists (`bench/paged_lists.py`, the main world): my work as the MAPPA coordinator (page 1, page 20,",
        "  sorted by name last first, filtered to the overdue), today's triage board (opened once), search by the",
        "  commonest family name alone, a supervisor's team caseloads, referrals and our agency's actions; as the",
        "  MAPPA coordinator the largest team's officers, the area's training page and an allocation batch of the",
        "  area's unallocated nominals (first and a deep page each); each page one bounded query and a count",
        "  capped at 10,000 (`web/lists.py`), the gate and audit included.",
        "- Audit store (`bench/audit.py`, its own database `sg_audit_bench`): 100 million audit rows at 3 million a",
        "  day, one partition a month; the access-log page's query for random nominals and one user's month of",
        "  reads; single audited-view inserts (ORM create and commit) into the partitioned table and into a copy of",
        "  the partition they go to, unpartitioned, interleaved, with and without the sealing job running in a",
        "  process of its own.",
        "",
        "## Machine and data",
        "",
        f"- {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB memory; PostgreSQL {m['postgresql']} on the same",
        f"  machine; Python {m['python']}, Django {m['django']}.",
        f"- Load average (1, 5, 15 minutes) before the run {', '.join(map(str, m.get('load_average_before', [])))}, "
        f"after it {', '.join(map(str, m.get('load_average_after', [])))}: a busy machine makes every figure slower.",
        f"- World: seed {results['generation']['seed']}, {d['nominals']:,} nominals, {d['people']:,} people, "
        f"{d['incidents']:,} domestic-abuse incidents, {d['incident_people']:,} incident roles, "
        f"{d['name_keys']:,} name search keys, all in one MAPPA area (the worst case for a search scoped to the area).",
    ]
    if results["generation"].get("seconds"):
        lines.append(f"- Generating the world took {results['generation']['seconds']} s (first run only).")
    lines += [
        "",
        "## Rerun",
        "",
        "```",
        RERUN,
        "```",
        "",
        "The first run creates the database, migrates it and generates the world (a few minutes);",
        "later runs find the world by its seed and size and only measure. `--fresh` rebuilds it;",
        "`--nominals`, `--incidents` and `--iterations` change the sizes. Raw figures, with the SQL of one",
        "search and the plan of its slowest statement, are in `bench/results/latest.json`.",
        "",
    ]
    # The sections other benchmarks write (the load test's, matching's, ...) are their own: kept as they were.
    import sections

    kept = sections.keep(path.read_text()) if path.exists() else ""
    path.write_text("\n".join(lines) + (f"\n{kept}\n" if kept else ""))


def _allocation_db_rows(db: dict | None) -> list[tuple]:
    if not db:
        return []
    if "error" in db:
        return [("Allocation batches from the database", "", "", "", f"**failed**: {' '.join(db['error'])}")]
    rows = []
    for b in db.get("batches", []):
        rec, naive = b.get("recommended") or {}, b.get("least_loaded") or {}
        rows.append(
            (
                f"Allocation batch from the database, {b['batch']} ({b.get('nominals'):,} nominals over "
                f"{b.get('officers')} officers holding {b.get('cases_held'):,} cases): build, solve and store",
                f"{b['start_batch_seconds'] * 1000:,.0f}",
                "",
                f"build {b.get('build_from_db_seconds')} s, solve {b.get('solve_seconds')} s ({b.get('method')}, "
                f"proven optimal: {b.get('proven_optimal')}); stored hard-rule violations "
                f"{b.get('stored_hard_rule_violations')}",
                "yes" if b.get("stored_hard_rule_violations") == 0 else "**no**",
            )
        )
        if b.get("accept_all_request_seconds") is not None:
            rows.append(
                (
                    "The same batch: accept all, the page's request (queues the background job and answers)",
                    f"{b['accept_all_request_seconds'] * 1000:,.0f}",
                    "",
                    "the answer is the job's page with its progress bar",
                    "",
                )
            )
        rows.append(
            (
                f"The same batch: accept all, the background job ({b.get('accepted')} decisions through the gate)",
                f"{b['accept_all_seconds'] * 1000:,.0f}" if b.get("accept_all_seconds") is not None else "n/a",
                "",
                f"largest caseload {rec.get('largest_caseload')} vs least-loaded {naive.get('largest_caseload')}; "
                f"high-risk share spread {rec.get('high_risk_share_spread_points')} vs "
                f"{naive.get('high_risk_share_spread_points')} points; over the cap "
                f"{rec.get('officers_over_high_risk_cap')} vs {naive.get('officers_over_high_risk_cap')} officers",
                "",
            )
        )
    return rows


PAGED_LISTS = (
    ("my_work_page_1", "My work, the MAPPA coordinator's first page (nearest due first)"),
    ("my_work_deep_page", "My work, a deep page of the Level 2 and 3 nominals"),
    ("my_work_by_name_descending", "My work sorted by name, last first, page 2"),
    ("my_work_overdue", "My work filtered to the overdue"),
    ("triage_page_1", "Today's triage board, first page"),
    ("triage_by_when_ungraded", "Today's triage board, ungraded, by when"),
    ("search_family_name", "Search by a common family name alone (bounded)"),
    ("caseloads", "A supervisor's team caseloads"),
    ("referrals", "The referrals list, every status"),
    ("agency_actions", "Our agency's actions, sorted by person"),
    ("team_officers_page_1", "A team's officers, the area's largest team (coordinator), first page"),
    ("team_officers_last_page", "A team's officers by name, last page"),
    ("training_page_1", "Training and competence, the area's officers (coordinator), first page"),
    ("training_deep_page", "Training and competence by team, a deep page"),
    ("batch_page_1", "An allocation batch of the area's unallocated nominals, first page"),
    ("batch_deep_page", "An allocation batch by RoSH, a deep page"),
)


def _paged_list_rows(paged: dict | None) -> list[tuple]:
    """The paged lists (bench/paged_lists.py), each against p95 at most 150 ms."""
    if not paged:
        return []
    rows = []
    for key, label in PAGED_LISTS:
        f = paged.get(key)
        if not f:
            continue
        target = f.get("target_p95_ms", 150.0)
        rows.append((label, f["p50"], f["p95"], f"p95 ≤ {target:g} ms", _met(f["p95"], target)))
    return rows


def _forum_rows(forums: dict | None) -> list[tuple]:
    if not forums:
        return []
    rows = []
    agenda = forums.get("agenda") or {}
    if "error" in agenda:
        rows.append(("One meeting's agenda", "", "", "≤ 500 ms", f"**failed**: {' '.join(agenda['error'])}"))
    target = agenda.get("target_ms", 500.0)
    for kind, label in (
        ("mappa_l2", "MAPPA Level 2"),
        ("mappa_l3", "MAPPA Level 3"),
        ("marac", "MARAC"),
        ("matac", "MATAC"),
    ):
        f = agenda.get(kind)
        if not f:
            continue
        rows.append(
            (
                f"One meeting's agenda built for the coordinator: {label} ({f['open_cases']:,} open cases, "
                f"{f['agenda_items']} items)",
                f["build_ms"]["p50"],
                f["build_ms"]["p95"],
                f"≤ {target:g} ms (of which listing {f['referrals_listed']} referrals: "
                f"{f['of_which_listing_referrals_ms']['p50']} ms)",
                _met(f["build_ms"]["p95"], target),
            )
        )
    work = forums.get("my_work") or {}
    if "error" in work:
        rows.append(("An officer's my work with open actions", "", "", "p95 ≤ 150 ms", "**failed**"))
    elif work.get("my_work_officer"):
        o = work["my_work_officer"]
        rows.append(
            (
                f"An officer's my work with their {work.get('om_open_actions')} open actions "
                f"({work.get('open_actions'):,} open in all)",
                o["p50"],
                o["p95"],
                f"p95 ≤ {o['target_p95_ms']:g} ms",
                _met(o["p95"], o["target_p95_ms"]),
            )
        )
        if work.get("my_work_partner"):
            p = work["my_work_partner"]
            rows.append(("A housing partner's my work (no target)", p["p50"], p["p95"], "", ""))
    scan = forums.get("category3") or {}
    if "error" in scan:
        rows.append(("Category 3 prompt scan", "", "", "≤ 10 s", "**failed**"))
    elif scan.get("first_run"):
        rows.append(
            (
                f"Category 3 prompt scan over every DA perpetrator ({scan['da_perpetrators_in_the_world']:,}), "
                f"first run",
                f"{scan['first_run']['seconds'] * 1000:,.0f}",
                "",
                f"≤ {scan['target_s']:g} s",
                _met(scan["first_run"]["seconds"], scan["target_s"]),
            )
        )
        rows.append(
            (
                "The same scan, nightly steady state (median of later runs)",
                f"{scan['steady_run_s'] * 1000:,.0f}",
                "",
                f"≤ {scan['target_s']:g} s; facts from SQL alone {scan['gather_s']} s",
                _met(scan["steady_run_s"], scan["target_s"]),
            )
        )
    return rows


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results" / "latest.json"
    write(json.loads(source.read_text()), Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md")


def _audit_rows(audit: dict | None) -> list[tuple]:
    if not audit:
        return []
    if "error" in audit:
        return [("The audit store at 100 million rows", "", "", "p95 ≤ 100 ms", "**failed**")]
    rows_label = f"{audit['generation']['rows']:,} audit rows"
    who, month, ins = audit["who_looked_at_a_record"], audit["a_users_month_of_reads"], audit["inserts"]
    rows = [
        (
            f"Who has looked at this record ({rows_label})",
            who["p50"],
            who["p95"],
            f"p95 ≤ {who['target_p95_ms']:g} ms",
            _met(who["p95"], who["target_p95_ms"]),
        ),
        (
            f"A user's month of reads ({month['rows_median']:g} rows, {rows_label})",
            month["p50"],
            month["p95"],
            f"p95 ≤ {month['target_p95_ms']:g} ms",
            _met(month["p95"], month["target_p95_ms"]),
        ),
    ]
    for key, label in (
        ("plain", "One audited view's insert, unpartitioned"),
        ("partitioned", "One audited view's insert, partitioned"),
        ("plain_while_sealing", "One audited view's insert, unpartitioned, sealing running"),
        ("partitioned_while_sealing", "One audited view's insert, partitioned, sealing running"),
    ):
        rows.append((label, ins[key]["p50"], ins[key]["p95"], "", ""))
    rows.append(
        ("Insert, partitioned / unpartitioned (ratio of medians)", ins["ratio_partitioned_to_plain"], "", "", "")
    )
    rows.append(
        (
            "Insert, partitioned, sealing running / not (ratio of medians)",
            ins["ratio_sealing_to_not_partitioned"],
            "",
            "",
            "",
        )
    )
    rows.append(
        (
            f"Sealing an hour of national audit rows (125,000), in seconds; verify {audit['verify']['rows_per_second']}"
            " rows/s",
            audit["seal_an_hour_of_national_rows_s"],
            "",
            "",
            "",
        )
    )
    return rows
