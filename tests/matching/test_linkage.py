"""The Splink model on a labelled generated set: it finds the people entered twice, and keeps twins apart
no worse than Splink's own default comparisons (the whole evaluation at a million records is bench/matching.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from safeguard.demo.duplicates import LabelledPeople, typo
from safeguard.matching import comparisons, linkage
from safeguard.rules import matching as rules


def _true_pairs(records):
    clusters = defaultdict(list)
    for r in records:
        clusters[r["cluster"]].append(r["record_id"])
    return {(a, b) for ids in clusters.values() for i, a in enumerate(ids) for b in ids[i + 1 :]}


def _scores(records, settings, threshold):
    table = linkage.prepare(records, id_field="record_id")
    trained = linkage.train(table, settings)
    rows = linkage.predict(table, trained.model, threshold).project("person_id_l, person_id_r").fetchall()
    return {(min(a, b), max(a, b)) for a, b in rows}, trained


def _f1(found, truth):
    hits = len(found & truth)
    precision, recall = hits / max(1, len(found)), hits / max(1, len(truth))
    return 2 * precision * recall / max(1e-9, precision + recall)


@pytest.fixture(scope="module")
def labelled():
    return list(LabelledPeople(seed=7).records(4000))


def test_the_model_finds_people_entered_twice_and_beats_splinks_defaults(labelled):
    truth = _true_pairs(labelled)
    ours, trained = _scores(labelled, comparisons.safeguard_settings(), 0.9)
    default, _ = _scores(labelled, comparisons.splink_default_settings(), 0.9)
    assert _f1(ours, truth) >= 0.93
    assert _f1(ours, truth) > _f1(default, truth)
    assert trained.records == 4000 and trained.model["comparisons"]


def test_prepare_folds_names_adds_sound_keys_and_normalises_postcodes():
    table = linkage.prepare(
        [
            {
                "person_id": 1,
                "given_name": "Zoë",
                "family_name": "O'Brien-Smyth",
                "other_family_names": ["Whitlock"],
                "date_of_birth": dt.date(1990, 3, 4),
                "postcode": "zz1  2ab",
                "gender": "not_known",
                "pnc_id": " 06/0123456g ",
            }
        ]
    ).to_pylist()[0]
    assert table["given_name"] == "zoe" and table["family_name"] == "obriensmyth"
    assert table["family_names"] == ["obriensmyth", "whitlock"]
    assert table["given_sdx"] == "Z000" and table["postcode"] == "ZZ1 2AB"
    assert table["gender"] is None and table["pnc_id"] == "06/0123456G" and table["crn"] is None


def test_a_typo_is_always_one_slip_and_never_the_same_word():
    import random

    rng = random.Random(1)
    for word in ("Ann", "Smith", "Featherstonehaugh", "Li"):
        for _ in range(50):
            slipped = typo(word, rng)
            assert slipped.lower() != word.lower()
            assert abs(len(slipped) - len(word)) <= 1


def test_the_labelled_set_holds_twins_and_households_as_different_people():
    records = list(LabelledPeople(seed=3).records(5000))
    by_key = defaultdict(set)
    for r in records:
        by_key[(r["family_name"], r["date_of_birth"], r["postcode"])].add(r["cluster"])
    assert any(len(clusters) > 1 for clusters in by_key.values()), "twins share name, birth date and address"


@pytest.mark.parametrize(("weight", "probability"), [(0.0, 0.5), (1.0, 2 / 3), (-1.0, 1 / 3), (100.0, 1.0)])
def test_a_match_weight_reads_as_a_probability(weight, probability):
    assert rules.probability(weight) == pytest.approx(probability)


@pytest.mark.parametrize(
    ("status", "decision", "reason", "problem"),
    [
        ("open", "same", "Same PNC and photo", None),
        ("not_sure", "different", "Different dates of birth on the PNC", None),
        ("open", "same", "short", "Enter the reason"),
        ("open", "open", "A long enough reason", "Choose the same person"),
        ("same", "different", "A long enough reason", "decided already"),
        ("different", "same", "A long enough reason", "decided already"),
    ],
)
def test_what_a_reviewer_may_decide(status, decision, reason, problem):
    said = rules.may_decide(status, decision, reason)
    assert (said is None) if problem is None else (problem in said)
