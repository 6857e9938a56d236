"""One triage case: its grade (a regrade needs a reason, every change kept), safety plan and outcomes.

Outcomes (Journey 8): a MARAC referral, a safeguarding referral to children's or adult services with a note,
or no further action with a reason. A case may have both referrals; no further action excludes them (the page
says which is recorded; a recorded outcome is not overwritten). Operation Encompass notices are in
triage.services.encompass.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation
from safeguard.events.models import IncidentRole
from safeguard.meetings.models import Forum, Meeting
from safeguard.referrals import services as referral_services
from safeguard.referrals.models import Referral
from safeguard.referrals.services import MaracDetails
from safeguard.rules.triage import MIN_REASON_LENGTH, GradeCheck, check_grade
from safeguard.rules.working import RuleInputError
from safeguard.workforce.models import Agency

from ..models import GradeChange, TriageCase
from .clock import LOCAL
from .encompass import VICTIMS_CHILD, encompass_for
from .meeting import sweep_forum_cases

SAFEGUARDING_AGENCIES = (Agency.Kind.CHILDRENS_SERVICES, Agency.Kind.ADULT_SOCIAL_CARE)


def _reason_error(text: str, what: str) -> str | None:
    if len(text.strip()) < MIN_REASON_LENGTH:
        return f"{what} (at least {MIN_REASON_LENGTH} characters)"
    return None


def _after_outcome(ctx: AccessContext, case: TriageCase) -> None:
    """A held meeting's case that is now finished takes its person off the triage forum's open cases."""
    if case.meeting.status == Meeting.Status.HELD:
        sweep_forum_cases(ctx, case.meeting.forum)


# Grade -------------------------------------------------------------------------------------------


def grade_case(ctx: AccessContext, case: TriageCase, *, grade: str, reason: str, expected_version: int) -> GradeCheck:
    """Grade or regrade a case (rules.triage.check_grade); the change is kept as a GradeChange and audited."""
    previous = case.grade
    if grade and grade == previous:
        raise ValidationError(
            {"grade": f"The case is already graded {previous}: choose another grade to regrade it, with the reason."}
        )
    try:
        check = check_grade(grade, previous, reason)
    except RuleInputError as exc:
        raise ValidationError({exc.field: exc.message}) from exc
    with transaction.atomic():
        case.grade = grade
        case.grade_reason = reason.strip()
        case.graded_by = ctx.user
        case.graded_at = timezone.now()
        save_record(
            ctx,
            case,
            expected_version=expected_version,
            reason=reason.strip(),
            detail={"from_grade": previous, "to_grade": grade},
        )
        save_record(
            ctx,
            GradeChange(case=case, from_grade=previous, to_grade=grade, reason=reason.strip(), by=ctx.user),
        )
        _after_outcome(ctx, case)
    return check


# Safety plan -------------------------------------------------------------------------------------


def record_safety_plan(ctx: AccessContext, case: TriageCase, *, plan: str, expected_version: int) -> TriageCase:
    if not plan.strip():
        raise ValidationError({"plan": "Enter the safety plan"})
    case.safety_plan = plan.strip()
    with transaction.atomic():
        save_record(ctx, case, expected_version=expected_version, detail={"fields": ["safety_plan"]})
    return case


# Outcomes ----------------------------------------------------------------------------------------


def marac_forums_for(case: TriageCase) -> QuerySet[Forum]:
    """The MARACs of the triage's MAPPA area, the one covering the incident's local area first."""
    return Forum.objects.filter(kind=Forum.Kind.MARAC, area_id=case.meeting.forum.area_id).distinct().order_by("name")


def covering_marac(case: TriageCase) -> Forum | None:
    forums = list(marac_forums_for(case))
    for forum in forums:
        if forum.covers.filter(pk=case.incident.local_area_id).exists():
            return forum
    return forums[0] if len(forums) == 1 else None


def safeguarding_agencies_for(case: TriageCase) -> QuerySet[Agency]:
    """Children's services and adult social care agencies of the triage's MAPPA area."""
    area = case.meeting.forum.area_id
    return Agency.objects.filter(Q(area_id=area) | Q(area__parent_id=area), kind__in=SAFEGUARDING_AGENCIES)


def _outcome_guard(case: TriageCase, field: str) -> None:
    if case.no_further_action_reason:
        raise ValidationError(
            {field: "No further action is recorded on this case: a referral cannot be added to it as well."}
        )


def marac_details(case: TriageCase, **answers) -> MaracDetails:
    """The SafeLives form's answers for the case's victim: the referrer's, plus what the triage already holds
    (the incident's date, the children with a date of birth and the school told, if any)."""
    children = []
    for child in encompass_for(case).children:
        if child.person.date_of_birth is None:
            continue
        told = child.notice.school if child.notice and child.notice.told_school else ""
        children.append(
            {
                "date_of_birth": child.person.date_of_birth.isoformat(),
                "relationship": "son or daughter" if child.why == VICTIMS_CHILD else "child present at the incident",
                "school": told,
            }
        )
    answers.setdefault("incident_date", timezone.localtime(case.incident.occurred_at, LOCAL).date())
    return MaracDetails(children=children, **answers)


def perpetrators_of(case: TriageCase) -> list:
    return [
        link.person for link in case.incident.people.select_related("person") if link.role == IncidentRole.PERPETRATOR
    ]


def refer_to_marac(
    ctx: AccessContext, case: TriageCase, *, forum: Forum, details: MaracDetails, expected_version: int
) -> Referral:
    """Outcome: a MARAC referral of the victim, made and submitted through the referrals app, linked to the case.

    ``referrals.services.create_marac_referral`` (by hand: the criteria the referrer chose) makes the draft and
    ``submit_referral`` sends it to the MARAC (which checks for a repeat); both in this one transaction.
    """
    if case.marac_referral_id:
        raise ValidationError({"forum": "A MARAC referral is already recorded on this case."})
    _outcome_guard(case, "forum")
    if case.victim_id is None:
        raise ValidationError({"forum": "The incident has no victim recorded: add the victim to the incident first."})
    if forum.kind != Forum.Kind.MARAC or forum.area_id != case.meeting.forum.area_id:
        raise ValidationError({"forum": "Choose a MARAC of this area."})
    with transaction.atomic():
        gate.check(ctx, Operation.CHANGE, TriageCase.objects.get(pk=case.pk))
        referral = referral_services.create_marac_referral(ctx, person=case.victim, forum=forum, details=details)
        referral = referral_services.submit_referral(ctx, referral)
        case.marac_referral = referral
        save_record(ctx, case, expected_version=expected_version, detail={"outcome": "marac_referral"})
        _after_outcome(ctx, case)
    return referral


def refer_for_safeguarding(
    ctx: AccessContext, case: TriageCase, *, agency: Agency, note: str, expected_version: int
) -> TriageCase:
    """Outcome: a safeguarding referral to children's or adult services, with a note."""
    if case.safeguarding_referral_to_id:
        raise ValidationError({"agency": "A safeguarding referral is already recorded on this case."})
    _outcome_guard(case, "agency")
    if not safeguarding_agencies_for(case).filter(pk=agency.pk).exists():
        raise ValidationError({"agency": "Choose children's services or adult social care of this area."})
    if not note.strip():
        raise ValidationError({"note": "Enter a note of what was referred and why"})
    case.safeguarding_referral_to = agency
    case.safeguarding_referral_note = note.strip()
    with transaction.atomic():
        save_record(ctx, case, expected_version=expected_version, detail={"outcome": "safeguarding_referral"})
        _after_outcome(ctx, case)
    return case


def record_no_further_action(ctx: AccessContext, case: TriageCase, *, reason: str, expected_version: int) -> TriageCase:
    """Outcome: no further action, with the reason (not on a case that has a referral)."""
    if case.no_further_action_reason:
        raise ValidationError({"reason": "No further action is already recorded on this case."})
    if case.marac_referral_id or case.safeguarding_referral_to_id:
        raise ValidationError({"reason": "A referral is recorded on this case: it cannot also be no further action."})
    if error := _reason_error(reason, "Give the reason for no further action"):
        raise ValidationError({"reason": error})
    case.no_further_action_reason = reason.strip()
    with transaction.atomic():
        save_record(ctx, case, expected_version=expected_version, detail={"outcome": "no_further_action"})
        _after_outcome(ctx, case)
    return case
