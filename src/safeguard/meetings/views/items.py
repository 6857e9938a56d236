"""One case at a meeting: what each agency shared, the levels agreed, decisions, the risk management plan
(a new version beside the previous one), actions, the outcome; and a plan version on its own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from safeguard.access import gate, policy
from safeguard.actions import tactics
from safeguard.actions.models import Action
from safeguard.audit.models import Operation
from safeguard.web import pages
from safeguard.workforce.models import Staff

from ..forms.core import ActionForm, DecisionForm, LevelsForm, OutcomeForm, PlanForm, ShareForm
from ..models import AgendaItem, RiskManagementPlan
from ..services import plans as plan_services
from ..services import running
from ..services.forums import MAPPA_KINDS
from .common import ITEMS, to_item


def _back(request, item: AgendaItem) -> str:
    """Where a case's form returns: the case-by-case page when it was opened from there, else the case page."""
    if request.GET.get("back") == "run":
        return reverse("meetings:run-case", kwargs={"pk": item.pk})
    return to_item(item)


def _agencies(item: AgendaItem):
    return item.meeting.forum.member_agencies.order_by("name")


def _item_context(request, item: AgendaItem) -> dict:
    """Everything the case page shows the user: shared items less those restricted from their agency."""
    user = request.user
    ctx = gate.context_for(request)
    forum = item.meeting.forum
    shared = list(
        policy.visible_shared(
            user, item.shared.select_related("agency", "recorded_by").prefetch_related("restricted_from")
        )
    )
    plan = plan_services.current_plan(item.person_id, forum.pk)
    if plan is not None and policy.may_view_plan(user, plan):
        plan_services.view_plan(ctx, plan, {"page": "agenda item", "item": item.pk})
    else:
        plan = None
    actions = [
        a
        for a in Action.objects.filter(forum_case_id=item.forum_case_id, forum_id=forum.pk)
        .exclude(status=Action.Status.CANCELLED)
        .select_related("owner_agency", "owner", "agenda_item__meeting")
        .order_by("due_on", "pk")
        if policy.may_view_action(user, a)
    ]
    if actions:
        gate.audit_list(ctx, Operation.VIEW, Action, [a.pk for a in actions], {"item": item.pk})
    runs = policy.may_run_meeting(user, item.meeting).allowed
    return {
        "item": item,
        "meeting": item.meeting,
        "forum": forum,
        "mappa": forum.kind in MAPPA_KINDS,
        "shared": shared,
        "decisions": list(item.decisions.select_related("dissent_agency", "recorded_by")),
        "plan": plan,
        "actions": actions,
        "runs": runs,
        "in_progress": item.meeting.status == item.meeting.Status.IN_PROGRESS,
        "risk_label": dict(running.risk_levels_for(forum)).get(item.risk_level_agreed, item.risk_level_agreed),
    }


@login_required
def item_page(request, pk: int):
    item = pages.gated(request, ITEMS, pk, Operation.VIEW, {"page": "agenda item"})
    return render(request, "meetings/item.html", _item_context(request, item))


@login_required
def share(request, pk: int):
    item = pages.gated(request, ITEMS, pk, Operation.CHANGE)
    form = ShareForm(pages.posted(request), agencies=_agencies(item))
    return pages.form_page(
        request,
        form,
        pages.submits(
            running.share_information, item, fields=("agency", "content", "is_opinion", "withheld", "restricted_from")
        ),
        done=lambda _: f"What {form.cleaned_data['agency']} shared has been recorded.",
        then=_back(request, item),
        template="meetings/share.html",
        shows={"item": item},
        page="share",
    )


@login_required
def levels(request, pk: int):
    item = pages.gated(request, ITEMS, pk, Operation.CHANGE)
    forum = item.meeting.forum
    mappa = forum.kind in MAPPA_KINDS
    current_level = item.nominal.management_level if item.nominal else None
    form = LevelsForm(
        pages.posted(request),
        risk_levels=running.risk_levels_for(forum),
        mappa=mappa,
        agencies=_agencies(item),
        initial={
            "version": item.version,
            "risk_level": item.risk_level_agreed or None,
            "management_level": item.management_level_agreed or current_level,
        },
    )
    return pages.form_page(
        request,
        form,
        pages.submits(
            running.agree_levels,
            item,
            fields=("risk_level", "management_level", "rationale", "dissent", "dissent_agency", "version"),
        ),
        done="The levels agreed have been recorded.",
        then=_back(request, item),
        template="meetings/levels.html",
        context={"mappa": mappa},
        shows={"item": item},
        page="levels",
    )


