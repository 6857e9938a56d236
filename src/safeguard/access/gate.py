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

from safeguard.audit.models import AuditEvent, Operation, Outcome

from . import policy, registry
from .purposes import Purpose, default_purpose

READS = registry.READS
PERSON_RECORD_TYPE = "people.person"


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


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def decide(user, operation: str, record: Model) -> policy.Decision:
    """The registered policy's answer for one operation on one record (no side effects)."""
    if not _signed_in(user):
        return policy.Decision(False, "not signed in")
    rule = registry.find(record.__class__)  # __class__: a lazy request.user is its class
    if rule is None:
        return policy.Decision(False, "no rule for this kind of record")
    return rule.may(user, operation, record)


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
            record_type, record_id = PERSON_RECORD_TYPE, record.person_id
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


def scoped(user, queryset: QuerySet, operation: str = Operation.VIEW) -> QuerySet:
    """Only the records of this queryset the user may do this to: the same rule as ``decide``, as a filter
    (none for anyone not signed in, and none of a kind without a policy)."""
    if not _signed_in(user):
        return queryset.none()
    rule = registry.find(queryset.model)
    if rule is None:
        return queryset.none()
    return rule.scope(user, queryset, operation)


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
