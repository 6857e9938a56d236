"""Use cases for multi-agency actions and for deciding prompts: one function each, one transaction each.

Every change passes the gate (``may_change_action``: the owner, staff of the
owner agency, the forum's coordinator; ``may_handle_prompt``: the member of
staff the prompt is for), is audited in the same transaction, and is refused
when the record changed since the form was shown (its ``version``). An
action's history (who changed what, from what to what, and why) is kept by
django-simple-history; the reason given is its change reason.

Open actions roll onto the forum's next agenda: the meetings app builds the
agenda from the open ``Action`` rows of each ``ForumCase`` (``Action.forum_case``
is required, so every action is on a case, and ``record_action`` takes it from
the agenda item or the case it is given).

The lists the pages show (``my_open_actions``, ``agency_actions``) are lazy
querysets already narrowed by the gate's scope; the caller audits what it shows.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate, policy
from safeguard.access.gate import AccessContext
from safeguard.access.services import unchanged_checked
from safeguard.audit.models import Operation
from safeguard.rules import actions as rules
from safeguard.workforce.models import Role, Staff

from . import models as action_models
from . import tactics
from .models import Action, Prompt

MIN_TEXT_LENGTH = 10  # the same floor as a nominal's reasons (offenders.services)
OPEN = list(Action.OPEN_STATUSES)
NEXT_STATUS = action_models.NEXT_STATUS


def _require_text(field: str, value: str, what: str) -> str:
    text = (value or "").strip()
    if len(text) < MIN_TEXT_LENGTH:
        raise ValidationError({field: f"Give {what} (at least {MIN_TEXT_LENGTH} characters)."})
    return text


def _change(
    ctx: AccessContext,
    action: Action,
    *,
    expected_version: int | None,
    apply: Callable[[Action], None],
    reason: str = "",
    detail: dict | None = None,
) -> Action:
    """Apply the change to the action as it is now (gate.changing: locked, authorised, version checked, audited)."""
    with gate.changing(ctx, Action, action.pk, expected_version, detail=detail) as change:
        before = copy.copy(change.record)  # the locked row's values, to validate only what the change moved
        apply(change.record)
        change.record.full_clean(exclude=unchanged_checked(before, change.record))
        change.save(reason)
    return change.record


def _check_owner(owner: Staff | None, owner_agency_id: int) -> None:
    if owner is None:
        return
    if not owner.is_active or owner.agency_id != owner_agency_id:
        raise ValidationError({"owner": "Choose someone in the action's owner agency."})


def record_action(
    ctx: AccessContext,
    *,
    forum_case,
    description: str,
    owner_agency,
    due_on: dt.date,
    owner: Staff | None = None,
    agenda_item=None,
    plan=None,
    rationale: str = "",
    tactic: str = "",
) -> Action:
    """Record an action on a forum's case (from a meeting's agenda item or a plan): who runs the meeting may.
    An action on a MATAC case says the tactic it is part of (``tactics``); other forums' actions carry none."""
    if agenda_item is not None and agenda_item.forum_case_id != forum_case.pk:
        raise ValidationError({"agenda_item": "The agenda item is about another case."})
    tactic = tactics.checked_tactic(forum_case.forum.kind, tactic)
    description = _require_text("description", description, "what is to be done")
    _check_owner(owner, owner_agency.pk)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date must be today or in the future."})
    action = Action(
        forum_id=forum_case.forum_id,
        forum_case=forum_case,
        person_id=forum_case.person_id,
        agenda_item=agenda_item,
        plan=plan,
        description=description,
        rationale=(rationale or "").strip(),
        tactic=tactic,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        created_by=ctx.user,
    )
    action.full_clean()
    with transaction.atomic():
        decision = gate.check(ctx, Operation.CREATE, action)
        action.save()
        gate.audit_allowed(ctx, Operation.CREATE, action, decision.reason, {"forum": forum_case.forum_id})
    return action


def start_action(ctx: AccessContext, action: Action, *, expected_version: int) -> Action:
    """Mark an open action in progress."""
    return _change(
        ctx,
        action,
        expected_version=expected_version,
        apply=lambda a: a.move_to(Action.Status.IN_PROGRESS),
        reason="Marked in progress",
        detail={"status": Action.Status.IN_PROGRESS},
    )


