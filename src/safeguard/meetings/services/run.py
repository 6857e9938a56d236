"""The meeting case by case: where the meeting is (case N of M, how many discussed), and one case's record made
in one step (a decision, if any, and heard or deferred), so that the chair moves on to the next case.

The levels, what each agency shared, the plan and actions keep their own pages (each with its own rules and
checks); the case-by-case page links to them and shows what is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from safeguard.access.gate import AccessContext

from ..models import AgendaItem
from . import running


@dataclass(frozen=True)
class Progress:
    discussed: int
    total: int

    @property
    def line(self) -> str:
        return f"{self.discussed} of {self.total} case{'' if self.total == 1 else 's'} discussed"


def progress(items: list[AgendaItem]) -> Progress:
    """Discussed: heard or deferred."""
    return Progress(sum(1 for i in items if i.outcome != AgendaItem.Outcome.LISTED), len(items))


def next_case(items: list[AgendaItem], item: AgendaItem) -> AgendaItem | None:
    """The next case still listed after this one in agenda order, else the first still listed before it."""
    at = next((n for n, i in enumerate(items) if i.pk == item.pk), -1)
    later = [i for i in items[at + 1 :] if i.outcome == AgendaItem.Outcome.LISTED]
    earlier = [i for i in items[:at] if i.outcome == AgendaItem.Outcome.LISTED]
    return (later or earlier or [None])[0]


def following(items: list[AgendaItem], item: AgendaItem) -> AgendaItem | None:
    """The case after this one in agenda order, whatever its outcome (for "skip")."""
    at = next((n for n, i in enumerate(items) if i.pk == item.pk), -1)
    return items[at + 1] if 0 <= at < len(items) - 1 else None


def record_case(
    ctx: AccessContext,
    item: AgendaItem,
    *,
    text: str = "",
    rationale: str = "",
    outcome: str,
    next_review_on: dt.date | None = None,
    summary: str = "",
    expected_version: int,
) -> AgendaItem:
    """The case's decision (when one is entered) and its outcome, together: both or neither."""
    with transaction.atomic():
        if (text or "").strip() or (rationale or "").strip():
            running.record_decision(ctx, item, text=text, rationale=rationale)
        return running.record_outcome(
            ctx,
            item,
            outcome=outcome,
            next_review_on=next_review_on,
            summary=summary,
            expected_version=expected_version,
        )
