"""Raising and closing prompts: work Safeguard puts on a named person's "my work".

Other apps call these inside their own transaction (a referral's reciprocal
link, the Category 3 scan, an escalated action). A prompt already open for the
same kind, person and member of staff is not raised twice; its reasons are
brought up to date instead.
"""

from __future__ import annotations

from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation

from .models import Prompt


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
