"""The one access gate: every read or change of a personal record passes here.

    ctx = context_for(request)
    gate.authorise(ctx, Operation.VIEW, person)      # refuses, or audits and returns

`authorise` decides (safeguard.access.policy) and writes the audit event in
the caller's transaction. A refusal raises AccessRefused: the request's
transaction is rolled back, then AccessRefusedMiddleware writes the refusal in
a transaction of its own and answers 404 (never 403: a user is not told that a
record they may not see exists). Outside a request, a refusal is written at
once unless the caller is inside a transaction, where the caller must let the
exception reach `record_refusal`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model, QuerySet

from safeguard.actions.models import Action, Prompt
from safeguard.assessments.models import Assessment
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.events.models import Conviction, Incident, IncidentPerson, Notification
from safeguard.meetings.models import (
    AgendaItem,
    Attendance,
    Forum,
    Meeting,
    MinutesShare,
    RiskManagementPlan,
    SharedInformation,
)
from safeguard.meetings.models import (
    Decision as MeetingDecision,
)
from safeguard.offenders.models import DueNotice, Nominal
from safeguard.oidc.models import LinkedIdentity
from safeguard.people.models import Address, Alias, LegalHold, Person, Relationship, WarningMarker
from safeguard.referrals.models import CaseLink, Referral, ReferralTransition
from safeguard.triage.models import EncompassNotice, GradeChange, TriageCase
from safeguard.workforce.models import (
    AllocationBatch,
    AllocationRecommendation,
    Buddy,
    CaseloadSnapshot,
    Staff,
    TrainingCompletion,
    WaitingListEntry,
)

from . import policy
from .purposes import Purpose, default_purpose

READS = frozenset({Operation.VIEW, Operation.SEARCH, Operation.EXPORT})
PERSON_PARTS = (Address, Alias, WarningMarker, Conviction, Notification, LegalHold)
# A member of staff's own records, decided as the member of staff they belong to.
STAFF_PARTS = {TrainingCompletion: "staff", WaitingListEntry: "staff", Buddy: "new_joiner", CaseloadSnapshot: "officer"}


@dataclass(frozen=True)
class AccessContext:
    """Who is acting, why, and from where: what every audit event records."""

    user: object
    purpose: str
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    client_address: str | None = None

    @classmethod
    def system(cls, user, purpose: str = Purpose.SYSTEM) -> AccessContext:
        return cls(user=user, purpose=purpose)


class AccessRefused(Exception):
    """The gate said no. Carries what the refusal audit event needs (never shown to the user)."""

    def __init__(self, ctx: AccessContext, operation: str, record_type: str, record_id, reason: str):
        super().__init__("Access refused")
        self.ctx, self.operation, self.record_type = ctx, operation, record_type
        self.record_id, self.reason = record_id, reason
        self.audited = False


def context_for(request) -> AccessContext:
    """The access context of a web or API request."""
    user = request.user
    # The purpose is the session's only (chosen on the purpose page): no header or parameter sets it, and
    # "system" is never a person's purpose.
    purpose = request.session.get("purpose") if hasattr(request, "session") else None
    if purpose not in Purpose.values or purpose == Purpose.SYSTEM:
        purpose = default_purpose(getattr(user, "roles", []) or [])
    return AccessContext(
        user=user,
        purpose=purpose,
        request_id=getattr(request, "request_id", uuid.uuid4().hex),
        client_address=request.META.get("REMOTE_ADDR"),
    )


def record_type_of(record: Model) -> str:
    return record._meta.label_lower


def decide(user, operation: str, record: Model) -> policy.Decision:
    """The policy's answer for one operation on one record (no side effects)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return policy.Decision(False, "not signed in")
    reading = operation in READS
    if isinstance(record, Person):
        if operation == Operation.CREATE:
            return policy.may_change_person(user, record)
        return policy.may_view_person(user, record) if reading else policy.may_change_person(user, record)
    if isinstance(record, Nominal):
        if operation == Operation.CREATE:
            return policy.may_create_nominal(user, record.local_area)
        return policy.may_view_nominal(user, record) if reading else policy.may_change_nominal(user, record)
    if isinstance(record, Assessment):
        if reading:
            return policy.may_view_person(user, record.person)
        return policy.may_assess(user, record.person, record.instrument.code)
    if isinstance(record, DueNotice):
        nominal = record.nominal
        return policy.may_view_nominal(user, nominal) if reading else policy.may_change_nominal(user, nominal)
    if isinstance(record, PERSON_PARTS):
        person = record.person
        return policy.may_view_person(user, person) if reading else policy.may_change_person(user, person)
    if isinstance(record, Relationship):
        if reading:
            return policy.may_view_person(user, record.person)
        both = policy.may_change_person(user, record.person)
        return both if not both else policy.may_change_person(user, record.other)
    if isinstance(record, Incident):
        if operation == Operation.CREATE:
            return policy.may_change_incident(user, record)
        return policy.may_view_incident(user, record) if reading else policy.may_change_incident(user, record)
    if isinstance(record, IncidentPerson):
        if reading:
            return policy.may_view_incident(user, record.incident)
        allowed = policy.may_change_incident(user, record.incident)
        return allowed if not allowed else policy.may_view_person(user, record.person)
    if isinstance(record, LinkedIdentity):
        return policy.may_link_identity(user, record)
    if isinstance(record, Staff):
        return policy.may_view_staff_record(user, record) if reading else policy.may_change_staff_record(user, record)
    if type(record) in STAFF_PARTS:
        staff = getattr(record, STAFF_PARTS[type(record)])
        return policy.may_view_staff_record(user, staff) if reading else policy.may_change_staff_record(user, staff)
    if isinstance(record, AllocationBatch):
        return policy.may_allocate(user, record.area_id, record.team)
    if isinstance(record, AllocationRecommendation):
        allowed = policy.may_allocate(user, record.batch.area_id, record.batch.team)
        if not allowed or reading:
            return allowed if not allowed else policy.may_view_nominal(user, record.nominal)
        return policy.may_change_nominal(user, record.nominal)
    forum_decision = _decide_forum_record(user, reading, operation, record)
    if forum_decision is not None:
        return forum_decision
    return policy.Decision(False, "no rule for this kind of record")


