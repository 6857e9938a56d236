"""Risk management plans (MAPPA Guidance ch.13a): each save a new version, never an edit in place.

A person's plan is kept per forum (``RiskManagementPlan``: person, forum,
version). Saving writes version N+1 beside version N; the page shows the
previous version next to the new one. The lost update is refused: the form
carries the version it was based on, and a save based on anything but the
latest is refused (two saves at once: the unique version constraint refuses
the second, and it is told the same).

For a MAPPA forum the four pillars (supervision; monitoring and control;
interventions and treatment; victim safety) are each required (the guidance:
every MAPPA plan addresses the four); where nothing is planned under one, the
panel says so in words. Other forums need at least one part of the plan.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import VersionConflict, save_record
from safeguard.audit.models import Operation

from ..models import AgendaItem, Forum, RiskManagementPlan
from .forums import MAPPA_KINDS
from .running import require_in_progress

PILLARS = ("supervision", "monitoring_and_control", "interventions_and_treatment", "victim_safety")
PLAN_FIELDS = (*PILLARS, "contingency", "licence_conditions")


def plan_versions(person_id: int, forum_id: int):
    """Every version of the person's plan on the forum, newest first (a lazy query)."""
    return RiskManagementPlan.objects.filter(person_id=person_id, forum_id=forum_id).order_by("-version")


def current_plan(person_id: int, forum_id: int) -> RiskManagementPlan | None:
    return plan_versions(person_id, forum_id).first()


def view_plan(ctx: AccessContext, plan: RiskManagementPlan, detail: dict | None = None) -> RiskManagementPlan:
    gate.authorise(ctx, Operation.VIEW, plan, detail)
    return plan


def _check_content(forum: Forum, values: dict) -> None:
    cleaned = {name: (values.get(name) or "").strip() for name in PLAN_FIELDS}
    if forum.kind in MAPPA_KINDS:
        errors = {
            name: f"Enter the plan for {RiskManagementPlan._meta.get_field(name).verbose_name} "
            "(if nothing is planned under it, say so)."
            for name in PILLARS
            if not cleaned[name]
        }
        if errors:
            raise ValidationError(errors)
    elif not any(cleaned.values()):
        raise ValidationError({"supervision": "Enter at least one part of the plan."})


def save_plan(ctx: AccessContext, item: AgendaItem, *, based_on_version: int, **values) -> RiskManagementPlan:
    """Save the plan agreed for the item's case as a new version of the person's plan on the forum."""
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown plan fields: {sorted(unknown)}")
    meeting = item.meeting
    require_in_progress(meeting)
    forum = meeting.forum
    _check_content(forum, values)
    latest = current_plan(item.person_id, forum.pk)
    latest_version = latest.version if latest else 0
    if based_on_version != latest_version:
        raise VersionConflict()
    plan = RiskManagementPlan(
        person_id=item.person_id,
        nominal_id=item.nominal_id,
        forum=forum,
        agenda_item=item,
        version=latest_version + 1,
        created_by=ctx.user,
        **{name: (values.get(name) or "").strip() for name in PLAN_FIELDS},
    )
    try:
        with transaction.atomic():
            save_record(ctx, plan, detail={"version": plan.version, "item": item.pk})
    except (IntegrityError, ValidationError):
        # The unique (person, forum, version): someone saved this version first.
        now_latest = current_plan(item.person_id, forum.pk)
        if now_latest is not None and now_latest.version >= plan.version:
            raise VersionConflict() from None
        raise
    return plan
