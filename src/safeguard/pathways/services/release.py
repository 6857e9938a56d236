"""Release pathways: the checklist by pathway from 12 weeks before release, each item's owner agency and due
date, what was in place on the day and the release-day outcome (``rules.release_pathways``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.offenders.models import Nominal
from safeguard.rules import release_pathways as rule

from ..models import PathwayItem, PathwaySettings, ReleasePlan


def current_plan(nominal: Nominal) -> ReleasePlan | None:
    """The plan for the nominal's expected release date (a new date is a new plan)."""
    if not nominal.release_date:
        return None
    return ReleasePlan.objects.filter(nominal=nominal, release_date=nominal.release_date).first()


def start_plan(ctx: AccessContext, nominal: Nominal) -> ReleasePlan:
    """Open the checklist for the nominal's release date: one item per pathway, owned by the lead agency
    until someone names another, each due as the rule says."""
    today = timezone.localdate()
    release_date = nominal.release_date
    if release_date is None or release_date < today:
        raise ValidationError({"__all__": "Record the expected release date on the nominal first."})
    offsets = PathwaySettings.for_nominal(nominal).release_settings()
    opens = rule.opens_on(release_date, offsets)
    if today < opens:
        weeks = offsets["window_weeks"]
        raise ValidationError({"__all__": f"The checklist opens {weeks} weeks before release, on {opens:%-d %B %Y}."})
    if current_plan(nominal) is not None:
        raise ValidationError({"__all__": "The checklist for this release date has already been started."})
    with transaction.atomic():
        plan = save_record(
            ctx,
            ReleasePlan(nominal=nominal, release_date=release_date, started_by=ctx.user),
            reason="Release checklist started",
            detail={"release_date": release_date.isoformat()},
        )
        PathwayItem.objects.bulk_create(
            PathwayItem(plan=plan, pathway=name, owner_agency_id=nominal.lead_agency_id, due_on=due)
            for name, due in rule.due_dates(release_date, offsets).items()
        )
    return plan


def change_item(
    ctx: AccessContext,
    item: PathwayItem,
    *,
    owner_agency,
    due_on: dt.date,
    status: str,
    detail: str,
    expected_version: int,
) -> PathwayItem:
    """Who arranges the item, by when, and how it stands (a reason when it cannot be arranged)."""
    if status == rule.NOT_POSSIBLE and len(detail.strip()) < 3:
        raise ValidationError({"detail": "Say why it cannot be arranged, and what is being done instead."})
    if status == rule.ARRANGED and len(detail.strip()) < 3:
        raise ValidationError({"detail": "Say what is arranged: where, with whom and when."})
    with gate.changing(ctx, PathwayItem, item.pk, expected_version, related=("plan",), detail={"status": status}) as c:
        record = c.record
        if record.plan.outcome:
            raise ValidationError({"__all__": "The release-day outcome is recorded: the checklist is closed."})
        record.owner_agency, record.due_on, record.status, record.detail = owner_agency, due_on, status, detail.strip()
        c.save(f"{rule.ITEM_STATUSES[status]}, due {due_on:%-d %B %Y}")
    return c.record


def record_outcome(
    ctx: AccessContext,
    plan: ReleasePlan,
    *,
    outcome: str,
    released_on: dt.date | None,
    in_place: list[str],
    outcome_notes: str,
    expected_version: int,
) -> ReleasePlan:
    """What happened on the day, and which pathways were in place then (the others were not)."""
    today = timezone.localdate()
    released = outcome in (ReleasePlan.Outcome.RELEASED, ReleasePlan.Outcome.RELEASED_EARLY)
    if released and released_on is None:
        raise ValidationError({"released_on": "Enter the date of release."})
    if released_on and released_on > today:
        raise ValidationError({"released_on": "The date of release must be today or in the past."})
    unknown = set(in_place) - set(rule.PATHWAYS)
    if unknown:
        raise ValidationError({"in_place": "Choose pathways from the list."})
    with gate.changing(ctx, ReleasePlan, plan.pk, expected_version, detail={"outcome": outcome}) as change:
        record = change.record
        record.outcome, record.released_on = outcome, released_on if released else None
        record.outcome_notes, record.outcome_recorded_by = outcome_notes.strip(), ctx.user
        for item in record.items.all():
            item.in_place_on_day = item.pathway in in_place if released else None
            item.save(update_fields=["in_place_on_day"])
        change.save(ReleasePlan.Outcome(outcome).label)
    return change.record


def gaps(today: dt.date) -> Q:
    """``rules.release_pathways.is_gap`` as a filter on checklist items of plans still open."""
    late = Q(due_on__lte=today) | Q(plan__release_date__lte=today)
    return Q(plan__outcome="") & (Q(status=rule.NOT_POSSIBLE) | (Q(status=rule.TO_ARRANGE) & late))


def my_gaps(user, today: dt.date) -> QuerySet[PathwayItem]:
    """Gaps in the release checklists of the user's caseload."""
    return (
        PathwayItem.objects.filter(gaps(today), plan__nominal__offender_manager=user)
        .select_related("plan__nominal__person", "owner_agency")
        .order_by("plan__release_date", "pk")
    )


def releases_ahead(visible: QuerySet[Nominal], today: dt.date, weeks: int | None = None) -> list[dict]:
    """The nominals due for release within the window (``weeks``: the user's area's), nearest first, each with
    its checklist's state."""
    until = today + dt.timedelta(weeks=rule.DEFAULTS["window_weeks"].value if weeks is None else weeks)
    nominals = list(
        visible.filter(status=Nominal.Status.ACTIVE, release_date__gte=today, release_date__lte=until)
        .select_related("person", "offender_manager")
        .order_by("release_date", "reference")[:500]
    )
    plans = {
        (p.nominal_id, p.release_date): p
        for p in ReleasePlan.objects.filter(nominal__in=[n.pk for n in nominals]).annotate(
            gap_count=Count("items", filter=Q(outcome="") & _items_gap(today)),
            arranged=Count("items", filter=Q(items__status=rule.ARRANGED)),
            item_count=Count("items"),
        )
    }
    return [{"nominal": n, "plan": plans.get((n.pk, n.release_date))} for n in nominals]


def _items_gap(today: dt.date) -> Q:
    late = Q(items__due_on__lte=today) | Q(release_date__lte=today)
    return Q(items__status=rule.NOT_POSSIBLE) | (Q(items__status=rule.TO_ARRANGE) & late)