# Parts of a meeting decided as the agenda item (reading) or the meeting (changing) they belong to.
ITEM_PARTS = (SharedInformation, MeetingDecision)
MEETING_PARTS = (Attendance, MinutesShare)


def _decide_forum_record(user, reading: bool, operation: str, record: Model) -> policy.Decision | None:
    """The forums' records (issue 4); None when the record is not one of them."""
    if isinstance(record, Forum):
        return policy.may_view_forum(user, record) if reading else policy.may_coordinate_forum(user, record)
    if isinstance(record, Referral):
        if reading:
            return policy.may_view_referral(user, record)
        if operation == Operation.CREATE:
            return policy.may_refer(user, record)
        return policy.may_decide_referral(user, record)
    if isinstance(record, ReferralTransition):
        return policy.may_view_referral(user, record.referral)
    if isinstance(record, CaseLink):
        if reading:
            allowed = policy.may_view_person(user, record.from_case.person)
            return allowed if not allowed else policy.may_view_person(user, record.to_case.person)
        return policy.may_coordinate_forum(user, record.from_case.forum)
    if isinstance(record, Meeting):
        return policy.may_view_meeting(user, record) if reading else policy.may_run_meeting(user, record)
    if isinstance(record, AgendaItem):
        return policy.may_view_agenda_item(user, record) if reading else policy.may_run_meeting(user, record.meeting)
    if isinstance(record, ITEM_PARTS):
        if reading:
            return policy.may_view_agenda_item(user, record.item)
        return policy.may_run_meeting(user, record.item.meeting)
    if isinstance(record, MEETING_PARTS):
        if isinstance(record, MinutesShare) and not reading:
            return policy.may_share_minutes(user, record.meeting)
        return (
            policy.may_view_meeting(user, record.meeting) if reading else policy.may_run_meeting(user, record.meeting)
        )
    if isinstance(record, RiskManagementPlan):
        return policy.may_view_plan(user, record) if reading else policy.may_write_plan(user, record)
    if isinstance(record, Action):
        if reading:
            return policy.may_view_action(user, record)
        if operation == Operation.CREATE:
            if record.agenda_item_id:
                return policy.may_run_meeting(user, record.agenda_item.meeting)
            return policy.may_coordinate_forum(user, record.forum)
        return policy.may_change_action(user, record)
    if isinstance(record, Prompt):
        return policy.may_handle_prompt(user, record)
    if isinstance(record, TriageCase):
        return policy.may_view_triage_case(user, record) if reading else policy.may_triage(user, record)
    if isinstance(record, GradeChange | EncompassNotice):
        case = record.case
        return policy.may_view_triage_case(user, case) if reading else policy.may_triage(user, case)
    return None


