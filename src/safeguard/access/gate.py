"""The one access gate: every read or change of a personal record passes here.

    ctx = context_for(request)
    gate.authorise(ctx, Operation.VIEW, person)      # refuses, or audits and returns
    gate.scoped(user, Person.objects.all())          # the same rule over many records
    with gate.changing(ctx, Meeting, pk, version) as change:   # lock, authorise, version, audit
        change.record.start(today, chair)
        change.save()

The gate knows no app's models: it asks the registry (``access.registry``) for the policy of the record's
kind, which each app declares in its ``policies`` module. `authorise` decides and writes the audit event in
the caller's transaction. A refusal raises AccessRefused: the request's
transaction is rolled back, then AccessRefusedMiddleware writes the refusal in
a transaction of its own and answers 404 (never 403: a user is not told that a
record they may not see exists). Outside a request, a refusal is written at
once unless the caller is inside a transaction, where the caller must let the
exception reach `record_refusal`.

Audit events are written here only: for one record (`authorise`, `audit_allowed`, `changing`; a row held
still while records under it change is `locked`), a list
(`audit_list`), an area's figures (`audit_aggregate`), records raised in bulk (`audit_each`), sign-ins
(`audit_sign_in`) and background work by the system member of staff (`audit_system`). The writer itself
is private.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Operation, Outcome

from . import policy, registry
from .errors import VersionConflict
from .purposes import Purpose, default_purpose

READS = registry.READS
PERSON_RECORD_TYPE = "people.person"


@dataclass(frozen=True)
class AccessContext:
    """Who is acting, why, and from where: what every audit event records."""

    user: Any
    purpose: str
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    client_address: str | None = None

    @classmethod
    def system(cls, user: Any, purpose: str = Purpose.SYSTEM) -> AccessContext:
        return cls(user=user, purpose=purpose)


class AccessRefused(Exception):
    """The gate said no. Carries what the refusal audit event needs (never shown to the user)."""

    def __init__(self, ctx: AccessContext, operation: str, record_type: str, record_id: Any, reason: str) -> None:
        super().__init__("Access refused")
        self.ctx, self.operation, self.record_type = ctx, operation, record_type
        self.record_id, self.reason = record_id, reason
        self.audited = False


def context_for(request: Any) -> AccessContext:
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


def record_type_of(record: Any) -> str:
    return str(record._meta.label_lower)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def decide(user: Any, operation: str, record: Any) -> policy.Decision:
    """The registered policy's answer for one operation on one record (no side effects)."""
    if not _signed_in(user):
        return policy.Decision(False, "not signed in")
    rule = registry.find(record.__class__)  # __class__: a lazy request.user is its class
    if rule is None:
        return policy.Decision(False, "no rule for this kind of record")
    return rule.may(user, operation, record)


# The audit's record id is a 64-bit integer: an id asked for beyond it (a typed or crafted address) names no record.
_LARGEST_RECORD_ID = 2**63 - 1


def _storable(record_id: Any, detail: dict[str, Any] | None) -> tuple[int | None, dict[str, Any]]:
    """The record id as the audit keeps it, and the detail: an id that is no integer the column holds (past 2^63 - 1,
    or not a number) is kept as text in the detail ("asked_for") with no record id: the refusal is still written."""
    if record_id is None:
        return None, detail or {}
    try:
        number = int(record_id)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(record_id, float) or not -_LARGEST_RECORD_ID - 1 <= number <= _LARGEST_RECORD_ID:
        return None, {**(detail or {}), "asked_for": str(record_id)[:40]}
    return number, detail or {}


def _write_event(
    ctx: AccessContext,
    operation: str,
    record_type: str,
    record_id: Any,
    outcome: str,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    user = ctx.user
    authenticated = getattr(user, "is_authenticated", False)
    record_id, detail = _storable(record_id, detail)
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
        detail=detail,
    )


def check(ctx: AccessContext, operation: str, record: Any) -> policy.Decision:
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


