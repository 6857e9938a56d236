"""Release pathways: a nominal's release checklist (started from 12 weeks before release), an item's change,
the release-day outcome, and the team's releases in the next 12 weeks with their gaps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.access.policy import CASE_ROLES
from safeguard.audit.models import Operation
from safeguard.offenders.models import Nominal
from safeguard.rules import release_pathways as rule
from safeguard.web import pages
from safeguard.web.forms import GovukForm
from safeguard.workforce.models import Agency

from ..forms import ItemForm, OutcomeForm
from ..history import changes_of
from ..models import PathwayItem, PathwaySettings, ReleasePlan
from ..services import release as services

NOMINALS = Nominal.objects.select_related("person", "local_area", "offender_manager", "lead_agency")
ITEMS = PathwayItem.objects.select_related("plan__nominal__person", "plan__nominal__local_area", "owner_agency")
PLANS = ReleasePlan.objects.select_related("nominal__person", "nominal__local_area")


def _to_release(nominal_id: int) -> str:
    return reverse("pathways:release", kwargs={"pk": nominal_id})


def _release_page(request, nominal: Nominal, status: int = 200):
    today = timezone.localdate()
    plan = services.current_plan(nominal)
    items = list(plan.items.select_related("owner_agency")) if plan else []
    offsets = PathwaySettings.for_nominal(nominal).release_settings()
    opens = rule.opens_on(nominal.release_date, offsets) if nominal.release_date else None
    return render(
        request,
        "pathways/release.html",
        {
            "nominal": nominal,
            "plan": plan,
            "rows": [{"item": i, "gap": i.is_gap(today)} for i in items],
            "past_plans": nominal.release_plans.exclude(pk=getattr(plan, "pk", None)),
            "may_change": gate.decide(request.user, Operation.CHANGE, nominal).allowed,
            "opens": opens,
            "weeks": offsets["window_weeks"],
            "may_start": bool(opens and opens <= today <= nominal.release_date and plan is None),
            "today": today,
        },
        status=status,
    )


@login_required
def release(request, pk: int):
    return _release_page(request, pages.gated(request, NOMINALS, pk, Operation.VIEW, {"page": "release"}))


@login_required
@require_POST
def start(request, pk: int):
    """A button: its errors are said above the release page."""
    nominal = pages.gated(request, NOMINALS, pk, Operation.CHANGE)

    def back_with_errors(form):
        for error in form.non_field_errors() or ["Reload the page and try again."]:
            messages.error(request, error)
        return redirect(_to_release(nominal.pk))

    return pages.form_page(
        request,
        GovukForm(request.POST),
        lambda ctx, form: services.start_plan(ctx, nominal),
        done="The release checklist has been started: one item per pathway, owned by the lead agency.",
        then=_to_release(nominal.pk),
        show=back_with_errors,
    )


def _agencies(nominal: Nominal):
    area = nominal.local_area.parent_id or nominal.local_area_id
    return Agency.objects.filter(area_id=area).order_by("name")


@login_required
def item(request, pk: int):
    record = pages.gated(request, ITEMS, pk, Operation.CHANGE)
    nominal = record.plan.nominal
    initial = {
        "version": record.version,
        "owner_agency": record.owner_agency_id,
        "due_on": record.due_on,
        "status": record.status,
        "detail": record.detail,
    }
    form = ItemForm(pages.posted(request), initial=initial, agencies=_agencies(nominal))
    return pages.form_page(
        request,
        form,
        pages.submits(services.change_item, record, fields=("version", "owner_agency", "due_on", "status", "detail")),
        done=lambda r: f"{r.get_pathway_display()}: {r.get_status_display().lower()}.",
        then=_to_release(nominal.pk),
        template="pathways/item.html",
        context={"item": record, "nominal": nominal, "changes": changes_of(record)},
        shows=record,
        page="release checklist item",
    )


@login_required
def outcome(request, pk: int):
    plan = pages.gated(request, PLANS, pk, Operation.CHANGE)
    form = OutcomeForm(pages.posted(request), initial={"version": plan.version, "released_on": plan.release_date})
    return pages.form_page(
        request,
        form,
        pages.submits(
            services.record_outcome, plan, fields=("version", "outcome", "released_on", "in_place", "outcome_notes")
        ),
        done="The release-day outcome has been recorded.",
        then=_to_release(plan.nominal_id),
        template="pathways/outcome.html",
        context={"plan": plan, "nominal": plan.nominal},
        shows=plan,
        page="release-day outcome",
    )


@login_required
def releases(request):
    """Releases in the next 12 weeks of the nominals the user may see, nearest first, with their gaps."""
    if not gate.policy.roles_of(request.user) & CASE_ROLES:
        raise Http404
    today = timezone.localdate()
    ctx = gate.context_for(request)
    visible = gate.scoped(request.user, Nominal.objects.all())
    if request.GET.get("team") and request.user.team_id:
        visible = visible.filter(offender_manager__team_id=request.user.team_id)
    weeks = PathwaySettings.for_area(request.user.mappa_area_id).checklist_opens_weeks
    rows = services.releases_ahead(visible, today, weeks)
    gate.audit_list(ctx, Operation.VIEW, Nominal, [r["nominal"].pk for r in rows], {"page": "releases ahead"})
    return render(request, "pathways/releases.html", {"rows": rows, "today": today, "weeks": weeks})