def complete_action(
    ctx: AccessContext,
    action: Action,
    *,
    evidence: str,
    expected_version: int,
    completed_on: dt.date | None = None,
) -> Action:
    """Record the completion return: what was done (the evidence) and when. Evidence is required."""
    evidence = _require_text("completion_evidence", evidence, "the evidence that the action is complete")
    today = timezone.localdate()
    completed_on = completed_on or today

    def apply(a: Action) -> None:
        if completed_on > today:
            raise ValidationError({"completed_on": "The date it was completed must be today or in the past."})
        if completed_on < timezone.localdate(a.created_at):
            raise ValidationError({"completed_on": "The date it was completed must be on or after the action was set."})
        a.move_to(Action.Status.COMPLETE)
        a.completion_evidence = evidence
        a.completed_on = completed_on
        a.completed_by = ctx.user

    return _change(
        ctx,
        action,
        expected_version=expected_version,
        apply=apply,
        reason="Completed",
        detail={"status": Action.Status.COMPLETE},
    )


def cancel_action(ctx: AccessContext, action: Action, *, reason: str, expected_version: int) -> Action:
    """Cancel an action that is no longer needed; the reason is kept in its history."""
    reason = _require_text("reason", reason, "the reason for cancelling")
    return _change(
        ctx,
        action,
        expected_version=expected_version,
        apply=lambda a: a.move_to(Action.Status.CANCELLED),
        reason=reason,
        detail={"status": Action.Status.CANCELLED},
    )


def reassign_action(
    ctx: AccessContext, action: Action, *, owner: Staff | None, expected_version: int, reason: str = ""
) -> Action:
    """Give the action to someone else in its owner agency (or to the agency, with no named owner)."""

    def apply(a: Action) -> None:
        if not a.is_open:
            raise ValidationError({"__all__": "Only an open action can be given to someone else."})
        _check_owner(owner, a.owner_agency_id)
        if (owner.pk if owner else None) == a.owner_id:
            raise ValidationError({"owner": "Choose someone other than the present owner."})
        a.owner = owner

    text = (reason or "").strip() or "Reassigned"
    return _change(
        ctx,
        action,
        expected_version=expected_version,
        apply=apply,
        reason=text,
        detail={"owner": owner.pk if owner else None},
    )


def change_due_date(
    ctx: AccessContext, action: Action, *, due_on: dt.date, reason: str, expected_version: int
) -> Action:
    """Move the due date, with a reason. The reminder and escalation start again from the new date."""
    errors = {}
    if len((reason or "").strip()) < MIN_TEXT_LENGTH:
        errors["reason"] = f"Give the reason for the new due date (at least {MIN_TEXT_LENGTH} characters)."
    if due_on < timezone.localdate():
        errors["due_on"] = "The new due date must be today or in the future."
    if errors:
        raise ValidationError(errors)
    reason = reason.strip()

    def apply(a: Action) -> None:
        if not a.is_open:
            raise ValidationError({"__all__": "Only an open action's due date can change."})
        if due_on == a.due_on:
            raise ValidationError({"due_on": "Enter a date other than the present due date."})
        a.due_on = due_on
        a.reminded_on = None
        a.escalated_on = None

    return _change(
        ctx,
        action,
        expected_version=expected_version,
        apply=apply,
        reason=reason,
        detail={"due_on": due_on.isoformat()},
    )


# What the pages list ------------------------------------------------------------


def is_partner_agency(user) -> bool:
    """A Duty-to-Co-operate agency (housing, health, an IDVA service...), not a Responsible Authority."""
    return user.agency_id is not None and not user.agency.is_responsible_authority


def my_open_actions(user) -> QuerySet[Action]:
    """The user's open actions, and for a partner agency its open actions with no named owner; due first.

    Ordered by due date, so the most overdue come first, then those due today, then the rest. Served by the
    indexes on (owner, status, due_on) and (owner_agency, status, due_on).
    """
    base = open_actions_owned(user)
    return gate.scoped(user, base).select_related("forum", "person", "owner_agency").order_by("due_on", "pk")


def open_actions_owned(user) -> QuerySet[Action]:
    """The open actions ``my_open_actions`` lists before the gate narrows them (my work asks first whether there
    are any: none, and the scoped query is not built)."""
    mine = Q(owner_id=user.pk)
    if is_partner_agency(user) and set(user.roles or []) & (policy.FORUM_ROLES | policy.CASE_ROLES):
        mine |= Q(owner_agency_id=user.agency_id, owner=None)
    return Action.objects.filter(mine, status__in=OPEN)


