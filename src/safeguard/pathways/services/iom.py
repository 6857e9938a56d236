"""The IOM cohort: entry through the selection panel (the stream suggested by ``rules.iom_cohort``, the panel's
choice and reason), reviews with the next date the panel sets, and exit with its reason."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.rules import iom_cohort as rule
from safeguard.rules.working import RuleInputError

from ..models import IomMembership, PathwaySettings


def current_membership(nominal) -> IomMembership | None:
    return nominal.iom_memberships.filter(exited_on=None).first()


def _future(name: str, day: dt.date | None) -> None:
    if day is not None and day <= timezone.localdate():
        raise ValidationError({name: "The next review must be after today."})


def enter(
    ctx: AccessContext,
    nominal,
    *,
    stream: str,
    neighbourhood_crime: bool,
    score: int | None,
    reason: str,
    next_review_on: dt.date,
) -> IomMembership:
    """The panel selects the nominal into the cohort (once at a time)."""
    try:
        rule.check_entry(stream, reason)
        suggested = rule.suggest_stream(neighbourhood_crime, score, PathwaySettings.for_nominal(nominal).iom_settings())
    except RuleInputError as err:
        raise ValidationError({err.field: err.message + "."}) from None
    _future("next_review_on", next_review_on)
    if current_membership(nominal) is not None:
        raise ValidationError({"__all__": "The nominal is already in the IOM cohort."})
    membership = IomMembership(
        nominal=nominal,
        stream=stream,
        suggested_stream=suggested.stream,
        score=score,
        neighbourhood_crime=neighbourhood_crime,
        reason=reason.strip(),
        next_review_on=next_review_on,
        entered_by=ctx.user,
    )
    return save_record(ctx, membership, reason=f"Entered the IOM cohort ({stream})", detail={"stream": stream})


def review(ctx: AccessContext, membership: IomMembership, *, next_review_on: dt.date, expected_version: int):
    _future("next_review_on", next_review_on)
    with gate.changing(ctx, IomMembership, membership.pk, expected_version, detail={"review": True}) as change:
        if change.record.exited_on:
            raise ValidationError({"__all__": "The nominal has left the cohort."})
        change.record.last_reviewed_on = timezone.localdate()
        change.record.next_review_on = next_review_on
        change.save("Reviewed")
    return change.record


def leave(ctx: AccessContext, membership: IomMembership, *, exit_reason: str, exit_note: str, expected_version: int):
    if exit_reason == IomMembership.ExitReason.OTHER and len(exit_note.strip()) < 3:
        raise ValidationError({"exit_note": "Say why the nominal left the cohort."})
    with gate.changing(ctx, IomMembership, membership.pk, expected_version, detail={"exit": exit_reason}) as change:
        if change.record.exited_on:
            raise ValidationError({"__all__": "The nominal has already left the cohort."})
        record = change.record
        record.exited_on, record.exit_reason, record.exit_note = timezone.localdate(), exit_reason, exit_note.strip()
        record.next_review_on = None
        change.save(f"Left the cohort: {record.get_exit_reason_display()}")
    return change.record


def cohort(visible: QuerySet[IomMembership]) -> QuerySet[IomMembership]:
    """The open memberships, the review most overdue first."""
    return visible.filter(exited_on=None).select_related("nominal__person").order_by("next_review_on", "pk")