def authorise(ctx: AccessContext, operation: str, record: Any, detail: dict[str, Any] | None = None) -> None:
    """Decide and audit one operation on one record. Call inside the change's transaction."""
    decision = check(ctx, operation, record)
    _write_event(ctx, operation, record_type_of(record), record.pk, Outcome.ALLOWED, decision.reason, detail)


def audit_allowed(
    ctx: AccessContext, operation: str, record: Any, reason: str, detail: dict[str, Any] | None = None
) -> None:
    """Write the allowed event for a record checked earlier (a create, once it has its id)."""
    _write_event(ctx, operation, record_type_of(record), record.pk, Outcome.ALLOWED, reason, detail)


def record_refusal(refused: AccessRefused) -> None:
    """Write a refusal in a transaction of its own (after the caller's has rolled back)."""
    if refused.audited:
        return
    with transaction.atomic():
        _write_event(
            refused.ctx,
            refused.operation,
            refused.record_type,
            refused.record_id,
            Outcome.REFUSED,
            refused.reason,
        )
    refused.audited = True


# Many records at once ---------------------------------------------------------


def scoped(user: Any, queryset: QuerySet[Any], operation: str = Operation.VIEW) -> QuerySet[Any]:
    """Only the records of this queryset the user may do this to: the same rule as ``decide``, as a filter
    (none for anyone not signed in, and none of a kind without a policy)."""
    if not _signed_in(user):
        return queryset.none()
    rule = registry.find(queryset.model)
    if rule is None:
        return queryset.none()
    return rule.scope(user, queryset, operation)


def audit_list(
    ctx: AccessContext, operation: str, model: type[Model], ids: Iterable[Any], detail: dict[str, Any] | None = None
) -> None:
    """One event for a search or a list: what was asked and which records were shown."""
    shown = list(ids)
    payload = dict(detail or {})
    payload["shown"] = shown
    _write_event(ctx, operation, model._meta.label_lower, None, Outcome.ALLOWED, "scoped list", payload)


# One change path ----------------------------------------------------------------


@dataclass
class Change:
    """The record being changed, as locked and authorised; the body changes it and may add to the detail.
    ``decided`` is the record the change was decided on (the record itself, unless ``changing`` was given
    ``on``)."""

    record: Any
    decision: policy.Decision
    detail: dict[str, Any]
    decided: Any = None

    def save(self, reason: str = "", **kwargs: Any) -> None:
        """Save the change: one version on, with its reason kept in the record's history."""
        record = self.record
        if hasattr(record, "version"):
            record.version += 1
        if reason:
            record._change_reason = reason
        record.save(**kwargs)


def _lock(model: type[Model], pk: Any, related: Iterable[str]) -> Any:
    manager = model._default_manager
    related = tuple(related)
    # Lock the record's own row only: the rows it is read with stay free.
    locked = manager.select_for_update(of=("self",)) if related else manager.select_for_update()
    rows = locked.select_related(*related) if related else locked
    return rows.get(pk=pk)


@contextmanager
def changing(
    ctx: AccessContext,
    model: type[Model],
    pk: Any,
    version: int | None = None,
    *,
    operation: str = Operation.CHANGE,
    related: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
    audited_as: str | None = None,
    on: Callable[[Any], Any] | None = None,
    versioned: str = "",
) -> Iterator[Change]:
    """Change one record: lock its row, authorise (a refusal is a 404), check the version the user saw
    (a stale one raises VersionConflict: a 409 or the conflict page), let the body change it, and audit,
    all in one transaction. ``audited_as`` names the event when it differs from the rule decided (a referrer
    withdrawing their referral is decided as making it, and audited as a change).

    Where the record locked and audited is not the one the rule is about, ``on(record)`` is the record
    decided on (``Change.decided``): building a meeting's agenda is the forum's coordinator's (decided on
    ``meeting.forum``); taking a person off an incident locks and audits the incident and is decided on
    that person's link to it. ``versioned`` names the related record whose version the user saw when the
    record has none of its own (a recommendation is decided on its nominal as it was).

        with gate.changing(ctx, Meeting, meeting.pk, version) as change:
            change.record.start()
            change.save()
    """
    with transaction.atomic():
        record = _lock(model, pk, related)
        decided = on(record) if on is not None else record
        decision = check(ctx, operation, decided)
        seen = getattr(record, versioned) if versioned else record
        if version is not None and getattr(seen, "version", version) != version:
            raise VersionConflict()
        change = Change(record, decision, dict(detail or {}), decided)
        record_type, record_id = record_type_of(record), record.pk
        yield change
        audited = audited_as or operation
        _write_event(ctx, audited, record_type, record_id, Outcome.ALLOWED, decision.reason, change.detail)


