"""Matching use cases: train an area's model, find the pairs to review, decide a pair, and send a clashing
identifier to review instead of naming the record that holds it.

Training and finding are system work (a management command or a background task): they read every person
record of the area without a person's screen, and are audited as the system's, with counts only. Splink and
DuckDB are imported only here, when a run starts, so that no web request pays for them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation
from safeguard.rules import matching as rules

from .extract import people_of_area
from .models import CandidatePair, MatchModel

Progress = Callable[[str], None]
DEFAULT_THRESHOLD = 0.9


def review_threshold() -> float:
    """The match probability from which a pair goes to review (a setting: see docs/decisions.md)."""
    return float(getattr(settings, "SAFEGUARD_MATCH_REVIEW_THRESHOLD", DEFAULT_THRESHOLD))


def _say(progress: Progress | None, text: str) -> None:
    if progress:
        progress(text)


def train_model(area: Any, *, progress: Progress | None = None) -> MatchModel:
    """Train a new version of the area's model on its own records, by expectation maximisation."""
    import splink

    from . import linkage

    _say(progress, "Reading the area's person records")
    table = linkage.prepare(people_of_area(area.pk))
    if table.num_rows < 2:
        raise ValidationError("There are too few person records in the area to train a model.")
    _say(progress, f"Training on {table.num_rows:,} records")
    trained = linkage.train(table)
    with transaction.atomic():
        latest = MatchModel.objects.filter(area=area).aggregate(v=Max("version"))["v"] or 0
        model = MatchModel.objects.create(
            area=area,
            version=latest + 1,
            trained_at=trained.trained_at,
            records=trained.records,
            threshold=review_threshold(),
            splink_version=splink.__version__,
            model=trained.model,
        )
        gate.audit_system(
            Operation.CREATE,
            "matching.matchmodel",
            model.pk,
            "matching model trained",
            {"area": area.pk, "version": model.version, "records": model.records},
        )
    return model


@dataclass(frozen=True)
class Found:
    scored: int  # pairs at or above the threshold
    new: int  # of those, not seen before
    updated: int  # still open, with the new model's score


def waterfall(row: dict[str, Any], labels: dict[str, dict[int, str]], prior_weight: float) -> list[dict[str, Any]]:
    """What agreed and what did not, as Splink scored it: the prior, then each comparison's level and weight."""
    steps: list[dict[str, Any]] = [
        {"comparison": "prior", "label": "Two records picked at random", "weight": prior_weight}
    ]
    for name, levels in labels.items():
        gamma = int(row[f"gamma_{name}"])
        weight = float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
        steps.append({"comparison": name, "label": levels.get(gamma, str(gamma)), "weight": round(weight, 3)})
    return steps


def _prior_weight(model: dict[str, Any]) -> float:
    prior = float(model["probability_two_random_records_match"])
    return math.log2(prior / (1.0 - prior))


def find_pairs(area: Any, model: MatchModel | None = None, *, progress: Progress | None = None) -> Found:
    """Score the area's candidate pairs with its latest model and queue those at or above its threshold.
    A pair already decided stays decided; an open one takes the new score."""
    from . import linkage

    model = model or MatchModel.objects.filter(area=area).order_by("-version").first()
    if model is None:
        raise ValidationError("The area has no matching model yet: train one first.")
    _say(progress, "Reading the area's person records")
    table = linkage.prepare(people_of_area(area.pk))
    _say(progress, f"Scoring candidate pairs among {table.num_rows:,} records")
    relation = linkage.predict(table, model.model, model.threshold)
    labels = linkage.comparison_levels(model.model)
    prior = _prior_weight(model.model)
    columns = ["person_id_l", "person_id_r", "match_weight", "match_probability"]
    columns += [c for c in relation.columns if c.startswith(("gamma_", "mw_"))]
    rows = relation.project(", ".join(columns)).to_arrow_table().to_pylist()
    _say(progress, f"Queueing {len(rows):,} pairs for review")
    existing = {
        (p.first_id, p.second_id): p
        for p in CandidatePair.objects.filter(area=area).filter(
            Q(first_id__in=[min(r["person_id_l"], r["person_id_r"]) for r in rows])
        )
    }
    new, updated = [], []
    now = timezone.now()
    for row in rows:
        key = (min(row["person_id_l"], row["person_id_r"]), max(row["person_id_l"], row["person_id_r"]))
        score = {
            "match_model": model,
            "match_weight": float(row["match_weight"]),
            "match_probability": float(row["match_probability"]),
            "waterfall": waterfall(row, labels, prior),
        }
        pair = existing.get(key)
        if pair is None:
            new.append(
                CandidatePair(area=area, first_id=key[0], second_id=key[1], source="model", found_at=now, **score)
            )
        elif pair.is_open and pair.source == CandidatePair.Source.MODEL:
            for field, value in score.items():
                setattr(pair, field, value)
            updated.append(pair)
    with transaction.atomic():
        CandidatePair.objects.bulk_create(new, batch_size=2000)
        CandidatePair.objects.bulk_update(
            updated, ["match_model", "match_weight", "match_probability", "waterfall"], batch_size=2000
        )
        gate.audit_system(
            Operation.CREATE,
            "matching.candidatepair",
            None,
            "possible matches found",
            {"area": area.pk, "model_version": model.version, "scored": len(rows), "new": len(new)},
        )
    return Found(scored=len(rows), new=len(new), updated=len(updated))


def decide_pair(
    ctx: AccessContext, pair: CandidatePair, *, decision: str, reason: str, expected_version: int | None = None
) -> CandidatePair:
    """A reviewer's decision on a pair: the same person, different people, or not sure, with the reason."""
    with gate.changing(
        ctx, CandidatePair, pair.pk, expected_version, related=("first", "second"), detail={"decision": decision}
    ) as change:
        record = change.record
        problem = rules.may_decide(record.status, decision, reason)
        if problem:
            field = "decision" if decision not in rules.DECISIONS else "reason"
            raise ValidationError({"__all__" if record.status not in rules.UNDECIDED else field: problem})
        record.status = decision
        record.reason = reason.strip()
        record.decided_by = ctx.user
        record.decided_at = timezone.now()
        change.save()
    return record


def route_identifier_clash(ctx: AccessContext, person: Any, field: str, value: str, holder_id: int) -> CandidatePair:
    """The identifier entered for ``person`` is held by another record (which the user may not be able to
    see): queue the pair for a reviewer who may see both, keeping the value to add once reviewed. Called in
    the transaction that saved ``person``; tells the user nothing about the other record."""
    first, second = sorted((person.pk, holder_id))
    pair, created = CandidatePair.objects.get_or_create(
        first_id=first,
        second_id=second,
        defaults={
            "area_id": person.area_id,
            "source": CandidatePair.Source.IDENTIFIER,
            "identifier_field": field,
            "held_identifier": value,
        },
    )
    # The pair is the system's work on the user's behalf: the user may not see it (nor the other record).
    gate.audit_system(
        Operation.CREATE,
        "matching.candidatepair",
        pair.pk,
        "identifier sent for review",
        {"field": field, "new": created, "request": ctx.request_id, "entered_by": ctx.user.pk},
    )
    return pair