def write_event(
    ctx: AccessContext,
    operation: str,
    record_type: str,
    record_id,
    outcome: str,
    reason: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    user = ctx.user
    authenticated = getattr(user, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor_id=user.pk if authenticated else None,
        actor_username=user.get_username() if authenticated else "anonymous",
        actor_agency_id=getattr(user, "agency_id", None) if authenticated else None,
        operation=operation,
        record_type=record_type,
        record_id=record_id,
        purpose=ctx.purpose,
        outcome=outcome,
        reason=reason[:200],
        request_id=ctx.request_id,
        client_address=ctx.client_address,
        detail=detail or {},
    )


def check(ctx: AccessContext, operation: str, record: Model) -> policy.Decision:
    """Decide, and raise AccessRefused on a refusal. Writes nothing when allowed."""
    decision = decide(ctx.user, operation, record)
    if not decision.allowed:
        record_type, record_id = record_type_of(record), record.pk
        if record_id is None and getattr(record, "person_id", None):
            # A refused create has no record yet: the audit names the person it was for.
            record_type, record_id = record_type_of(Person), record.person_id
        refused = AccessRefused(ctx, operation, record_type, record_id, decision.reason)
        if not transaction.get_connection().in_atomic_block:
            record_refusal(refused)
        raise refused
    return decision


def authorise(ctx: AccessContext, operation: str, record: Model, detail: dict | None = None) -> None:
    """Decide and audit one operation on one record. Call inside the change's transaction."""
    decision = check(ctx, operation, record)
    write_event(ctx, operation, record_type_of(record), record.pk, Outcome.ALLOWED, decision.reason, detail)


def audit_allowed(ctx: AccessContext, operation: str, record: Model, reason: str, detail=None) -> None:
    """Write the allowed event for a record checked earlier (a create, once it has its id)."""
    write_event(ctx, operation, record_type_of(record), record.pk, Outcome.ALLOWED, reason, detail)


def record_refusal(refused: AccessRefused) -> None:
    """Write a refusal in a transaction of its own (after the caller's has rolled back)."""
    if refused.audited:
        return
    with transaction.atomic():
        write_event(
            refused.ctx,
            refused.operation,
            refused.record_type,
            refused.record_id,
            Outcome.REFUSED,
            refused.reason,
        )
    refused.audited = True


# Many records at once ---------------------------------------------------------

SCOPES = {
    Person: policy.people_scope,
    Nominal: policy.nominals_scope,
    Incident: policy.incidents_scope,
    Staff: policy.staff_scope,
    Referral: policy.referrals_scope,
    Action: policy.actions_scope,
    LinkedIdentity: policy.linked_identities_scope,
}


def scoped(user, queryset: QuerySet) -> QuerySet:
    """Only the records of this queryset that the user may see (none for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    scope = SCOPES.get(queryset.model)
    if scope is None:
        return queryset.none()
    return queryset.filter(scope(user))


def audit_list(
    ctx: AccessContext, operation: str, model: type[Model], ids: Iterable, detail: dict | None = None
) -> None:
    """One event for a search or a list: what was asked and which records were shown."""
    shown = list(ids)
    payload = dict(detail or {})
    payload["shown"] = shown
    write_event(ctx, operation, model._meta.label_lower, None, Outcome.ALLOWED, "scoped list", payload)


def audit_account_administration(
    ctx: AccessContext, staff: Model, action: str, detail: dict, refused: bool = False
) -> AuditEvent:
    """One event for a change to a member of staff's account (a role granted, approved, refused or removed;
    a sign-in reset; a password changed): `action` says which, `detail` holds the before and after."""
    outcome = Outcome.REFUSED if refused else Outcome.ALLOWED
    return write_event(ctx, Operation.CHANGE, record_type_of(staff), staff.pk, outcome, action, detail)
