"""A triage case: the incident, its grade and grade history, safety plan, outcomes and Operation Encompass."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.people.models import Person
from safeguard.referrals.forms import yes_no
from safeguard.rules.triage import TARGET_HOURS

from .. import services
from ..forms import (
    EncompassNoticeForm,
    GradeForm,
    NoFurtherActionForm,
    SafeguardingReferralForm,
    SafetyPlanForm,
    TriageMaracReferralForm,
    apply_service_errors,
)
from ..models import TriageCase
from ..services.cases import covering_marac, marac_forums_for, perpetrators_of, safeguarding_agencies_for
from ..services.clock import LOCAL

RELATED = (
    "meeting",
    "meeting__forum",
    "meeting__forum__area",
    "marac_referral__forum",
    "incident",
    "incident__local_area",
    "incident__offence",
    "victim",
    "graded_by",
    "marac_referral",
    "safeguarding_referral_to",
)
FORMS = {
    "grade": GradeForm,
    "plan": SafetyPlanForm,
    "safeguarding": SafeguardingReferralForm,
    "nfa": NoFurtherActionForm,
}


def _case(pk: int) -> TriageCase:
    return get_object_or_404(TriageCase.objects.select_related(*RELATED), pk=pk)


def _form(name: str, case: TriageCase, data=None):
    kwargs = {"prefix": name, "initial": {"version": case.version}}
    if name == "safeguarding":
        kwargs["agencies"] = safeguarding_agencies_for(case)
    if name == "plan":
        kwargs["initial"]["plan"] = case.safety_plan
    return FORMS[name](data, **kwargs)


def _render_case(request, ctx, case: TriageCase, bound: dict | None = None, status: int = 200):
    user = request.user
    sees_incident = gate.decide(user, Operation.VIEW, case.incident).allowed
    people = []
    if sees_incident:
        gate.authorise(ctx, Operation.VIEW, case.incident, {"page": "triage case"})
        for link in case.incident.people.select_related("person").order_by("pk"):
            visible = gate.decide(user, Operation.VIEW, link.person).allowed
            people.append({"person": link.person if visible else None, "role": link.get_role_display()})
    shown = [p["person"].pk for p in people if p["person"]]
    encompass = services.encompass_for(case)
    children = []
    for child in encompass.children:
        visible = sees_incident and gate.decide(user, Operation.VIEW, child.person).allowed
        children.append({"row": child, "person": child.person if visible else None})
        if visible:
            shown.append(child.person.pk)
    if shown:
        gate.audit_list(ctx, Operation.VIEW, Person, sorted(set(shown)), {"page": "triage case"})
    may_triage = gate.decide(user, Operation.CHANGE, case).allowed
    forms = {}
    if may_triage:
        forms = {name: _form(name, case) for name in FORMS}
        forms.update(bound or {})
    now = timezone.now()
    status_text, status_colour = encompass.status(now)
    return render(
        request,
        "triage/case.html",
        {
            "case": case,
            "meeting": case.meeting,
            "starts_at": timezone.localtime(case.meeting.starts_at, LOCAL),
            "incident": case.incident if sees_incident else None,
            "occurred_at": timezone.localtime(case.incident.occurred_at, LOCAL),
            "people": people,
            "victim_visible": case.victim is not None and gate.decide(user, Operation.VIEW, case.victim).allowed,
            "changes": case.grade_changes.select_related("by"),
            "target_hours": TARGET_HOURS.get(case.grade),
            "encompass": encompass,
            "encompass_status": status_text,
            "encompass_colour": status_colour,
            "overdue": encompass.overdue(now),
            "children": children,
            "deadline": encompass.deadline,
            "due_by": timezone.localtime(encompass.deadline.due_by, LOCAL) if encompass.deadline else None,
            "may_triage": may_triage,
            "forms": forms,
            "bound_form": next(iter((bound or {}).values()), None),
        },
        status=status,
    )


@login_required
def case(request, pk: int):
    record = _case(pk)
    ctx = gate.context_for(request)
    gate.authorise(ctx, Operation.VIEW, record, {"page": "triage case"})
    return _render_case(request, ctx, record)


def _post(request, pk: int, name: str, run, success: str, rename: dict | None = None):
    """The shape of every case form: check the gate, validate, run the service, or show the errors."""
    record = _case(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    form = _form(name, record, request.POST)
    if form.is_valid():
        try:
            run(ctx, record, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc, rename)
            record = _case(pk)  # the service may have changed the object before refusing
        else:
            messages.success(request, success)
            return redirect("triage:case", pk=record.pk)
    return _render_case(request, ctx, record, {name: form})


@login_required
@require_POST
def grade(request, pk: int):
    def run(ctx, record, data):
        services.grade_case(ctx, record, grade=data["grade"], reason=data["reason"], expected_version=data["version"])

    return _post(request, pk, "grade", run, "The grade has been recorded.")


@login_required
@require_POST
def safety_plan(request, pk: int):
    def run(ctx, record, data):
        services.record_safety_plan(ctx, record, plan=data["plan"], expected_version=data["version"])

    return _post(request, pk, "plan", run, "The safety plan has been saved.")


def _perpetrators(user, case: TriageCase) -> list[int]:
    return [p.pk for p in perpetrators_of(case) if gate.decide(user, Operation.VIEW, p).allowed]


@login_required
def marac_referral(request, pk: int):
    """Outcome: refer the victim to MARAC (the SafeLives form of the referrals app), submitted from the triage."""
    record = _case(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    if record.victim is None:
        raise Http404
    gate.check(ctx, Operation.VIEW, record.victim)
    if request.method == "GET":
        for seen in (record, record.victim):
            gate.authorise(ctx, Operation.VIEW, seen, {"page": "triage MARAC referral"})
    forum = covering_marac(record)
    perpetrators = _perpetrators(request.user, record)
    form = TriageMaracReferralForm(
        request.POST if request.method == "POST" else None,
        forums=marac_forums_for(record),
        perpetrators=Person.objects.filter(pk__in=perpetrators),
        initial={
            "version": record.version,
            "forum": forum.pk if forum else None,
            "incident_date": timezone.localtime(record.incident.occurred_at, LOCAL).date(),
            "perpetrators": perpetrators,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = services.marac_details(
            record,
            incident_date=data["incident_date"],
            perpetrators=list(data["perpetrators"]),
            victim_aware=yes_no(data["victim_aware"]),
            victim_consents=yes_no(data["victim_consents"]),
            no_consent_reason=data["no_consent_reason"],
            feared=data["feared"],
            safe_contact=data["safe_contact"],
            reason=data["reason"],
            criteria=list(data.get("criteria") or []),
            dash_yes_count=data.get("dash_yes_count"),
            professional_judgement_reason=data.get("professional_judgement_reason") or "",
        )
        try:
            services.refer_to_marac(ctx, record, forum=data["forum"], details=details, expected_version=data["version"])
        except ValidationError as exc:
            apply_service_errors(form, exc, {"criteria_met": "criteria"})
        else:
            messages.success(request, "The MARAC referral has been made and submitted to the MARAC.")
            return redirect("triage:case", pk=record.pk)
    return render(
        request,
        "triage/marac_referral.html",
        {
            "case": record,
            "form": form,
            "children": services.marac_details(record).children,
            "occurred_at": timezone.localtime(record.incident.occurred_at, LOCAL),
        },
    )


@login_required
@require_POST
def safeguarding_referral(request, pk: int):
    def run(ctx, record, data):
        services.refer_for_safeguarding(
            ctx, record, agency=data["agency"], note=data["note"], expected_version=data["version"]
        )

    return _post(request, pk, "safeguarding", run, "The safeguarding referral has been recorded.")


@login_required
@require_POST
def no_further_action(request, pk: int):
    def run(ctx, record, data):
        services.record_no_further_action(ctx, record, reason=data["reason"], expected_version=data["version"])

    return _post(request, pk, "nfa", run, "No further action has been recorded.")


@login_required
def encompass(request, pk: int, child_pk: int):
    """Record the Operation Encompass notice to one child's school."""
    record = _case(pk)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    position = services.encompass_for(record)
    row = next((c for c in position.children if c.person.pk == child_pk), None)
    if row is None:
        raise Http404
    gate.check(ctx, Operation.VIEW, row.person)
    gate.check(ctx, Operation.VIEW, record.incident)
    if request.method == "GET":
        for seen in (record, record.incident, row.person):
            gate.authorise(ctx, Operation.VIEW, seen, {"page": "Operation Encompass notice"})
    present = {True: "yes", False: "no"}.get(row.present, "")
    form = EncompassNoticeForm(
        request.POST if request.method == "POST" else None,
        initial={"child_present": present, "circumstances": record.incident.summary},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_notice(
                ctx,
                record,
                row.person,
                school=data["school"],
                safeguarding_lead=data["safeguarding_lead"],
                child_present=data["child_present_value"],
                childs_voice=data["childs_voice"],
                circumstances=data["circumstances"],
                sent_at=data["sent_at"],
                no_school_reason=data["no_school_reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, {"sent_at": "sent_on"})
        else:
            messages.success(request, "The Operation Encompass notice has been recorded.")
            return redirect("triage:case", pk=record.pk)
    return render(
        request,
        "triage/encompass.html",
        {
            "case": record,
            "child": row,
            "form": form,
            "occurred_at": timezone.localtime(record.incident.occurred_at, LOCAL),
            "deadline": position.deadline,
            "due_by": timezone.localtime(position.deadline.due_by, LOCAL) if position.deadline else None,
            "problem": position.problem,
        },
    )
