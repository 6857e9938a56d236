"""One case at a meeting: what each agency shared, the levels agreed, decisions, the risk management plan
(a new version beside the previous one), actions, the outcome; and a plan version on its own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from safeguard.access import gate, policy
from safeguard.actions.models import Action
from safeguard.audit.models import Operation
from safeguard.workforce.models import Staff

from ..forms.core import ActionForm, DecisionForm, LevelsForm, OutcomeForm, PlanForm, ShareForm
from ..models import AgendaItem, RiskManagementPlan
from ..services import plans as plan_services
from ..services import running
from ..services.forums import MAPPA_KINDS
from .common import item_or_404, post_or_none


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
    item = item_or_404(pk)
    gate.authorise(gate.context_for(request), Operation.VIEW, item, {"page": "agenda item"})
    return render(request, "meetings/item.html", _item_context(request, item))


def _form_page(request, item: AgendaItem, page: str):
    """A form on a case: may the user run the meeting? On GET, the item's view is audited."""
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, item)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, item, {"page": page})
    return ctx


def _done(request, item: AgendaItem, text: str):
    messages.success(request, text)
    return redirect("meetings:item", pk=item.pk)


@login_required
def share(request, pk: int):
    item = item_or_404(pk)
    ctx = _form_page(request, item, "share")
    form = ShareForm(post_or_none(request), agencies=_agencies(item))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            running.share_information(
                ctx,
                item,
                agency=data["agency"],
                content=data["content"],
                is_opinion=data["is_opinion"],
                withheld=data["withheld"],
                restricted_from=list(data["restricted_from"]),
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            return _done(request, item, f"What {data['agency']} shared has been recorded.")
    return render(request, "meetings/share.html", {"item": item, "form": form})


@login_required
def levels(request, pk: int):
    item = item_or_404(pk)
    ctx = _form_page(request, item, "levels")
    forum = item.meeting.forum
    mappa = forum.kind in MAPPA_KINDS
    current_level = item.nominal.management_level if item.nominal else None
    form = LevelsForm(
        post_or_none(request),
        risk_levels=running.risk_levels_for(forum),
        mappa=mappa,
        agencies=_agencies(item),
        initial={
            "version": item.version,
            "risk_level": item.risk_level_agreed or None,
            "management_level": item.management_level_agreed or current_level,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            running.agree_levels(
                ctx,
                item,
                risk_level=data["risk_level"],
                management_level=data.get("management_level"),
                rationale=data["rationale"],
                dissent=data["dissent"],
                dissent_agency=data["dissent_agency"],
                expected_version=data["version"],
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            return _done(request, item, "The levels agreed have been recorded.")
    return render(request, "meetings/levels.html", {"item": item, "form": form, "mappa": mappa})


@login_required
def decision(request, pk: int):
    item = item_or_404(pk)
    ctx = _form_page(request, item, "decision")
    form = DecisionForm(post_or_none(request), agencies=_agencies(item))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            running.record_decision(
                ctx,
                item,
                text=data["text"],
                rationale=data["rationale"],
                dissent=data["dissent"],
                dissent_agency=data["dissent_agency"],
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            return _done(request, item, "The decision has been recorded.")
    return render(request, "meetings/decision.html", {"item": item, "form": form})


@login_required
def plan(request, pk: int):
    item = item_or_404(pk)
    ctx = _form_page(request, item, "plan")
    forum = item.meeting.forum
    current = plan_services.current_plan(item.person_id, forum.pk)
    if current is not None:
        plan_services.view_plan(ctx, current, {"page": "new plan version", "item": item.pk})
    initial = {"based_on_version": current.version if current else 0}
    if current is not None:
        initial.update({name: getattr(current, name) for name in plan_services.PLAN_FIELDS})
    form = PlanForm(post_or_none(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = plan_services.save_plan(
                ctx,
                item,
                based_on_version=data["based_on_version"],
                **{name: data[name] for name in plan_services.PLAN_FIELDS},
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            return _done(request, item, f"Version {saved.version} of the risk management plan has been saved.")
    return render(
        request,
        "meetings/plan_form.html",
        {
            "item": item,
            "form": form,
            "current": current,
            "mappa": forum.kind in MAPPA_KINDS,
            "pillars": plan_services.PILLARS,
        },
    )


@login_required
def action(request, pk: int):
    item = item_or_404(pk)
    ctx = _form_page(request, item, "action")
    agencies = _agencies(item)
    # Whoever runs the meeting (authorised above) may name any active member of an attending agency as an action's
    # owner: a name to choose, not a read of that person's staff records, so not the staff-record scope.
    owners = (
        Staff.objects.filter(is_active=True, agency__in=agencies)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )
    mappa = item.meeting.forum.kind in MAPPA_KINDS
    form = ActionForm(post_or_none(request), agencies=agencies, owners=owners, mappa=mappa)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        linked = None
        if data["from_plan"]:
            linked = RiskManagementPlan.objects.filter(agenda_item=item).order_by("-version").first()
            if linked is None:
                form.add_error("from_plan", "No risk management plan has been saved for this case at this meeting.")
        if not form.errors:
            try:
                running.create_action(
                    ctx,
                    item,
                    description=data["description"],
                    rationale=data["rationale"],
                    owner_agency=data["owner_agency"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                    plan=linked,
                )
            except ValidationError as exc:
                form.apply_model_errors(exc)
            else:
                return _done(request, item, "The action has been recorded.")
    return render(request, "meetings/action_form.html", {"item": item, "form": form})


@login_required
def outcome(request, pk: int):
    item = item_or_404(pk)
    ctx = _form_page(request, item, "outcome")
    form = OutcomeForm(
        post_or_none(request),
        initial={
            "version": item.version,
            "outcome": item.outcome if item.outcome != item.Outcome.LISTED else None,
            "next_review_on": item.next_review_on,
            "summary": item.summary,
        },
    )
    level = item.management_level_agreed or (item.nominal.management_level if item.nominal else None)
    latest = running.latest_review_allowed(item, level) if item.meeting.forum.kind in MAPPA_KINDS else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            running.record_outcome(
                ctx,
                item,
                outcome=data["outcome"],
                next_review_on=data["next_review_on"],
                summary=data["summary"],
                expected_version=data["version"],
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            return _done(request, item, f"The case is recorded as {item.get_outcome_display().lower()}.")
    return render(request, "meetings/outcome.html", {"item": item, "form": form, "latest": latest, "level": level})


@login_required
def plan_version(request, pk: int):
    record = get_object_or_404(
        RiskManagementPlan.objects.select_related("person", "forum", "created_by", "agenda_item__meeting"), pk=pk
    )
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


urlpatterns = [
    path("items/<int:pk>/", item_page, name="item"),
    path("items/<int:pk>/share/", share, name="share"),
    path("items/<int:pk>/levels/", levels, name="levels"),
    path("items/<int:pk>/decisions/new/", decision, name="decision"),
    path("items/<int:pk>/plan/", plan, name="plan"),
    path("items/<int:pk>/actions/new/", action, name="action"),
    path("items/<int:pk>/outcome/", outcome, name="outcome"),
    path("plans/<int:pk>/", plan_version, name="plan-version"),
]
