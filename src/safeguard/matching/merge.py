"""Merge two person records into one, and unmerge them exactly.

A merge keeps one person and moves every part of the other to it: names, addresses, markers, holds,
relationships, incident roles, convictions, notifications, nominals, forum cases, plans, referrals, actions,
prompts, triage cases, Operation Encompass notices and assessments: whatever points at a person, found from
the model (so a new kind of part is moved without a change here). What moved is written down part by part;
an unmerge moves exactly those parts back, puts back the identifiers and the fields filled, and leaves what
happened in between on the kept record. A part the kept record already has in the same place (the same role
in the same incident, a relationship between the two records themselves) cannot move: it stays on the
merged record and the merge says so.

The history of each part is not rewritten (simple-history keeps what it was), and the audit trail keeps
every read by its record: both stay true of the past. Both records change through the gate, locked in id
order (no deadlock between two merges), in one transaction with the merge record.
A legal hold on either record needs a second person to approve the merge (never the one who asked).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation
from safeguard.people.models import NameKey, Person

from .models import CandidatePair, PersonMerge

FILLABLE = ("middle_names", "date_of_birth")
NOT_MOVED = {NameKey}  # rebuilt from the names by the search index


@dataclass(frozen=True)
class Part:
    model: type
    field: str


def parts() -> list[Part]:
    """Every foreign key to a person, but the history's copies and matching's own records."""
    found = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete) or relation.many_to_many:
            continue
        model = relation.related_model
        if model in NOT_MOVED or model._meta.app_label == "matching" or model.__name__.startswith("Historical"):
            continue
        found.append(Part(model, relation.field.name))
    return found


def _label(model: type) -> str:
    return model._meta.label_lower


def _move(part: Part, pk: int, to: int) -> bool:
    """Point one row at another person; False when the kept record already has it (a unique rule or check)."""
    try:
        with transaction.atomic():
            part.model._default_manager.filter(pk=pk).update(**{f"{part.field}_id": to})
    except IntegrityError:
        return False
    return True


def _holds(*people: Person) -> bool:
    return any(p.legal_holds.filter(lifted_on__isnull=True).exists() for p in people)


def _locked(ctx: AccessContext, first: int, second: int, detail: dict):
    """Lock and authorise both people in id order (each change audited by the gate)."""
    low, high = sorted((first, second))
    outer = gate.changing(ctx, Person, low, detail=detail)
    inner = gate.changing(ctx, Person, high, detail=detail)
    return outer, inner


def request_merge(
    ctx: AccessContext, *, kept: Person, merged: Person, reason: str, pair: CandidatePair | None = None
) -> PersonMerge:
    """Merge now, or, with a legal hold on either record, ask a second person to approve."""
    if kept.pk == merged.pk:
        raise ValidationError({"kept": "Choose two different records."})
    if len((reason or "").strip()) < 10:
        raise ValidationError({"reason": "Enter the reason for the merge (at least 10 characters)."})
    if PersonMerge.objects.filter(merged__in=[kept, merged], status__in=["awaiting", "merged"]).exists():
        raise ValidationError({"__all__": "One of these records has been merged or waits for a merge already."})
    record = PersonMerge(kept=kept, merged=merged, pair=pair, reason=reason.strip(), requested_by=ctx.user)
    with transaction.atomic():
        for person in (kept, merged):
            gate.check(ctx, Operation.CHANGE, person)
        decision = gate.check(ctx, Operation.CREATE, record)
        if _holds(kept, merged):
            record.status = PersonMerge.Status.AWAITING_APPROVAL
            record.save()
            gate.audit_allowed(ctx, Operation.CREATE, record, decision.reason, {"legal_hold": True})
            return record
        record.status = PersonMerge.Status.MERGED
        record.save()
        gate.audit_allowed(ctx, Operation.CREATE, record, decision.reason, {})
        _carry_out(ctx, record)
    return record


def approve_merge(ctx: AccessContext, merge: PersonMerge, *, expected_version: int | None = None) -> PersonMerge:
    with transaction.atomic():
        with gate.changing(ctx, PersonMerge, merge.pk, expected_version, detail={"approved": True}) as change:
            record = change.record
            if record.status != PersonMerge.Status.AWAITING_APPROVAL:
                raise ValidationError({"__all__": "This merge is not waiting for approval."})
            if record.requested_by_id == ctx.user.pk:
                raise ValidationError(
                    {"__all__": "A second person must approve a merge across a legal hold: not the one who asked."}
                )
            record.status, record.approved_by = PersonMerge.Status.MERGED, ctx.user
            change.save()
        _carry_out(ctx, record)
    return record


def _consider_right_to_know(ctx: AccessContext, kept_id: int) -> None:
    """A merge may bring a person under management a new intimate partner (on either record)."""
    from safeguard.actions.right_to_know import consider_around

    consider_around(ctx, kept_id)


def _carry_out(ctx: AccessContext, merge: PersonMerge) -> None:
    kept_id, merged_id = merge.kept_id, merge.merged_id
    outer, inner = _locked(ctx, kept_id, merged_id, {"merge": merge.pk})
    with outer as a, inner as b:
        kept, merged = (a.record, b.record) if a.record.pk == kept_id else (b.record, a.record)
        moves, left = [], []
        for part in parts():
            for pk in part.model._default_manager.filter(**{f"{part.field}_id": merged_id}).values_list(
                "pk", flat=True
            ):
                entry = {"model": _label(part.model), "field": part.field, "pk": pk}
                (moves if _move(part, pk, kept_id) else left).append(entry)
        taken, filled = {}, {}
        for field in Person.IDENTIFIER_FIELDS:
            value = getattr(merged, field)
            if value:
                taken[field] = value
                setattr(merged, field, None)
        merged.save(update_fields=list(Person.IDENTIFIER_FIELDS))  # the unique values free before the kept takes them
        for field, value in taken.items():
            if not getattr(kept, field):
                filled[field] = None
                setattr(kept, field, value)
        for field in FILLABLE:
            if not getattr(kept, field) and getattr(merged, field):
                filled[field] = getattr(kept, field)
                setattr(kept, field, getattr(merged, field))
        a.detail |= {"moved": len(moves), "left": len(left)}
        b.detail |= {"moved": len(moves), "left": len(left)}
        a.save(f"Merged with record {merged_id}")
        b.save(f"Merged into record {kept_id}")
        merge.moves, merge.left, merge.taken, merge.filled = moves, left, taken, _jsonable(filled)
        merge.merged_at = timezone.now()
        merge.save(update_fields=["moves", "left", "taken", "filled", "merged_at"])
        _consider_right_to_know(ctx, kept_id)
    _after(kept_id, merged_id)


def unmerge(ctx: AccessContext, merge: PersonMerge, *, reason: str, expected_version: int | None = None) -> PersonMerge:
    """Put every moved part back, the identifiers and the filled fields as they were."""
    if len((reason or "").strip()) < 10:
        raise ValidationError({"reason": "Enter the reason for the unmerge (at least 10 characters)."})
    with (
        transaction.atomic(),
        gate.changing(ctx, PersonMerge, merge.pk, expected_version, detail={"unmerged": True}) as change,
    ):
        record = change.record
        if record.status != PersonMerge.Status.MERGED:
            raise ValidationError({"__all__": "Only a merge that was carried out can be undone."})
        outer, inner = _locked(ctx, record.kept_id, record.merged_id, {"unmerge": record.pk})
        with outer as a, inner as b:
            kept, merged = (a.record, b.record) if a.record.pk == record.kept_id else (b.record, a.record)
            for entry in record.moves:
                model = apps.get_model(entry["model"])
                model._default_manager.filter(pk=entry["pk"]).update(**{f"{entry['field']}_id": record.merged_id})
            for field, before in record.filled.items():
                setattr(kept, field, _parse(field, before))
            kept.save(update_fields=[*Person.IDENTIFIER_FIELDS, *FILLABLE])
            for field, value in record.taken.items():
                setattr(merged, field, value)
            a.save(f"Unmerged: {reason.strip()}")
            b.save(f"Unmerged: {reason.strip()}")
        record.status, record.unmerged_by, record.unmerged_at = (
            PersonMerge.Status.UNMERGED,
            ctx.user,
            timezone.now(),
        )
        record.unmerge_reason = reason.strip()
        change.save()
    _after(record.kept_id, record.merged_id)
    return record


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def _parse(field: str, value: Any) -> Any:
    if value is None or field != "date_of_birth":
        return value
    import datetime as dt

    return dt.date.fromisoformat(value)


def _after(*person_ids: int) -> None:
    from safeguard.offenders.recalculate import person_changed
    from safeguard.people import search

    for person in Person.objects.filter(pk__in=person_ids):
        search.reindex(person)
        person_changed(person.pk)
