"""Running the Splink model: prepare records, train, save, score pairs (DuckDB, in memory).

A record here is a dict of one person's matching fields (the extract from the database, or a generated
labelled record): ``person_id``, ``given_name``, ``family_name``, ``other_family_names`` (birth and previous
names), ``date_of_birth``, ``postcode``, ``gender`` and the identifiers. ``prepare`` folds names as person
search does (``rules.names.fold``), adds their Soundex keys and normalises postcodes; nothing else is
changed. Nothing here touches Django's database: the caller reads and writes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb
import jellyfish
import pyarrow as pa
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from safeguard.rules.names import fold

from . import comparisons

COLUMNS = pa.schema(
    [
        ("person_id", pa.int64()),
        ("given_name", pa.string()),
        ("family_name", pa.string()),
        ("family_names", pa.list_(pa.string())),
        ("given_sdx", pa.string()),
        ("family_sdx", pa.string()),
        ("date_of_birth", pa.date32()),
        ("postcode", pa.string()),
        ("gender", pa.string()),
        *((name, pa.string()) for name in comparisons.IDENTIFIERS),
    ]
)
GENDERS = {"male", "female"}


def postcode(value: str | None) -> str | None:
    """'zz1 2ab' -> 'ZZ1 2AB' (outward code, space, inward code), or None."""
    text = "".join((value or "").split()).upper()
    if len(text) < 5:
        return None
    return f"{text[:-3]} {text[-3:]}"


def _soundex(word: str | None) -> str | None:
    return jellyfish.soundex(word) if word else None


def prepare(records: Iterable[dict[str, Any]], id_field: str = "person_id") -> pa.Table:
    """The records as Splink's input table."""
    columns: dict[str, list] = {name: [] for name in COLUMNS.names}
    for record in records:
        given, family = fold(record.get("given_name") or "") or None, fold(record.get("family_name") or "") or None
        others = [fold(n) for n in record.get("other_family_names") or () if fold(n)]
        columns["person_id"].append(record[id_field])
        columns["given_name"].append(given)
        columns["family_name"].append(family)
        columns["family_names"].append(sorted({*(others), *([family] if family else [])}) or None)
        columns["given_sdx"].append(_soundex(given))
        columns["family_sdx"].append(_soundex(family))
        columns["date_of_birth"].append(record.get("date_of_birth"))
        columns["postcode"].append(postcode(record.get("postcode")))
        gender = record.get("gender")
        columns["gender"].append(gender if gender in GENDERS else None)
        for name in comparisons.IDENTIFIERS:
            value = (record.get(name) or "").strip().upper()
            columns[name].append(value or None)
    return pa.table(columns, schema=COLUMNS)


@dataclass
class Trained:
    model: dict[str, Any]  # Splink's JSON model: settings with the learnt m and u probabilities
    trained_at: dt.datetime
    records: int


def _linker(table: pa.Table, settings: SettingsCreator | dict, connection: duckdb.DuckDBPyConnection | None) -> Linker:
    db_api = DuckDBAPI(connection=connection or duckdb.connect())
    frame = db_api.register(table, dataset_display_name="people")
    return Linker(frame, settings, log_level=logging.WARNING)


def train(table: pa.Table, settings: SettingsCreator | None = None, *, seed: int = 2026) -> Trained:
    """Train by expectation maximisation on the records themselves (no labels)."""
    linker = _linker(table, settings or comparisons.safeguard_settings(), None)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on(*rule) for rule in comparisons.DETERMINISTIC], recall=comparisons.DETERMINISTIC_RECALL
    )
    training.estimate_u_using_random_sampling(max_pairs=comparisons.U_SAMPLE_PAIRS, seed=seed)
    for rule in comparisons.TRAINING_BLOCKS:
        training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    learnt_by_em = _levels(linker.misc.save_model_to_json(), comparisons.IDENTIFIERS_COMPARISON)
    labelled = [c for c in comparisons.LABEL_COLUMNS if table.column(c).null_count < table.num_rows]
    for column in labelled:
        training.estimate_m_from_label_column(column)
    model = linker.misc.save_model_to_json()
    if labelled and learnt_by_em is not None:
        _replace_levels(model, comparisons.IDENTIFIERS_COMPARISON, learnt_by_em)
    return Trained(model=model, trained_at=dt.datetime.now(dt.UTC), records=table.num_rows)


def _levels(model: dict[str, Any], name: str) -> list[dict[str, Any]] | None:
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] == name:
            return [dict(level) for level in comparison["comparison_levels"]]
    return None


def _replace_levels(model: dict[str, Any], name: str, levels: list[dict[str, Any]]) -> None:
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] == name:
            comparison["comparison_levels"] = levels


def predict(
    table: pa.Table,
    model: dict[str, Any],
    threshold: float,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> duckdb.DuckDBPyRelation:
    """Every candidate pair scored, kept when its match probability is at least ``threshold``: a DuckDB
    relation with ``person_id_l``, ``person_id_r``, ``match_weight``, ``match_probability`` and, for each
    comparison, its level (``gamma_<name>``) and that level's weight (``bf_<name>``)."""
    connection = connection or duckdb.connect()
    linker = _linker(table, model, connection)
    scored = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    return scored.as_duckdbpyrelation()


def comparison_levels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """For each comparison, its levels' labels by level number (the waterfall's words)."""
    out: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        # Splink numbers the non-null levels from the most alike down to 0 (the else level); null is -1.
        count = len(levels)
        out[name] = {-1: "Not recorded on both"} | {
            count - 1 - i: level.get("label_for_charts") or level["sql_condition"] for i, level in enumerate(levels)
        }
    return out
