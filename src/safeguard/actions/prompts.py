"""Raising and closing prompts: work Safeguard puts on a named person's "my work".

Other apps call these inside their own transaction (a referral's reciprocal
link, the Category 3 scan, an escalated action). A prompt already open for the
same kind, person and member of staff is not raised twice; its reasons are
brought up to date instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation

from .models import Prompt
from .sql import filter_in, insert_many


def raise_prompt(
    ctx: AccessContext,
    *,
    kind: str,
    assigned_to,
    person,
    reasons: list[str],
    nominal=None,
    action=None,
    link=None,
) -> tuple[Prompt, bool]:
    """Open a prompt (or refresh the open one); returns it and whether it is new. Audited as a system change."""
    existing = Prompt.objects.filter(kind=kind, assigned_to=assigned_to, person=person, closed_on=None).first()
    if existing is not None:
        if list(existing.reasons) != list(reasons):
            existing.reasons = list(reasons)
            existing.save(update_fields=["reasons"])
        return existing, False
    prompt = Prompt.objects.create(
        kind=kind,
        assigned_to=assigned_to,
        person=person,
        nominal=nominal,
        action=action,
        link=link,
        reasons=list(reasons),
        raised_on=timezone.localdate(),
    )
    gate.audit_allowed(ctx, Operation.CREATE, prompt, "prompt raised", {"kind": kind, "for": assigned_to.pk})
    return prompt, True


@dataclass(frozen=True)
class PromptFor:
    """One prompt to raise (or refresh) in bulk: for whom, about whom, why."""

    assigned_to_id: int
    person_id: int
    reasons: tuple[str, ...]
    nominal_id: int | None = None


def raise_prompts(ctx: AccessContext, kind: str, wanted: list[PromptFor]) -> tuple[int, int]:
    """``raise_prompt`` for many at once (the daily scans): the same rule, a handful of statements.

    A prompt already open for the same kind, person and member of staff is refreshed (its reasons brought up
    to date), never raised twice. Each new prompt is audited as raise_prompt audits it, one event each.
    Returns (raised, refreshed).
    """
    if not wanted:
        return 0, 0
    people = sorted({w.person_id for w in wanted})
    existing: dict[tuple[int, int], tuple[int, list]] = {}
    open_ones = Prompt.objects.filter(kind=kind, closed_on=None).order_by()
    for rows in filter_in(open_ones, "person_id", people):
        for pk, assigned_to_id, person_id, reasons in rows.values_list("pk", "assigned_to_id", "person_id", "reasons"):
            existing[(assigned_to_id, person_id)] = (pk, reasons)
    today = timezone.localdate()
    new, refreshed, seen = [], [], set()
    for w in wanted:
        key = (w.assigned_to_id, w.person_id)
        if key in seen:
            continue
        seen.add(key)
        found = existing.get(key)
        if found is None:
            new.append(
                Prompt(
                    kind=kind,
                    assigned_to_id=w.assigned_to_id,
                    person_id=w.person_id,
                    nominal_id=w.nominal_id,
                    reasons=list(w.reasons),
                    raised_on=today,
                )
            )
        elif list(found[1]) != list(w.reasons):
            refreshed.append(Prompt(pk=found[0], reasons=list(w.reasons)))
    insert_many(new)
    Prompt.objects.bulk_update(refreshed, ["reasons"], batch_size=2_000)
    gate.audit_each(
        ctx,
        Operation.CREATE,
        new,
        "prompt raised",
        lambda prompt: {"kind": kind, "for": prompt.assigned_to_id},
        insert=insert_many,
    )
    return len(new), len(refreshed)