def locked(model: type[Model], pk: Any, related: Iterable[str] = ()) -> Any:
    """A row held still, in the caller's transaction, while records under it change each through
    ``changing`` (or are made): the course run whose places are counted, the member of staff who may have
    one open waiting-list entry per course, the forum whose meetings are scheduled. Nothing is decided or
    audited here: the changes under it are."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("gate.locked holds a row for the caller's transaction: call it inside one")
    return _lock(model, pk, related)


# Named events that are not one record's read or change ----------------------------


def audit_aggregate(
    ctx: AccessContext, operation: str, kind: str, area_id: int, reason: str, detail: dict[str, Any] | None = None
) -> None:
    """Figures of an area (counts only, never a name), after ``policy.may_view_workforce_figures`` allowed them."""
    _write_event(ctx, operation, kind, area_id, Outcome.ALLOWED, reason, detail)


def audit_sign_in(
    ctx: AccessContext,
    record_type: str,
    record_id: Any,
    outcome: str,
    reason: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """A sign-in, allowed or refused (the member of staff signing in is the record)."""
    _write_event(ctx, Operation.SIGN_IN, record_type, record_id, outcome, reason, detail)


def system_context() -> AccessContext:
    """The access context of background work: the system member of staff, for a system purpose."""
    from .system import system_staff

    return AccessContext.system(system_staff())


def audit_system(
    operation: str,
    record_type: str,
    record_id: Any,
    reason: str,
    detail: dict[str, Any] | None = None,
    ctx: AccessContext | None = None,
) -> None:
    """What background work did (scheduled meetings, monthly snapshots, a generated world): the system member
    of staff acting for a system purpose, with no person's decision to check."""
    _write_event(ctx or system_context(), operation, record_type, record_id, Outcome.ALLOWED, reason, detail)


def audit_each(
    ctx: AccessContext,
    operation: str,
    records: Iterable[Model],
    reason: str,
    detail_of: Callable[[Any], dict[str, Any]],
    insert: Callable[[list[AuditEvent]], None] | None = None,
) -> None:
    """One allowed event per record that work raised in bulk (prompts from a scan), written together;
    ``insert`` is the caller's bulk writer (PostgreSQL COPY), ``bulk_create`` by default."""
    user = ctx.user
    now = timezone.now()
    events = [
        AuditEvent(
            actor_id=user.pk,
            actor_username=user.get_username(),
            actor_agency_id=getattr(user, "agency_id", None),
            operation=operation,
            record_type=record_type_of(record),
            record_id=record.pk,
            purpose=ctx.purpose,
            outcome=Outcome.ALLOWED,
            reason=reason[:200],
            request_id=ctx.request_id,
            client_address=ctx.client_address,
            detail=detail_of(record),
            at=now,
        )
        for record in records
    ]
    if insert is not None:
        insert(events)
    else:
        AuditEvent.objects.bulk_create(events, batch_size=2000)


def audit_account_administration(
    ctx: AccessContext, staff: Model, action: str, detail: dict[str, Any], refused: bool = False
) -> AuditEvent:
    """One event for a change to a member of staff's account (a role granted, approved, refused or removed;
    a sign-in reset; a password changed): `action` says which, `detail` holds the before and after."""
    outcome = Outcome.REFUSED if refused else Outcome.ALLOWED
    return _write_event(ctx, Operation.CHANGE, record_type_of(staff), staff.pk, outcome, action, detail)