def may_list_agency_actions(user) -> bool:
    """Staff who work forums or cases for an agency see their agency's actions (the gate's scope for actions)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and bool(set(user.roles or []) & (policy.FORUM_ROLES | policy.CASE_ROLES))
    )


def agency_actions(user) -> QuerySet[Action]:
    """The actions owned by the user's agency: open first, soonest due first (so the overdue lead), then the
    completed and cancelled ones, by due date."""
    open_first = Case(When(status__in=OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        gate.scoped(user, Action.objects.filter(owner_agency_id=user.agency_id))
        .annotate(closed=open_first)
        .order_by("closed", "due_on", "pk")
    )


def with_details(ids: list[int]) -> list[Action]:
    """The actions of these ids, in this order, with what a list shows of each (forum, person, owner).

    A page of a long list orders and cuts the ids alone first, then fetches the rows shown: the database then
    sorts thousands of narrow rows, not thousands of rows joined to the people table.
    """
    found = Action.objects.select_related("forum", "person", "owner", "owner_agency").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def action_rows(actions: Iterable[Action], today: dt.date) -> list[dict]:
    """Each action with what its chasing says today (overdue and by how much, reminded)."""
    rows = []
    for action in actions:
        overdue = action.is_open and action.due_on < today
        rows.append(
            {
                "action": action,
                "overdue": overdue,
                "days_overdue": (today - action.due_on).days if overdue else 0,
                "due_soon": action.is_open and not overdue and action.reminded_on is not None,
            }
        )
    return rows


def chase_state(action: Action, today: dt.date) -> rules.Chase:
    """Overdue, days overdue and whether a reminder is due, from the forum's settings (rules.actions.chase)."""
    forum = action.forum
    return rules.chase(
        action.status,
        action.due_on,
        today,
        reminded_on=action.reminded_on,
        escalated_on=action.escalated_on,
        remind_days_before=forum.action_reminder_days_before,
        escalate_days_overdue=forum.action_escalate_days_overdue,
    )


def completion_rates(forum, start: dt.date, end: dt.date, today: dt.date) -> list[rules.CompletionRate]:
    """Each agency's completion of the forum's actions due in the period (rules.actions.completion_rates)."""
    rows = Action.objects.filter(forum=forum, due_on__gte=start, due_on__lte=end).values_list(
        "owner_agency__name", "status", "due_on", "completed_on"
    )
    facts = (rules.ActionFacts(agency, status, due_on, completed_on) for agency, status, due_on, completed_on in rows)
    return rules.completion_rates(facts, start, end, today)


# Prompts ------------------------------------------------------------------------

DECISIONS_FOR_KIND = {
    Prompt.Kind.CATEGORY_3: (Prompt.Decision.REFERRED, Prompt.Decision.NOT_REFERRED),
    Prompt.Kind.LINKED_CASE: (Prompt.Decision.NOTED,),
    Prompt.Kind.ACTION_ESCALATED: (Prompt.Decision.NOTED,),
    Prompt.Kind.CHILD_IN_HOUSEHOLD: (Prompt.Decision.NOTED,),
    Prompt.Kind.RELEVANT_NOTIFICATION: (Prompt.Decision.NOTED,),
    Prompt.Kind.RIGHT_TO_KNOW: (Prompt.Decision.CONSIDERED, Prompt.Decision.NOT_NEEDED),
}


def mappa_referral_starter() -> Callable | None:
    """The referrals app's use case that makes a MAPPA referral (a draft), where it exists.

    ``referrals.services.create_mappa_referral(ctx, *, person, level_sought, mappa_category, reason,
    risk_summary, nominal=None)``. Where it is missing, a decision to refer is recorded with the referral to follow.
    """
    try:
        from safeguard.referrals import services as referral_services
    except ImportError:
        return None
    return getattr(referral_services, "create_mappa_referral", None)


def referral_category(prompt: Prompt) -> str:
    """The category a referral from a Category 3 prompt is made under.

    Category 3, unless the person's nominal already has a category: "the offender can only fall into one
    category" (MAPPA Guidance), so a Level 1 registered sex offender is referred for Level 2 or 3 under
    Category 1, not re-categorised.
    """
    from safeguard.offenders.models import MappaCategory

    nominal = prompt.nominal
    if nominal is not None and nominal.mappa_category not in ("", MappaCategory.TO_BE_DETERMINED):
        return nominal.mappa_category
    return MappaCategory.THREE


# The referral's fields as the prompt's form names them (its reason is the decision's rationale).
REFERRAL_FIELDS = {"reason": "decision_rationale", "level_sought": "level_sought", "risk_summary": "risk_summary"}