@login_required
def decision(request, pk: int):
    item = pages.gated(request, ITEMS, pk, Operation.CHANGE)
    return pages.form_page(
        request,
        DecisionForm(pages.posted(request), agencies=_agencies(item)),
        pages.submits(running.record_decision, item, fields=("text", "rationale", "dissent", "dissent_agency")),
        done="The decision has been recorded.",
        then=_back(request, item),
        template="meetings/decision.html",
        shows={"item": item},
        page="decision",
    )


@login_required
def plan(request, pk: int):
    item = pages.gated(request, ITEMS, pk, Operation.CHANGE)
    ctx = gate.context_for(request)
    forum = item.meeting.forum
    current = plan_services.current_plan(item.person_id, forum.pk)
    if current is not None:
        plan_services.view_plan(ctx, current, {"page": "new plan version", "item": item.pk})
    initial = {"based_on_version": current.version if current else 0}
    if current is not None:
        initial.update({name: getattr(current, name) for name in plan_services.PLAN_FIELDS})
    return pages.form_page(
        request,
        PlanForm(pages.posted(request), initial=initial, mappa=forum.kind in MAPPA_KINDS),
        lambda ctx, form: plan_services.save_plan(
            ctx,
            item,
            based_on_version=form.cleaned_data["based_on_version"],
            **{name: form.cleaned_data[name] for name in plan_services.PLAN_FIELDS},
        ),
        done=lambda saved: f"Version {saved.version} of the risk management plan has been saved.",
        then=_back(request, item),
        template="meetings/plan_form.html",
        context={
            "item": item,
            "current": current,
            "mappa": forum.kind in MAPPA_KINDS,
            "pillars": plan_services.PILLARS,
        },
        shows=item,
        page="plan",
    )


@login_required
def action(request, pk: int):
    item = pages.gated(request, ITEMS, pk, Operation.CHANGE)
    agencies = _agencies(item)
    # Whoever runs the meeting (authorised above) may name any active member of an attending agency as an action's
    # owner: a name to choose, not a read of that person's staff records, so not the staff-record scope.
    owners = (
        Staff.objects.filter(is_active=True, agency__in=agencies)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )
    mappa = item.meeting.forum.kind in MAPPA_KINDS
    matac = tactics.needs_tactic(item.meeting.forum.kind)

    def create(ctx, form):
        data = form.cleaned_data
        linked = None
        if data["from_plan"]:
            linked = RiskManagementPlan.objects.filter(agenda_item=item).order_by("-version").first()
            if linked is None:
                raise ValidationError(
                    {"from_plan": "No risk management plan has been saved for this case at this meeting."}
                )
        return running.create_action(
            ctx,
            item,
            description=data["description"],
            rationale=data["rationale"],
            owner_agency=data["owner_agency"],
            owner=data["owner"],
            due_on=data["due_on"],
            plan=linked,
            tactic=data.get("tactic", ""),
        )

    return pages.form_page(
        request,
        ActionForm(pages.posted(request), agencies=agencies, owners=owners, mappa=mappa, matac=matac),
        create,
        done="The action has been recorded.",
        then=_back(request, item),
        template="meetings/action_form.html",
        shows={"item": item},
        page="action",
    )


@login_required
def outcome(request, pk: int):
    item = pages.gated(request, ITEMS, pk, Operation.CHANGE)
    form = OutcomeForm(
        pages.posted(request),
        initial={
            "version": item.version,
            "outcome": item.outcome if item.outcome != item.Outcome.LISTED else None,
            "next_review_on": item.next_review_on,
            "summary": item.summary,
        },
    )
    level = item.management_level_agreed or (item.nominal.management_level if item.nominal else None)
    latest = running.latest_review_allowed(item, level) if item.meeting.forum.kind in MAPPA_KINDS else None
    return pages.form_page(
        request,
        form,
        pages.submits(running.record_outcome, item, fields=("outcome", "next_review_on", "summary", "version")),
        done=lambda _: f"The case is recorded as {item.get_outcome_display().lower()}.",
        then=_back(request, item),
        template="meetings/outcome.html",
        context={"latest": latest, "level": level},
        shows={"item": item},
        page="outcome",
    )


@login_required
def plan_version(request, pk: int):
    record = get_object_or_404(
        RiskManagementPlan.objects.select_related("person", "forum", "created_by", "agenda_item__meeting"), pk=pk
    )  # view_plan decides and audits
    ctx = gate.context_for(request)
    plan_services.view_plan(ctx, record, {"page": "plan version"})
    versions = list(plan_services.plan_versions(record.person_id, record.forum_id).select_related("created_by"))
    previous = next((v for v in versions if v.version < record.version), None)
    if previous is not None:
        plan_services.view_plan(ctx, previous, {"page": "plan version", "beside": record.pk})
    return render(
        request,
        "meetings/plan.html",
        {"plan": record, "versions": versions, "previous": previous, "fields": plan_services.PLAN_FIELDS},
    )
