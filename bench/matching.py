"""Matching people: Safeguard's Splink model against Splink's default comparisons, on one labelled set.

    .venv/bin/python bench/matching.py                      # 1,000,000 records (the target)
    .venv/bin/python bench/matching.py --records 50000      # a quick look

1. Prints the machine and its load average.
2. Generates the labelled set (safeguard.demo.duplicates: people entered more than once with typing slips,
   swapped day and month, 1 January placeholders, married names, missing identifiers, house moves; twins
   and households who are different people), and prepares it as the matching reads the database.
3. For each comparison set in turn, on the same records and the same blocking: trains by expectation
   maximisation (and, for Safeguard's, from the pairs that share an identifier), scores every candidate
   pair, and measures pairwise precision, recall and F1 at the review threshold (match probability 0.9,
   the setting's default) and at other thresholds; times each step.
4. Writes bench/results/matching.json and its section of docs/benchmarks.md.

Target: F1 ≥ 0.95 at the threshold on a million records, the whole dedupe (prepare, train, score) in
≤ 10 minutes on this machine. Benchmarks are not tests: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings.test")

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

import machine  # noqa: E402
import sections  # noqa: E402
from safeguard.demo.duplicates import LabelledPeople  # noqa: E402
from safeguard.matching import comparisons, linkage  # noqa: E402

THRESHOLD = 0.9
THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)
TARGET = {"f1": 0.95, "seconds": 600.0, "records": 1_000_000}
SETS = {
    "Safeguard's comparisons": comparisons.safeguard_settings,
    "Splink's default comparisons": comparisons.splink_default_settings,
}


def labelled(records: int, seed: int):
    started = time.perf_counter()
    rows = list(LabelledPeople(seed=seed).records(records))
    generated = time.perf_counter() - started
    started = time.perf_counter()
    table = linkage.prepare(rows, id_field="record_id")
    prepared = time.perf_counter() - started
    labels = pa.table({"record_id": [r["record_id"] for r in rows], "cluster": [r["cluster"] for r in rows]})
    return table, labels, {"generate_s": round(generated, 1), "prepare_s": round(prepared, 1)}


def evaluate(connection: duckdb.DuckDBPyConnection, scored, labels: pa.Table) -> dict:
    """Pairwise precision, recall and F1 at each threshold (the true pairs are every pair in a cluster)."""
    connection.register("labels", labels)
    connection.register("scored", scored.project("person_id_l, person_id_r, match_probability").to_arrow_table())
    truth = connection.sql(
        "SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM labels GROUP BY cluster)"
    ).fetchall()[0][0]
    out = {"true_pairs": int(truth)}
    for threshold in THRESHOLDS:
        found, right = connection.sql(
            f"""SELECT count(*), count(*) FILTER (WHERE a.cluster = b.cluster) FROM scored s
                JOIN labels a ON a.record_id = s.person_id_l JOIN labels b ON b.record_id = s.person_id_r
                WHERE s.match_probability >= {threshold}"""
        ).fetchall()[0]
        precision, recall = right / max(1, found), right / max(1, truth)
        f1 = 2 * precision * recall / max(1e-12, precision + recall)
        out[str(threshold)] = {
            "pairs": found,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        }
    return out


def run_set(name: str, settings, table: pa.Table, labels: pa.Table) -> dict:
    print(f"{name}: training", flush=True)
    started = time.perf_counter()
    trained = linkage.train(table, settings())
    trained_s = time.perf_counter() - started
    print(f"{name}: scoring", flush=True)
    started = time.perf_counter()
    connection = duckdb.connect()
    scored = linkage.predict(table, trained.model, min(THRESHOLDS), connection)
    figures = evaluate(connection, scored, labels)
    scored_s = time.perf_counter() - started
    figures |= {"train_s": round(trained_s, 1), "score_s": round(scored_s, 1)}
    at = figures[str(THRESHOLD)]
    print(
        f"{name}: F1 {at['f1']} (precision {at['precision']}, recall {at['recall']}), "
        f"train {trained_s:.0f} s, score {scored_s:.0f} s",
        flush=True,
    )
    return figures


def _row(name: str, f: dict, prepare_s: float) -> str:
    at = f[str(THRESHOLD)]
    total = prepare_s + f["train_s"] + f["score_s"]
    return (
        f"| {name} | {at['precision']:.4f} | {at['recall']:.4f} | **{at['f1']:.4f}** | {f['train_s']:,.0f} | "
        f"{f['score_s']:,.0f} | {total:,.0f} |"
    )


def report(r: dict) -> str:
    ours, default = r["sets"]["Safeguard's comparisons"], r["sets"]["Splink's default comparisons"]
    total = r["prepare_s"] + ours["train_s"] + ours["score_s"]
    f1 = ours[str(THRESHOLD)]["f1"]
    full = r["records"] >= TARGET["records"]
    met_f1, met_time = f1 >= TARGET["f1"], total <= TARGET["seconds"]
    failed = [
        text
        for ok, text in (
            (met_f1, "F1 below 0.95"),
            (met_time, "over 10 minutes"),
            (full, "fewer than a million records"),
        )
        if not ok
    ]
    verdict = "**met**" if not failed else "**not met**: " + ", ".join(failed)
    m = r["machine"]
    lines = [
        f"## Matching people (`bench/matching.py`), measured {r['measured_at']}",
        "",
        f"{r['records']:,} labelled person records ({r['true_pairs']:,} true pairs) from `safeguard.demo.duplicates`, "
        f"seed {r['seed']}; the same records, blocking and thresholds for both comparison sets, "
        "one after the other in one run.",
        "Pairwise precision, recall and F1 at the review threshold (match probability "
        f"{THRESHOLD}); times in seconds (prepare: {r['prepare_s']:,.0f} s, shared).",
        "",
        "| comparison set | precision | recall | F1 | train (s) | score (s) | whole dedupe (s) |",
        "|---|---|---|---|---|---|---|",
        _row("Safeguard's comparisons", ours, r["prepare_s"]),
        _row("Splink's default comparisons", default, r["prepare_s"]),
        "",
        f"Target: F1 ≥ 0.95 on a million records, the whole dedupe in ≤ 10 minutes: {verdict} "
        f"(F1 {f1:.4f}, {total:,.0f} s).",
        "",
        "F1 by threshold: "
        + "; ".join(f"{t}: {ours[str(t)]['f1']:.4f} vs {default[str(t)]['f1']:.4f}" for t in THRESHOLDS)
        + " (Safeguard's vs Splink's defaults).",
        "",
        f"Machine: {m['cores']} cores, {m['memory_gb']} GB memory, Splink {r['splink']}, DuckDB {r['duckdb']}; "
        f"load average before {', '.join(map(str, m['load_average_before']))}, "
        f"after {', '.join(map(str, r['load_average_after']))}.",
    ]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=TARGET["records"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-docs", action="store_true", help="Write bench/results only.")
    args = parser.parse_args(argv)
    import splink

    described = machine.describe()
    described["load_average_before"] = machine.load_average()
    print(f"Machine: {described}", flush=True)
    table, labels, times = labelled(args.records, args.seed)
    print(
        f"{args.records:,} records generated in {times['generate_s']} s, prepared in {times['prepare_s']} s", flush=True
    )
    results = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "records": args.records,
        "seed": args.seed,
        "machine": described,
        "splink": splink.__version__,
        "duckdb": duckdb.__version__,
        **times,
        "sets": {name: run_set(name, settings, table, labels) for name, settings in SETS.items()},
    }
    results["true_pairs"] = results["sets"]["Safeguard's comparisons"]["true_pairs"]
    results["load_average_after"] = machine.load_average()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "matching.json").write_text(json.dumps(results, indent=2, default=str))
    text = report(results)
    print(text)
    if not args.no_docs:
        sections.write("matching", text, ROOT / "docs" / "benchmarks.md")


if __name__ == "__main__":
    main()
