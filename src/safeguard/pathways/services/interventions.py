"""Referrals to interventions and programmes: made from a nominal, a forum's decision, a risk management plan or
one of its actions; moved through ``rules.interventions`` one step at a time, each step in the record's history."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.rules import interventions as lifecycle
from safeguard.rules.working import RuleInputError

from ..models import InterventionReferral, Programme

SOON_DAYS = 28  # as "my work" marks a date "due soon" (web.my_work.DUE_SOON_DAYS)


def programmes_for(nominal) -> QuerySet[Programme]:
    """The active programmes of the nominal's MAPPA area."""
    area = nominal.local_area.parent_id or nominal.local_area_id
    return Programme.objects.filter(area_id=area, active=True)


def _source(nominal, action, decision, plan) -> tuple[str, dict]:
    person = nominal.person_id
    if action is not None:
        if action.person_id != person:
            raise ValidationError({"__all__": "The action is about someone else: refer from their own record."})
        return InterventionReferral.Source.ACTION, {"action": action, "plan": action.plan}
    if decision is not None:
        if decision.item.person_id != person:
            raise ValidationError({"__all__": "The decision is about someone else: refer from their own record."})
        return InterventionReferral.Source.DECISION, {"decision": decision}
    if plan is not None:
        if plan.person_id != person:
            raise ValidationError({"__all__": "The plan is someone else's: refer from their own record."})
        return InterventionReferral.Source.PLAN, {"plan": plan}
    return InterventionReferral.Source.NOMINAL, {}


def refer(
    ctx: AccessContext,
    nominal,
    *,
    programme: Programme,
    pillar: str,
    next_step_due_on: dt.date | None = None,
    notes: str = "",
    action=None,
    decision=None,
    plan=None,
) -> InterventionReferral:
    """Refer the nominal to a programme of their area; where it comes from is kept with it."""
    if not programmes_for(nominal).filter(pk=programme.pk).exists():
        raise ValidationError({"programme": "Choose a programme offered in the nominal's area."})
    if next_step_due_on and next_step_due_on < timezone.localdate():
        raise ValidationError({"next_step_due_on": "The next step's due date must be today or in the future."})
    source, links = _source(nominal, action, decision, plan)
    referral = InterventionReferral(
        nominal=nominal,
        programme=programme,
        pillar=pillar,
        source=source,
        next_step_due_on=next_step_due_on,
        notes=notes.strip(),
        referred_by=ctx.user,
        **links,
    )
    return save_record(
        ctx,
        referral,
        reason=f"Referred to {programme.name}",
        detail={"programme": programme.pk, "source": source},
    )


def move(
    ctx: AccessContext,
    referral: InterventionReferral,
    *,
    to_status: str,
    expected_version: int,
    reason: str = "",
    sessions_attended: int | None = None,
    next_step_due_on: dt.date | None = None,
    on_date: dt.date | None = None,
) -> InterventionReferral:
    """Record the referral's next step (``rules.interventions``): its date, the sessions so far, the reason
    for a drop-out or refusal, and when the step after it is due (none once it has ended)."""
    today = timezone.localdate()
    on_date = on_date or today
    if on_date > today:
        raise ValidationError({"on_date": "The date of the step must be today or in the past."})
    with gate.changing(ctx, InterventionReferral, referral.pk, expected_version, detail={"to": to_status}) as change:
        record = change.record
        try:
            lifecycle.check_move(record.status, to_status, reason, sessions_attended)
        except RuleInputError as err:
            raise ValidationError({err.field: err.message + "."}) from None
        if on_date < record.referred_on:
            raise ValidationError({"on_date": "The date of the step must be on or after the referral."})
        if to_status == lifecycle.STARTED:
            record.started_on = on_date
        if sessions_attended is not None and to_status in lifecycle.STARTED_STATUSES:
            record.sessions_attended = sessions_attended
        if to_status in lifecycle.FINAL:
            record.ended_on = on_date
            record.next_step_due_on = None
            record.reason = reason.strip()
        else:
            record.next_step_due_on = next_step_due_on
        record.status = to_status
        change.save(
            f"{lifecycle.STATUSES[to_status]} on {on_date:%-d %B %Y}" + (f": {reason.strip()}" if reason else "")
        )
    return change.record


def steps_due_by(today: dt.date, soon_days: int = SOON_DAYS) -> dt.date:
    """The last day a next step may fall on to be listed as due ``soon_days`` from ``today``."""
    return today + dt.timedelta(days=soon_days)


def steps_due(
    user, today: dt.date, soon_days: int = SOON_DAYS, *, due_by: dt.date | None = None
) -> QuerySet[InterventionReferral]:
    """Open referrals of the user's caseload whose next step is due within ``soon_days`` or overdue (``due_by``:
    that last day, worked out by the caller, for a prepared query whose builder reads no derived date)."""
    open_ = Q(status__in=[s for s in lifecycle.STATUSES if s not in lifecycle.FINAL])
    due = Q(next_step_due_on__lte=steps_due_by(today, soon_days) if due_by is None else due_by)
    return (
        InterventionReferral.objects.filter(open_, due, nominal__offender_manager=user)
        .select_related("nominal__person", "programme")
        .order_by("next_step_due_on", "pk")
    )