def _as_prompt_errors(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    errors: dict[str, list] = {}
    for field, messages in exc.message_dict.items():
        errors.setdefault(REFERRAL_FIELDS.get(field, "__all__"), []).extend(messages)
    return ValidationError(errors)


def open_prompts(user) -> QuerySet[Prompt]:
    """The prompts waiting for the user's decision, oldest first (index on assigned_to, closed_on)."""
    return (
        Prompt.objects.filter(assigned_to_id=user.pk, closed_on=None)
        .select_related("person", "action")
        .order_by("raised_on", "pk")
    )


def decide_prompt(
    ctx: AccessContext,
    prompt: Prompt,
    *,
    decision: str,
    rationale: str = "",
    level_sought: int | None = None,
    risk_summary: str = "",
) -> Prompt:
    """Close a prompt with a decision.

    Category 3: refer or not refer. Referring makes a draft MAPPA referral through the referrals app (the
    level sought, the rationale as its reason, a risk summary; ``referral_category`` says under which category)
    in the same transaction, so a refused or incomplete referral leaves the prompt open; the coordinator then
    screens it as any other. Not referring needs the rationale (at least 10 characters).

    A Category 3 decision is about the person, not about one member of staff's copy of the prompt: the same
    decision closes the person's other open Category 3 prompts (the MAPPA coordinators' and the offender
    manager's), each audited; so does a Right to Know decision, for the same person and partner (disclosure to
    be considered, or not needed with the reason). Linked cases and escalated actions are noted.
    """
    allowed = DECISIONS_FOR_KIND[prompt.kind]
    if decision not in allowed:
        labels = " or ".join(Prompt.Decision(d).label.lower() for d in allowed)
        raise ValidationError({"decision": f"Choose {labels}."})
    text = (rationale or "").strip()
    if decision == Prompt.Decision.NOT_REFERRED:
        text = _require_text("decision_rationale", text, "the reason for not referring")
    if decision == Prompt.Decision.NOT_NEEDED:
        text = _require_text("decision_rationale", text, "the reason a disclosure is not needed")
    today = timezone.localdate()
    with gate.changing(ctx, Prompt, prompt.pk, detail={"decision": decision}) as change:
        current = change.record
        if current.closed_on is not None:
            raise ValidationError({"__all__": "A decision has already been recorded on this prompt."})
        referral = None
        if decision == Prompt.Decision.REFERRED:
            start = mappa_referral_starter()
            if start is not None:
                try:
                    referral = start(
                        ctx,
                        person=current.person,
                        nominal=current.nominal,
                        level_sought=level_sought,
                        mappa_category=referral_category(current),
                        reason=text,
                        risk_summary=risk_summary,
                    )
                except ValidationError as exc:
                    raise _as_prompt_errors(exc) from exc
        current.decision, current.decision_rationale = decision, text
        current.decided_by, current.closed_on, current.referral = ctx.user, today, referral
        current.save(update_fields=["decision", "decision_rationale", "decided_by", "closed_on", "referral"])
        if current.kind in (Prompt.Kind.CATEGORY_3, Prompt.Kind.RIGHT_TO_KNOW):
            siblings = Prompt.objects.select_for_update().filter(
                kind=current.kind, person_id=current.person_id, partner_id=current.partner_id, closed_on=None
            )
            for other in siblings.exclude(pk=current.pk):
                other.decision, other.decision_rationale = decision, text
                other.decided_by, other.closed_on, other.referral = ctx.user, today, referral
                other.save(update_fields=["decision", "decision_rationale", "decided_by", "closed_on", "referral"])
                gate.audit_allowed(
                    ctx,
                    Operation.CHANGE,
                    other,
                    "closed by the decision on the same person",
                    {"decided_on": current.pk},
                )
    return current


# The Category 3 scan started from a page ----------------------------------------------------------------------

CATEGORY3_SCAN_RECORD = "jobs.job"  # the page is the scan's jobs: its list and a refusal are audited as such


def may_run_category3_scan(ctx: AccessContext) -> None:
    """A MAPPA coordinator of a Responsible Authority may run the scan now; anyone else is refused (404, audited)."""
    user = ctx.user
    if Role.MAPPA_COORDINATOR in policy.roles_of(user) and policy.in_responsible_authority(user):
        return
    refused = gate.AccessRefused(ctx, Operation.VIEW, CATEGORY3_SCAN_RECORD, None, "only MAPPA coordinators")
    if not transaction.get_connection().in_atomic_block:
        gate.record_refusal(refused)
    raise refused


def category3_scan_under_way():
    """A scan started from a page and not yet ended (anyone's: the scan covers every area)."""
    from safeguard.jobs import services as jobs
    from safeguard.jobs.models import Job

    return jobs.running(Job.Kind.CATEGORY3_SCAN)


def start_category3_scan(ctx: AccessContext):
    """Queue the scan as the coordinator's job; one already under way is the answer instead (it is idempotent)."""
    from safeguard.jobs import services as jobs
    from safeguard.jobs.models import Job

    from .category3 import SCAN_STEPS

    may_run_category3_scan(ctx)
    under_way = category3_scan_under_way()
    if under_way is not None:
        return under_way
    back = (reverse("actions:category3"), "Back to the Category 3 scan")
    return jobs.start(ctx, Job.Kind.CATEGORY3_SCAN, params={}, unit="steps", total=SCAN_STEPS, back=back)
