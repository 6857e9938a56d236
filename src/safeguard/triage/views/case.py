"""A triage case: the incident, its grade and grade history, safety plan, outcomes and Operation Encompass."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.people.models import Person
from safeguard.referrals.forms import yes_no
from safeguard.rules.triage import TARGET_HOURS
from safeguard.web import pages

from .. import services
from ..forms import (
    EncompassNoticeForm,
    GradeForm,
    NoFurtherActionForm,
    SafeguardingReferralForm,
    SafetyPlanForm,
    TriageMaracReferralForm,
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


CASES = TriageCase.objects.select_related(*RELATED)


def _to_case(case: TriageCase) -> str:
    return reverse("triage:case", kwargs={"pk": case.pk})


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
    record = pages.gated(request, CASES, pk, Operation.VIEW, {"page": "triage case"})
    return _render_case(request, gate.context_for(request), record)


# The forms posted from the case page: the service each calls, its fields, and what is said when it is done.
CASE_FORMS = {
    "grade": (services.grade_case, ("grade", "reason", "version"), "The grade has been recorded."),
    "plan": (services.record_safety_plan, ("plan", "version"), "The safety plan has been saved."),
    "safeguarding": (
        services.refer_for_safeguarding,
        ("agency", "note", "version"),
        "The safeguarding referral has been recorded.",
    ),
    "nfa": (services.record_no_further_action, ("reason", "version"), "No further action has been recorded."),
}


@login_required
@require_POST
def case_form(request, pk: int, name: str):
    """A form on the case page (``name`` from the URL table); its errors are shown on the case page, read
    again (the service may have changed the object before refusing)."""
    record = pages.gated(request, CASES, pk, Operation.CHANGE)
    service, fields, done = CASE_FORMS[name]
    return pages.form_page(
        request,
        _form(name, record, request.POST),
        pages.submits(service, record, fields=fields),
        done=done,
        then=_to_case(record),
        show=lambda form: _render_case(request, gate.context_for(request), CASES.get(pk=pk), {name: form}),
        shows=record,
        page="triage case",
    )


def _perpetrators(user, case: TriageCase) -> list[int]:
    return [p.pk for p in perpetrators_of(case) if gate.decide(user, Operation.VIEW, p).allowed]


@login_required
def marac_referral(request, pk: int):
    """Outcome: refer the victim to MARAC (the SafeLives form of the referrals app), submitted from the triage."""
    record = pages.gated(request, CASES, pk, Operation.CHANGE)
    if record.victim is None:
        raise Http404
    gate.check(gate.context_for(request), Operation.VIEW, record.victim)
    forum = covering_marac(record)
    perpetrators = _perpetrators(request.user, record)
    form = TriageMaracReferralForm(
        pages.posted(request),
        forums=marac_forums_for(record),
        perpetrators=Person.objects.filter(pk__in=perpetrators),
        initial={
            "version": record.version,
            "forum": forum.pk if forum else None,
            "incident_date": timezone.localtime(record.incident.occurred_at, LOCAL).date(),
            "perpetrators": perpetrators,
        },
    )

    def refer(ctx, form):
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
        return services.refer_to_marac(
            ctx, record, forum=data["forum"], details=details, expected_version=data["version"]
        )

    return pages.form_page(
        request,
        form,
        refer,
        done="The MARAC referral has been made and submitted to the MARAC.",
        then=_to_case(record),
        template="triage/marac_referral.html",
        context={
            "case": record,
            "children": services.marac_details(record).children,
            "occurred_at": timezone.localtime(record.incident.occurred_at, LOCAL),
        },
        shows=[record, record.victim],
        page="triage MARAC referral",
        rename={"criteria_met": "criteria"},
    )


@login_required
def encompass(request, pk: int, child_pk: int):
    """Record the Operation Encompass notice to one child's school."""
    record = pages.gated(request, CASES, pk, Operation.CHANGE)
    ctx = gate.context_for(request)
    position = services.encompass_for(record)
    row = next((c for c in position.children if c.person.pk == child_pk), None)
    if row is None:
        raise Http404
    gate.check(ctx, Operation.VIEW, row.person)
    gate.check(ctx, Operation.VIEW, record.incident)
    present = {True: "yes", False: "no"}.get(row.present, "")

    def record_notice(ctx, form):
        data = form.cleaned_data
        return services.record_notice(
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

    return pages.form_page(
        request,
        EncompassNoticeForm(
            pages.posted(request), initial={"child_present": present, "circumstances": record.incident.summary}
        ),
        record_notice,
        done="The Operation Encompass notice has been recorded.",
        then=_to_case(record),
        template="triage/encompass.html",
        context={
            "case": record,
            "child": row,
            "occurred_at": timezone.localtime(record.incident.occurred_at, LOCAL),
            "deadline": position.deadline,
            "due_by": timezone.localtime(position.deadline.due_by, LOCAL) if position.deadline else None,
            "problem": position.problem,
        },
        shows=[record, record.incident, row.person],
        page="Operation Encompass notice",
        rename={"sent_at": "sent_on"},
    )
